"""What was deleted, so a REST client that mirrors the pipeline can drop its copies.

A model joins by declaring ``tombstone_name`` (the name the API uses, e.g. ``"deal"``) and,
through ``visibility_owner_path``, whose record it was; every deletion of one of its rows then
leaves a :class:`Tombstone` (see ``sync.services``). ``GET /api/v1/deletions/`` lists them to
those who could see the record; the nightly run purges them after ``TOMBSTONE_RETENTION_DAYS``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.visibility import VisibleQuerySet


class TombstoneQuerySet(VisibleQuerySet):
    pass


class Tombstone(models.Model):
    """One deleted (or merged-away) record: its kind, its id, when, and whose it was."""

    visibility_owner_path = "owner"

    model = models.CharField(_("record type"), max_length=40)
    object_id = models.BigIntegerField(_("record id"))
    deleted_at = models.DateTimeField(_("deleted at"), auto_now_add=True, db_index=True)
    merged_into = models.BigIntegerField(
        _("merged into"),
        null=True,
        blank=True,
        help_text=_("The surviving record's id when this one was merged into another."),
    )
    # Whose record it was when deleted (None: nobody's, seen only by those who see everything).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TombstoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("deletion record")
        verbose_name_plural = _("deletion records")
        ordering = ["deleted_at", "id"]
        indexes = [models.Index(fields=["model", "deleted_at"], name="tombstone_model_deleted_idx")]

    def __str__(self) -> str:
        return f"{self.model} #{self.object_id}"
