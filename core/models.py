"""Core's one model: a bulk action large enough to run as a Celery task (core/bulk.py).

It points at the user through ``settings.AUTH_USER_MODEL`` (a string, not an import), so core
still imports no app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BulkJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")


class BulkJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job is its starter's own: nobody else sees what they selected."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(created_by=user)


class BulkJob(models.Model):
    """Who asked for which action on which rows of which list, and how far it got. ``done``
    counts rows while the job runs (its one transaction is not visible until it commits, so
    the runner also publishes progress in the cache, core.bulk.job_progress); ``errors`` maps a
    refused row's id to the reason, and nothing was changed then."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bulk_jobs", verbose_name=_("by")
    )
    resource = models.CharField(_("list"), max_length=40)
    action = models.CharField(_("action"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    ids = models.JSONField(_("ids"), default=list, blank=True)
    filter = models.JSONField(_("filter"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=BulkJobStatus.choices, default=BulkJobStatus.QUEUED
    )
    errors = models.JSONField(_("refused rows"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = BulkJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bulk job")
        verbose_name_plural = _("bulk jobs")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="core_bulkjob_by_created")]

    def __str__(self) -> str:
        return f"{self.resource}.{self.action} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (BulkJobStatus.DONE, BulkJobStatus.REFUSED, BulkJobStatus.FAILED)


class IdempotentRequest(models.Model):
    """An API write sent with an ``Idempotency-Key`` header (core/idempotency.py): whose it was
    (the signed-in user: keys are per user), what it was (a hash of the method, path, content
    type and content) and, once it succeeded, the answer (status, body and the headers that say
    what the body is), which a retry with the same key gets again instead of writing twice.
    ``status`` is null while the first request runs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    fingerprint = models.CharField(_("request hash"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    body = models.BinaryField(_("body"), default=b"", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotent_one_per_key")]

    def __str__(self) -> str:
        return self.key
