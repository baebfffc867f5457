"""What an uploaded file is, decided from its content: the allowed types, their detection
(magic bytes through ``filetype``; plain text by decoding), a display name that cannot be a
path, and a Content-Disposition header built safely."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

import filetype
from django.conf import settings

# Each allowed-type key (ATTACHMENT_ALLOWED_TYPES): the MIME type the content must show.
KNOWN_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "zip": "application/zip",
    "txt": "text/plain",
    "csv": "text/csv",
}
# How many bytes are read to recognise a file (docx/xlsx are recognised from the zip's
# first entries, which sit at its start).
SNIFF_BYTES = 8192
NAME_MAX_LENGTH = 200


@dataclass(frozen=True)
class Detected:
    key: str
    content_type: str


def allowed_keys() -> list[str]:
    return [key for key in settings.ATTACHMENT_ALLOWED_TYPES if key in KNOWN_TYPES]


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The sample may cut a multi-byte character in two at its end.
        return exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"
    return True


def detect(head: bytes, name: str) -> Detected | None:
    """The file's type from its first bytes. Text has no magic number: text that decodes
    as UTF-8 is ``csv`` when named so, otherwise ``txt``. None: not a type we know."""
    kind = filetype.guess(head)
    if kind is not None:
        for key, mime in KNOWN_TYPES.items():
            if kind.mime == mime:
                return Detected(key, mime)
        return None
    if head and _looks_like_text(head):
        key = "csv" if name.lower().endswith(".csv") else "txt"
        return Detected(key, KNOWN_TYPES[key])
    return None


def detect_upload(upload) -> Detected | None:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return detect(head, upload.name or "")


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def display_name(name: str | None) -> str:
    """The uploaded file's name as display text only: no directories, no control or path
    characters, not hidden, at most NAME_MAX_LENGTH characters (the extension kept)."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _UNSAFE.sub("_", text).strip(" .")
    if not text.strip("_ ."):
        text = "file"
    if len(text) > NAME_MAX_LENGTH:
        stem, dot, extension = text.rpartition(".")
        extension = extension[:20] if dot else ""
        keep = NAME_MAX_LENGTH - len(extension) - (1 if extension else 0)
        text = (stem or text)[:keep] + (f".{extension}" if extension else "")
    return text


def content_disposition(name: str, *, inline: bool = False) -> str:
    """An RFC 6266 header: an ASCII fallback and the UTF-8 name percent-encoded."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_name).strip() or "file"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def remove_stored_file(sender, instance, **kwargs) -> None:
    """post_delete of an Attachment: remove its file from the storage after the commit (a
    rolled-back deletion keeps it). Storage housekeeping, not a business rule."""
    from django.db import transaction

    storage, path = instance.file.storage, instance.file.name
    if path:
        transaction.on_commit(lambda: storage.delete(path))
