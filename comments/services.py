"""The changes readers make to comments: post, edit, delete, report, find helpful.

Each function checks, changes and saves inside one transaction, then sends its signal once the
transaction has committed. A refusal is a `CommentError` carrying a sentence for the reader and a
code; nothing half-written stays behind. Screening and the audit trail belong to the moderator
that settings.COMMENTS_MODERATOR names (comments/moderator.py), called at each step.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.selectors import has_verified_email
from articles.models import Article
from markup.sanitize import render_comment
from markup.text import has_visible_text

from . import signals
from .errors import CommentError
from .models import Comment, CommentRevision, Reaction, Report, max_length_of, store_counts
from .moderator import get_moderator
from .thread import bump_threads

BLANK = "Please write something before posting."
UNVERIFIED = "Please confirm your email address before taking part in the discussion."
ALREADY_REPORTED = "You have already reported this comment; thank you."
IDEMPOTENCY_MISMATCH = (
    "This form was already used for a different comment; please reload the page to write a new one."
)
REPORT_TEXT_MAX_LENGTH = max_length_of(Report, "text")


ONLY_MARKUP = (
    "Your comment is only markup (tags such as <b> or <div>), with no words: please write some."
)
_TAGS = re.compile(r"<[^>]*>")


def comment_length(body: str) -> int:
    """Characters as the reader counts them: a line break is one, however the browser sent it."""
    return len(body.replace("\r\n", "\n"))


def body_problem(body: str) -> str | None:
    """Why this text cannot be a comment, or None. Forms call it too, so the rule is stated once."""
    # Invisible characters alone (zero-width spaces, bidi controls, blank fillers) are blank too.
    if not body or not has_visible_text(body):
        return BLANK
    if not _TAGS.sub("", body).strip():
        # Escaped, it would be published as literal markup; stripped, as nothing.
        return ONLY_MARKUP
    limit = settings.COMMENTS_MAX_LENGTH
    length = comment_length(body)
    if length > limit:
        return f"Please shorten your comment to {limit:,} characters or fewer (it has {length:,})."
    return None


NOTHING_VISIBLE = "Nothing in your comment would be shown; please write some words."


def _check_rendered(body_html: str) -> None:
    # Text that sanitises to nothing (only an HTML comment, a broken tag) would be an empty comment.
    if not has_visible_text(html.unescape(_TAGS.sub("", body_html))):
        raise CommentError(NOTHING_VISIBLE, field="body")


def hash_ip(ip_address: str | None) -> str:
    """A keyed hash of the client address: comparable between comments, not reversible."""
    if not ip_address:
        return ""
    return salted_hmac("comments.ip_hash", ip_address, algorithm="sha256").hexdigest()


def _check_body(body: str) -> None:
    if problem := body_problem(body):
        raise CommentError(problem, field="body")


def _check_author(user: Any) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise CommentError("Please log in to take part in the discussion.", code="login_required")
    if not has_verified_email(user):
        raise CommentError(UNVERIFIED, code="unverified")


def _attach_point(parent: Comment | None) -> Comment | None:
    """Where a reply goes: beside the comment it answers once the thread is at its deepest."""
    while parent is not None and parent.depth >= settings.COMMENTS_MAX_DEPTH:
        parent = parent.parent
    return parent


def post_comment(
    *,
    author: Any,
    article: Article,
    body: str,
    parent: Comment | None = None,
    token: uuid.UUID | None = None,
    ip_address: str | None = None,
    confirmed: bool = False,
) -> Comment:
    """Store a reader's comment (or reply), screened; a repeated `token` returns the first one.

    Raises CommentError when it is refused (nothing stored), and CommentNudge (a CommentError)
    when the moderator asks the reader to look again: they may revise, or post again with
    `confirmed=True` ("post anyway"). A repeated `token` with other text, article or parent is
    refused (`idempotency_mismatch`): the reader would otherwise believe their new text posted.
    """
    _check_author(author)
    if token is not None:
        existing = Comment.objects.filter(author=author, token=token).first()
        if existing is not None:
            return _same_request(existing, article=article, body=body, parent=parent)
    _check_body(body)
    if parent is not None:
        if parent.article_id != article.pk:
            raise CommentError("That comment belongs to another article.", code="parent_elsewhere")
        if not parent.is_visible:
            raise CommentError(
                "The comment you are replying to is no longer available.", code="parent_gone"
            )
    parent = _attach_point(parent)
    body_html = render_comment(body)
    _check_rendered(body_html)
    comment = Comment(
        article=article,
        author=author,
        parent=parent,
        root=(parent.root or parent) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        body=body,
        body_html=body_html,
        ip_hash=hash_ip(ip_address),
        token=token,
    )
    moderator = get_moderator()
    result = moderator.screen(comment, is_edit=False, confirmed=confirmed)
    try:
        with transaction.atomic():
            comment.save()
            moderator.screened(comment, result, previous_status="")
    except IntegrityError:
        # The same form posted twice at once: the other request stored it first.
        if token is not None:
            existing = Comment.objects.filter(author=author, token=token).first()
            if existing is not None:
                return _same_request(existing, article=article, body=body, parent=parent)
        raise
    transaction.on_commit(
        lambda: signals.comment_posted.send(sender=Comment, comment=comment), robust=True
    )
    return comment


def _same_request(
    existing: Comment, *, article: Article, body: str, parent: Comment | None
) -> Comment:
    """The comment a repeated form token made, if this is the same request again."""
    if (
        existing.body != body
        or existing.article_id != article.pk
        or (existing.parent_id is None) != (parent is None)
    ):
        raise CommentError(IDEMPOTENCY_MISMATCH, code="idempotency_mismatch")
    return existing


def editable_until(comment: Comment) -> dt.datetime:
    return comment.created_at + settings.COMMENTS_EDIT_WINDOW


def can_edit(comment: Comment, user: Any, *, now: dt.datetime | None = None) -> bool:
    """Whether this user may still edit this comment (their own, not withdrawn, in the window)."""
    return (
        user is not None
        and user.is_authenticated
        and comment.author_id == user.pk
        and comment.status in (Comment.Status.PENDING, Comment.Status.APPROVED)
        and (now or timezone.now()) < editable_until(comment)
    )


def edit_comment(*, comment: Comment, by: Any, body: str) -> Comment:
    """The author rewrites their comment within the edit window; the old text is kept."""
    if by is None or comment.author_id != by.pk:
        raise CommentError("You can only edit your own comments.", code="not_author")
    if comment.status not in (Comment.Status.PENDING, Comment.Status.APPROVED):
        raise CommentError("This comment can no longer be edited.", code="not_editable")
    now = timezone.now()
    if not can_edit(comment, by, now=now):
        minutes = int(settings.COMMENTS_EDIT_WINDOW.total_seconds() // 60)
        raise CommentError(
            f"Comments can be edited for {minutes} minutes after posting; "
            "this one can no longer be changed.",
            code="edit_window_closed",
        )
    _check_body(body)
    if body == comment.body:
        return comment
    body_html = render_comment(body)
    _check_rendered(body_html)
    with transaction.atomic():
        locked = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        revision = CommentRevision.objects.create(
            comment=locked, body=locked.body, written_at=locked.edited_at or locked.created_at
        )
        locked.body = body
        locked.body_html = body_html
        locked.edited_at = now
        previous = locked.status
        moderator = get_moderator()
        result = moderator.screen(locked, is_edit=True, confirmed=False)
        # Whatever an editor saw of the old text, their decision must not apply to the new one.
        locked.version += 1
        locked.save()
        moderator.screened(locked, result, previous_status=previous)
    transaction.on_commit(
        lambda: signals.comment_edited.send(sender=Comment, comment=locked, revision=revision),
        robust=True,
    )
    return locked


def delete_comment(*, comment: Comment, by: Any) -> Comment:
    """The author withdraws their comment. Soft: replies keep their place under a placeholder."""
    if by is None or comment.author_id != by.pk:
        raise CommentError("You can only delete your own comments.", code="not_author")
    if comment.status == Comment.Status.REMOVED:
        return comment
    with transaction.atomic():
        previous = comment.status
        comment.status = Comment.Status.REMOVED
        comment.version += 1
        comment.save(update_fields=["status", "version"])
        get_moderator().withdrawn(comment, by=by, previous_status=previous)
    transaction.on_commit(
        lambda: signals.comment_deleted.send(sender=Comment, comment=comment), robust=True
    )
    return comment


def report_comment(*, comment: Comment, by: Any, reason: str, text: str = "") -> Report:
    """A reader flags another reader's comment for the moderators, once."""
    if by is None or not by.is_authenticated:
        raise CommentError("Please log in to report a comment.", code="login_required")
    if comment.author_id == by.pk:
        raise CommentError("You cannot report your own comment.", code="own_comment")
    if not comment.is_visible:
        raise CommentError(
            "This comment is no longer shown, so there is nothing to report.", code="not_visible"
        )
    if reason not in Report.Reason.values:
        raise CommentError("Please choose a reason for your report.", field="reason")
    text = text.strip()
    if reason == Report.Reason.OTHER and not text:
        raise CommentError("Please tell us what is wrong with this comment.", field="text")
    if len(text) > REPORT_TEXT_MAX_LENGTH:
        raise CommentError(
            f"Please keep your report to {REPORT_TEXT_MAX_LENGTH:,} characters.", field="text"
        )
    if Report.objects.filter(comment=comment, reporter=by).exists():
        raise CommentError(ALREADY_REPORTED, code="already_reported")
    try:
        with transaction.atomic():
            report = Report.objects.create(comment=comment, reporter=by, reason=reason, text=text)
            get_moderator().reported(report)
    except IntegrityError:
        raise CommentError(ALREADY_REPORTED, code="already_reported") from None
    transaction.on_commit(
        lambda: signals.comment_reported.send(sender=Comment, comment=comment, report=report),
        robust=True,
    )
    return report


