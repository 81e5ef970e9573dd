"""Admin: comments with their earlier versions and reports.

Bodies are shown, never edited here: a reader's words are not rewritten, and a comment's status
changes only through the moderation app (whose admin adds the decisions and the audit trail to
this one: moderation/admin.py).
"""

from django.contrib import admin

from .models import Comment, CommentRevision, Report


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RevisionInline(ReadOnlyInline):
    model = CommentRevision
    fields = ("written_at", "replaced_at", "body")
    readonly_fields = fields


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ("created_at", "reporter", "reason", "text")
    readonly_fields = fields


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "article", "author", "status", "depth", "created_at", "edited_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["body", "author__username", "article__title"]
    list_select_related = ["article", "author"]
    date_hierarchy = "created_at"
    fields = (
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
    )
    readonly_fields = fields
    inlines = [RevisionInline, ReportInline]

    def has_add_permission(self, request) -> bool:
        return False  # comments come from readers, through the article page


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
