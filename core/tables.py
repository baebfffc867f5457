"""One way to list, sort, paginate and export: a django-tables2 table per list.

A list page and its CSV/XLSX export use the same table class, so the export's columns are
the table's columns. Sorting uses the API's parameter (``?ordering=name`` / ``-name``),
which django-tables2 checks against the table's orderable columns: an unknown or empty
term is ignored, never a 500. Exports stream from the database in chunks through
``core.exports`` (formula-safe cells, XLSX in write-only mode)."""

from __future__ import annotations

import datetime
import functools
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from decimal import Decimal

import django_tables2 as tables
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.core.signals import setting_changed
from django.db import models
from django.db.models import F, QuerySet
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.template import Context
from django.template.base import render_value_in_context
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.encoding import force_str
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name, localdate
from django.utils.translation import get_language, gettext
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.rows import BoundRow
from django_tables2.utils import A, AttributeDict, signature

from core.exports import EXPORT_FORMATS, export_response
from core.templatetags.money import money

PER_PAGE = 50
EXPORT_CHUNK = 2000
NUMBER_CELLS = {"th": {"class": "num"}, "td": {"class": "num"}}


class MoneyColumn(tables.Column):
    """An amount: on the page grouped, with the department's currency ("1,500.00 ₽", the
    ``money`` filter); in a CSV/XLSX export a plain number under a heading that names the
    currency's ISO code ("Amount (RUB)"), so a spreadsheet can still sum it."""

    def __init__(self, verbose_name=None, **kwargs):
        kwargs.setdefault("attrs", NUMBER_CELLS)
        kwargs.setdefault("default", "—")
        super().__init__(verbose_name=verbose_name, **kwargs)

    def render(self, value):
        return money(value)

    def value(self, value):
        return value


def export_header(column) -> str:
    """A column's heading in an export: an amount's names the currency."""
    header = force_str(column.header)
    if isinstance(column.column, MoneyColumn):
        return f"{header} ({settings.DEPARTMENT_CURRENCY})"
    return header


class TemplateColumn(tables.TemplateColumn):
    """A cell rendered from a template file inside the page's own context, as an
    ``{% include %}`` is. django-tables2's column renders each cell as a new template
    render with the request, which runs every context processor again for every cell (the
    navigation's queries-free but costly menus: 50 rows cost 0.2 s of CPU on the deal list).
    The page's context already holds what the processors gave (request, csrf_token, user,
    LANGUAGE_CODE …), so the cell sees the same names."""

    def render(self, record, table, value, bound_column, **kwargs):
        parent = getattr(table, "context", None)
        if self.template_code or parent is None:
            return super().render(record, table, value, bound_column, **kwargs)
        context = self.get_context_data(
            record=record, table=table, value=value, bound_column=bound_column, **kwargs
        )
        template = get_template(self.template_name).template
        with parent.update(context):
            if parent.template is None:  # a table rendered outside a template
                return template.render(Context(parent.flatten()))
            return template.render(parent)


def _has_callable(attrs) -> bool:
    if callable(attrs):
        return True
    if isinstance(attrs, dict):
        return any(_has_callable(value) for value in attrs.values())
    return False


_NO_FIELD = object()


@functools.lru_cache(maxsize=512)
def _signature(function):
    return signature(function)


def _computed_values(attrs: dict, kwargs: dict) -> dict:
    """django-tables2's ``computed_values``: each callable called with the arguments it
    names (none if it names one that is missing), dictionaries within computed alike; each
    callable's signature read once."""
    result = {}
    for key, value in attrs.items():
        if callable(value):
            names, catch_all = _signature(value)
            if catch_all:
                value = value(**kwargs)
            elif all(name in kwargs for name in names):
                value = value(**{name: kwargs[name] for name in names})
            else:
                value = None
        if isinstance(value, dict):
            value = _computed_values(value, kwargs)
        result[key] = value
    return result


