"""A small client base on top of the shared department: one client per kind of owner,
each with a contact and an activity."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clients.models import Activity, Client, Contact
from tests import shared_data
from tests.factories import ActivityFactory, ClientFactory, ContactFactory


@dataclass
class Book:
    north: Client  # owned by rep_north (team North)
    north_2: Client  # owned by rep_north_2 (team North)
    south: Client  # owned by rep_south (team South)
    loner: Client  # owned by rep_without_team
    north_contact: Contact
    south_contact: Contact
    north_activity: Activity
    south_activity: Activity


def build_book(department) -> Book:
    d = department
    north = ClientFactory(name="Northwind Trading", owner=d.rep_north, tax_id="7701000001")
    north_2 = ClientFactory(name="Nordic Steel", owner=d.rep_north_2)
    south = ClientFactory(name="Southern Foods", owner=d.rep_south, tax_id="2301000002")
    loner = ClientFactory(name="Lonely Logistics", owner=d.rep_without_team)
    north_contact = ContactFactory(
        client=north, name="Olga Petrova", phone="+7 (912) 345-67-89", email="olga@northwind.example"
    )
    south_contact = ContactFactory(
        client=south, name="Ivan Sidorov", phone="+7 861 000-11-22", email="ivan@southern.example"
    )
    north_activity = ActivityFactory(
        client=north,
        owner=d.rep_north,
        contact=north_contact,
        outcome="Asked for a price list.",
        occurred_at=timezone.now() - datetime.timedelta(days=2),
    )
    south_activity = ActivityFactory(client=south, owner=d.rep_south, outcome="Discussed delivery.")
    return Book(
        north=north,
        north_2=north_2,
        south=south,
        loner=loner,
        north_contact=north_contact,
        south_contact=south_contact,
        north_activity=north_activity,
        south_activity=south_activity,
    )


shared_data.register("book", build_book, "department", module=__name__)


@pytest.fixture
def book(request, department) -> Book:
    """Built once for consecutive tests of a module that share it (tests/shared_data.py)."""
    return shared_data.value(request, "book", department)


# Who sees which of the book's clients (by Book attribute).
ALL_CLIENTS = {"north", "north_2", "south", "loner"}
CLIENTS_SEEN = {
    "head": ALL_CLIENTS,
    "analyst": ALL_CLIENTS,
    "lead_north": {"north", "north_2"},
    "lead_south": {"south"},
    "lead_without_team": set(),
    "rep_north": {"north"},
    "rep_north_2": {"north_2"},
    "rep_south": {"south"},
    "rep_without_team": {"loner"},
    "sdr_north": set(),
    "account_manager_south": set(),
    "assistant_north": {"north", "north_2"},
    "assistant_without_team": set(),
}


def csv_upload(text: str, name: str = "clients.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows: list[list], name: str = "clients.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def read_xlsx(content: bytes) -> dict[str, list[list]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets
    }
