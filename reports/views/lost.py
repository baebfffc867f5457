"""The lost report page (/reports/lost/): the period's lost deals by reason, stage reached,
competitor, owner or team (reports.lost), with a chart, the win rate against competitors
and a CSV/XLSX export of the rows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import charts
from core.exports import EXPORT_FORMATS, export_response
from core.http import query_without
from reports.lost import COMPARED_MONEY, COMPETITOR, GROUP_CHOICES, LostReport, lost_comparison, lost_report
from reports.lost_forms import LostReportForm
from reports.views.reports import period_choices, shown_summary


def _chart(report: LostReport):
    if not report.rows:
        return None
    titles = {
        "reason": _("Lost amount by reason"),
        "stage": _("Lost amount by stage reached"),
        "competitor": _("Lost amount by competitor"),
        "owner": _("Lost amount by owner"),
        "team": _("Lost amount by team"),
    }
    return charts.bar_chart(
        [
            {
                "label": row.label,
                "value": row.amount,
                # Short enough for the bar's label; the exact amount is in the table.
                "display": f"{charts.compact(float(row.amount))} · {row.count}",
            }
            for row in report.rows
        ],
        title=titles[report.group_by],
    )


def _win_rate_chart(report: LostReport):
    rows = [row for row in report.rows if row.win_rate is not None]
    if report.group_by != COMPETITOR or not rows:
        return None
    return charts.bar_chart(
        [
            {
                "label": row.label,
                "value": row.win_rate,
                "display": f"{row.win_rate}% ({row.won}/{row.won + row.count})",
            }
            for row in rows
        ],
        title=_("Win rate against each competitor"),
    )


def _export(report: LostReport, export_format: str):
    group_label = dict(GROUP_CHOICES)[report.group_by]
    headers = [str(group_label), _("Lost deals"), _("Lost amount"), _("Share of lost deals, %")]
    competitor = report.group_by == COMPETITOR
    if competitor:
        headers += [_("Won deals"), _("Win rate, %")]
    rows = (
        [row.label, row.count, row.amount, row.share, *([row.won, row.win_rate] if competitor else [])]
        for row in report.rows
    )
    name = report.period.value or f"{report.period.start:%Y-%m-%d}-{report.period.end:%Y-%m-%d}"
    return export_response(
        filename=f"lost-by-{report.group_by}-{name}", headers=headers, rows=rows, export_format=export_format
    )


@login_required
def lost_page(request):
    form = LostReportForm(request.GET, viewer=request.user)
    valid = form.is_valid()
    report = summary = None
    if valid:
        scope = {"team": form.cleaned_data.get("team"), "owner": form.cleaned_data.get("owner")}
        report = lost_report(
            viewer=request.user,
            period=form.cleaned_data["period_range"],
            group_by=form.cleaned_data["group_by"],
            **scope,
        )
        export_format = request.GET.get("export")
        if export_format in EXPORT_FORMATS:
            return _export(report, export_format)
        summary = shown_summary(lost_comparison(report, viewer=request.user, **scope), money=COMPARED_MONEY)
    return render(
        request,
        "reports/lost.html",
        {
            "form": form,
            "report": report,
            "summary": summary,
            "period": report.period if report else None,
            "chart": _chart(report) if report else None,
            "win_rate_chart": _win_rate_chart(report) if report else None,
            "group_label": dict(GROUP_CHOICES)[report.group_by] if report else "",
            "is_competitor": report is not None and report.group_by == COMPETITOR,
            "period_choices": period_choices(form.today),
            "export_query": query_without(request, "page", "export"),
        },
        status=200 if valid else 400,
    )
