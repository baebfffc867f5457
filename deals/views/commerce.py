"""The deal page's lines and proposals panel (htmx: each action answers the whole panel,
totals included, and the deal's amount out of band) and the proposal's page, PDF, send,
accept and reject."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.visibility import get_visible_or_404
from core.errors import Conflict
from core.forms import apply_service_errors
from core.http import safe_next
from deals import services
from deals.forms import DealLineForm, DiscountDecisionForm, QuoteAcceptForm, QuoteForm
from deals.models import Deal, DealLine, StageKind
from deals.quote_pdf import PdfUnavailable, quote_document_html, quote_filename, quote_pdf
from deals.rules import can_approve_discount, may_change_deal, may_decide_quote, may_send_quote
from deals.selectors.commerce import deal_lines, deal_quotes, lines_totals, quote_detail

PANEL = "deals/partials/commerce_panel.html"


def commerce_context(request, deal: Deal, **extra) -> dict:
    """What the lines and proposals panel shows of ``deal`` to the user."""
    lines = deal_lines(deal=deal)
    writable = may_change_deal(request.user, deal) and deal.stage.kind == StageKind.OPEN
    context = {
        "deal": deal,
        "lines": lines,
        "totals": lines_totals(lines),
        "quotes": deal_quotes(deal=deal),
        "lines_writable": writable,
        "can_approve": can_approve_discount(request.user, deal),
        "quote_blocked": services.lines_block_quote(deal) if writable else None,
    }
    if writable:
        context["line_form"] = DealLineForm()
        context["quote_form"] = QuoteForm(deal=deal)
    return context | extra


def _deal(request, pk) -> Deal:
    return get_visible_or_404(Deal.objects.select_related("client", "stage", "owner"), request.user, pk=pk)


def _line(request, pk) -> DealLine:
    return get_visible_or_404(
        DealLine.objects.select_related("deal__client", "deal__stage", "deal__owner", "product"),
        request.user,
        pk=pk,
    )


def _answer(request, deal: Deal, status: int, notice: str = "", **extra):
    """htmx: the panel (400 with the form's errors); otherwise back to the deal page."""
    if not request.htmx:
        if status == 200:
            messages.success(request, notice)
        else:
            errors = [str(e) for form in extra.values() if hasattr(form, "errors") for e in _all_errors(form)]
            messages.error(request, " ".join(errors) or _("The change was not saved."))
        return redirect("deals:detail", pk=deal.pk)
    deal.refresh_from_db()
    context = commerce_context(request, deal, notice=notice if status == 200 else "", **extra)
    context["oob"] = status == 200
    return render(request, PANEL, context, status=status)


def _all_errors(form) -> list[str]:
    return [error for errors in form.errors.values() for error in errors]


@login_required
@require_GET
def commerce_panel(request, pk):
    return render(request, PANEL, commerce_context(request, _deal(request, pk)))


@login_required
@require_POST
def line_add(request, pk):
    deal = _deal(request, pk)
    form = DealLineForm(request.POST)
    if form.is_valid():
        try:
            line = services.deal_line_add(by=request.user, deal=deal, **form.values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            notice = _("Line added.")
            if line.needs_decision:
                notice = _("Line added: the discount awaits the team lead's approval.")
            return _answer(request, deal, 200, notice)
    return _answer(request, deal, 400, line_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request, pk):
    line = _line(request, pk)
    deal = line.deal
    form = DealLineForm(request.POST or None, line=line)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.deal_line_update(by=request.user, line=line, data=form.values())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return _answer(request, deal, 200, _("Line saved."))
        return _answer(request, deal, 400, editing=line.pk, edit_form=form)
    return render(request, PANEL, commerce_context(request, deal, editing=line.pk, edit_form=form))


@login_required
@require_POST
def line_delete(request, pk):
    line = _line(request, pk)
    try:
        services.deal_line_delete(by=request.user, line=line)
    except ValidationError as exc:
        return _answer(request, line.deal, 400, error=" ".join(exc.messages))
    return _answer(request, line.deal, 200, _("Line removed."))


@login_required
@require_POST
def line_decide(request, pk, decision):
    """Approve or refuse from the deal's panel (htmx) or from the home's list of discounts
    awaiting approval (a plain form that carries ``next`` back to the home)."""
    line = _line(request, pk)
    seen = DiscountDecisionForm(request.POST)
    try:
        if not seen.is_valid():
            raise ValidationError(seen.errors["discount_percent"])
        services.deal_line_decide(
            by=request.user,
            line=line,
            approve=decision == "approve",
            discount_percent=seen.cleaned_data["discount_percent"],
        )
    except (ValidationError, Conflict) as exc:
        # a conflict (the discount changed meanwhile) shows the line as it is now, to decide again
        text = exc.message if isinstance(exc, Conflict) else " ".join(exc.messages)
        if not request.htmx and request.POST.get("next"):
            messages.error(request, text)
            return redirect(safe_next(request, reverse("deals:detail", args=[line.deal_id])))
        return _answer(request, line.deal, 409 if isinstance(exc, Conflict) else 400, error=text)
    notice = _("Discount approved.") if decision == "approve" else _("Discount refused.")
    if not request.htmx and request.POST.get("next"):
        messages.success(request, notice)
        return redirect(safe_next(request, reverse("deals:detail", args=[line.deal_id])))
    return _answer(request, line.deal, 200, notice)


@login_required
@require_POST
def quote_create(request, pk):
    deal = _deal(request, pk)
    form = QuoteForm(request.POST, deal=deal)
    if form.is_valid():
        try:
            quote = services.quote_create(by=request.user, deal=deal, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            notice = _("Proposal %(number)s issued.") % {"number": quote.number}
            return _answer(request, deal, 200, notice)
    return _answer(request, deal, 400, quote_form=form)


# --- the proposal's page -------------------------------------------------------------------


def _quote_page(request, quote, *, status=200, **extra):
    sendable = may_send_quote(request.user, quote)
    context = {
        "quote": quote,
        "document": quote_document_html(quote),
        "can_send": sendable and bool(quote.contact_email),
        "no_recipient": sendable and not quote.contact_email,  # said why, instead of a button that fails
        "can_decide": may_decide_quote(request.user, quote),
        "accept_form": QuoteAcceptForm(),
    } | extra
    return render(request, "deals/quotes/quote_detail.html", context, status=status)


@login_required
@require_GET
def quote_page(request, pk):
    return _quote_page(request, quote_detail(viewer=request.user, pk=pk))


@login_required
@require_GET
def quote_pdf_view(request, pk):
    quote = quote_detail(viewer=request.user, pk=pk)
    try:
        pdf = quote_pdf(quote)
    except PdfUnavailable as exc:
        return _quote_page(request, quote, status=503, error=str(exc))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{quote_filename(quote)}"'
    return response


@login_required
@require_POST
def quote_action(request, pk, action):
    quote = quote_detail(viewer=request.user, pk=pk)
    try:
        if action == "send":
            services.quote_send(by=request.user, quote=quote)
            notice = _("Proposal sent to %(email)s.") % {"email": quote.contact_email}
        elif action == "accept":
            form = QuoteAcceptForm(request.POST)
            move = form.is_valid() and form.cleaned_data["move_deal"]
            services.quote_accept(by=request.user, quote=quote, move_deal=move)
            notice = _("Proposal accepted.")
        else:
            services.quote_reject(by=request.user, quote=quote)
            notice = _("Proposal rejected.")
    except PdfUnavailable as exc:
        return _quote_page(request, quote, status=503, error=str(exc))
    except ValidationError as exc:
        return _quote_page(request, quote, status=400, error=" ".join(exc.messages))
    messages.success(request, notice)
    return redirect("deals:quote", pk=quote.pk)
