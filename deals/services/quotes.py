"""Commercial proposals: issued from a deal's lines as a numbered, versioned snapshot,
sent to the client's contact by e-mail (the PDF attached, an e-mail activity logged),
accepted (optionally moving the deal on to the contract stage), rejected, and expired by
the nightly run when their validity has passed."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from clients.models import ActivityKind, Contact, Direction
from clients.services import activity_log
from core import dates
from core.dates import check_planned, errors_of
from core.filters import check_date_in_range
from core.locks import lock_one, retry_on_lost_race
from deals.models import Deal, Quote, QuoteCounter, QuoteLanguage, QuoteLine, QuoteStatus, Stage, StageKind
from deals.pricing import Totals, sum_totals
from deals.quote_pdf import quote_filename, quote_pdf
from deals.rules import QUOTE_DECIDABLE, QUOTE_SENDABLE
from deals.services.checks import _ensure_can_change, _lock
from deals.services.lines import lines_block_quote
from deals.services.moves import deal_move

TERMS_MAX_LENGTH = 2000


def _next_number(year: int) -> str:
    """The year's next proposal number, taken under a lock on the year's counter row, so
    two proposals issued at once never share a number."""
    counter, _created = QuoteCounter.objects.get_or_create(year=year)
    counter = lock_one(QuoteCounter.objects, pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"Q-{year}-{counter.last:04d}"


def _quote_errors(*, deal: Deal, contact, language, valid_until, payment_terms, delivery_terms) -> dict:
    errors: dict[str, str] = {}
    if language not in QuoteLanguage.values:
        errors["language"] = _("Choose English, Russian or Chinese.")
    try:
        check_date_in_range(valid_until)
    except ValidationError as exc:
        errors["valid_until"] = exc.messages[0]
    else:
        errors.update(errors_of(check_planned, valid_until, field="valid_until"))
    if contact is not None and contact.client_id != deal.client_id:
        errors["contact"] = _("Choose a contact of the deal's client.")
    for name, text in (("payment_terms", payment_terms), ("delivery_terms", delivery_terms)):
        if len(text) > TERMS_MAX_LENGTH:
            errors[name] = _("Keep this under %(limit)s characters.") % {"limit": TERMS_MAX_LENGTH}
    return errors


@retry_on_lost_race
@transaction.atomic
def quote_create(
    *,
    by: User,
    deal: Deal,
    language: str = QuoteLanguage.EN,
    valid_until: datetime.date | None = None,
    contact: Contact | None = None,
    payment_terms: str = "",
    delivery_terms: str = "",
) -> Quote:
    """Issue a proposal (a draft) from the deal's lines: the lines and totals are copied,
    so later changes of the deal leave the proposal as it was issued."""
    current = _lock(deal, by)
    if current.stage.kind != StageKind.OPEN:
        raise ValidationError(_("The deal is closed: it issues no more proposals."))
    blocked = lines_block_quote(current)
    if blocked:
        raise ValidationError(blocked)
    valid_until = valid_until or dates.today() + datetime.timedelta(days=settings.QUOTE_VALID_DAYS)
    payment_terms, delivery_terms = (payment_terms or "").strip(), (delivery_terms or "").strip()
    errors = _quote_errors(
        deal=current,
        contact=contact,
        language=language,
        valid_until=valid_until,
        payment_terms=payment_terms,
        delivery_terms=delivery_terms,
    )
    if errors:
        raise ValidationError(errors)
    lines = list(current.lines.select_related("product"))
    totals = sum_totals(Totals(line.net, line.tax, line.gross) for line in lines)
    version = (current.quotes.aggregate(last=Max("version"))["last"] or 0) + 1
    quote = Quote(
        number=_next_number(dates.today().year),
        deal=current,
        version=version,
        client_name=current.client.name,
        contact=contact,
        contact_name=contact.name if contact else "",
        contact_email=contact.email if contact else "",
        language=language,
        valid_until=valid_until,
        payment_terms=payment_terms,
        delivery_terms=delivery_terms,
        net=totals.net,
        tax=totals.tax,
        gross=totals.gross,
        created_by=by,
    )
    quote._history_user = by
    quote.save()
    QuoteLine.objects.bulk_create(
        QuoteLine(
            quote=quote,
            position=index,
            code=line.product.code if line.product_id else "",
            name=line.name,
            unit=line.unit,
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount_percent=line.discount_percent,
            tax_rate=line.tax_rate,
            net=line.net,
            tax=line.tax,
            gross=line.gross,
        )
        for index, line in enumerate(lines, start=1)
    )
    return quote


def _lock_quote(quote: Quote, by: User, allowed: tuple[str, ...], message: str) -> Quote:
    _ensure_can_change(by, quote.deal)
    current = lock_one(Quote.objects, pk=quote.pk)
    if current.status not in allowed:
        raise ValidationError({"status": message})
    return current


def _save_status(quote: Quote, by: User, status: str, stamp: str) -> None:
    quote.status = status
    setattr(quote, stamp, timezone.now())
    quote._history_user = by
    quote.save(update_fields=["status", stamp, "updated_at"])


@transaction.atomic
def quote_send(*, by: User, quote: Quote) -> Quote:
    """E-mail the PDF to the proposal's contact and log an e-mail activity on the deal. A
    draft becomes sent; a sent proposal may be sent again. Nothing is recorded when the
    PDF cannot be made or the mail cannot go (deals.quote_pdf.PdfUnavailable, SMTP errors)."""
    current = _lock_quote(quote, by, QUOTE_SENDABLE, _("Only a draft or a sent proposal is sent."))
    if not current.contact_email:
        raise ValidationError({"contact": _("The proposal has no contact with an e-mail address.")})
    pdf = quote_pdf(current)
    with translation.override(current.language):
        subject = _("Commercial proposal %(number)s") % {"number": current.number}
        body = _("Please find attached our commercial proposal %(number)s, valid until %(date)s.") % {
            "number": current.number,
            "date": current.valid_until.isoformat(),
        }
    message = EmailMessage(
        subject=subject, body=body, to=[current.contact_email], reply_to=[by.email] if by.email else None
    )
    message.attach(quote_filename(current), pdf, "application/pdf")
    if current.status == QuoteStatus.DRAFT:
        _save_status(current, by, QuoteStatus.SENT, "sent_at")
    deal = current.deal
    activity_log(
        by=by,
        client=deal.client,
        kind=ActivityKind.EMAIL,
        direction=Direction.OUTGOING,
        contact=current.contact,
        deal=deal,
        outcome=_("Commercial proposal %(number)s sent to %(email)s.")
        % {"number": current.number, "email": current.contact_email},
    )
    message.send()
    return current


def _accepted_stage() -> Stage | None:
    return Stage.objects.filter(
        name=settings.QUOTE_ACCEPTED_STAGE, kind=StageKind.OPEN, is_active=True
    ).first()


@transaction.atomic
def quote_accept(*, by: User, quote: Quote, move_deal: bool = False) -> Quote:
    """The client accepted a sent proposal. With ``move_deal`` an open deal before the
    contract stage (settings.QUOTE_ACCEPTED_STAGE) moves there through deal_move."""
    current = _lock_quote(quote, by, QUOTE_DECIDABLE, _("Only a sent proposal is accepted."))
    _save_status(current, by, QuoteStatus.ACCEPTED, "decided_at")
    if move_deal:
        stage = _accepted_stage()
        deal = Deal.objects.select_related("stage").get(pk=current.deal_id)
        if stage is None:
            raise ValidationError({"move_deal": _("There is no contract stage to move the deal to.")})
        if deal.stage.kind == StageKind.OPEN and deal.stage.order < stage.order:
            deal_move(deal=deal, stage=stage, by=by)
    return current


@transaction.atomic
def quote_reject(*, by: User, quote: Quote) -> Quote:
    current = _lock_quote(quote, by, QUOTE_DECIDABLE, _("Only a sent proposal is rejected."))
    _save_status(current, by, QuoteStatus.REJECTED, "decided_at")
    return current


@transaction.atomic
def quotes_expire(*, today: datetime.date) -> int:
    """The nightly run: sent proposals whose validity ended before ``today`` expire.
    Running a date twice changes nothing the second time."""
    expired = 0
    for quote in (
        Quote.objects.select_for_update(of=("self",))
        .filter(status=QuoteStatus.SENT, valid_until__lt=today)
        .order_by("pk")
    ):
        quote.status = QuoteStatus.EXPIRED
        quote.decided_at = timezone.now()
        quote.save(update_fields=["status", "decided_at", "updated_at"])
        expired += 1
    return expired
