"""A contract's history reads in the reader's language whoever wrote it: the steps are kept in
English (documents/history.py) and translated when shown; documents 0003 puts the steps kept
in Russian or Chinese back into English."""

import pytest
from django.utils import translation

from documents.services import contract_create, contract_submit
from tests.migration_support import run_data_migration

pytestmark = pytest.mark.django_db

MIGRATION = "documents.migrations.0003_contract_history_reasons_in_english"


def drafted_and_submitted(department, deal, language):
    with translation.override(language):
        contract = contract_create(by=department.rep_north, deal=deal, number=f"C-{language}-1")
        contract_submit(by=department.rep_north, contract=contract)
    return contract


def reasons(contract):
    return list(
        contract.history.order_by("history_date", "history_id").values_list(
            "history_change_reason", flat=True
        )
    )


def test_a_step_written_in_russian_reads_in_chinese(department, north_deal, client):
    contract = drafted_and_submitted(department, north_deal, "ru")
    assert reasons(contract) == ["Drafted", "Submitted version 1"]  # kept in English
    client.force_login(department.head)
    with translation.override("zh-hans"):
        page = client.get(
            f"/documents/contracts/{contract.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content.decode()
    assert "已起草" in page and "已提交第 1 版" in page
    assert "Drafted" not in page and "Создан черновик" not in page


def test_the_migration_puts_steps_kept_in_russian_or_chinese_into_english(department, north_deal):
    first = drafted_and_submitted(department, north_deal, "en")
    second = contract_create(by=department.rep_north, deal=north_deal, number="C-2")
    kept = {
        first: ["Создан черновик", "已提交第 1 版"],
        second: ["Создан черновик"],  # the same reason on two contracts
    }
    for contract, written in kept.items():
        history = contract.history.order_by("history_date", "history_id")
        for entry, reason in zip(history, written, strict=True):
            type(entry).objects.filter(pk=entry.pk).update(history_change_reason=reason)
    resubmitted = first.history.model.objects.filter(pk=first.history.latest("history_id").pk)
    resubmitted.update(history_change_reason="Отправлена версия 12")
    mine = second.history.model.objects.filter(pk=second.history.latest("history_id").pk)
    run_data_migration(MIGRATION, "_in_english")
    assert reasons(first) == ["Drafted", "Submitted version 12"]
    assert reasons(second) == ["Drafted"]
    mine.update(history_change_reason="Signed by hand")  # a reason no step writes stays as written
    run_data_migration(MIGRATION, "_in_english")
    assert reasons(second) == ["Signed by hand"]
