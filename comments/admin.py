"""Admin: comments with their earlier versions, reports and audit trail; moderation's models.

Bodies are shown, never edited here: a reader's words are not rewritten. A comment's status
changes only through comments.moderation (the list actions below call `decide_many`), so every
change is checked and recorded; the audit trail is read-only for everyone.
"""

from django.contrib import admin, messages

from . import moderation
from .models import (
    Comment,
    CommentRevision,
    ModerationEvent,
    ModerationSettings,
    ModeratorNote,
    Report,
    Sanction,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RevisionInline(ReadOnlyInline):
    model = CommentRevision
    fields = ["written_at", "replaced_at", "body"]
    readonly_fields = fields


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ["created_at", "reporter", "reason", "text"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = ModerationEvent
    fields = ["created_at", "kind", "actor_name", "from_status", "to_status", "reasons", "note"]
    readonly_fields = fields
    verbose_name_plural = "History (audit trail)"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "article", "author", "status", "depth", "created_at", "edited_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["body", "author__username", "article__title"]
    list_select_related = ["article", "author"]
    date_hierarchy = "created_at"
    fields = [
        "article",
        "author",
        "parent",
        "depth",
        "status",
        "body",
        "body_html",
        "screening",
        "toxicity",
        "open_reports",
        "report_weight",
        "decided_at",
        "decided_by",
        "decision_reason",
        "featured_at",
        "created_at",
        "edited_at",
        "ip_hash",
    ]
    readonly_fields = fields
    inlines = [RevisionInline, ReportInline, EventInline]
    actions = ["approve_selected", "reject_selected", "spam_selected", "restore_selected"]

    def has_add_permission(self, request) -> bool:
        return False  # comments come from readers, through the article page

    def _decide(self, request, queryset, action: str) -> None:
        outcome = moderation.decide_many(queryset.order_by("pk"), action, by=request.user)
        if outcome.decided:
            done = moderation.PAST_TENSE[moderation.Decision(action)]
            self.message_user(request, f"{len(outcome.decided)} {done}.", messages.SUCCESS)
        if outcome.refused:
            refused = "; ".join(f"{c.pk}: {message}" for c, message in outcome.refused)
            self.message_user(request, f"Left as they were: {refused}", messages.WARNING)

    @admin.action(description="Approve", permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, "approve")

    @admin.action(description="Reject", permissions=["moderate"])
    def reject_selected(self, request, queryset):
        self._decide(request, queryset, "reject")

    @admin.action(description="Mark as spam", permissions=["moderate"])
    def spam_selected(self, request, queryset):
        self._decide(request, queryset, "spam")

    @admin.action(description="Restore to pending", permissions=["moderate"])
    def restore_selected(self, request, queryset):
        self._decide(request, queryset, "restore")

    def has_moderate_permission(self, request) -> bool:
        return moderation.may_moderate(request.user)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reason", "reporter", "created_at"]
    list_filter = ["reason", "created_at"]
    search_fields = ["text", "comment__body", "reporter__username"]
    list_select_related = ["comment", "reporter"]
    readonly_fields = ["comment", "reporter", "reason", "text", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(CommentRevision)
class CommentRevisionAdmin(admin.ModelAdmin):
    list_display = ["comment", "written_at", "replaced_at"]
    search_fields = ["body"]
    readonly_fields = ["comment", "body", "written_at", "replaced_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: these rows change only through comments.moderation."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ModerationEvent)
class ModerationEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "comment_id", "kind", "actor_name", "from_status", "to_status"]
    list_filter = ["kind", "to_status", "created_at"]
    search_fields = ["actor_name", "note"]
    date_hierarchy = "created_at"


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "created_at", "created_by", "ends_at", "lifted_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["user__username", "reason"]
    list_select_related = ["user", "created_by"]


@admin.register(ModeratorNote)
class ModeratorNoteAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at", "created_by"]
    search_fields = ["user__username", "text"]
    list_select_related = ["user", "created_by"]


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    """The one settings row: edited here or on /moderation/settings/, through update_settings."""

    fields = [*moderation.SETTINGS_FIELDS, "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def has_add_permission(self, request) -> bool:
        return not ModerationSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        values = {name: form.cleaned_data[name] for name in moderation.SETTINGS_FIELDS}
        obj.pk = ModerationSettings.SINGLETON_PK
        moderation.update_settings(by=request.user, **values)
        obj.refresh_from_db()
