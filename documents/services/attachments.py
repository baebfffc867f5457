"""Writes to attachments: upload (checked by size and by content) and delete.

Nothing is written when a file is refused: the checks run before the file reaches the
storage, and a file whose row cannot be saved is removed again."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.visibility import get_visible_or_404
from clients.models import Client
from deals.models import Deal, Quote
from documents.files import allowed_keys, detect_upload, display_name
from documents.models import ATTACHMENT_PARENTS, Attachment, Contract
from documents.rules import may_attach_to, may_delete_attachment

PARENT_MODELS = {"client": Client, "deal": Deal, "contract": Contract, "quote": Quote}


def _parent(by: User, parents: dict):
    given = {name: value for name, value in parents.items() if value is not None}
    if len(given) != 1:
        raise ValidationError(
            {"parent": _("Attach the file to exactly one record: a client, a deal or a contract.")}
        )
    ((name, value),) = given.items()
    parent = get_visible_or_404(PARENT_MODELS[name].objects.all(), by, pk=getattr(value, "pk", value))
    if not may_attach_to(by, parent):
        raise PermissionDenied(_("You may not add files to this record."))
    return name, parent


def check_upload(upload) -> tuple[str, str]:
    """(display name, content type) of an acceptable upload; ValidationError on ``file``
    saying what is wrong: empty, over the limit, or a type not accepted (by its content)."""
    if upload is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; files up to %(limit)s are accepted.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            }
        )
    detected = detect_upload(upload)
    if detected is None or detected.key not in allowed_keys():
        raise ValidationError(
            {
                "file": _(
                    "This kind of file is not accepted (its content was checked, not its name). "
                    "Accepted: %(types)s."
                )
                % {"types": ", ".join(key.upper() for key in allowed_keys())}
            }
        )
    return display_name(upload.name), detected.content_type


def attachment_add(
    *,
    by: User,
    upload,
    client: Client | None = None,
    deal: Deal | None = None,
    contract: Contract | None = None,
    quote: Quote | None = None,
) -> Attachment:
    """Store ``upload`` on exactly one of client, deal, contract or proposal."""
    name, parent = _parent(by, {"client": client, "deal": deal, "contract": contract, "quote": quote})
    display, content_type = check_upload(upload)
    attachment = Attachment(
        name=display, content_type=content_type, size=upload.size, uploaded_by=by, **{name: parent}
    )
    attachment.file.save(display, upload, save=False)
    try:
        with transaction.atomic():
            attachment.save()
    except BaseException:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, by: User, attachment: Attachment) -> None:
    """The uploader, the record's owner, a lead of the owner's team or the head removes a
    file; a contract's signed scan stays (it is what the signature rests on)."""
    attachment = get_visible_or_404(
        Attachment.objects.select_related(*ATTACHMENT_PARENTS, "contract__deal"), by, pk=attachment.pk
    )
    if not may_delete_attachment(by, attachment):
        raise PermissionDenied(
            _("Only the uploader, the owner, their team lead or the head may delete this file.")
        )
    if Contract.objects.filter(signed_scan=attachment).exists():
        raise ValidationError(_("This file is the signed scan of a contract and cannot be deleted."))
    attachment.delete()  # its file leaves the storage on commit (documents.files.remove_stored_file)
