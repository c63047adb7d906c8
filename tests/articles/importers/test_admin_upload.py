"""Importing from the admin: the upload and its checks, the one job per form, who may, the
progress page, failures and retries. The task runs in-process here, once the upload commits;
test_import_worker.py runs it on a real worker."""

import io
import os
import stat
import subprocess
import sys
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.importers.jobs import import_job_run
from articles.importers.media_zip import MediaZipError, media_zip_check, media_zip_unpack
from articles.models import Article, Image, ImportJob, NewsroomPage
from tests import factories

from .conftest import EXPORTS, picture_bytes

ADD = "/admin/articles/importjob/add/"
WXR = (EXPORTS / "wordpress.xml").read_bytes()
GHOST = (EXPORTS / "ghost.json").read_bytes()
State = ImportJob.State


def change_url(job) -> str:
    return f"/admin/articles/importjob/{job.pk}/change/"


def media_zip(entries: dict[str, bytes], links=()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return out.getvalue()


UPLOADS_ZIP = media_zip(
    {
        "wp-content/uploads/2020/01/photo.png": picture_bytes(),
        "wp-content/uploads/2020/01/notes.php": b"<?php system($_GET['c']);",
    }
)


@pytest.fixture
def upload(client, editor, django_capture_on_commit_callbacks):
    """Send the upload form as an editor's browser does, running what it queues."""
    client.force_login(editor)

    def send(export=WXR, *, source="wordpress", zip_bytes=None, token=None, name="export.xml"):
        data = {
            "source": source,
            "export": SimpleUploadedFile(name, export),
            "token": str(token or uuid.uuid4()),
        }
        if zip_bytes is not None:
            data["media_zip"] = SimpleUploadedFile("media.zip", zip_bytes)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(ADD, data)

    return send


def test_an_editor_imports_an_export_with_its_media_zip(upload, client):
    response = upload(zip_bytes=UPLOADS_ZIP)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == change_url(job)
    assert job.state == State.FINISHED and job.error == ""
    assert Article.objects.filter(import_key="wordpress:10").exists()
    assert Image.objects.filter(import_source__endswith="2020/01/photo.png").exists()
    assert "Created: 2 authors, 1 pages, 7 stories" in job.report
    assert "Files in the media zip that are no pictures, left out: 1" in job.report
    assert (job.done, job.total) == (10, 10)  # every item but the attachments
    page = client.get(change_url(job)).content.decode()
    assert 'data-state="finished"' in page and "Created: 2 authors, 1 pages, 7 stories" in page
    assert 'http-equiv="refresh"' not in page  # done: the page stops reloading
    assert not job.export and not job.media_zip  # the uploaded files, drafts in them, are gone


def test_a_ghost_export_with_its_images_zip(upload):
    images = media_zip(
        {
            "content/images/2021/05/lead.png": picture_bytes(),
            "content/images/2021/05/inline.png": picture_bytes(color="blue"),
        }
    )
    upload(GHOST, source="ghost", zip_bytes=images, name="site.ghost.json")
    job = ImportJob.objects.get()
    assert job.state == State.FINISHED, job.error
    assert Article.objects.filter(import_key__startswith="ghost:").exists()
    assert Image.objects.filter(import_source__endswith="2021/05/lead.png").exists()


def test_a_second_import_reports_what_was_left_because_edited_here(upload, editor):
    upload()
    page = NewsroomPage.objects.get(import_key="wordpress:30")
    page.title = "About the Gazette"
    page.save()
    upload(WXR.replace(b"Write to us.", b"Write to us, or call."))
    report = ImportJob.objects.order_by("pk").last().report
    assert "Unchanged: 7 stories" in report
    assert report[report.index("Left alone, edited here since their import: 1") + 1] == (
        "  page 30 “About us”"
    )


def test_the_same_form_sent_twice_makes_one_import(upload):
    token = uuid.uuid4()
    first = upload(token=token)
    second = upload(token=token)
    assert ImportJob.objects.count() == 1
    assert second["Location"] == first["Location"]


def test_one_import_at_a_time(upload):
    running = ImportJob.objects.create(
        source="ghost", export="exports/x.json", state=State.RUNNING
    )
    response = upload()
    assert b"An import is under way" in response.content
    assert ImportJob.objects.count() == 1
    running.heartbeat_at = timezone.now() - timedelta(hours=1)  # stalled: no longer blocks
    running.save()
    assert upload().status_code == 302


@pytest.mark.parametrize(
    ("export", "source", "error"),
    [
        (b"<html><body>a web page</body></html>", "wordpress", "not a WordPress export"),
        (GHOST, "wordpress", "not a WordPress export"),
        (WXR, "ghost", "not a Ghost export"),
        (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            + WXR[WXR.index(b"<rss") :],
            "wordpress",
            "declares a DTD",
        ),
    ],
)
def test_a_file_that_is_no_export_is_refused_at_upload(upload, export, source, error):
    response = upload(export, source=source)
    assert response.status_code == 200 and error in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_export_over_the_size_limit_is_refused(upload, settings):
    settings.IMPORT_MAX_EXPORT_BYTES = len(WXR) - 1
    assert b"at most 0 MB is taken" in upload().content
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("entries", "links", "error"),
    [
        ({"../../evil.png": b"x"}, (), "outside its folder"),
        ({"/etc/cron.d/evil.png": b"x"}, (), "outside its folder"),
        ({"uploads\\..\\evil.png": b"x"}, (), "outside its folder"),
        ({"C:/evil.png": b"x"}, (), "outside its folder"),
        ({}, ("uploads/2020/link.png",), "is a link"),
        ({"bomb.png": b"\0" * (4 * 1024 * 1024)}, (), "unpacks to far more than it packs"),
    ],
)
def test_a_media_zip_that_would_harm_is_refused_whole(upload, entries, links, error):
    response = upload(zip_bytes=media_zip(entries, links))
    assert error in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_media_zip_with_too_many_files_or_bytes_or_none_at_all_is_refused(upload, settings):
    settings.IMPORT_MAX_MEDIA_FILES = 1
    assert b"at most 1 are taken" in upload(zip_bytes=UPLOADS_ZIP).content
    settings.IMPORT_MAX_MEDIA_FILES = 10
    settings.IMPORT_MAX_MEDIA_UNPACKED_BYTES = 100
    assert b"unpacks to more than the" in upload(zip_bytes=UPLOADS_ZIP).content
    assert b"not a readable zip" in upload(zip_bytes=b"PK\x03\x04 not really").content
    settings.IMPORT_MAX_MEDIA_ZIP_BYTES = len(UPLOADS_ZIP) - 1
    assert b"The media zip is 0 MB; at most 0 MB is taken" in upload(zip_bytes=UPLOADS_ZIP).content
    assert not ImportJob.objects.exists()


