"""Events the targets app announces to the layers above it.

``installment_changed`` is sent explicitly by the receivables services (never from a
model's save) after an installment's due date, amount or paid sum changed, with the ids
of the installments concerned: ``installment_ids``. reports, which keeps the overdue
alerts and sits above targets, connects a receiver in its AppConfig.ready(), so an alert
follows a rescheduled or paid installment at once instead of the next night."""

from django.dispatch import Signal

installment_changed = Signal()

# ``payment_recorded`` — ``payment_id`` of a payment just recorded (sent by payment_record).
payment_recorded = Signal()
