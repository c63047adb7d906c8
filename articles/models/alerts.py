from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.content import Article


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
        Article, on_delete=models.PROTECT, related_name="alert", verbose_name=_("article")
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
    subscriber = models.ForeignKey(
        "accounts.Subscriber", on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
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
