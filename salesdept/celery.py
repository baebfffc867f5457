import contextlib
import os

from celery import Celery
from celery.signals import beat_init, task_postrun, task_prerun

from core.request_id import reset_request_id, set_request_id

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


# In a worker, a task's log lines carry its task id where a request's carry the request id.
_request_id_tokens: dict = {}


@task_prerun.connect
def _task_request_id(task_id=None, **kwargs) -> None:
    if task_id:
        _request_id_tokens[task_id] = set_request_id(task_id)


@task_postrun.connect
def _task_request_id_done(task_id=None, **kwargs) -> None:
    token = _request_id_tokens.pop(task_id, None)
    if token is not None:
        with contextlib.suppress(ValueError):  # set in another context: nothing to restore
            reset_request_id(token)


@beat_init.connect
def _first_heartbeat(sender=None, **kwargs) -> None:
    """The beat's first heartbeat as it starts, not one interval later: a fresh deployment's
    /healthz said 503 ("no beat heartbeat recorded") for its first minute. A worker records it,
    as every heartbeat, so a beat with no worker to take its tasks still shows."""
    from django.conf import settings

    from core.tasks import beat_heartbeat

    beat_heartbeat.apply_async(expires=settings.BEAT_HEARTBEAT_SECONDS)
