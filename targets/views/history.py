"""The history tabs of an installment and of a payment: who changed what, when, old → new,
for everyone who may see the record (the deal page has its own, read the same way)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.visibility import get_visible_or_404
from targets.models import Installment, Payment
from targets.selectors.history import installment_history, payment_history


@login_required
def installment_history_page(request, pk: int):
    installment = get_visible_or_404(Installment.objects.select_related("deal__client"), request.user, pk=pk)
    return render(
        request,
        "targets/record_history.html",
        {
            "deal": installment.deal,
            "installment": installment,
            "page": installment_history(installment=installment, page=request.GET.get("page")),
        },
    )


@login_required
def payment_history_page(request, pk: int):
    payment = get_visible_or_404(
        Payment.objects.select_related("installment__deal__client"), request.user, pk=pk
    )
    return render(
        request,
        "targets/record_history.html",
        {
            "deal": payment.installment.deal,
            "installment": payment.installment,
            "payment": payment,
            "page": payment_history(payment=payment, page=request.GET.get("page")),
        },
    )
