"""Events the reports app announces to the layers above it.

``alert_escalated`` — ``alert_ids`` of the overdue alerts the nightly refresh escalated (each
alert once: an alert escalates once, and a second run of the same day escalates nothing new).
Receivers that act outside the database wait for the commit."""

from django.dispatch import Signal

alert_escalated = Signal()
