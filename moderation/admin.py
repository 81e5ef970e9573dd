"""Admin: moderation's records, read-only, and editors' decisions on comments.

A comment's status changes only through moderation.decisions (the list actions below call
`decide_many`), so every change is checked and recorded; the audit trail is read-only for
everyone. The comments app's own admin is extended here rather than edited, so that comments
knows nothing of moderation.
"""

from django.contrib import admin, messages

from accounts.roles import is_editor
from comments.admin import CommentAdmin, ReadOnlyInline
from comments.models import Comment

from .configuration import (
    HIT_DAYS,
    PACK_FIELDS,
    SETTINGS_FIELDS,
    delete_pack,
    save_pack,
    update_settings,
    with_hits,
)
from .decisions import PAST_TENSE, Decision, decide_many
from .forms import RulePackForm
from .models import (
    Classifier,
    ModerationEvent,
    ModerationSettings,
    ModeratorNote,
    Refusal,
    RulePack,
    Sanction,
)


class EventInline(ReadOnlyInline):
    model = ModerationEvent
    fields = ("created_at", "kind", "actor_name", "from_status", "to_status", "reasons", "note")
    readonly_fields = fields
    verbose_name_plural = "History (audit trail)"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ModeratedCommentAdmin(CommentAdmin):
    inlines = [*CommentAdmin.inlines, EventInline]
    actions = ["approve_selected", "reject_selected", "spam_selected", "restore_selected"]

    def _decide(self, request, queryset, action: str) -> None:
        outcome = decide_many(queryset.order_by("pk"), action, by=request.user)
        if outcome.decided:
            done = PAST_TENSE[Decision(action)]
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
        # The editors' one policy (the admin itself already asked for the second factor).
        return is_editor(request.user)


admin.site.unregister(Comment)
admin.site.register(Comment, ModeratedCommentAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: these rows change only through this app's functions."""

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

    fields = [*SETTINGS_FIELDS, "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def has_add_permission(self, request) -> bool:
        return not ModerationSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        values = {name: form.cleaned_data[name] for name in SETTINGS_FIELDS}
        obj.pk = ModerationSettings.SINGLETON_PK
        update_settings(by=request.user, **values)
        obj.refresh_from_db()


@admin.register(RulePack)
class RulePackAdmin(admin.ModelAdmin):
    """Rule packs, changed here as on /moderation/settings/: through save_pack and delete_pack
    (checked, and every worker told)."""

    form = RulePackForm
    fields = [*PACK_FIELDS, "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]
    list_display = ["name", "action", "enabled", "lines", "fired_recently", "fired_in_all"]
    list_filter = ["action", "enabled"]
    search_fields = ["name", "phrases"]

    def get_queryset(self, request):
        # Each row with `fired` and `fired_recently` (with_hits: one query for the page).
        return with_hits(super().get_queryset(request))

    @admin.display(description="phrase lines")
    def lines(self, obj: RulePack) -> int:
        return sum(1 for line in obj.phrases.splitlines() if line.strip()[:1] not in ("", "#"))

    @admin.display(description=f"fired, last {HIT_DAYS} days", ordering="fired_recently")
    def fired_recently(self, obj: RulePack) -> int:
        return obj.fired_recently  # type: ignore[attr-defined]

    @admin.display(description="fired, all time", ordering="fired")
    def fired_in_all(self, obj: RulePack) -> int:
        return obj.fired  # type: ignore[attr-defined]

    def save_model(self, request, obj, form, change) -> None:
        values = {name: form.cleaned_data[name] for name in PACK_FIELDS}
        saved = save_pack(obj if change else None, by=request.user, **values)
        obj.pk, obj.slug = saved.pk, saved.slug

    def delete_model(self, request, obj) -> None:
        delete_pack(obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for pack in queryset:
            delete_pack(pack, by=request.user)


@admin.register(Classifier)
class ClassifierAdmin(ReadOnlyAdmin):
    """The trained models (newest first); `manage.py retrain_classifier` makes a new one."""

    list_display = ["pk", "created_at", "examples", "decisions", "seed_examples", "trained_by"]
    exclude = ["weights"]


@admin.register(Refusal)
class RefusalAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "author", "article", "reasons"]
    list_filter = ["created_at"]
    list_select_related = ["author", "article"]