REACTING_TOO_FAST = "You are marking comments very quickly; please wait a minute and try again."


def _check_reader(user: Any, article: Article) -> None:
    """What posting asks of a reader (signed in, verified, not sanctioned, comments open) asked of
    anyone who reacts: a reaction is a small public act in the discussion."""
    _check_author(user)
    if article.comments_closed:
        raise CommentError("Comments are closed on this article.", code="comments_closed")
    standing = get_moderator().standing(user)
    if not standing.may_comment:
        raise CommentError(standing.message or "You may not take part now.", code="not_allowed")


def _check_reaction_rate(user: Any) -> None:
    """A fixed one-minute window per reader in the shared cache; open when the cache is down."""
    now = timezone.now().timestamp()
    window = int(now // 60)
    key = f"comments:reactions:{user.pk}:{window}"
    try:
        cache.add(key, 0, timeout=120)
        count = cache.incr(key)
    except Exception:
        return
    if count > settings.COMMENTS_REACTIONS_PER_MINUTE:
        wait = dt.timedelta(seconds=60 - now % 60)  # until the next window
        raise CommentError(REACTING_TOO_FAST, code="throttled", retry_after=wait)


def _set_helpful(comment: Comment, *, by: Any, helpful: bool) -> Comment:
    _check_reader(by, comment.article)
    if comment.author_id == by.pk:
        raise CommentError("You cannot mark your own comment as helpful.", code="own_comment")
    _check_reaction_rate(by)
    with transaction.atomic():
        # Locked, so two readers reacting at once both count and the rank sees both.
        locked = Comment.objects.select_for_update().filter(pk=comment.pk).first()
        if locked is None or not locked.is_visible:
            raise CommentError(
                "This comment is no longer shown, so it cannot be marked.", code="not_visible"
            )
        if helpful:
            _, changed = Reaction.objects.get_or_create(comment=locked, reader=by)
            step = 1
        else:
            changed = bool(Reaction.objects.filter(comment=locked, reader=by).delete()[0])
            step = -1
        if changed:
            store_counts(locked, helpful=locked.helpful_count + step)
            # The cached thread prints the count: a new version of it.
            bump_threads([locked.article_id])
    return locked


def react(*, comment: Comment, by: Any) -> Comment:
    """`by` found this comment helpful (again: nothing changes). Returns it with its new count.

    Refused: not signed in, unverified, suspended or banned, closed comments, one's own comment,
    a comment no longer shown, too many reactions a minute.
    """
    return _set_helpful(comment, by=by, helpful=True)


def unreact(*, comment: Comment, by: Any) -> Comment:
    """`by` takes back their "helpful" (none to take back: nothing changes)."""
    return _set_helpful(comment, by=by, helpful=False)


def handle_deleted_account(*, user: Any) -> set[int]:
    """Apply COMMENTS_ON_ACCOUNT_DELETION before a user's row goes; returns the articles touched.

    "keep": the comments stay and show "deleted user" (the foreign key is set to null by the
    deletion itself). "remove": they are removed, leaving placeholders where they have replies.
    """
    mine = Comment.objects.filter(author=user)
    touched = set(mine.filter(status=Comment.Status.APPROVED).values_list("article_id", flat=True))
    if settings.COMMENTS_ON_ACCOUNT_DELETION == "remove":
        mine.exclude(status=Comment.Status.REMOVED).update(status=Comment.Status.REMOVED)
    # Their reactions go with the account (cascade): the counts they were part of go down now.
    for comment in Comment.objects.select_for_update().filter(reactions__reader=user):
        store_counts(comment, helpful=comment.helpful_count - 1)
        if comment.is_visible:
            touched.add(comment.article_id)
    return touched
