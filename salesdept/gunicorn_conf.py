"""gunicorn's settings for the web process (deploy/start-web.sh, ``make load``): the command
line there names the address, workers and logs; this file sets each worker's threads and how
long a connection is kept alive, and makes the master load the app and warm it up once before
it forks its workers (core/warmup.py)."""

import gc
import os

preload_app = True
# Threads per worker process (WEB_THREADS): with more than one, gunicorn runs its gthread
# worker, which keeps connections open between requests.
threads = int(os.environ.get("WEB_THREADS", "4"))
# How long a kept-alive connection waits for its next request: longer than a proxy's or a
# client's idle connections (60 s is the usual default), so the server is never the one that
# closes a connection just as a request is sent on it (the client sees that request fail; with
# gunicorn's default of 2 s, one or two of `make load`'s 560 requests did, their users waiting
# 1-5 s between requests).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))


def when_ready(server):
    """In the master, after the app is loaded and before the first worker is forked."""
    from core.warmup import warm_up

    # A request allocates tens of thousands of objects, nearly all freed by reference counting:
    # the default collector (a pass every 700 allocations) spent about 5 % of a page's CPU
    # finding little. The workers inherit these thresholds with the warmed-up state.
    gc.set_threshold(50_000, 20, 100)
    done = warm_up()
    server.log.info("warmed up before forking: %s", done)
