"""Where an import finds a picture: the media folder given, else the picture's own address.

A folder is a copy of WordPress's `wp-content/uploads` or Ghost's `content/images`: a
picture's path after that part of its address is looked for in it, and never outside it. An
address is fetched with a timeout and no more bytes than an upload may have; a host that does
not answer is given up for the rest of the run. Either way the picture passes the checks of
an upload (`image_prepare_upload`).
"""

import urllib.parse
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from articles.images import image_prepare_upload
from articles.importers.fetch import FetchFailed, FetchRefused, picture_fetch

MEDIA_ROOTS = ("/wp-content/uploads/", "/content/images/")


class MediaMissing(Exception):
    """Why a picture could not be had."""


class MediaSource:
    def __init__(self, *, folder: Path | None = None, fetch_urls: bool = True):
        self.folder = folder.resolve() if folder else None
        self.fetch_urls = fetch_urls
        self.dead_hosts: set[str] = set()

    def fetch(self, url: str) -> ContentFile:
        """The picture, checked and cleaned like an upload; raises MediaMissing."""
        try:
            parts = urllib.parse.urlsplit(url)
        except ValueError as error:  # "http://[x/" and the like
            raise MediaMissing(_("not a valid address")) from error
        data = self._from_folder(parts)
        if data is None:
            data = self._from_url(url, parts)
        try:
            return image_prepare_upload(ContentFile(data, name="import"))
        except ValidationError as invalid:
            raise MediaMissing(" ".join(invalid.messages)) from invalid

    def _from_folder(self, parts: urllib.parse.SplitResult) -> bytes | None:
        if self.folder is None:
            return None
        path = urllib.parse.unquote(parts.path)
        for root in MEDIA_ROOTS:
            if root in path:
                path = path.split(root, 1)[1]
                break
        try:
            candidate = (self.folder / path.lstrip("/")).resolve()
            if not candidate.is_relative_to(self.folder) or not candidate.is_file():
                return None
            if candidate.stat().st_size > settings.IMAGE_MAX_BYTES:
                raise MediaMissing(_("larger than an upload may be"))
            return candidate.read_bytes()
        except (OSError, ValueError):  # a NUL byte, a name too long for the disk
            return None

    def _from_url(self, url: str, parts: urllib.parse.SplitResult) -> bytes:
        if not self.fetch_urls or parts.scheme not in ("http", "https") or not parts.hostname:
            raise MediaMissing(_("not in the media folder"))
        if parts.netloc in self.dead_hosts:
            raise MediaMissing(_("its host did not answer earlier in this run"))
        try:
            return picture_fetch(url)
        except FetchRefused as refused:
            raise MediaMissing(str(refused)) from refused
        except FetchFailed as failed:
            self.dead_hosts.add(parts.netloc)
            raise MediaMissing(str(failed)) from failed
