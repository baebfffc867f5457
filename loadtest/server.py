"""The app ``make load`` serves: the production entry point (salesdept.wsgi) with the CPU
time of each request noted by the name the load mix gives it.

Locust names each request in the ``X-Load-Request`` header (loadtest/locustfile.py); with
``LOAD_CPU_LOG`` set to a file, each request appends a line ``<name> <CPU ms>`` to it: the
CPU time of the thread that served it (``time.thread_time``), from the WSGI call to the
rendered response, so the threads of one worker do not count each other's time.
loadtest/run.py reads the file into the per-request table it prints. Without the variable
this is the production app as is."""

from __future__ import annotations

import os
import time

from salesdept.wsgi import application as django_application

LOG = os.environ.get("LOAD_CPU_LOG", "")
HEADER = "HTTP_X_LOAD_REQUEST"


def noting_cpu(environ, start_response):
    started = time.thread_time()
    try:
        return django_application(environ, start_response)
    finally:
        note(environ.get(HEADER, ""), 1000 * (time.thread_time() - started))


def note(name: str, milliseconds: float) -> None:
    """One line ``<name> <CPU ms>``; the name kept to letters, digits and spaces (as ``_``)."""
    name = "".join(letter for letter in name if letter.isalnum() or letter == " ")
    line = f"{(name or 'unnamed').replace(' ', '_')[:40]} {milliseconds:.3f}\n".encode()
    # one write on a descriptor opened for appending: each line lands whole, whichever of the
    # workers' threads writes it
    try:
        descriptor = os.open(LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except OSError:  # the run is over and its directory gone: the answer still goes out
        return
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)


application = noting_cpu if LOG else django_application
