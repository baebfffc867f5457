import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesdept.settings.base")

app = Celery("salesdept")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="salesdept.ping")
def ping() -> str:
    """Round-trip check used by tests and operators to see a worker answer."""
    return "pong"
