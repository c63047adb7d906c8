"""Imports uploaded in the admin: from the upload to the report, on a worker.

An editor's upload is checked at once (size, kind, the media zip's entries) and becomes an
`ImportJob`, queued once committed. The worker claims the job in one statement, so a task
delivered twice (a double queue, the broker's redelivery) runs once; it says it is alive as
it goes, and a run whose worker died is seen stalled and may be started again, which is
safe because an import changes nothing twice. A file found broken is refused before
anything is written (both readers read it whole first). A finished job's files are deleted:
they hold drafts, and the report is what is kept.
"""

import logging
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from articles.importers.media import MediaSource
from articles.importers.media_zip import MediaZipError, media_zip_check, media_zip_unpack
from articles.importers.service import Importer, ImportFileError
from articles.models import ImportJob

logger = logging.getLogger(__name__)
Source, State = ImportJob.Source, ImportJob.State
# Each source's reader and first-bytes check, by name: a web worker loads a reader (and lxml,
# several MB, for WordPress) only once an editor uploads that kind of export.
READERS = {
    Source.WORDPRESS: (
        "articles.importers.wordpress.wordpress_import",
        "articles.importers.wordpress.wordpress_sniff",
    ),
    Source.GHOST: (
        "articles.importers.ghost.ghost_import",
        "articles.importers.ghost.ghost_sniff",
    ),
}
SNIFF_BYTES = 64 * 1024
HEARTBEAT_SECONDS = 1.0


class ImportTakenOver(Exception):
    """Another run claimed this job while this one seemed dead: this one stops."""


def _size_check(file, limit: int, message: str) -> None:
    if file.size > limit:
        raise ValidationError(message % {"mb": file.size // 2**20, "max": limit // 2**20})


def import_upload_check(*, source: str, export, media_zip=None) -> None:
    """What can be told of the files before they are kept; raises ValidationError."""
    _size_check(
        export,
        settings.IMPORT_MAX_EXPORT_BYTES,
        _("The export is %(mb)d MB; at most %(max)d MB is taken."),
    )
    export.seek(0)
    try:
        import_string(READERS[source][1])(export.read(SNIFF_BYTES))
    except ImportFileError as error:
        raise ValidationError(str(error)) from error
    finally:
        export.seek(0)
    if media_zip is None:
        return
    _size_check(
        media_zip,
        settings.IMPORT_MAX_MEDIA_ZIP_BYTES,
        _("The media zip is %(mb)d MB; at most %(max)d MB is taken."),
    )
    try:
        media_zip_check(media_zip).close()
    except MediaZipError as error:
        raise ValidationError(str(error)) from error
    finally:
        media_zip.seek(0)


def import_job_create(*, source: str, export, media_zip, token, by) -> tuple[ImportJob, bool]:
    """The job of this upload form, made and queued once: a second click on the same form
    (same token) finds the first. One import runs at a time."""
    from articles.tasks import import_job_task

    existing = ImportJob.objects.filter(token=token).first()
    if existing:
        return existing, False
    under_way = ImportJob.objects.filter(state__in=[State.QUEUED, State.RUNNING])
    if any(job.is_active for job in under_way):
        raise ValidationError(_("An import is under way: wait for it to finish."))
    import_upload_check(source=source, export=export, media_zip=media_zip)
    job = ImportJob(source=source, token=token, created_by=by)
    job.export.save(export.name, export, save=False)
    if media_zip:
        job.media_zip.save(media_zip.name, media_zip, save=False)
    try:
        with transaction.atomic():
            job.save()
            transaction.on_commit(lambda: import_job_task.delay(job.pk))
    except IntegrityError:  # the same form, sent twice at once: the other request won
        _files_delete(job)
        return ImportJob.objects.get(token=token), False
    return job, True


def import_job_retry(*, job: ImportJob) -> bool:
    """Queue a failed or stalled job again; False when it may not be."""
    from articles.tasks import import_job_task

    if not job.may_retry or not job.export:
        return False
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            state=State.QUEUED, heartbeat_at=timezone.now(), error=""
        )
        transaction.on_commit(lambda: import_job_task.delay(job.pk))
    return True


def _claim(job_id: int) -> int | None:
    """Take the job for this run, if it is queued or its run stalled: the run's attempt."""
    stale = ImportJob.stalled_before()
    now = timezone.now()
    claimed = ImportJob.objects.filter(
        Q(state=State.QUEUED) | Q(state=State.RUNNING, heartbeat_at__lt=stale), pk=job_id
    ).update(state=State.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None
    return ImportJob.objects.values_list("attempts", flat=True).get(pk=job_id)


class _Heartbeat:
    """The importer's progress, written to the job at most once a second."""

    def __init__(self, job_id: int, attempt: int):
        self.job = ImportJob.objects.filter(pk=job_id, attempts=attempt, state=State.RUNNING)
        self.last = 0.0

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.last < HEARTBEAT_SECONDS and done != total:
            return
        self.last = now
        if not self.job.update(done=done, total=total, heartbeat_at=timezone.now()):
            raise ImportTakenOver


def import_job_run(*, job_id: int) -> None:
    """Run a job on this worker, unless another run has it; leaves the report."""
    attempt = _claim(job_id)
    if attempt is None:
        return
    job = ImportJob.objects.get(pk=job_id)
    folder = settings.IMPORT_ROOT / "unpacked" / f"{job.pk}-{attempt}"
    heartbeat = _Heartbeat(job.pk, attempt)
    importer = None
    try:
        media = MediaSource()
        if job.media_zip:
            shutil.rmtree(folder, ignore_errors=True)
            media_root, left_out = media_zip_unpack(Path(job.media_zip.path), folder)
            media = MediaSource(folder=media_root)
        importer = Importer(media=media, on_progress=heartbeat)
        try:
            import_string(READERS[job.source][0])(path=Path(job.export.path), importer=importer)
        finally:
            report = importer.finish()
    except ImportTakenOver:
        return
    except (ImportFileError, MediaZipError) as error:
        _end(heartbeat, State.FAILED, importer, error=str(error))
    except Exception:
        logger.exception("import job %s failed", job.pk)
        _end(heartbeat, State.FAILED, importer, error=_("The import stopped on an error."))
    else:
        lines = report.lines()
        if job.media_zip and left_out:
            lines.append(_("Files in the media zip that are no pictures, left out: %d") % left_out)
        _end(heartbeat, State.FINISHED, importer, lines=lines)
        _files_delete(job)
        ImportJob.objects.filter(pk=job.pk).update(export="", media_zip="")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _end(heartbeat: _Heartbeat, state: str, importer: Importer | None, *, error="", lines=None):
    if lines is None:
        lines = importer.report.lines() if importer else []
    done = importer.done if importer else 0
    heartbeat.job.update(
        state=state, finished_at=timezone.now(), report=lines, error=error, done=done
    )


def _files_delete(job: ImportJob) -> None:
    for file in (job.export, job.media_zip):
        if file:
            file.storage.delete(file.name)
