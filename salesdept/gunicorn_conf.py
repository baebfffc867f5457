"""gunicorn's settings for the web process (deploy/start-web.sh, ``make load``): the command
line there names the address, workers and logs; this file makes the master load the app and
warm it up once before it forks its workers (core/warmup.py)."""

import gc

preload_app = True


def when_ready(server):
    """In the master, after the app is loaded and before the first worker is forked."""
    from core.warmup import warm_up

    # A request allocates tens of thousands of objects, nearly all freed by reference counting:
    # the default collector (a pass every 700 allocations) spent about 5 % of a page's CPU
    # finding little. The workers inherit these thresholds with the warmed-up state.
    gc.set_threshold(50_000, 20, 100)
    done = warm_up()
    server.log.info("warmed up before forking: %s", done)
