"""The editors' workspace: the Django admin, shaped for writing, scheduling and revising.

Every change of state goes through `articles.publishing` (buttons on the change form and actions on
the list call the same functions); the admin only collects the editor's intent and reports back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from accounts.decorators import AuthenticatedHttpRequest
from accounts.models import User
from accounts.roles import EDITORS_GROUP
from markup.sanitize import render_markdown

from . import publishing
from .models import Article, Page, Section
from .publishing import Action
from .revisions import diff_revisions

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# The submit buttons of the change form, by the name they post, and what they do.
ACTION_BUTTONS = {
    "_publish": Action.PUBLISH,
    "_schedule": Action.SCHEDULE,
    "_unpublish": Action.UNPUBLISH,
    "_draft": Action.DRAFT,
}
DONE = {
    Action.PUBLISH: "published",
    Action.SCHEDULE: "scheduled",
    Action.UNPUBLISH: "unpublished",
    Action.DRAFT: "taken back to draft",
}


def action_from(data) -> Action | None:
    """Which publishing button the editor pressed, if any."""
    return next((action for name, action in ACTION_BUTTONS.items() if name in data), None)


# --- Sections ----------------------------------------------------------------------------------


class _Counted(TypedDict):
    num_articles: int  # SectionAdmin.get_queryset's annotation


class SectionAdminForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["name", "slug", "parent", "position", "description"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parents = Section.objects.order_by("path")
        if self.instance.pk:
            # Moving a section inside itself or its own subtree would make a cycle.
            parents = parents.exclude(pk=self.instance.pk).exclude(
                path__startswith=f"{self.instance.path}/"
            )
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)  # the form field of a foreign key
        parent.queryset = parents
        parent.help_text = (
            "Move the section (and everything in it) by choosing another parent. "
            "Its old addresses keep working: they redirect to the new ones."
        )
        self.fields[
            "slug"
        ].help_text = "Part of the address. Renaming keeps the old addresses working as redirects."


SECTION_INDENT_LEVELS = 8  # site/static/articles/admin/sections.css indents this many levels


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    form = SectionAdminForm
    list_display = ["indented_name", "slug", "path_link", "position", "article_count"]
    list_display_links = ["indented_name"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug", "path"]
    ordering = ["path"]
    list_per_page = 200

    def get_queryset(self, request: HttpRequest) -> QuerySet[Section]:
        return super().get_queryset(request).annotate(num_articles=Count("articles"))

    class Media:
        css = {"all": ["articles/admin/sections.css"]}

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # The list's editable positions post each row's key; Django looks them up with pk__in,
        # where a number beyond the column is a database error rather than "no such row".
        if request.method == "POST" and not all(
            _is_key(value) for name, value in request.POST.items() if name.endswith("-id")
        ):
            raise BadRequest("No such section.")
        return super().changelist_view(request, extra_context)

    @admin.display(description="Section", ordering="path")
    def indented_name(self, obj: Section) -> str:
        # Indented by a class, not a style attribute, which the Content-Security-Policy refuses.
        return format_html(
            '<span class="section-depth section-depth-{}">{}{}</span>',
            min(obj.depth, SECTION_INDENT_LEVELS),
            "↳ " if obj.depth else "",
            obj.name,
        )

    @admin.display(description="Address")
    def path_link(self, obj: Section) -> str:
        return format_html('<a href="{0}">{0}</a>', obj.get_absolute_url())

    @admin.display(description="Articles", ordering="num_articles")
    def article_count(self, obj: WithAnnotations[Section, _Counted]) -> int:
        return obj.num_articles


# --- Articles ----------------------------------------------------------------------------------


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Article.State.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == Article.State.SCHEDULED:
            return queryset.scheduled()
        if value == Article.State.PUBLISHED:
            return queryset.published()
        if value in (Article.State.DRAFT, Article.State.UNPUBLISHED):
            return queryset.filter(status=value)
        return queryset


class ArticleAdminForm(forms.ModelForm):
    material_update = forms.BooleanField(
        required=False,
        label="Material update",
        help_text=(
            "Tick when this save changes what the article says (not for typos): the page will "
            "show “Updated” with today's date, and search engines will be told."
        ),
    )

    # Set by ArticleAdmin.get_form: who is editing, to check the publishing buttons.
    user: User

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "section",
            "author",
            "summary",
            "tags",
            "body",
            "published_at",
            "comments_mode",
            "comments_close_after_days",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "author" in self.fields:
            author = self.fields["author"]
            assert isinstance(author, forms.ModelChoiceField)  # the form field of a foreign key
            # The byline: staff and editors, and whoever holds it now (the seed's author is
            # neither). Editors cannot browse user accounts, so no autocomplete over all users.
            author.queryset = (
                User.objects.filter(
                    Q(is_staff=True) | Q(groups__name=EDITORS_GROUP) | Q(pk=self.instance.author_id)
                )
                .distinct()
                .order_by("username")
            )
            author.help_text = "The byline. Who edited it is kept separately, in its history."

    @property
    def publishing_action(self) -> Action | None:
        return action_from(self.data)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if "published_at" in cleaned and "published_at" not in self.changed_data:
            # The form shows whole seconds: an untouched time keeps its stored precision, so
            # saving does not count as moving it.
            cleaned["published_at"] = self.instance.published_at
        action = self.publishing_action
        try:
            if action is not None:
                publishing.check_transition(
                    article=self.instance,
                    action=action,
                    by=self.user,
                    at=cleaned.get("published_at"),
                )
            elif (
                self.instance.status == Article.Status.PUBLISHED
                and not publishing.can_publish(self.user)
                and "published_at" in self.changed_data
            ):
                self.add_error(
                    "published_at", "You do not have permission to change when it is published."
                )
        except PermissionDenied as error:
            raise ValidationError(str(error), code="permission") from error
        if cleaned.get("material_update") and (
            action is not None or self.instance.state != Article.State.PUBLISHED
        ):
            self.add_error(
                "material_update",
                "Only a save of a published article can be a material update.",
            )
        return cleaned


class KeyCheckedHistoryAdmin(SimpleHistoryAdmin):
    """simple-history's views look their keys up as given: one that is not a number would be a
    server error, so it is a 404 here."""

    def history_view(self, request, object_id, extra_context=None):
        if not _is_key(object_id):
            raise Http404("No such page.")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not all(_is_key(value) for value in (object_id, version_id)):
            raise Http404("No such revision.")
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Article)
class ArticleAdmin(KeyCheckedHistoryAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    object_history_list_template = "admin/articles/article/history_list.html"
    list_display = [
        "title",
        "section",
        "author",
        "state_badge",
        "published_at",
        "revised_at",
        "comments_mode",
    ]
    list_filter = [StateFilter, "comments_mode", "section"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    list_select_related = ["section", "author"]
    readonly_fields = ["state_badge", "revised_at", "created_at", "updated_at", "last_edited_by"]
    actions = ["publish_selected", "schedule_selected", "unpublish_selected", "draft_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "section", "author", "summary", "tags", "body"]}),
        (
            "Publication",
            {
                "fields": ["state_badge", "published_at", "revised_at", "material_update"],
                "description": (
                    "Use the buttons below to publish now, or to schedule for the time given "
                    "here: a scheduled article goes live by itself at that time."
                ),
            },
        ),
        ("Comments", {"fields": ["comments_mode", "comments_close_after_days"]}),
        (
            "Record",
            {"fields": ["created_at", "updated_at", "last_edited_by"], "classes": ["collapse"]},
        ),
    ]

    class Media:
        css = {"all": ["articles/admin/editor.css"]}
        js = ["articles/admin/markdown-preview.js"]

    def view_on_site(self, obj: Article) -> str:
        """The page readers see; for an article they cannot see yet, its preview (not a 404)."""
        if obj.is_public:
            return obj.get_absolute_url()
        return reverse("articles:preview", args=[obj.pk])

    # Permissions ----------------------------------------------------------------------------

    def has_publish_permission(self, request: AuthenticatedHttpRequest) -> bool:
        return publishing.can_publish(request.user)

    # List -----------------------------------------------------------------------------------

    @admin.display(description="State")
    def state_badge(self, obj: Article) -> str:
        if obj.pk is None:
            return format_html('<span class="state state-{}">{}</span>', "draft", "Draft")
        state = obj.state
        title = ""
        if state is Article.State.SCHEDULED:
            local = timezone.localtime(obj.published_at)
            title = f" – goes live {local:%Y-%m-%d %H:%M}"
        return format_html(
            '<span class="state state-{}">{}</span>{}', state.value, state.label, title
        )

    @admin.display(description="Last edited by")
    def last_edited_by(self, obj: Article) -> str:
        latest = obj.history.select_related("history_user").first() if obj.pk else None
        if latest is None or latest.history_user is None:
            return "—"
        local = timezone.localtime(latest.history_date)
        return f"{latest.history_user} on {local:%Y-%m-%d %H:%M}"

    # Change form ----------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            {
                "article_state": obj.state if obj is not None else Article.State.DRAFT,
                "can_publish": publishing.can_publish(request.user),
                "preview_url": reverse("articles:preview", args=[obj.pk]) if obj else None,
                "markdown_preview_url": reverse("admin:articles_article_markdown_preview"),
            }
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj: Article, form: ArticleAdminForm, change: bool) -> None:
        action = form.publishing_action
        if action is not None:
            # The form's time is the schedule's; publishing, unpublishing keep their own rules.
            publishing.run_action(article=obj, action=action, by=request.user, at=obj.published_at)
        else:
            material = form.cleaned_data.get("material_update", False)
            publishing.save_article(article=obj, by=request.user, material=material)

    def _after_action(self, request, obj: Article) -> HttpResponse | None:
        action = action_from(request.POST)
        if action is None:
            return None
        self.message_user(request, f"“{obj}” was {DONE[action]}.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_action(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._after_action(request, obj) or super().response_change(request, obj)

    # List actions ---------------------------------------------------------------------------

    def _apply(self, request, queryset, action: Action, at=None) -> None:
        done, refused = 0, []
        for article in queryset.select_related("section"):
            try:
                publishing.run_action(article=article, action=action, by=request.user, at=at)
            except (ValidationError, PermissionDenied) as error:
                reasons = getattr(error, "messages", [str(error)])
                refused.append(f"“{article}”: {' '.join(reasons)}")
            else:
                done += 1
        if done:
            noun = "article was" if done == 1 else "articles were"
            self.message_user(request, f"{done} {noun} {DONE[action]}.", messages.SUCCESS)
        if refused:
            self.message_user(request, "Left as they were: " + "; ".join(refused), messages.WARNING)

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, Action.PUBLISH)

    @admin.action(description="Unpublish", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._apply(request, queryset, Action.UNPUBLISH)

    @admin.action(description="Back to draft", permissions=["publish"])
    def draft_selected(self, request, queryset):
        self._apply(request, queryset, Action.DRAFT)

    @admin.action(description="Schedule for a time…", permissions=["publish"])
    def schedule_selected(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._apply(request, queryset, Action.SCHEDULE, at=form.cleaned_data["at"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Schedule articles",
            "opts": self.opts,
            "form": form,
            "articles": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/article/schedule.html", context)

    # Extra views: Markdown preview, revisions ------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        own = [
            path(
                "markdown-preview/",
                view(self.markdown_preview_view),
                name="articles_article_markdown_preview",
            ),
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/history/<int:revision_id>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
        ]
        # Before simple-history's "<id>/history/<version>/", which would take "compare".
        return own + super().get_urls()

    def markdown_preview_view(self, request: HttpRequest) -> HttpResponse:
        """The editor's live preview: the body exactly as the page will show it, sanitised.

        Staff only and never cached (admin_view), for those who may write articles; POST, as
        a body can be longer than a URL.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            raise PermissionDenied
        return JsonResponse({"html": render_markdown(request.POST.get("body", ""))})

    def _article_for(self, request, object_id) -> Article:
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        return article

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        article = self._article_for(request, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        revisions = article.history.all()
        older = _revision_param(revisions, request.GET.get("from"))
        newer = _revision_param(revisions, request.GET.get("to"))
        if older.history_date > newer.history_date:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            # Reached from a revision's "Restore…": the page asks that question.
            "title": (
                f"Restore this revision of “{article}”?"
                if request.GET.get("restore")
                else f"Compare revisions: {article}"
            ),
            "opts": self.opts,
            "original": article,
            "older": older,
            "newer": newer,
            "changes": diff_revisions(older, newer),
            "can_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/revision_diff.html", context)

    def restore_view(
        self, request: AuthenticatedHttpRequest, object_id: str, revision_id: int
    ) -> HttpResponse:
        article = self._article_for(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(article.history, history_id=revision_id)
        if request.method != "POST":
            # A restore shows what it will change first: the revision against the current one.
            current = article.history.first()
            query = f"?from={revision.history_id}&to={current.history_id}&restore=1"
            return HttpResponseRedirect(
                reverse("admin:articles_article_compare", args=[article.pk]) + query
            )
        try:
            publishing.restore_revision(article=article, revision_id=revision_id, by=request.user)
        except ValidationError as error:
            self.message_user(request, "Not restored: " + " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, "The revision was restored, as a new revision.")
        return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting through simple-history's form would bypass the publishing rules (it saves
        # the old status too): restores go through restore_view. Looking stays allowed.
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        article = self._article_for(request, object_id)
        extra = {
            "can_restore": self.has_change_permission(request, article),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra)


class ScheduleForm(forms.Form):
    at = forms.SplitDateTimeField(
        label="Go live at",
        widget=AdminSplitDateTime,
        help_text="In the site's time zone.",
    )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at <= timezone.now():
            raise ValidationError("A scheduled time must be in the future.")
        return at


MAX_KEY = 2**63 - 1  # the largest key a BigAutoField holds


def _is_key(value: object) -> bool:
    """Whether `value` could be a row's key: digits only, within the column's range."""
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= MAX_KEY


def _revision_param(revisions, value: str | None):
    try:
        return revisions.get(history_id=int(value or ""))
    except (ValueError, revisions.model.DoesNotExist) as error:
        raise Http404("No such revision of this article.") from error


# --- Pages -------------------------------------------------------------------------------------


@admin.register(Page)
class PageAdmin(KeyCheckedHistoryAdmin):
    """The site's own pages. The ones the site links to keep their address and cannot go."""

    change_form_template = "admin/articles/article/change_form.html"
    list_display = ["title", "path_link", "updated_at"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "summary", "body"]

    class Media:
        css = {"all": ["articles/admin/editor.css"]}
        js = ["articles/admin/markdown-preview.js"]

    @admin.display(description="Address")
    def path_link(self, obj: Page) -> str:
        return format_html('<a href="{0}">{0}</a>', obj.get_absolute_url())

    def _required(self, obj: Page | None) -> bool:
        return obj is not None and obj.slug in Page.REQUIRED_PAGES

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if self._required(obj) else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if self._required(obj) else self.prepopulated_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._required(obj) and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Bulk deletion would not ask about each page: delete one at a time, from its form.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["markdown_preview_url"] = reverse("admin:articles_article_markdown_preview")
        return super().render_change_form(request, context, add, change, form_url, obj)