class _CellPlan:
    """One column's way to its cells, worked out once per page: what django-tables2's
    ``BoundRow.get_cell`` and the table template find out again for every cell (the render
    function's signature, the cell's attributes when they do not depend on the row, the
    column's default)."""

    def __init__(self, table: tables.Table, bound_column):
        column = bound_column.column
        self.bound_column = bound_column
        self.column = column
        self.accessor = A(bound_column.accessor)
        self.default = bound_column.default
        self.render = bound_column.render
        args, catch_all = signature(self.render)
        self.args = None if catch_all else frozenset(args)
        self.link = bound_column.link
        self.is_link = isinstance(column, BaseLinkColumn) and column.text is not None
        self.is_many = isinstance(column, ManyToManyColumn)
        self.fields: dict[type, object] = {}
        path, _, self.remainder = self.accessor.rpartition(self.accessor.SEPARATOR)
        self.path = A(path)
        self.last = A(self.remainder)
        self.table = table
        # the cell's attributes as BoundColumn.attrs builds them: the table's, the column's,
        # "td" or else "cell"
        own = dict(table.attrs) | dict(column.attrs)
        self.td_source = own.get("td", own.get("cell", {}))
        dynamic = _has_callable(self.td_source)
        dynamic |= type(table).get_column_class_names is not tables.Table.get_column_class_names
        self.td = None if dynamic else self._td_attrs(None, None)

    def _td_attrs(self, record, content) -> SafeString:
        """The cell's attributes, as ``column.attrs.td.as_html`` gives them while the
        template's row loop stands on ``record`` with the cell ``content``."""
        kwargs = {"table": self.table, "bound_column": self.bound_column}
        if record is not None and content is not None:
            kwargs.update(record=record, value=content)
        attrs = AttributeDict(_computed_values(self.td_source, kwargs))
        attrs["class"] = self.bound_column.get_td_class(attrs)
        html = attrs.as_html()
        return mark_safe(f" {html}") if html else SafeString()

    def _field(self, record):
        model = type(record)
        if model not in self.fields:
            try:
                self.fields[model] = self.accessor.get_field(record)
            except FieldDoesNotExist:
                self.fields[model] = _NO_FIELD
        return self.fields[model]

    def _value(self, record):
        """The cell's value as ``BoundRow._get_and_render_with`` finds it: a choice's label
        (``get_FOO_display``) where the field has choices."""
        penultimate, remainder = self.path.resolve(record, quiet=True), self.remainder
        if isinstance(penultimate, models.Model):
            field = self._field(record)
            display = getattr(penultimate, f"get_{remainder}_display", None)
            if field is not _NO_FIELD and getattr(field, "choices", ()) and display:
                if type(field) in _PLAIN_CHOICE_FIELDS:
                    return _label(field, getattr(penultimate, field.attname)), False
                return display(), False
            if remainder:
                # the last step of the whole accessor's walk, from where it stood
                try:
                    return self.last.resolve(penultimate), False
                except Exception:
                    return None, self.is_link
        if remainder:
            try:
                return self.accessor.resolve(record), False
            except Exception:
                if self.is_link:
                    return None, True
        return None, False

    def cell(self, row: BoundRow, context) -> str:
        record = row.record
        value, unresolved = self._value(record)
        if unresolved:
            content = self._call(row, None)
        elif value in self.column.empty_values or (self.is_many and not value.exists()):
            content = self.default
        else:
            content = self._call(row, value)
        kind = type(content)
        if kind is SafeString and context.autoescape:
            html = content  # what {{ }} makes of it, without the round trip
        elif kind is str and context.autoescape:
            html = escape(content)
        else:
            html = render_value_in_context(content, context)
        td = self.td
        if td is None:
            td = self._td_attrs(record, content)
        return f"<td{td}>{html}</td>"

    def export_value(self, row: BoundRow):
        """The cell's value for an export, as ``BoundRow.get_cell_value`` gives it (the
        table's ``value_<name>``, else its ``render_<name>``, else the column's ``value``),
        with the function's signature read once per export instead of once per cell."""
        if not hasattr(self, "value_args"):
            self._plan_value()
        value, unresolved = self._value(row.record)
        if unresolved:
            return self._call_value(row, None)
        if value in self.column.empty_values or (self.is_many and not value.exists()):
            return None
        return self._call_value(row, value)

    def _plan_value(self) -> None:
        function = self.bound_column.value
        column_type = type(self.column)
        if (
            getattr(function, "__func__", None) is tables.Column.value
            and column_type.value is tables.Column.value
        ):
            # the column's own value() only calls its render() with the arguments it takes
            function = self.column.render
        args, catch_all = signature(function)
        self.value_function = function
        self.value_args = None if catch_all else frozenset(args)

    def _call_value(self, row: BoundRow, value):
        return _apply(self.value_function, self.value_args, self._arguments(row, value))

    def _call(self, row: BoundRow, value):
        arguments = self._arguments(row, value)
        content = _apply(self.render, self.args, arguments)
        return self.link(content, **arguments) if self.link else content

    def _arguments(self, row: BoundRow, value) -> dict:
        """What django-tables2 offers a cell's render or value function to take."""
        return {
            "value": value,
            "record": row.record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": row.table,
        }


