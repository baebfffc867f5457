"""Which rows point at a client or a contact, and how a merge moves them to the survivor.

A merge (``clients.services.merge``) moves every row that points at the merged-away record
before deleting it. clients cannot import the apps above it, so each app declares its own
foreign keys to ``clients.Client`` / ``clients.Contact`` here from its ``AppConfig.ready()``::

    register_merge_relation("clients.Client", "deals.Deal", "client")

Nothing is discovered silently: ``unhandled_relations()`` lists every foreign key to a client
or a contact that nobody registered, and a test fails while that list is not empty.

A registered relation is moved by ``move_rows`` unless it names its own ``move``: one UPDATE
(``updated_at`` bumped, so a REST client syncing with ``updated_since`` sees the change), or,
for a model with django-simple-history, a bulk update that records the move in each row's
history. The historical rows of the model are re-pointed too. A unique constraint that
includes the field (say "one row per client and month") would be broken by the move: the
merged-away record's colliding rows are left behind and deleted with it (the survivor's row
wins), and the number is reported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

TARGETS = ("clients.Client", "clients.Contact")


@dataclass(frozen=True)
class MergeContext:
    """One merge: the two records' ids, who merges, and the reason history records."""

    survivor_id: int
    duplicate_id: int
    by: object
    reason: str


@dataclass(frozen=True)
class MoveResult:
    moved: int = 0
    dropped: int = 0  # rows left behind because the survivor already had their like


Mover = Callable[[type[models.Model], str, MergeContext], MoveResult]


@dataclass(frozen=True)
class MergeRelation:
    target: str  # "clients.Client"
    model: str  # "deals.Deal"
    field: str  # "client"
    move: Mover | None = None

    @property
    def key(self) -> str:
        return f"{self.model}.{self.field}"


_relations: dict[str, dict[str, MergeRelation]] = {target: {} for target in TARGETS}


def register_merge_relation(target: str, model: str, field: str, *, move: Mover | None = None) -> None:
    """Declare that ``model.field`` points at ``target`` and moves with a merge (once: an app's
    ready() may run twice in tests)."""
    if target not in _relations:
        raise ValueError(f"Merges move rows pointing at {', '.join(TARGETS)}, not {target}.")
    relation = MergeRelation(target=target, model=model, field=field, move=move)
    _relations[target][relation.key] = relation


def merge_relations(target: str) -> list[MergeRelation]:
    return list(_relations[target].values())


def _history_base(model) -> type | None:
    """The tracked model of a django-simple-history historical model (None for others)."""
    return getattr(model, "instance_type", None) if hasattr(model, "history_id") else None


def unhandled_relations() -> list[str]:
    """Every foreign key to a client or a contact that no app registered ("app.Model.field").
    Historical models follow their tracked model."""
    missing = []
    for target in TARGETS:
        target_model = apps.get_model(target)
        for model in apps.get_models():
            base = _history_base(model)
            for field in model._meta.get_fields():
                if not (field.concrete and field.is_relation and field.related_model is target_model):
                    continue
                label = (base or model)._meta.label
                if f"{label}.{field.name}" not in _relations[target]:
                    missing.append(f"{model._meta.label}.{field.name}")
    return sorted(missing)


def _unique_sets(model, field: str) -> list[tuple[str, ...]]:
    """The unconditional unique field sets of ``model`` that include ``field``."""
    sets = [tuple(names) for names in model._meta.unique_together]
    sets += [
        tuple(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.fields
        and constraint.condition is None
    ]
    if model._meta.get_field(field).unique:
        sets.append((field,))
    return [names for names in sets if field in names]


def colliding_pks(model, field: str, context: MergeContext) -> set[int]:
    """The merged-away record's rows that would break a unique constraint once moved: the
    survivor already has a row with the same values in the constraint's other fields."""
    rows = model._base_manager.filter(**{field: context.duplicate_id})
    found: set[int] = set()
    for names in _unique_sets(model, field):
        others = [name for name in names if name != field]
        if not others:  # one row per record: the survivor's one wins if it has one
            if model._base_manager.filter(**{field: context.survivor_id}).exists():
                found |= set(rows.values_list("pk", flat=True))
            continue
        attnames = [model._meta.get_field(name).attname for name in others]
        survivors = set(
            model._base_manager.filter(**{field: context.survivor_id}).values_list(*attnames, named=False)
        )
        for pk, *values in rows.values_list("pk", *attnames):
            if tuple(values) in survivors:
                found.add(pk)
    return found


def move_rows(model, field: str, context: MergeContext) -> MoveResult:
    """Point every row of ``model`` whose ``field`` is the merged-away record at the survivor."""
    attname = model._meta.get_field(field).attname
    collisions = colliding_pks(model, field, context)
    rows = model._base_manager.filter(**{field: context.duplicate_id}).exclude(pk__in=collisions)
    stamp = {"updated_at": timezone.now()} if _has_field(model, "updated_at") else {}
    history = getattr(model, "history", None)
    if history is not None and hasattr(history, "model"):
        from simple_history.utils import bulk_update_with_history

        objects = list(rows.select_for_update(of=("self",)).order_by("pk"))
        for obj in objects:
            setattr(obj, attname, context.survivor_id)
            for name, value in stamp.items():
                setattr(obj, name, value)
        if objects:
            bulk_update_with_history(
                objects,
                model,
                [field, *stamp],
                default_user=context.by,
                default_change_reason=context.reason,
            )
        moved = len(objects)
        # The rows' past versions name the survivor too: no history points at a deleted record.
        history.model._base_manager.filter(**{attname: context.duplicate_id}).update(
            **{attname: context.survivor_id}
        )
    else:
        moved = rows.update(**{attname: context.survivor_id}, **stamp)
    if collisions:
        model._base_manager.filter(pk__in=collisions).delete()
    return MoveResult(moved=moved, dropped=len(collisions))


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def pending_moves(target: str, record_id: int) -> list[tuple[str, int]]:
    """What a merge of ``record_id`` would move, per registered relation that has rows:
    (the model's plural name, the number of rows). One COUNT per relation."""
    found = []
    for relation in merge_relations(target):
        model = apps.get_model(relation.model)
        count = model._base_manager.filter(**{relation.field: record_id}).count()
        if count:
            found.append((str(model._meta.verbose_name_plural), count))
    return found


def move_all(target: str, context: MergeContext) -> dict[str, MoveResult]:
    """Move the rows of every registered relation of ``target``; {"app.Model.field": result}."""
    results = {}
    for relation in merge_relations(target):
        model = apps.get_model(relation.model)
        mover = relation.move or move_rows
        results[relation.key] = mover(model, relation.field, context)
    return results
