"""Moderation's pages: the editors' pages at /moderation/, and a reader's warnings.

Thin views over this app's functions (decisions, sanctions, configuration) and reads (queues).
Every editors' view is guarded by `editor_required` (the one policy for editor pages). Each row
action answers 303 back to the queue it came from, with its filters, so the keyboard script
(site/static/js/moderation.js) lands on the next row.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import editor_required
from comments import flash
from comments.errors import CommentError
from comments.forms import add_refusal
from comments.models import Comment
from comments.views import comment_url

from . import charts, decisions, queues
from .configuration import HIT_DAYS, delete_pack, save_pack, update_settings, with_hits
from .context import moderation_settings, rule_labels, standing_of
from .decisions import PAST_TENSE, Decision
from .forms import BulkForm, DecisionForm, NoteForm, RulePackForm, SanctionForm, SettingsForm
from .models import Classifier, ModeratorNote, RulePack, Sanction
from .sanctions import acknowledge_warnings, add_note, lift_sanction, sanction

CHART_WIDTH = 960  # the overview's charts, in the SVG's own units (they scale to their card)


class SeeOther(HttpResponseRedirect):
    status_code = 303


def _back(request: HttpRequest, default: str) -> SeeOther:
    """Back where the form was sent from (a queue with its filters), if that is on this site."""
    target = request.POST.get("next", "")
    # A control character (a NUL) has no place in an address, and no header may carry it.
    if not target.isprintable() or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return SeeOther(target)


def described(comment: Comment, *, start: bool = False) -> str:
    """How messages name a comment: by its author and article, never by an id."""
    author = comment.author.display_name if comment.author else "deleted user"
    return f"{'T' if start else 't'}he comment by {author} on “{comment.article.title}”"


def _from_thread(request: HttpRequest) -> bool:
    return request.POST.get("from") == "thread"


def _back_to_thread(comment: Comment, request: HttpRequest, text: str, level: str) -> SeeOther:
    """Back to the article the editor acted from: at the comment with the outcome beside it, or
    (when it has left the thread) at the top of the discussion with the outcome there."""
    comment.refresh_from_db(fields=["status", "featured_at"])
    notice = flash.Notice(text, level=level, comment_id=comment.pk if comment.is_visible else None)
    flash.leave_notice(request, article_id=comment.article_id, notice=notice)
    if comment.is_visible:
        return SeeOther(comment_url(comment))
    return SeeOther(f"{comment.article.get_absolute_url()}#comments")


def _nav(request: HttpRequest, current: str) -> dict:
    return {"counts": queues.queue_counts(), "queues": queues.QUEUES, "current": current}


@editor_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    data = queues.overview()
    labels = rule_labels()
    per_day = charts.daily_series(data.decisions_per_day, end=data.end, days=queues.OVERVIEW_DAYS)
    context = {
        **_nav(request, "overview"),
        "overview": data,
        "decisions_chart": charts.vertical_bar_chart(
            per_day,
            title=f"Decisions per day, last {queues.OVERVIEW_DAYS} days",
            x_label="Day",
            y_label="Decisions",
            chart_id="decisions-per-day",
            # Wide, to fill the card: labels stay near their size in the page's text.
            width=CHART_WIDTH,
            height=300,
        ),
        "rules_chart": charts.horizontal_bar_chart(
            [(labels.get(code, code), n) for code, n in data.rule_hits],
            title=(
                f"Rules that held or rejected comments: posted in the last "
                f"{queues.OVERVIEW_DAYS} days, or still waiting"
            ),
            value_label="comments",
            chart_id="rule-hits",
            width=CHART_WIDTH,
            label_width=260,
            empty_text="No rule has fired in this period.",
        ),
    }
    return render(request, "moderation/overview.html", context)


@editor_required
@require_safe
def queue(request: HttpRequest, queue: str) -> HttpResponse:
    if queue not in queues.QUEUES:
        raise Http404("No such queue.")
    asked = queues.parse_queue_query(request.GET)
    for name, problem in asked.errors.items():
        messages.warning(request, f"The “{name}” filter was left out: {problem}")
    filters = asked.filters
    page = queues.queue_page(queue, order=asked.order, filters=filters, after=asked.cursor)
    query = filters.as_query()
    if page.order != page.queue.default_order:
        query["order"] = page.order
    context = {
        **_nav(request, queue),
        "page": page,
        "filters": filters,
        "orders": queues.ORDERS,
        "rules": rule_labels(),
        "query": urlencode(query),
        "here": request.get_full_path(),
    }
    return render(request, "moderation/queue.html", context)


def _queue_url(slug: str = "pending") -> str:
    return reverse("moderation:queue", args=[slug])


@editor_required
@require_POST
def decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in Decision.__members__.values():
        raise Http404("No such action.")
    comment = get_object_or_404(Comment.objects.select_related("author", "article__section"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        text, level = "That action could not be read; please try again.", "error"
    else:
        try:
            decisions.decide(
                comment,
                action,
                by=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except CommentError as error:
            text, level = f"Nothing changed for {described(comment)}. {error.message}", "error"
        else:
            done = PAST_TENSE[Decision(action)]
            text, level = f"{described(comment, start=True)} was {done}.", "success"
    if _from_thread(request):
        return _back_to_thread(comment, request, text, "warning" if level == "error" else level)
    messages.add_message(request, messages.ERROR if level == "error" else messages.SUCCESS, text)
    return _back(request, _queue_url())


@editor_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return _back(request, _queue_url())
    seen = form.cleaned_data["ids"]
    comments = (
        Comment.objects.filter(pk__in=seen)
        .select_related("author", "article__section")
        .order_by("created_at", "pk")
    )
    action = form.cleaned_data["action"]
    outcome = decisions.decide_many(
        comments, action, by=request.user, reason=form.cleaned_data["reason"], versions=seen
    )
    done = outcome.decided
    refused = [f"{described(c)}: {message}" for c, message in outcome.refused]
    if done:
        noun = "comment" if len(done) == 1 else "comments"
        messages.success(request, f"{len(done)} {noun} {PAST_TENSE[Decision(action)]}.")
    if refused:
        messages.warning(request, "Left as they were: " + " ".join(refused))
    return _back(request, _queue_url())


@editor_required
@require_POST
def feature(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("author", "article__section"), pk=pk)
    featured = request.POST.get("featured") == "1"
    try:
        decisions.feature(comment, by=request.user, featured=featured)
    except CommentError as error:
        text, level = error.message, "error"
    else:
        what = "is now an editors' pick" if featured else "is no longer an editors' pick"
        text, level = f"{described(comment, start=True)} {what}.", "success"
    if _from_thread(request):
        return _back_to_thread(comment, request, text, "warning" if level == "error" else level)
    messages.add_message(request, messages.ERROR if level == "error" else messages.SUCCESS, text)
    return _back(request, reverse("moderation:comment", args=[pk]))


@editor_required
@require_safe
def comment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        queues.rows_with_context(Comment.objects.all()).prefetch_related("revisions"), pk=pk
    )
    queues.attach_author_cards([comment])
    context = {
        **_nav(request, ""),
        "comment": comment,
        "events": queues.history_of(comment),
        "here": request.get_full_path(),
    }
    return render(request, "moderation/comment.html", context)


@editor_required
@require_safe
def user_card(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=pk)
    return _user_page(request, person, SanctionForm(), NoteForm())


def _user_page(request, person, sanction_form, note_form, status: int = 200) -> HttpResponse:
    card = queues.author_cards([person])[person.pk]
    recent = list(
        Comment.objects.filter(author=person)
        .select_related("article__section")
        .order_by("-created_at", "-pk")[:20]
    )
    context = {
        **_nav(request, ""),
        "person": person,
        "card": card,
        "sanctions": Sanction.objects.filter(user=person).select_related("created_by", "lifted_by"),
        "notes": ModeratorNote.objects.filter(user=person).select_related("created_by"),
        "recent": recent,
        "sanction_form": sanction_form,
        "note_form": note_form,
        "here": request.get_full_path(),
        "now": timezone.now(),
    }
    return render(request, "moderation/user.html", context, status=status)


@editor_required
@require_POST
def sanction_reader(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=pk)
    form = SanctionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = sanction(
                person,
                data["kind"],
                by=request.user,
                reason=data["reason"],
                days=data["days"],
                reject_pending=data["reject_pending"],
            )
        except CommentError as error:
            add_refusal(form, error)
        else:
            messages.success(request, f"{made.get_kind_display()} recorded for {person}.")
            return _back(request, reverse("moderation:user", args=[pk]))
    return _user_page(request, person, form, NoteForm(), status=400)


@editor_required
@require_POST
def lift(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Sanction.objects.select_related("user"), pk=pk)
    try:
        lift_sanction(found, by=request.user)
    except CommentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{found.get_kind_display()} lifted.")
    return _back(request, reverse("moderation:user", args=[found.user_id]))


@editor_required
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            add_note(person, by=request.user, text=form.cleaned_data["text"])
        except CommentError as error:
            add_refusal(form, error)
        else:
            messages.success(request, "Note saved.")
            return _back(request, reverse("moderation:user", args=[pk]))
    return _user_page(request, person, SanctionForm(), form, status=400)


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    current = moderation_settings()
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            update_settings(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Moderation settings saved.")
            return SeeOther(reverse("moderation:settings"))
    status = 400 if request.method == "POST" else 200
    context = {
        **_nav(request, "settings"),
        "form": form,
        "packs": with_hits(RulePack.objects.all()),
        "hit_days": HIT_DAYS,
        "classifier": Classifier.objects.defer("weights").first(),
        "settings": current,
    }
    return render(request, "moderation/settings.html", context, status=status)


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def pack_page(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """One rule pack's name, action, phrases and words for the reader; or a new pack."""
    pack = get_object_or_404(RulePack, pk=pk) if pk is not None else None
    form = RulePackForm(request.POST or None, instance=pack)
    if request.method == "POST" and request.POST.get("delete") and pack is not None:
        delete_pack(pack, by=request.user)
        messages.success(request, f"The “{pack.name}” pack was deleted.")
        return SeeOther(reverse("moderation:settings"))
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_pack(pack, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The “{saved.name}” pack was saved.")
            return SeeOther(reverse("moderation:settings") + "#packs")
    status = 400 if request.method == "POST" else 200
    context = {**_nav(request, "settings"), "form": form, "pack": pack}
    return render(request, "moderation/pack.html", context, status=status)


# --- A reader's side: the editors' warnings to them ----------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def warnings(request: HttpRequest) -> HttpResponse:
    """The editors' warnings to this reader, which they acknowledge before commenting again."""
    standing = standing_of(request.user)
    if request.method == "POST":
        if acknowledge_warnings(request.user):
            messages.success(request, "Thank you. You can take part in discussions again.")
        return _back(request, reverse("profiles:my-comments"))
    return render(request, "moderation/warnings.html", {"standing": standing})