def test_unpacking_keeps_pictures_only_and_finds_the_uploads_folder(tmp_path):
    zip_path = tmp_path / "media.zip"
    zip_path.write_bytes(UPLOADS_ZIP)
    root, left_out = media_zip_unpack(zip_path, tmp_path / "unpacked")
    assert root == tmp_path / "unpacked" / "wp-content" / "uploads"
    assert (root / "2020" / "01" / "photo.png").is_file() and left_out == 1
    assert not list(tmp_path.rglob("*.php"))


def test_unpacking_checks_the_zip_again(tmp_path):
    """The worker does not trust the upload's check: a zip changed on disk since is refused."""
    zip_path = tmp_path / "media.zip"
    zip_path.write_bytes(media_zip({"../escape.png": picture_bytes()}))
    with pytest.raises(MediaZipError, match="outside its folder"):
        media_zip_unpack(zip_path, tmp_path / "unpacked")
    assert not (tmp_path / "escape.png").exists()


def test_a_file_broken_half_way_fails_clearly_and_writes_nothing(upload, client):
    broken = WXR.replace(b"</channel>", b"<item><title>cut off")
    upload(broken)
    job = ImportJob.objects.get()
    assert job.state == State.FAILED and "not readable XML" in job.error
    assert not Article.objects.exists()
    page = client.get(change_url(job)).content.decode()
    assert "not readable XML" in page and "Start the import again" in page