def _apply(function, names: frozenset | None, arguments: dict):
    """``function`` called as django-tables2's ``call_with_appropriate`` would: with every
    argument when it takes ``**kwargs`` (``names`` None), with those it names, or not at all
    (None) when it names one that is not offered."""
    if names is None:
        return function(**arguments)
    if names <= arguments.keys():
        return function(**{key: arguments[key] for key in names})
    return None


_ID_SLOT = "\x00id\x00"


def select_box(pk, css_class: str = "") -> SafeString:
    """A row's checkbox for the page's bulk actions: one of the ``ids`` of ``bulk-form``
    (core/partials/bulk_bar.html). The tables' rows and the task and alert rows
    (``{% select_box %}``, core/templatetags/bulk.py) write it here."""
    classes = format_html(' class="{}"', css_class) if css_class else ""
    return format_html(
        '<input type="checkbox" name="ids" value="{}" form="bulk-form"{} aria-label="{}">',
        pk,
        classes,
        gettext("Select this row"),
    )


# Rows of the tables with ``cache_rows``, by what they depend on (ListTable.rendered_rows),
# least recently used first; per process, cleared when a test changes a setting.
ROW_CACHE_SIZE = 2000
_ROWS: OrderedDict[tuple, tuple[SafeString, SafeString]] = OrderedDict()
# Other fragments kept the same way (rendered_once), apart: they must not push rows out.
_FRAGMENTS: OrderedDict[tuple, SafeString] = OrderedDict()
# The parts of every page kept per viewer and address (the site's header,
# core.templatetags.kept), apart again: a viewer's many addresses must not push rows or
# fragments out.
PAGE_PARTS: OrderedDict[tuple, SafeString] = OrderedDict()


# Values a row key holds as they are: hashable, and for what the database returns for one
# field (one type, datetimes in UTC) equal only when they read the same; the language, time
# zone and day are in the row's shape. Anything else is keyed by its repr.
_PLAIN_VALUES = frozenset(
    {
        int,
        str,
        bool,
        float,
        type(None),
        datetime.date,
        datetime.datetime,
        datetime.time,
        datetime.timedelta,
        uuid.UUID,
    }
)


def _value_key(value):
    kind = type(value)
    if kind in _PLAIN_VALUES:
        return value
    if kind is Decimal:
        return str(value)  # Decimal("1.0") == Decimal("1.00"), but they read differently
    return repr(value)


def _record_state(record, depth: int = 2) -> tuple | None:
    """Everything a row can read off its record: its fields and annotations, and those of
    the related rows it was read with (``select_related``), two levels deep, as a hashable
    tuple (about four times cheaper than the repr of the same values). None for a record with
    prefetched rows (their state is not in it), which is not cached."""
    values = record.__dict__
    if "_prefetched_objects_cache" in values:
        return None
    parts = [type(record).__qualname__]
    for name, value in values.items():
        if name != "_state":
            parts.append((name, _value_key(value)))
    related = values["_state"].fields_cache if "_state" in values else {}
    for name, value in related.items():
        if value is None or depth <= 1 or not hasattr(value, "_state"):
            parts.append((name, None if value is None else repr(value)))
            continue
        nested = _record_state(value, depth - 1)
        if nested is None:
            return None
        parts.append((name, nested))
    return tuple(parts)


