"""Trigram indexes for the global search (deals.search), on PostgreSQL only.

Django's ``icontains`` on PostgreSQL reads ``UPPER(col::text) LIKE UPPER('%term%')``, so each
index is a pg_trgm GIN index on exactly that expression: a fragment of a name is then found
through the index instead of scanning the table. SQLite (the embedded default) has neither
pg_trgm nor GIN: there the migration does nothing and the same lookups scan, which is fine at
its sizes. The indexes are not in the models' Meta (they could not be created on SQLite), so
they are created here with raw SQL and the migration state does not change."""

from django.db import migrations

# (index name, table, column): the columns deals.search matches with icontains.
SEARCH_INDEXES = [
    ("client_name_trgm", "clients_client", "name"),
    ("client_legal_name_trgm", "clients_client", "legal_name"),
    ("client_tax_id_trgm", "clients_client", "tax_id"),
    ("client_phone_trgm", "clients_client", "phone"),
    ("contact_name_trgm", "clients_contact", "name"),
    ("contact_phone_trgm", "clients_contact", "phone"),
    ("contact_email_trgm", "clients_contact", "email"),
    ("deal_title_trgm", "deals_deal", "title"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension is created here rather than with TrigramExtension(), whose reverse queries
    # pg_extension on any database (going back past this migration failed on SQLite); going
    # back leaves the extension in place.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in SEARCH_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in SEARCH_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0003_indexes_for_lists_and_next_steps"),
        ("deals", "0004_index_for_newest_first"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
