"""Admin: the dead letters, read-only, with one action: queue the selected tasks again."""

from django.contrib import admin, messages

from .deadletters import requeue
from .models import DeadLetter


@admin.register(DeadLetter)
class DeadLetterAdmin(admin.ModelAdmin):
    list_display = ("task_name", "failed_at", "exception", "retries", "requeued_at")
    list_filter = ("task_name", ("requeued_at", admin.EmptyFieldListFilter))
    search_fields = ("task_name", "task_id", "exception")
    date_hierarchy = "failed_at"
    fields = (
        "task_name",
        "task_id",
        "args",
        "kwargs",
        "exception",
        "retries",
        "failed_at",
        "requeued_at",
        "requeued_by",
        "traceback",
    )
    readonly_fields = fields
    actions = ["requeue_selected"]

    @admin.action(description="Queue again", permissions=["change"])
    def requeue_selected(self, request, queryset):
        queued = requeue(queryset, by=request.user)
        if queued:
            self.message_user(request, f"{queued} queued again.", messages.SUCCESS)
        left = queryset.count() - queued
        if left:
            self.message_user(
                request,
                f"{left} left as they were (already queued again, or the task no longer exists).",
                messages.WARNING,
            )

    def has_add_permission(self, request) -> bool:
        return False
