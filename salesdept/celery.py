import os

from celery import Celery

# `celery -A salesdept` and anything else that imports the package without a settings module
# gets the laptop's settings, as manage.py does. The package imports this app first, so the
# production entry point (wsgi.py) reads SETTINGS_DEFAULTED to tell "the operator chose" from
# "we chose local here".
SETTINGS_DEFAULTED = not os.environ.get("DJANGO_SETTINGS_MODULE")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesdept.settings.local")

app = Celery("salesdept")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="salesdept.ping")
def ping() -> str:
    """Round-trip check used by tests and operators to see a worker answer."""
    return "pong"
