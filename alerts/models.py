"""Breaking-news email: who receives it, each alert, and the ledger of its deliveries."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubscriberQuerySet(models.QuerySet):
    def receiving(self):
        """Who gets the next alert: confirmed addresses only."""
        return self.filter(state=Subscriber.State.CONFIRMED)


class Subscriber(models.Model):
    """An address that asked for breaking-news alerts, with where it stands."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")

    email = models.EmailField(_("email"), unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_subscription",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    left_at = models.DateTimeField(_("unsubscribed or bounced"), null=True, blank=True)
    bounce_reason = models.CharField(_("bounce reason"), max_length=300, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        db_table = "accounts_subscriber"  # made before the alerts had an app of their own
        ordering = ["-created_at"]
        verbose_name = _("alert subscriber")

    def __str__(self):
        return self.email


class AlertQuerySet(models.QuerySet):
    def with_progress(self):
        """Annotate sent, failed and pending counts from the ledger, in one query."""
        return self.annotate(
            sent=Count("deliveries", filter=Q(deliveries__state=Delivery.State.SENT)),
            failed=Count("deliveries", filter=Q(deliveries__state=Delivery.State.FAILED)),
            pending=Count("deliveries", filter=Q(deliveries__state=Delivery.State.PENDING)),
        )


class Alert(models.Model):
    """A breaking-news email about one article; an article is alerted at most once."""

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.PROTECT,
        related_name="alert",
        verbose_name=_("article"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    planned = models.PositiveIntegerField(_("planned"), default=0)
    planned_at = models.DateTimeField(_("planned at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        db_table = "articles_alert"
        ordering = ["-created_at"]
        verbose_name = _("breaking alert")

    def __str__(self):
        return str(self.article)


class Delivery(models.Model):
    """The ledger: one row per (alert, subscriber), claimed by a worker while it sends.

    `claimed_until` also serves as "not before" for a retry after a temporary failure.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        db_table = "articles_delivery"
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["alert", "subscriber"], name="unique_delivery"),
        ]
        indexes = [
            models.Index(
                fields=["alert", "id"],
                condition=Q(state="pending"),
                name="delivery_pending",
            ),
        ]

    def __str__(self):
        return f"{self.alert_id} → {self.subscriber_id}: {self.state}"
