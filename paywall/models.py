from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class PaywallSettings(models.Model):
    """What editors tune, one row (pk=1); readers get the defaults until it is first saved."""

    enabled = models.BooleanField(_("paywall on"), default=True)
    nudge_from = models.PositiveSmallIntegerField(
        _("nudge from article"),
        default=3,
        help_text=_("The register nudge shows from this many articles read in a month."),
    )
    wall_after = models.PositiveSmallIntegerField(
        _("free articles a month"),
        default=10,
        help_text=_("The next distinct article in the month is walled."),
    )
    nudge_text = models.TextField(
        _("nudge copy"),
        default=_(
            "This is article {reads} of your free ones this month. "
            "Create a free account and the counter goes away."
        ),
        help_text=_("{reads} is replaced by the reader's count."),
    )
    wall_text = models.TextField(
        _("wall copy"),
        default=_(
            "You have read {reads} articles this month, all the free ones. Register with "
            "your email, free of charge, to keep reading and to join the conversation."
        ),
        help_text=_("{reads} is replaced by the reader's count."),
    )
    donate_text = models.TextField(
        _("donation appeal copy"),
        default=_(
            "Before you move on: reporting like this is paid for by readers. "
            "A donation of any size keeps our reporters in the field."
        ),
    )
    donate_thanks_text = models.TextField(
        _("donor thank-you copy"),
        default=_("Thank you for supporting our journalism. Your donation keeps us reporting."),
    )
    donation_url = models.URLField(
        _("donation platform URL"),
        blank=True,
        help_text=_("The publisher's payment page; the amount is added as ?amount=."),
    )
    suggested_amounts = models.CharField(
        _("suggested amounts"),
        max_length=100,
        default="5,10,25",
        help_text=_("Whole amounts separated by commas."),
    )
    donate_interval_hours = models.PositiveIntegerField(
        _("hours between donation appeals"), default=24
    )
    donate_dismiss_days = models.PositiveIntegerField(
        _("days an appeal stays away once dismissed"), default=14
    )
    donor_quiet_days = models.PositiveIntegerField(
        _("days without appeals after a donation"), default=180
    )

    class Meta:
        verbose_name = _("paywall settings")
        verbose_name_plural = _("paywall settings")

    def __str__(self):
        return str(_("Paywall settings"))

    def clean(self):
        """Every reader who meets the wall has been nudged first, and the counts mean what
        they say: a wall before the nudge would wall readers nobody had asked to register."""
        errors = {}
        for name in ("nudge_from", "wall_after"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                errors[name] = _("Use a whole number of 1 or more.")
        nudge, wall = self.nudge_from, self.wall_after
        if not errors and nudge is not None and wall is not None and nudge > wall:
            errors["nudge_from"] = _(
                "The nudge must come before the wall: nudge from article %(wall)s at the latest, "
                "or allow more free articles."
            ) % {"wall": wall}
        parts = [part.strip() for part in self.suggested_amounts.split(",")]
        if not all(part.isdigit() and int(part) > 0 for part in parts):
            errors["suggested_amounts"] = _("Whole amounts above 0, separated by commas.")
        if errors:
            raise ValidationError(errors)

    @property
    def amounts(self) -> list[int]:
        return [int(a) for a in self.suggested_amounts.replace(" ", "").split(",") if a.isdigit()]


class Meter(models.Model):
    """One anonymous reader's period in the database meter; its row lock serialises reads."""

    reader = models.CharField(max_length=40)
    period = models.CharField(max_length=7)
    count = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reader", "period"], name="paywall_meter_unique")
        ]

    def __str__(self):
        return f"{self.reader} {self.period}"


class MeterRead(models.Model):
    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="reads")
    article_id = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meter", "article_id"], name="paywall_read_unique")
        ]

    def __str__(self):
        return f"{self.meter} #{self.article_id}"


class FunnelDayManager(models.Manager):
    def add(self, *, day, article_id: int, **increments: int) -> None:
        """Add to a day's counters in the current transaction (row created on first use)."""
        self.get_or_create(day=day, article_id=article_id)
        self.filter(day=day, article_id=article_id).update(
            **{field: F(field) + n for field, n in increments.items() if n}
        )


class FunnelDay(models.Model):
    """Aggregate counts per day and article; article_id 0 is for events on no article."""

    day = models.DateField(_("day"))
    article_id = models.PositiveIntegerField(_("article id"), default=0)
    views = models.PositiveIntegerField(_("metered views"), default=0)
    nudges = models.PositiveIntegerField(_("nudges shown"), default=0)
    walls = models.PositiveIntegerField(_("walls hit"), default=0)
    signups = models.PositiveIntegerField(_("sign-ups from a prompt"), default=0)
    donation_clicks = models.PositiveIntegerField(_("donation clicks"), default=0)
    meter_errors = models.PositiveIntegerField(_("meter errors"), default=0)

    objects = FunnelDayManager()

    class Meta:
        verbose_name = _("funnel day")
        ordering = ["-day", "article_id"]
        constraints = [
            models.UniqueConstraint(fields=["day", "article_id"], name="paywall_funnel_unique")
        ]

    def __str__(self):
        return f"{self.day} #{self.article_id}"


class Donor(models.Model):
    """A registered reader known to have donated: no appeals until `until`."""

    class Source(models.TextChoices):
        ADMIN = "admin", _("Marked in the admin")
        PLATFORM = "platform", _("Payment platform return link")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="donor"
    )
    until = models.DateTimeField(_("no appeals until"))
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ADMIN)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("donor")

    def __str__(self):
        return str(self.user)


class DonationReturn(models.Model):
    """A payment platform's return link that has been used: its signed reference is the link's
    nonce, so each link confirms one donation, once (the unique index decides, even between
    parallel requests)."""

    reference = models.CharField(_("payment reference"), max_length=100, unique=True)
    used_at = models.DateTimeField(_("used"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The account the link was used with; empty for an anonymous reader."),
    )

    class Meta:
        verbose_name = _("donation return link")

    def __str__(self):
        return self.reference