def test_a_stalled_import_is_shown_and_started_again(editor, client, upload):
    upload()
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        state=State.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=1), report=[]
    )
    page = client.get(change_url(job)).content.decode()
    assert 'data-state="stalled"' in page and "Start the import again" in page


def test_retrying_runs_the_import_again_and_changes_nothing_twice(
    editor, client, upload, django_capture_on_commit_callbacks
):
    upload()
    job = ImportJob.objects.get()
    stories = Article.objects.count()
    # As when the worker died mid-run: its files are still here, its state is "running".
    job.export.save("again.xml", io.BytesIO(WXR))
    ImportJob.objects.filter(pk=job.pk).update(
        state=State.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/articles/importjob/{job.pk}/retry/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == State.FINISHED and job.attempts == 2
    assert "Unchanged: 1 pages, 7 stories" in job.report
    assert Article.objects.count() == stories


def test_a_job_under_way_is_not_run_a_second_time(db, editor):
    """A copy of the task (queued twice, redelivered by the broker) finds the job taken."""
    job = ImportJob.objects.create(source="wordpress", export="exports/x.xml", state=State.RUNNING)
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.attempts == 0 and job.state == State.RUNNING


def test_a_job_under_way_reloads_its_page_and_offers_no_retry(editor, client):
    client.force_login(editor)
    job = ImportJob.objects.create(
        source="wordpress", export="exports/x.xml", state=State.RUNNING, done=3, total=9
    )
    page = client.get(change_url(job)).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert '<progress max="9" value="3">' in page and "3 of 9 items" in page
    assert "Start the import again" not in page
    response = client.post(f"/admin/articles/importjob/{job.pk}/retry/")
    job.refresh_from_db()
    assert response.status_code == 302 and job.attempts == 0


@pytest.mark.parametrize("who", ["writer", "reader"])
def test_only_editors_may_import(db, client, who):
    user = factories.writer_factory() if who == "writer" else factories.UserFactory()
    user.is_staff = True
    user.save()
    client.force_login(user)
    job = ImportJob.objects.create(source="wordpress", export="exports/x.xml", state=State.FAILED)
    assert client.get(ADD).status_code == 403
    data = {
        "source": "wordpress",
        "export": SimpleUploadedFile("x.xml", WXR),
        "token": uuid.uuid4(),
    }
    assert client.post(ADD, data).status_code == 403
    assert client.get(change_url(job)).status_code == 403
    assert client.post(f"/admin/articles/importjob/{job.pk}/retry/").status_code == 403
    assert client.get("/admin/articles/importjob/").status_code == 403
    assert ImportJob.objects.count() == 1


def test_the_upload_page_is_linked_for_editors(editor, client):
    client.force_login(editor)
    assert (
        b'href="/admin/articles/importjob/add/"'
        in client.get("/admin/articles/importjob/").content
    )
    form = client.get(ADD).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="token"' in form


def test_an_encrypted_entry_is_refused():
    data = bytearray(media_zip({"uploads/2020/secret.png": b"not really encrypted"}))
    central = data.index(b"PK\x01\x02")  # the entry's header in the central directory
    data[central + 8] |= 0x1  # its "encrypted" flag, which zipfile never writes itself
    with pytest.raises(MediaZipError, match="is encrypted"):
        media_zip_check(io.BytesIO(bytes(data)))


def test_a_web_worker_loads_the_wordpress_reader_only_for_a_wordpress_upload():
    """lxml costs every web worker several MB: it loads with the first WordPress upload."""
    script = f"""
import sys, django
django.setup()
from django.urls import resolve
import newsroom.wsgi
resolve("/admin/articles/importjob/add/")
print("lxml" in sys.modules)
from django.core.files.uploadedfile import SimpleUploadedFile
from articles.importers.jobs import import_upload_check
import_upload_check(source="ghost", export=SimpleUploadedFile("g.json", {GHOST!r}))
print("lxml" in sys.modules)
import_upload_check(source="wordpress", export=SimpleUploadedFile("w.xml", {WXR[:4096]!r}))
print("lxml" in sys.modules)
"""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.test_settings"}
    loaded = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True
    )
    assert loaded.stdout.split() == ["False", "False", "True"], loaded.stderr
