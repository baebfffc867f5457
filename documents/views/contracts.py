"""Contract pages: the list (filters, sorting, CSV/XLSX export), the contract page with its
review actions, the create/edit form, the deal page's contracts panel and the
"awaiting your review" panel (home page and board)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.visibility import get_visible_or_404
from core.exports import EXPORT_FORMATS
from core.filters import parse_id
from core.forms import apply_service_errors, edit_page, remember_shown_values
from core.http import filter_query
from core.money import money
from core.tables import export_table, table_for_request
from deals.models import Deal
from documents import services
from documents.filters import ContractFilter
from documents.forms import ContractForm, ReviewCommentForm, SignForm
from documents.models import Contract, ContractStatus
from documents.rules import (
    contracts_awaiting_review,
    may_add_contract,
    may_review_contract,
    may_write_contract,
)
from documents.selectors import contract_detail, contract_history, contract_list, contract_list_totals
from documents.tables import ContractTable

LIST_PAGE_SIZE = 50
REVIEW_PANEL_SIZE = 10


@login_required
@require_GET
def contract_list_page(request):
    base = contract_list(viewer=request.user)
    filterset = ContractFilter(request.GET, queryset=base, request=request)
    contracts = filterset.qs if filterset.is_valid() else base.none()
    export_format = request.GET.get("export")
    if export_format in EXPORT_FORMATS:
        return export_table(ContractTable, request, contracts, export_format)
    totals = contract_list_totals(
        viewer=request.user,
        query=filter_query(request),
        compute=lambda: contracts.order_by().aggregate(count=Count("pk"), amount=Sum("amount")),
    )
    table = table_for_request(
        ContractTable, request, contracts, per_page=LIST_PAGE_SIZE, count=totals["count"]
    )
    return render(
        request,
        "documents/contract_list.html",
        {
            "filter": filterset,
            "table": table,
            "total_count": totals["count"],
            "total_amount": money(totals["amount"]),
        },
    )


def _detail_context(request, contract: Contract, **forms_) -> dict:
    user = request.user
    writer = may_write_contract(user, contract)
    reviewer = may_review_contract(user, contract) and contract.status == ContractStatus.SUBMITTED
    context = {
        "contract": contract,
        "history": contract_history(contract),
        "can_edit": writer and contract.status in (ContractStatus.DRAFT, ContractStatus.RETURNED),
        "can_submit": writer and contract.status in (ContractStatus.DRAFT, ContractStatus.RETURNED),
        "can_delete": writer and contract.status == ContractStatus.DRAFT,
        "can_review": reviewer,
        "can_sign": writer and contract.status == ContractStatus.APPROVED,
    }
    if reviewer:
        context["approve_form"] = forms_.get("approve_form") or ReviewCommentForm(prefix="approve")
        context["return_form"] = forms_.get("return_form") or ReviewCommentForm(prefix="return")
    if context["can_sign"]:
        context["sign_form"] = forms_.get("sign_form") or SignForm(contract=contract)
    context["action_error"] = forms_.get("action_error", "")
    return context


def render_contract_page(request, pk, *, status: int = 200, **forms_):
    contract = contract_detail(viewer=request.user, pk=pk)
    return render(
        request, "documents/contract_detail.html", _detail_context(request, contract, **forms_), status=status
    )


@login_required
@require_GET
def contract_page(request, pk: int):
    return render_contract_page(request, pk)


def _deal_for_new_contract(request) -> Deal:
    deal_id = parse_id(request.GET.get("deal") or request.POST.get("deal"))
    if deal_id is None:
        raise ValidationError(_("Open a deal and add its contract from there."))
    return get_visible_or_404(Deal.objects.select_related("client", "owner"), request.user, pk=deal_id)


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request):
    try:
        deal = _deal_for_new_contract(request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("documents:contract_list")
    if not may_add_contract(request.user, deal):
        raise PermissionDenied(_("You may not add a contract to this deal."))
    initial = {"number": services.next_number(), "amount": deal.amount, "date": timezone.localdate()}
    if deal.service_start:
        initial["start_date"] = deal.service_start
    if deal.service_end:
        initial["end_date"] = deal.service_end
    form = ContractForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(by=request.user, deal=deal, **form.values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Contract %(number)s drafted.") % {"number": contract.number})
            return redirect("documents:contract_detail", pk=contract.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "documents/contract_form.html", {"form": form, "deal": deal, "contract": None}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request, pk: int):
    contract = contract_detail(viewer=request.user, pk=pk)
    if not may_write_contract(request.user, contract):
        raise PermissionDenied(_("You may not change this contract."))
    fields = ["number", "date", "start_date", "end_date", "term_months", "amount", "special_clauses"]

    def form_over(record, data):
        form = ContractForm(data, initial={name: getattr(record, name) for name in fields})
        remember_shown_values(form)  # a save writes only what the user changed
        return form

    return edit_page(
        request,
        form_over(contract, request.POST or None),
        values=lambda form: form.values(),
        save=lambda edits, shown: services.contract_update(
            by=request.user, contract=contract, shown=shown, **edits
        ),
        reopen=lambda data: form_over(contract_detail(viewer=request.user, pk=pk), data),
        done=reverse("documents:contract_detail", args=[contract.pk]),
        template="documents/contract_form.html",
        context={"deal": contract.deal, "contract": contract},
        saved=_("Contract saved."),
    )


def _act(request, pk: int, run, done: str, form_name: str | None = None, form=None):
    """Run a review action; on success back to the contract page with a message, else the
    page again with the form's (or the action's) error and 400."""
    contract = get_visible_or_404(Contract.objects.all(), request.user, pk=pk)
    if form is not None and not form.is_valid():
        return render_contract_page(request, pk, status=400, **{form_name: form})
    try:
        run(contract)
    except ValidationError as exc:
        if form is not None:
            apply_service_errors(form, exc)
            return render_contract_page(request, pk, status=400, **{form_name: form})
        return render_contract_page(request, pk, status=400, action_error=" ".join(exc.messages))
    messages.success(request, done)
    return redirect("documents:contract_detail", pk=pk)


@login_required
@require_POST
def contract_submit(request, pk: int):
    return _act(
        request,
        pk,
        lambda contract: services.contract_submit(by=request.user, contract=contract),
        _("Contract submitted for review."),
    )


@login_required
@require_POST
def contract_approve(request, pk: int):
    form = ReviewCommentForm(request.POST, prefix="approve")
    return _act(
        request,
        pk,
        lambda contract: services.contract_approve(
            by=request.user, contract=contract, comment=form.cleaned_data["comment"]
        ),
        _("Contract approved."),
        "approve_form",
        form,
    )


@login_required
@require_POST
def contract_return(request, pk: int):
    form = ReviewCommentForm(request.POST, prefix="return")
    return _act(
        request,
        pk,
        lambda contract: services.contract_return(
            by=request.user, contract=contract, comment=form.cleaned_data["comment"]
        ),
        _("Contract returned with your comment."),
        "return_form",
        form,
    )


@login_required
@require_POST
def contract_sign(request, pk: int):
    contract = get_visible_or_404(Contract.objects.all(), request.user, pk=pk)
    form = SignForm(request.POST, contract=contract)
    return _act(
        request,
        pk,
        lambda current: services.contract_sign(
            by=request.user, contract=current, scan=form.cleaned_data["scan"]
        ),
        _("Contract signed."),
        "sign_form",
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_delete(request, pk: int):
    contract = contract_detail(viewer=request.user, pk=pk)
    if request.method == "GET":
        return render(request, "documents/contract_confirm_delete.html", {"contract": contract})
    deal_pk = contract.deal_id
    try:
        services.contract_delete(by=request.user, contract=contract)
    except ValidationError as exc:
        return render_contract_page(request, pk, status=400, action_error=" ".join(exc.messages))
    messages.success(request, _("Contract deleted."))
    return redirect("deals:detail", pk=deal_pk)


@login_required
@require_GET
def deal_contracts_panel(request, deal_id: int):
    """The Contracts card of the deal page (404 when the deal is hidden)."""
    deal = get_visible_or_404(Deal.objects.select_related("owner"), request.user, pk=deal_id)
    contracts = contract_list(viewer=request.user).filter(deal=deal)
    return render(
        request,
        "documents/partials/deal_contracts.html",
        {"deal": deal, "contracts": contracts, "can_add": may_add_contract(request.user, deal)},
    )


@login_required
@require_GET
def review_panel(request):
    """Contracts awaiting the viewer's review (the lead's and the head's home, the board)."""
    waiting = contracts_awaiting_review(request.user).select_related("deal__client", "deal__owner")
    waiting = waiting.order_by("submitted_at", "pk")
    count = waiting.count()
    return render(
        request,
        "documents/partials/review_panel.html",
        {"contracts": waiting[:REVIEW_PANEL_SIZE] if count else [], "count": count},
    )
