"""The web process's warm-up (core/warmup.py, run by salesdept/gunicorn_conf.py in gunicorn's
master before it forks): every template of the project compiled, no database touched."""

import gc

import pytest
from django.template import engines

from core.warmup import form_template_names, project_template_names, warm_up
from salesdept import gunicorn_conf


@pytest.fixture
def unfreeze():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_the_project_templates_are_ours_and_those_the_tables_use():
    names = project_template_names()

    assert "base.html" in names
    assert "deals/deal_list.html" in names
    assert "partials/table.html" in names
    assert "django_tables2/table.html" in names
    assert not [name for name in names if name.startswith(("django_filters/", "admin/", "rest_framework/"))]
    assert "django/forms/widgets/select.html" in form_template_names()


def test_the_warm_up_compiles_every_template_and_reads_no_database(unfreeze):
    # no django_db mark: a query (or a connection) here fails the test
    done = warm_up()

    assert done == {
        "languages": 3,
        "templates": len(project_template_names()),
        "form_templates": len(form_template_names()),
    }
    assert gc.get_freeze_count() > 0
    cached = engines["django"].engine.template_loaders[0]
    assert type(cached).__name__ == "Loader" and "cached" in type(cached).__module__
    assert {"base.html", "deals/deal_list.html", "partials/table.html"} <= set(cached.get_template_cache)


def test_gunicorns_master_warms_up_before_it_forks(unfreeze):
    logged = []

    class Server:
        class log:
            @staticmethod
            def info(message, *args):
                logged.append(message % args)

    gunicorn_conf.when_ready(Server)

    assert gunicorn_conf.preload_app is True
    assert gc.get_threshold() == (50_000, 20, 100)
    assert logged == [
        "warmed up before forking: "
        f"{{'languages': 3, 'templates': {len(project_template_names())}, "
        f"'form_templates': {len(form_template_names())}}}"
    ]
