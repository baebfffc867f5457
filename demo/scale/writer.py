"""Writing generated rows fast: PostgreSQL's COPY, plain batched INSERTs elsewhere."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection, models

from demo.scale.common import CHUNK


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text = str(value)
    if any(ch in text for ch in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _insert_value(value):
    """A value as Django itself would send it to the database in an INSERT: SQLite keeps a
    datetime as text and sorts by that text, so every datetime goes in as UTC, as the ORM
    writes it (a +03:00 value would sort after a UTC one three hours later)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


class TableWriter:
    """Writes plain tuples into one model's table: COPY on PostgreSQL, INSERTs elsewhere.

    Columns not given get the field's default once (timestamps: the load's start), so a
    field added later with a default does not break the loader."""

    def __init__(self, model: type[models.Model], columns: list[str], now: datetime.datetime):
        self.model = model
        self.columns = columns
        fields = {f.name: f for f in model._meta.concrete_fields}
        self.fixed: dict[str, object] = {}
        for name, field in fields.items():
            if name in columns:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.fixed[name] = now
            elif field.has_default():
                self.fixed[name] = field.get_default()
            elif field.null:
                self.fixed[name] = None
            elif field.empty_strings_allowed and field.blank:
                self.fixed[name] = ""
            elif field.primary_key:
                continue
            else:
                raise ValueError(f"{model.__name__}.{name} needs a value in the scale loader")
        self.db_columns = [fields[name].column for name in columns] + [fields[n].column for n in self.fixed]
        self.fixed_values = tuple(self.fixed.values())
        self.count = 0

    def write(self, rows: Iterable[tuple]) -> None:
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= CHUNK:
                self._flush(batch)
                batch = []
        if batch:
            self._flush(batch)

    def _flush(self, batch: list[tuple]) -> None:
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.db_columns)
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            tail = self.fixed_values
            for row in batch:
                buffer.write("\t".join(_copy_text(v) for v in (*row, *tail)))
                buffer.write("\n")
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
        else:
            placeholders = ", ".join(["%s"] * len(self.db_columns))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            with connection.cursor() as cursor:
                rows = [(*row, *self.fixed_values) for row in batch]
                cursor.executemany(sql, [tuple(_insert_value(value) for value in row) for row in rows])
        self.count += len(batch)


def reset_sequences(*model_classes: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1
