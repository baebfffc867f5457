"""Carry the keys of rest_framework.authtoken over to ApiToken, so existing API clients keep
working: each key is stored as its SHA-256, expiring API_TOKEN_TTL_DAYS from now, and the
plain-text keys are then deleted from the old table.

rest_framework.authtoken is no longer installed, so its table is read with plain SQL and only
if it exists (a new database never had it). The emptied table is left in place: authtoken's
rows in django_migrations still describe it, and dropping it is the lead's choice."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def copy_authtoken_keys(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    quoted = connection.ops.quote_name(OLD_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id FROM {quoted}")
        rows = cursor.fetchall()
    expires_at = timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS)
    ApiToken.objects.using(connection.alias).bulk_create(
        [
            ApiToken(
                user_id=user_id,
                name="API sign-in",
                key_hash=hashlib.sha256(key.encode()).hexdigest(),
                key_prefix=key[:8],
                expires_at=expires_at,
            )
            for key, user_id in rows
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quoted}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_api_token")]

    operations = [migrations.RunPython(copy_authtoken_keys, migrations.RunPython.noop)]
