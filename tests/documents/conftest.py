"""Helpers for the documents tests: files of known kinds, a filesystem storage in a temporary
directory (to see what is written), deals and contracts set up directly."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.models import Contract, ContractStatus
from tests.deals.conftest import make_deal, stages  # noqa: F401 (fixture)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"PE\x00\x00"
    + b"\x00" * 64
)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(name: str = "offer.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def disk(settings, tmp_path):
    """Uploaded files go to a directory of this test: what is on disk can be listed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def files_on(disk) -> list[str]:
    return sorted(str(path.relative_to(disk)) for path in disk.rglob("*") if path.is_file())


def make_contract(
    deal, *, status: str = ContractStatus.DRAFT, number: str | None = None, **extra
) -> Contract:
    return Contract.objects.create(
        deal=deal,
        number=number or f"C-T-{Contract.objects.count() + 1:04d}",
        date=timezone.localdate(),
        amount=extra.pop("amount", Decimal("1000.00")),
        status=status,
        created_by=deal.owner,
        **extra,
    )


@pytest.fixture
def north_deal(department, stages):  # noqa: F811
    return make_deal(department.rep_north, stage="Contract", amount="5000.00", title="North deal")


@pytest.fixture
def south_deal(department, stages):  # noqa: F811
    return make_deal(department.rep_south, stage="Contract", amount="700.00", title="South deal")
