"""Where an import finds pictures: the media folder, else the address, with upload checks."""

import http.server
import threading

import pytest

from articles.importers.media import MediaMissing, MediaSource

from .conftest import picture_bytes


@pytest.fixture
def picture_server():
    """A loopback host serving one picture at /pictures/a.png and 404 elsewhere."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/pictures/a.png":
                body = picture_bytes((40, 30))
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_error(404)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_picture_is_found_in_the_folder_by_its_path(media_dir):
    found = MediaSource(folder=media_dir, fetch_urls=False).fetch(
        "https://old.example/wp-content/uploads/2020/01/photo.png"
    )
    assert found.size > 0 and found.name.endswith(".png")


def test_the_folder_is_never_left(media_dir, tmp_path):
    (tmp_path / "secret.png").write_bytes(picture_bytes())
    with pytest.raises(MediaMissing):
        MediaSource(folder=media_dir, fetch_urls=False).fetch(
            "https://old.example/wp-content/uploads/../../secret.png"
        )


def test_a_picture_is_fetched_from_its_address_and_checked(picture_server, tmp_path, settings):
    settings.IMPORT_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    source = MediaSource(folder=tmp_path)
    assert source.fetch(f"{picture_server}/pictures/a.png").name.endswith(".png")
    with pytest.raises(MediaMissing, match="answered 404"):
        source.fetch(f"{picture_server}/pictures/b.png")
    assert source.dead_hosts == set()  # it answered


def test_a_file_that_is_no_picture_is_refused_like_an_upload(media_dir):
    (media_dir / "2020" / "01" / "fake.png").write_text("<svg onload=alert(1)>")
    with pytest.raises(MediaMissing, match="not a JPEG, PNG, WebP or GIF"):
        MediaSource(folder=media_dir).fetch("/wp-content/uploads/2020/01/fake.png")


def test_a_host_that_does_not_answer_is_given_up_for_the_run(settings):
    settings.IMPORT_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    source = MediaSource()
    with pytest.raises(MediaMissing, match=r"did not answer$"):
        source.fetch("http://127.0.0.1:9/a.png")
    with pytest.raises(MediaMissing, match="earlier in this run"):
        source.fetch("http://127.0.0.1:9/b.png")
