"""Events the clients app announces to the layers above it (sent by its services, never
from a model's save).

``client_changed`` — ``client_id`` and ``event``: "created", "updated" or "merged" (the
survivor of a merge). Receivers that act outside the database wait for the commit."""

from django.dispatch import Signal

client_changed = Signal()