_ROWS_LOCK = threading.Lock()  # threaded servers (runserver, gthread) share the rows


def _kept_row(key: tuple, store: OrderedDict = _ROWS):
    with _ROWS_LOCK:
        written = store.get(key)
        if written is not None:
            store.move_to_end(key)
        return written


def _keep_row(key: tuple, written, store: OrderedDict = _ROWS) -> None:
    with _ROWS_LOCK:
        store[key] = written
        while len(store) > ROW_CACHE_SIZE:
            store.popitem(last=False)


def rendering_key(context) -> tuple:
    """What any kept fragment's HTML depends on besides its data: the language, time zone,
    day and address prefix of its labels, dates and links, and whether it is escaped."""
    return (get_language(), get_current_timezone_name(), localdate(), get_script_prefix(), context.autoescape)


def record_state(record) -> tuple | None:
    """What a fragment rendered from ``record`` can read off it (:func:`_record_state`): its
    fields and annotations and its ``select_related`` rows, as a hashable tuple; None when it
    holds prefetched rows."""
    return _record_state(record)


def rendered_once(
    key: tuple, render: Callable[[], SafeString], store: OrderedDict = _FRAGMENTS
) -> SafeString:
    """A fragment of a page kept like the tables' rows: the one rendered before for the same
    ``key`` (everything it depends on: the record's :func:`record_state`, the language, time
    zone, address prefix, the viewer's rights it shows), else ``render()``, kept. Kept like
    the rows (as many, cleared with them), in a cache of its own (``store``: another one)."""
    written = _kept_row(key, store)
    if written is None:
        written = render()
        _keep_row(key, written, store)
    return written


_LABELS: dict[tuple, dict] = {}
# Fields whose stored value is the choice's key as is (display() hashes the same value).
_PLAIN_CHOICE_FIELDS = frozenset(
    {
        models.CharField,
        models.IntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.SmallIntegerField,
    }
)


def choice_label(record, name: str):
    """``record.get_<name>_display()`` for a table's cells: Django's builds the field's choices
    dictionary again at each call, translating every label to hash it (a request list's 50 rows
    spent 3 ms on it); here the labels are read once per field and language."""
    field = record._meta.get_field(name)
    return _label(field, getattr(record, field.attname))


