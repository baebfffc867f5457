"""The client import page and its template files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clients import rules, services
from clients.forms import ImportForm
from clients.imports import IMPORT_COLUMNS, template_headers, template_help_rows
from clients.views.common import posted
from core.exports import export_response


@login_required
@require_http_methods(["GET", "POST"])
def client_import(request):
    rules.ensure_can_add_clients(request.user)
    form = ImportForm(posted(request), request.FILES if request.method == "POST" else None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        result = services.client_import(
            by=request.user, file=form.cleaned_data["file"], check_only=form.cleaned_data["check_only"]
        )
        if result.ok and not result.checked_only:
            messages.success(
                request,
                _("Imported %(clients)d clients and %(contacts)d contacts.")
                % {"clients": len(result.created), "contacts": result.contacts_created},
            )
        status = 200 if result.ok else 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "clients/import.html",
        {"form": form, "result": result, "columns": IMPORT_COLUMNS},
        status=status,
    )


@login_required
@require_GET
def import_template(request, export_format: str):
    """An empty file with the import's columns (the XLSX adds a sheet explaining them)."""
    if export_format == "csv":
        return export_response(
            filename="clients-import-template", headers=template_headers(), rows=[], export_format="csv"
        )
    if export_format != "xlsx":
        raise Http404
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "clients"
    sheet.append(template_headers())
    help_sheet = workbook.create_sheet("help")
    help_sheet.append([_("Column"), _("Meaning"), _("What to write")])
    for row in template_help_rows():
        help_sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="clients-import-template.xlsx"'
    return response
