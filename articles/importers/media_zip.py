"""A zip of the old site's media, uploaded with an export: checked, then unpacked for a run.

The zip is a file from elsewhere, so nothing in it is trusted. It is refused whole when an
entry's path would leave the folder (absolute, `..`, a drive or a backslash), when an entry
is a link, is encrypted, or unpacks to far more than it packs (a zip bomb), and when it
holds too many entries or declares too many bytes unpacked. Unpacking checks again, counting
the bytes actually written, since a zip's header may lie about its sizes. Only pictures
(by their name here; by their content when the import reads them, through the upload's
checks) are unpacked; other files are counted and left out.

The folder it makes is the uploads folder of `MediaSource`: the zip may hold what is inside
`wp-content/uploads` or `content/images`, or one of those folders itself.
"""

import stat
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

PICTURE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})
# Pictures barely compress; an entry that packs a hundredfold is made to fill the disk.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
CHUNK_BYTES = 1024 * 1024
YEAR_FOLDER_LENGTH = 4


class MediaZipError(Exception):
    """The zip is refused; the message says why, for the editor."""


def _entry_refusal(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    path = PurePosixPath(name)
    drive = ":" in (path.parts or ("",))[0]
    if "\\" in name or path.is_absolute() or ".." in path.parts or drive:
        return _("“%s” would be unpacked outside its folder") % name
    if stat.S_ISLNK(info.external_attr >> 16):
        return _("“%s” is a link") % name
    if info.flag_bits & 0x1:
        return _("“%s” is encrypted") % name
    if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(
        info.compress_size, 1
    ):
        return _("“%s” unpacks to far more than it packs") % name
    return None


def media_zip_check(file) -> zipfile.ZipFile:
    """The zip, opened, when nothing in it is refused; raises MediaZipError."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as error:
        raise MediaZipError(_("This is not a readable zip file.")) from error
    entries = archive.infolist()
    if len(entries) > settings.IMPORT_MAX_MEDIA_FILES:
        raise MediaZipError(
            _("The zip holds %(n)d files; at most %(max)d are taken.")
            % {"n": len(entries), "max": settings.IMPORT_MAX_MEDIA_FILES}
        )
    for info in entries:
        refusal = _entry_refusal(info)
        if refusal:
            raise MediaZipError(_("The zip is refused: %s.") % refusal)
    if sum(info.file_size for info in entries) > settings.IMPORT_MAX_MEDIA_UNPACKED_BYTES:
        raise MediaZipError(_("The zip unpacks to more than the %d MB allowed.") % _mb())
    return archive


def _mb() -> int:
    return settings.IMPORT_MAX_MEDIA_UNPACKED_BYTES // 2**20


def _media_root(folder: Path) -> Path:
    """Down through a zip's wrapping folders (wp-content/uploads, content/images) to the one
    whose contents are the year folders or the pictures."""
    while True:
        children = list(folder.iterdir())
        if len(children) != 1 or not children[0].is_dir():
            return folder
        only = children[0]
        if len(only.name) == YEAR_FOLDER_LENGTH and only.name.isdigit():
            return folder
        folder = only


def media_zip_unpack(path: Path, folder: Path) -> tuple[Path, int]:
    """Unpack the pictures of a zip into a new folder: (the uploads folder in it, the files
    left out). The folder must not exist; the caller removes it when done."""
    folder.mkdir(parents=True)
    try:
        return _unpack(path, folder)
    except OSError as error:  # two entries of one name, a file where a folder is, a full disk
        raise MediaZipError(_("The zip could not be unpacked: %s") % error) from error


def _unpack(path: Path, folder: Path) -> tuple[Path, int]:
    left_out, written = 0, 0
    with open(path, "rb") as file, media_zip_check(file) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            if PurePosixPath(info.filename).suffix.lower() not in PICTURE_SUFFIXES or (
                info.file_size > settings.IMAGE_MAX_BYTES
            ):
                left_out += 1
                continue
            target = folder.joinpath(*PurePosixPath(info.filename).parts)
            if not target.resolve().is_relative_to(folder.resolve()):
                raise MediaZipError(_("The zip is refused: %s.") % info.filename)
            target.parent.mkdir(parents=True, exist_ok=True)
            written += _copy(
                archive, info, target, settings.IMPORT_MAX_MEDIA_UNPACKED_BYTES - written
            )
    return _media_root(folder), left_out


def _copy(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, room: int) -> int:
    """One entry, to a file of its own ("x": never over one already there); no more bytes
    than the entry declared nor than the room left."""
    size = 0
    with archive.open(info) as source, open(target, "xb") as out:
        while chunk := source.read(CHUNK_BYTES):
            size += len(chunk)
            if size > min(info.file_size, room):
                raise MediaZipError(
                    _("The zip is refused: “%s” unpacks to more than it says.") % info.filename
                )
            out.write(chunk)
    return size
