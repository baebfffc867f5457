"""Events the deals app announces to the layers above it (sent by its services, never from a
model's save).

``deal_changed`` — ``deal_id`` and ``event``: "created", "updated", "moved", "won" or
"lost" (a move to a won or lost stage is "won"/"lost", any other move "moved"). Receivers
that act outside the database wait for the commit."""

from django.dispatch import Signal

deal_changed = Signal()
