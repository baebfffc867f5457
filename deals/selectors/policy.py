"""The warning policy in force: the head's thresholds and severities (WarningSettings), the
days allowed per open stage and every stage's kind, read in one query per request."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import Subquery

from deals.models import Severity, Stage, StageKind, WarningSettings

# Warning key → the WarningSettings field holding its severity.
SEVERITY_FIELDS = {
    "no_activity": "no_activity_severity",
    "past_close": "past_close_severity",
    "no_open_task": "no_open_task_severity",
    "not_reviewed": "not_reviewed_severity",
    "stale_in_stage": "stale_in_stage_severity",
}
SETTING_FIELDS = ["no_activity_days", "review_cadence_days", "attention_severity", *SEVERITY_FIELDS.values()]


def _default(name: str):
    return WarningSettings._meta.get_field(name).get_default()


@dataclass(frozen=True)
class WarningPolicy:
    no_activity_days: int = field(default_factory=lambda: _default("no_activity_days"))
    review_cadence_days: int = field(default_factory=lambda: _default("review_cadence_days"))
    attention_severity: int = field(default_factory=lambda: _default("attention_severity"))
    # warning key → severity (Severity.OFF turns a warning off).
    severities: dict[str, int] = field(
        default_factory=lambda: {key: _default(name) for key, name in SEVERITY_FIELDS.items()}
    )
    # stage id → days an open deal may stay in it (stages without a limit are left out).
    stage_days: dict[int, int] = field(default_factory=dict)
    # stage id → kind, for callers that name stages by id.
    stage_kinds: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> WarningPolicy:
        """One query: every stage with its kind and limit, each row carrying the settings
        (a department without stages has no deals, so the defaults do)."""
        rows = _policy_rows()
        values = {
            name: rows[0][f"setting_{name}"]
            for name in SETTING_FIELDS
            if rows and rows[0][f"setting_{name}"] is not None
        }
        defaults = cls()
        return cls(
            no_activity_days=values.get("no_activity_days", defaults.no_activity_days),
            review_cadence_days=values.get("review_cadence_days", defaults.review_cadence_days),
            attention_severity=values.get("attention_severity", defaults.attention_severity),
            severities={
                key: values.get(name, defaults.severities[key]) for key, name in SEVERITY_FIELDS.items()
            },
            stage_days={
                row["pk"]: row["max_days_in_stage"]
                for row in rows
                if row["kind"] == StageKind.OPEN and row["max_days_in_stage"]
            },
            stage_kinds={row["pk"]: row["kind"] for row in rows},
        )

    def severity(self, warning: str) -> int:
        return self.severities.get(warning, Severity.OFF)

    def ranked(self, warnings) -> list[str]:
        """The warnings that are on, most severe first (ties keep the given order)."""
        on = [warning for warning in warnings if self.severity(warning) > Severity.OFF]
        return sorted(on, key=lambda warning: -self.severity(warning))

    def flags(self, warning: str) -> bool:
        """Whether this warning, when it is a deal's most severe one, makes it need attention."""
        return self.severity(warning) >= self.attention_severity


def policy_query():
    """The policy's query: every stage's id, kind and limit, with the settings as columns."""
    settings = {
        f"setting_{name}": Subquery(
            WarningSettings.objects.filter(pk=WarningSettings.SINGLETON_PK).values(name)[:1]
        )
        for name in SETTING_FIELDS
    }
    return Stage.objects.order_by().annotate(**settings).values("pk", "kind", "max_days_in_stage", *settings)


# Its SQL per database, compiled on first use: it takes no parameter from the request, and
# building and compiling its nine subqueries was most of a millisecond and a half of CPU on
# every list, kanban and board request.
_COMPILED: dict[str, tuple[str, tuple]] = {}


def _policy_rows() -> list[dict]:
    alias = router.db_for_read(Stage)
    compiled = _COMPILED.get(alias)
    if compiled is None:
        compiled = _COMPILED[alias] = policy_query().query.get_compiler(alias).as_sql()
    sql, params = compiled
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
