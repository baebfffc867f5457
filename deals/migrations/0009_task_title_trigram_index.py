"""The global search's task kind (deals.search.find_tasks) matches task titles with
icontains: a pg_trgm GIN index on that expression, on PostgreSQL only (as in 0005)."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "task_title_trgm" ON "clients_task" '
        'USING gin ((UPPER("title"::text)) gin_trgm_ops)'
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "task_title_trgm"')


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0007_day_settings"),
        ("deals", "0008_merge_products_warnings"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
