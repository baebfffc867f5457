"""A commercial proposal as HTML and PDF: one template (deals/quote_document.html) for the
on-screen preview and the PDF, rendered in the proposal's language with that language's
number and date formats. WeasyPrint (and the Pango library it loads) draws the PDF; the
fonts are Debian's fonts-dejavu-core (Latin, Cyrillic) and fonts-wqy-microhei or
fonts-noto-cjk (Chinese)."""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from deals.models import Quote

QUOTE_CSS = "css/quote.css"
# One PDF drawn at a time per process: the web process serves requests from threads
# (deploy/start-web.sh), and neither WeasyPrint nor Pango and fontconfig below it promise to be
# safe to use from several at once. Proposals are drawn seldom; a second one waits its turn.
_DRAWING = threading.Lock()


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it needs are missing on this server."""


def unavailable_message() -> str:
    return _(
        "PDF output is not available on this server: install WeasyPrint "
        "(pip install -r requirements.txt) and its system libraries "
        "(apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-wqy-microhei)."
    )


def quote_context(quote: Quote) -> dict:
    return {"quote": quote, "lines": list(quote.lines.all()), "deal": quote.deal}


def quote_document_html(quote: Quote) -> str:
    """The proposal's document (the preview's body), in the proposal's language."""
    with translation.override(quote.language):
        return render_to_string("deals/quote_document.html", quote_context(quote))


def _stylesheet_path() -> str:
    found = finders.find(QUOTE_CSS)
    if found:
        return found
    return str(Path(settings.STATIC_ROOT or "") / QUOTE_CSS)


def quote_pdf(quote: Quote) -> bytes:
    """The proposal as PDF bytes; PdfUnavailable when WeasyPrint cannot run here."""
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as exc:  # OSError: Pango or its fonts library is missing
        raise PdfUnavailable(unavailable_message()) from exc
    with translation.override(quote.language):
        html = render_to_string("deals/quote_pdf.html", quote_context(quote))
    with _DRAWING:
        return HTML(string=html).write_pdf(stylesheets=[CSS(filename=_stylesheet_path())])


def quote_filename(quote: Quote) -> str:
    return f"{quote.number}-v{quote.version}.pdf"
