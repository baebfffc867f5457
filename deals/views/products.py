"""The product catalogue: everyone reads it, the head keeps it (create, edit, deactivate)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import EXPORT_FORMATS
from core.forms import apply_service_errors
from core.http import safe_next
from core.tables import export_table, table_for_request
from deals import services
from deals.filters import ProductFilter
from deals.forms import ProductForm
from deals.models import Product
from deals.rules import can_manage_products
from deals.tables import ProductTable


@login_required
def product_list(request):
    base = Product.objects.visible_to(request.user).order_by("name", "pk")
    filterset = ProductFilter(request.GET, queryset=base, request=request)
    products = filterset.qs if filterset.is_valid() else base.none()
    export_format = request.GET.get("export")
    if export_format in EXPORT_FORMATS:
        return export_table(ProductTable, request, products, export_format)
    manages = can_manage_products(request.user)
    table = table_for_request(ProductTable, request, products, can_manage=manages)
    return render(
        request,
        "deals/products/product_list.html",
        {"filter": filterset, "table": table, "can_manage": manages},
    )


def _ensure_manages(request) -> None:
    if not can_manage_products(request.user):
        raise PermissionDenied(_("Only the head of sales manages the product catalogue."))


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request):
    _ensure_manages(request)
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(by=request.user, **form.values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Product “%(name)s” created.") % {"name": product.name})
            return redirect("deals:products")
    status = 400 if request.method == "POST" else 200
    return render(request, "deals/products/product_form.html", {"form": form, "product": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, pk):
    _ensure_manages(request)
    product = get_object_or_404(Product.objects.visible_to(request.user), pk=pk)
    initial = {name: getattr(product, name) for name in services.lines.PRODUCT_FIELDS}
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(by=request.user, product=product, data=form.values())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Product saved."))
            return redirect("deals:products")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "deals/products/product_form.html", {"form": form, "product": product}, status=status
    )


@login_required
@require_POST
def product_active(request, pk):
    """Deactivate a product (it leaves the choices of new lines) or activate it again."""
    _ensure_manages(request)
    product = get_object_or_404(Product.objects.visible_to(request.user), pk=pk)
    active = request.POST.get("active") == "true"
    services.product_update(by=request.user, product=product, data={"is_active": active})
    if active:
        messages.success(request, _("Product “%(name)s” is offered again.") % {"name": product.name})
    else:
        messages.success(request, _("Product “%(name)s” deactivated.") % {"name": product.name})
    return redirect(safe_next(request, reverse("deals:products")))
