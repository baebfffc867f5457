"""Every write to attachments, contracts and client requests goes through here."""

from documents.services.attachments import attachment_add, attachment_delete, check_upload
from documents.services.contracts import (
    contract_approve,
    contract_create,
    contract_delete,
    contract_return,
    contract_sign,
    contract_submit,
    contract_update,
    next_number,
)
from documents.services.requests import request_create, request_move, response_time

__all__ = [
    "attachment_add",
    "attachment_delete",
    "check_upload",
    "contract_approve",
    "contract_create",
    "contract_delete",
    "contract_return",
    "contract_sign",
    "contract_submit",
    "contract_update",
    "next_number",
    "request_create",
    "request_move",
    "response_time",
]
