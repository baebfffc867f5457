from celery import shared_task

from integrations.services import DELIVER_TASK, webhook_deliver


@shared_task(name=DELIVER_TASK, acks_late=True, ignore_result=True)
def deliver(delivery_id: int) -> str:
    """One attempt at one webhook delivery (the service queues the retry itself)."""
    return webhook_deliver(delivery_id=delivery_id)
