"""A client's history reads in the reader's language whoever wrote it: its change reasons are
kept in English (clients/history.py, core.reasons) and translated on the client page; clients
0008 puts the reasons kept in Russian or Chinese back into English."""

import pytest
from django.utils import translation

from accounts.handover import book_hand_over
from clients import services
from core.reasons import KeptReasons
from tests.factories import ClientFactory
from tests.migration_support import run_data_migration

pytestmark = pytest.mark.django_db

MIGRATION = "clients.migrations.0008_client_history_reasons_in_english"


def reasons(client):
    return list(
        client.history.order_by("history_date", "history_id")
        .exclude(history_change_reason=None)
        .values_list("history_change_reason", flat=True)
    )


def page(http, viewer, client, language):
    http.force_login(viewer)
    with translation.override(language):
        return http.get(f"/clients/{client.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_reassignment_made_in_russian_reads_in_chinese(department, client):
    acme = ClientFactory(name="Acme", owner=department.rep_north)
    with translation.override("ru"):
        services.client_reassign(by=department.lead_north, client=acme, owner=department.rep_north_2)
    assert reasons(acme) == ["Reassigned"]  # kept in English
    shown = page(client, department.head, acme, "zh-hans")
    assert " · 已重新分配</div>" in shown
    assert "Сменён ответственный" not in shown and "Reassigned<" not in shown


def test_a_hand_over_made_in_chinese_reads_in_russian_with_the_names(department, client):
    acme = ClientFactory(name="Acme", owner=department.rep_north)
    with translation.override("zh-hans"):
        book_hand_over(by=department.lead_north, owner=department.rep_north, to=[department.rep_north_2.pk])
    giver, receiver = department.rep_north.full_name, department.rep_north_2.full_name
    assert reasons(acme) == [f"Hand-over from {giver} to {receiver}"]
    shown = page(client, department.head, acme, "ru")
    assert f" · Передача от {giver} к {receiver}</div>" in shown


def test_a_merge_reads_in_the_readers_language(department, client):
    survivor = ClientFactory(name="Acme", owner=department.rep_north)
    duplicate = ClientFactory(name="ACME Ltd", owner=department.rep_north)
    with translation.override("ru"):
        services.client_merge(by=department.lead_north, survivor=survivor, duplicate=duplicate)
    assert reasons(survivor) == [f"Merged from #{duplicate.pk} ACME Ltd"]
    assert f" · 由 #{duplicate.pk} ACME Ltd 合并而来</div>" in page(
        client, department.head, survivor, "zh-hans"
    )


def test_the_migration_puts_reasons_kept_in_russian_or_chinese_into_english(department):
    acme = ClientFactory(name="Acme", owner=department.rep_north)
    services.client_reassign(by=department.lead_north, client=acme, owner=department.rep_north_2)
    services.client_reassign(by=department.lead_north, client=acme, owner=department.rep_north)
    services.client_reassign(by=department.lead_north, client=acme, owner=department.rep_north_2)
    services.client_reassign(by=department.lead_north, client=acme, owner=department.rep_north)
    written = [
        "Сменён ответственный",
        "由 Ann Lee 移交给 Bo Chen",
        "Передача от Ann Lee к Bo Chen",
        "by hand",
    ]
    history = acme.history.order_by("history_date", "history_id").exclude(history_change_reason=None)
    for entry, reason in zip(history, written, strict=True):
        type(entry).objects.filter(pk=entry.pk).update(history_change_reason=reason)
    run_data_migration(MIGRATION, "_in_english")
    assert reasons(acme) == [
        "Reassigned",
        "Hand-over from Ann Lee to Bo Chen",
        "Hand-over from Ann Lee to Bo Chen",
        "by hand",  # a reason no change writes stays as written
    ]


def test_a_reason_the_set_does_not_know_is_shown_as_kept():
    kept = KeptReasons("Signed", "Submitted version %(version)s")
    with translation.override("ru"):
        assert kept.shown("Signed") == "Подписан"
        assert kept.shown("Submitted version 3") == "Отправлена версия 3"
        assert kept.shown("signed") == "signed"  # not the msgid: a reason someone typed
        assert kept.shown("Version 3 submitted") == "Version 3 submitted"
        assert kept.shown(None) == "" and kept.shown("") == ""
