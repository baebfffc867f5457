"""The documents settings: attachments on the filesystem by default and in S3-compatible
storage (django-storages) when production names a bucket; the limits from the environment."""

from tests.salesdept.test_settings import run_python

PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789",
    "ALLOWED_HOSTS": "crm.example.com",
    "DATABASE_URL": "postgres://u:p@db:5432/crm",
}
SHOW = "import salesdept.settings.production as s; print(s.STORAGES['default']['BACKEND']);"


def test_production_keeps_files_on_the_filesystem_without_a_bucket():
    result = run_python(SHOW, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.files.storage.FileSystemStorage"]


def test_production_stores_files_in_the_named_bucket_privately():
    result = run_python(
        SHOW + "o = s.STORAGES['default']['OPTIONS'];"
        "print(o['bucket_name'], o['endpoint_url'], o['default_acl'],"
        " o['querystring_auth'], o['file_overwrite'])",
        AWS_STORAGE_BUCKET_NAME="crm-files",
        AWS_S3_ENDPOINT_URL="https://s3.example.com",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3.S3Storage",
        "crm-files",
        "https://s3.example.com",
        "private",
        "True",
        "False",
    ]


def test_the_limits_come_from_the_environment():
    result = run_python(
        "import salesdept.settings.base as s;"
        "print(s.ATTACHMENT_MAX_BYTES, ','.join(s.ATTACHMENT_ALLOWED_TYPES), s.CONTRACT_REQUIRED_TO_WIN)",
        ATTACHMENT_MAX_BYTES="1000",
        ATTACHMENT_ALLOWED_TYPES="pdf,png",
        CONTRACT_REQUIRED_TO_WIN="block",
    )
    assert result.stdout.split() == ["1000", "pdf,png", "block"]
    defaults = run_python(
        "import salesdept.settings.base as s;"
        "print(s.ATTACHMENT_MAX_BYTES, ','.join(s.ATTACHMENT_ALLOWED_TYPES), s.CONTRACT_REQUIRED_TO_WIN)"
    )
    assert defaults.stdout.split() == [str(20 * 1024 * 1024), "pdf,png,jpeg,docx,xlsx,txt,csv", "warn"]
