"""The search's pg_trgm GIN indexes (0005, 0009) without a pending list, on PostgreSQL only.

A GIN index's ``fastupdate`` (on by default) parks new entries in an unsorted pending list
that only VACUUM (or the list outgrowing ``gin_pending_list_limit``) merges into the index;
every search reads the whole list. With bulk-loaded rows and no vacuum yet (autovacuum off,
or not yet come round) the list held nearly all of the 45,000 contacts: the planner priced
each index scan above a sequential scan and chose the scan (130 ms per search at department
scale instead of a few). Turning ``fastupdate`` off writes each row's trigrams straight into
the index (a search-heavy table pays a little more per insert) and the current lists are
merged here, so a search's cost no longer depends on when the last VACUUM ran."""

from django.db import migrations

TRIGRAM_INDEXES = [
    "client_name_trgm",
    "client_legal_name_trgm",
    "client_tax_id_trgm",
    "client_phone_trgm",
    "contact_name_trgm",
    "contact_phone_trgm",
    "contact_email_trgm",
    "deal_title_trgm",
    "task_title_trgm",
]


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'ALTER INDEX IF EXISTS "{name}" SET (fastupdate = off)')
        schema_editor.execute(
            "SELECT gin_clean_pending_list(%s::regclass) WHERE to_regclass(%s) IS NOT NULL", [name, name]
        )


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'ALTER INDEX IF EXISTS "{name}" RESET (fastupdate)')


class Migration(migrations.Migration):
    dependencies = [
        ("deals", "0009_task_title_trigram_index"),
        ("deals", "0011_lost_reasons"),
    ]

    operations = [migrations.RunPython(without_pending_list, with_pending_list, elidable=False)]
