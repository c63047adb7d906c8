import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def import_storage() -> FileSystemStorage:
    """Uploaded exports hold drafts and private posts: kept out of MEDIA_ROOT, never served,
    in a folder the web and the worker share."""
    return FileSystemStorage(location=settings.IMPORT_ROOT)


class ImportJob(models.Model):
    """One export uploaded in the admin and its run on a worker.

    The worker claims a job before it runs (one run at a time), says it is alive as it goes
    (`heartbeat_at`), and leaves the report. A job whose worker stopped saying so is
    stalled and may be started again: an import changes nothing twice.
    """

    class Source(models.TextChoices):
        WORDPRESS = "wordpress", _("WordPress export (WXR, .xml)")
        GHOST = "ghost", _("Ghost export (.json)")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    source = models.CharField(_("exported from"), max_length=20, choices=Source.choices)
    export = models.FileField(_("export file"), storage=import_storage, upload_to="exports/")
    media_zip = models.FileField(
        _("media zip"), storage=import_storage, upload_to="media/", blank=True
    )
    # The upload form's own: a second click on the same form finds this job.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # Queued or running: when it was queued, or its run last said it was alive.
    heartbeat_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(_("items read"), default=0)
    total = models.PositiveIntegerField(_("items in the export"), null=True, blank=True)
    report = models.JSONField(_("report"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("site import")
        verbose_name_plural = _("site imports")

    def __str__(self):
        return f"{self.get_source_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def stalled_before():
        return timezone.now() - timedelta(seconds=settings.IMPORT_STALLED_SECONDS)

    @property
    def is_stalled(self) -> bool:
        """Running with no sign of life, or queued with no worker taking it."""
        active = self.state in (self.State.QUEUED, self.State.RUNNING)
        return active and self.heartbeat_at < self.stalled_before()

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING) and not self.is_stalled

    @property
    def may_retry(self) -> bool:
        return self.state == self.State.FAILED or self.is_stalled
