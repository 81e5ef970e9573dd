from __future__ import annotations

from django.conf import settings
from django.db import models


class DeadLetter(models.Model):
    """A task that failed for good (after its last retry), kept so an editor can queue it again.

    Written by `taskqueue.deadletters` from Celery's `task_failure` signal, on a worker and inline
    alike. `args` and `kwargs` are what the task was called with (JSON, as the broker carried
    them), so queueing it again is calling it again.
    """

    task_name = models.CharField(max_length=200)
    task_id = models.CharField(max_length=255, blank=True)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    exception = models.TextField(help_text="The last error, as raised.")
    traceback = models.TextField(blank=True)
    retries = models.PositiveIntegerField(default=0, help_text="Retries made before giving up.")
    failed_at = models.DateTimeField(auto_now_add=True)
    requeued_at = models.DateTimeField(null=True, blank=True)
    requeued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-failed_at"]
        verbose_name = "failed task"
        indexes = [
            # The admin's list: newest first, those still waiting for an editor on top.
            models.Index(fields=["requeued_at", "-failed_at"], name="deadletter_waiting"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} ({self.failed_at:%Y-%m-%d %H:%M})"