def _label(field, value):
    key = (field, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {choice: str(label) for choice, label in field.flatchoices}
    return labels.get(value, value)


@receiver(setting_changed)
def _forget_rows(**kwargs) -> None:
    """Settings a test overrides (the currency, formats, URLs) change what was written."""
    _ROWS.clear()
    _FRAGMENTS.clear()
    PAGE_PARTS.clear()
    _LABELS.clear()


class RenderedRow:
    """A row of the page's table, its cells already HTML (``partials/table.html``)."""

    __slots__ = ("record", "attrs", "cells")

    def __init__(self, record, attrs: str, cells: str):
        self.record = record
        self.attrs = attrs
        self.cells = cells


class ListTable(tables.Table):
    """Base for every list: the site's table markup, sorting by ``?ordering=``, pagination
    by ``?page=``. Subclasses declare columns (``exclude_from_export`` for page-only ones,
    ``visible=False`` for export-only ones) and ``export_filename``; ``export_sequence``
    when the export lists its columns in another order than the page (every exported
    column named once)."""

    export_filename = "export"
    export_sequence: tuple[str, ...] = ()
    # A list with bulk actions (core.bulk_views.bulk_context) shows a checkbox per row.
    bulk_select = False
    # A table whose cells depend on nothing but the record (its fields, annotations and
    # select_related rows), the language, time zone, day and settings keeps its rendered rows:
    # a list read again shows the same rows for far less CPU. Only for tables whose cells
    # never depend on who looks (no per-viewer links or permissions in a cell).
    cache_rows = False
    # How deep a kept row's key reads the record's select_related rows: a cell that shows a
    # row three steps away (a contract's deal's owner) needs 3, or a renamed owner would not show.
    cache_depth = 2
    # The fields the page's cells read, related ones as ``client__name`` (read with
    # select_related): the page's rows load only these. The export reads every field. A cell
    # that reads another field costs a query per row, which the lists' query-count tests catch.
    page_fields: tuple[str, ...] = ()

    class Meta:
        template_name = "partials/table.html"
        order_by_field = "ordering"
        page_field = "page"
        attrs = {"class": "table"}
        row_attrs = {"data-row": lambda record: getattr(record, "pk", "")}

    page_size = PER_PAGE

    def paginate(self, *args, per_page=None, **kwargs):
        """Pages of the table's own page size whatever ``?per_page=`` asks: django-tables2
        reads the page size from the address, and a page of a million rows is no page."""
        return super().paginate(*args, per_page=self.page_size, **kwargs)

    def rendered_rows(self) -> Iterator[RenderedRow]:
        """The page's rows with their cells rendered in one pass, as the table template's
        ``{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>{{ cell }}</td>``
        would render them, without resolving the same column properties for every cell
        (50 rows of the deal list cost about 30 ms that way). A table with ``cache_rows``
        takes a row it rendered before for the same record state (:func:`_record_state`)
        from :data:`_ROWS`."""
        context = getattr(self, "context", None) or Context()
        plans = [_CellPlan(self, column) for column in self.columns]
        shape = self._row_shape(plans, context) if self.cache_rows else None
        for row in self.paginated_rows:
            key = None
            if shape is not None and type(row) is BoundRow:
                state = _record_state(row.record, self.cache_depth)
                if state is not None:
                    key = (shape, row.get_even_odd_css_class(), state, self.row_depends_on(row.record))
                    written = _kept_row(key)
                    if written is not None:
                        yield RenderedRow(row.record, *written)
                        continue
            attrs = self._row_attrs(row)
            cells = mark_safe("".join([plan.cell(row, context) for plan in plans]))
            if key is not None:
                _keep_row(key, (attrs, cells))
            yield RenderedRow(row.record, attrs, cells)

    def rendered_body(self) -> SafeString:
        """The ``<tbody>``'s rows as one string: each row's ``<tr>`` with its attributes, the
        bulk checkbox when the list has one, and its cells (:meth:`rendered_rows`). Written
        here rather than as a loop in the table template, whose five nodes per row cost
        about as much as taking the 50 cells from the row cache."""
        before = after = ""
        if self.bulk_select:  # the checkbox's markup split around its id, once a page
            before, after = select_box(_ID_SLOT).split(_ID_SLOT)
            before, after = f'<td class="select-cell">{before}', f"{after}</td>"
        lines = []
        for row in self.rendered_rows():
            lines.append(f"<tr {row.attrs}>")
            if before:
                lines.append(f"{before}{escape(row.record.pk)}{after}")
            lines += [row.cells, "</tr>"]
        return mark_safe("\n".join(lines))

    def row_depends_on(self, record) -> tuple:
        """What a kept row's HTML reads besides its record's state and the row's shape: a
        table whose cells read the clock (a request overdue since a minute ago) names it."""
        return ()

    def _row_shape(self, plans, context) -> tuple:
        """What a cached row's HTML depends on besides its record: the table, its columns,
        the language, time zone, day and address prefix, and escaping."""
        return (type(self), tuple(plan.bound_column.name for plan in plans), *rendering_key(context))

    def _row_attrs(self, row: BoundRow) -> SafeString:
        """``row.attrs.as_html``: the table's ``row_attrs`` for the record, with the row's
        even/odd class."""
        if type(row) is not BoundRow:  # a pinned row has its own classes
            return row.attrs.as_html()
        attrs = _computed_values(self.row_attrs, {"table": self, "record": row.record})
        parity = row.get_even_odd_css_class()
        attrs["class"] = f"{attrs['class']} {parity}" if attrs.get("class") else parity
        return AttributeDict(attrs).as_html()

    def export_columns(self):
        columns = [column for column in self.columns.iterall() if not column.column.exclude_from_export]
        if self.export_sequence:
            position = {name: index for index, name in enumerate(self.export_sequence)}
            columns.sort(key=lambda column: position[column.name])
        return columns

    def export_records(self) -> Iterator:
        """The records in the table's order, fetched in chunks so a large export never
        holds the whole list in memory."""
        data = self.data.data
        if isinstance(data, QuerySet):
            return data.iterator(chunk_size=EXPORT_CHUNK)
        return iter(data)

    def export_rows(self) -> Iterator[list]:
        """Each record's cell values; a column's placeholder for "nothing" (such as "—") is
        an empty cell in a spreadsheet."""
        columns = self.export_columns()
        plans = [_CellPlan(self, column) for column in columns]
        for record in self.export_records():
            row = BoundRow(record, table=self)
            values = (plan.export_value(row) for plan in plans)
            yield [
                None if value == column.column.default else force_str(value, strings_only=True)
                for value, column in zip(values, columns, strict=True)
            ]

    def export_response(self, export_format: str) -> HttpResponse:
        if export_format not in EXPORT_FORMATS:
            raise Http404
        headers = [export_header(column) for column in self.export_columns()]
        return export_response(
            filename=self.export_filename,
            headers=headers,
            rows=self.export_rows(),
            export_format=export_format,
        )


def nulls_last(*fields: str):
    """An ``order_<column>`` method for a ListTable: by ``fields``, rows without a value
    last in both directions, ties broken by id (so paging through a sorted list never
    repeats or skips a row)."""

    def order(table, queryset, is_descending):
        terms = [
            F(field).desc(nulls_last=True) if is_descending else F(field).asc(nulls_last=True)
            for field in fields
        ]
        return queryset.order_by(*terms, "pk"), True

    return order


class CountedPaginator(Paginator):
    """A paginator told the number of rows (a page that already counted them in an
    aggregate need not count again). The count may be one kept from a little earlier
    (core.versions.kept_figures): it numbers the pages, but never cuts a page's rows short."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count

    def page(self, number):
        return full_page(self, number)


def full_page(paginator: Paginator, number):
    """``paginator.page(number)`` with all of that page's rows, whatever its count says:
    Django stops the last page at the count, so a count kept from before a row was added
    would hide that row."""
    number = paginator.validate_number(number)
    bottom = (number - 1) * paginator.per_page
    return paginator._get_page(paginator.object_list[bottom : bottom + paginator.per_page], number, paginator)


def table_for_request(
    table_class: type[ListTable],
    request,
    data,
    *,
    per_page: int = PER_PAGE,
    count: int | None = None,
    **kwargs,
):
    """The table of ``data`` as the request asks for it: sorted and on the asked page.
    ``count``, when given, is the number of rows (not counted again)."""
    if table_class.page_fields and isinstance(data, QuerySet):
        fields = table_class.page_fields
        related = sorted({name.rsplit("__", 1)[0] for name in fields if "__" in name})
        data = data.select_related(None).select_related(*related).only(*fields)
    table = table_class(data, **kwargs)
    table.page_size = per_page
    paginate = {"per_page": per_page}
    if count is not None:
        paginate.update(paginator_class=CountedPaginator, count=count)
    tables.RequestConfig(request, paginate=paginate).configure(table)
    return table


def export_table(table_class: type[ListTable], request, data, export_format: str, **kwargs) -> HttpResponse:
    """The whole ``data`` (every page) as CSV or XLSX, in the order the request asks for."""
    table = table_class(data, **kwargs)
    tables.RequestConfig(request, paginate=False).configure(table)
    return table.export_response(export_format)
