"""Who hears of what happens in a discussion: the inbox, and the emails comments.tasks sends.

Each event function below is called once its change has committed (by comments.receivers for the
comment services' signals, by the moderation app for editors' decisions and picks). It decides
the recipients, stores one Notification per (recipient, kind, comment) (a database constraint:
an event seen twice notifies once), keeps the recipients' unread counts, and queues the emails
once that has committed. Whether an email is still wanted is checked again when it is sent.

Rules:
- Nobody is told of their own doing (a reply to oneself, a mention of oneself).
- A reader who muted a discussion (Follow.muted) hears nothing of it but what editors do with
  their own comments.
- A comment notifies others only once it is visible: a held reply notifies when approved.
- Followers hear of new comments, at most one email per discussion per hour (a digest); the
  readers a reply or mention already told are not told again of the same comment.
- Editors who opt in hear, in an hourly digest, of reported comments and of new held comments
  while the Pending queue holds at least NOTIFICATIONS_PENDING_THRESHOLD.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from accounts.roles import editor_ids
from articles.models import Article
from taskqueue.queue import enqueue

from .mentions import linked_usernames
from .models import Comment, Follow, Notification, NotificationSetting
from .moderator import get_moderator

Kind = Notification.Kind
User = get_user_model()

# Whether each kind is emailed when a reader has not chosen (the settings page changes it).
EMAIL_DEFAULTS: dict[str, bool] = {
    Kind.REPLY: True,
    Kind.MENTION: True,
    Kind.THREAD: True,
    Kind.APPROVED: True,
    Kind.REJECTED: True,
    Kind.FEATURED: True,
    Kind.QUEUE: False,  # editors opt in
}
# Sent as an hourly digest per batch (comments.tasks.send_digest); the others one by one.
BATCHED = frozenset({Kind.THREAD, Kind.QUEUE})
# Silenced by muting the discussion.
MUTABLE = frozenset({Kind.REPLY, Kind.MENTION, Kind.THREAD})
# The kinds only editors receive.
EDITOR_KINDS = frozenset({Kind.QUEUE})


def kinds_for(reader: Any) -> list[str]:
    """The kinds this reader may receive (the settings page lists these)."""
    editor = bool(editor_ids([reader.pk]))
    return [k for k in Kind.values if editor or k not in EDITOR_KINDS]


def email_choices(reader: Any) -> dict[str, bool]:
    """Whether each kind is emailed to this reader: their choice, else the default."""
    chosen = dict(NotificationSetting.objects.filter(reader=reader).values_list("kind", "email"))
    return {k: chosen.get(k, EMAIL_DEFAULTS[k]) for k in kinds_for(reader)}


def set_email(*, reader: Any, kind: str, email: bool) -> None:
    if kind not in Kind.values:
        raise ValueError(f"No such kind of notification: {kind!r}.")
    NotificationSetting.objects.update_or_create(
        reader=reader, kind=kind, defaults={"email": email}
    )
    if not email:
        # Nothing already waiting for a digest goes out after the reader said no.
        Notification.objects.filter(recipient=reader, kind=kind, email_pending=True).update(
            email_pending=False
        )


def _wanting_email(reader_ids: Iterable[int], kind: str) -> set[int]:
    ids = set(reader_ids)
    chosen = dict(
        NotificationSetting.objects.filter(reader_id__in=ids, kind=kind).values_list(
            "reader_id", "email"
        )
    )
    return {i for i in ids if chosen.get(i, EMAIL_DEFAULTS[kind])}


# --- Following ----------------------------------------------------------------------------------


def following(*, reader: Any, article: Article) -> bool:
    return Follow.objects.filter(reader=reader, article=article, muted=False).exists()


def follow(*, reader: Any, article: Article) -> Follow:
    made, _ = Follow.objects.update_or_create(
        reader=reader, article=article, defaults={"muted": False}
    )
    return made


def unfollow(*, reader: Any, article: Article) -> Follow:
    """Stop following, and mute: no more replies, mentions or new comments from this discussion."""
    made, _ = Follow.objects.update_or_create(
        reader=reader, article=article, defaults={"muted": True}
    )
    return made


def _muted(reader_ids: Iterable[int], article_id: int) -> set[int]:
    return set(
        Follow.objects.filter(
            article_id=article_id, reader_id__in=set(reader_ids), muted=True
        ).values_list("reader_id", flat=True)
    )


# --- Storing ------------------------------------------------------------------------------------


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    comment: Comment,
    actor: Any = None,
    reason: str = "",
) -> list[int]:
    """Store this notification for each recipient not yet told; returns who was newly told.

    The actor is never told of their own doing; readers who muted the discussion are not told of
    the kinds muting silences. Emails are queued after commit.
    """
    ids = {getattr(r, "pk", r) for r in recipients} - {None}
    if actor is not None:
        ids.discard(actor.pk)
    if kind in MUTABLE and ids:
        ids -= _muted(ids, comment.article_id)
    if not ids:
        return []
    with transaction.atomic():
        ids -= set(
            Notification.objects.filter(
                kind=kind, comment=comment, recipient_id__in=ids
            ).values_list("recipient_id", flat=True)
        )
        emailed = _wanting_email(ids, kind)
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=i,
                    kind=kind,
                    comment=comment,
                    actor=actor,
                    reason=reason,
                    email_pending=i in emailed,
                )
                for i in ids
            ],
            ignore_conflicts=True,  # the same event at the same moment elsewhere: once is enough
        )
        recount(ids)
    if emailed:
        transaction.on_commit(lambda: _queue_emails(sorted(emailed), kind, comment))
    return sorted(ids)


def _queue_emails(recipient_ids: list[int], kind: str, comment: Comment) -> None:
    from . import tasks  # here: the tasks read this module's rules

    if kind in BATCHED:
        key = digest_key(kind, comment.article_id)
        for i in recipient_ids:
            enqueue(tasks.send_digest, i, key)
        return
    pending = Notification.objects.filter(
        kind=kind, comment=comment, recipient_id__in=recipient_ids, email_pending=True
    ).values_list("pk", flat=True)
    for pk in pending:
        enqueue(tasks.send_notification, pk)


def digest_key(kind: str, article_id: int) -> str:
    return f"thread:{article_id}" if kind == Kind.THREAD else str(kind)


def recount(reader_ids: Iterable[int]) -> None:
    """Each reader's unread count from the notifications themselves (one UPDATE)."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    User.objects.filter(pk__in=set(reader_ids)).update(
        unread_notifications=Coalesce(Subquery(unread), Value(0))
    )


def mark_read(*, reader: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the reader's notifications read (these ids, or all); returns how many changed."""
    with transaction.atomic():
        unread = Notification.objects.filter(recipient=reader, read_at__isnull=True)
        if ids is not None:
            unread = unread.filter(pk__in=list(ids))
        changed = unread.update(read_at=timezone.now())
        if changed:
            recount([reader.pk])
    if changed:
        reader.unread_notifications = max(0, reader.unread_notifications - changed)
    return changed


def link_of(notification: Notification) -> str:
    """Where a notification leads: the comment in its thread, or for editors its review."""
    if notification.kind in EDITOR_KINDS:
        return get_moderator().review_url(notification.comment)
    return notification.comment.get_absolute_url()


def inbox(reader: Any):
    """The reader's notifications, newest first, with what each page row shows (one query)."""
    return Notification.objects.filter(recipient=reader).select_related(
        "actor", "comment__article__section", "comment__author"
    )


# --- Events -------------------------------------------------------------------------------------


def mentioned_readers(comment: Comment) -> list[Any]:
    """The readers a comment's stored HTML links as @mentions (comments.mentions made them)."""
    names = linked_usernames(comment.body_html)
    if not names:
        return []
    return list(
        User.objects.annotate(name_lower=Lower("username")).filter(
            name_lower__in=names, is_active=True
        )
    )


def comment_posted(comment: Comment) -> None:
    """A reader posted: they follow the discussion (unless they muted it); others hear of it
    now if it is visible, else when an editor approves it."""
    if comment.author_id is not None:
        Follow.objects.get_or_create(reader_id=comment.author_id, article_id=comment.article_id)
    if comment.is_visible:
        comment_published(comment)
    elif comment.status == Comment.Status.PENDING:
        pending_queue_grew(comment)


def comment_edited(comment: Comment) -> None:
    """An edit may add mentions: those readers are told (once; the others already were)."""
    if comment.is_visible:
        _mentions(comment)


def _mentions(comment: Comment) -> set[int]:
    """Tell the readers the comment mentions, but not one its reply already told."""
    told = Notification.objects.filter(comment=comment, kind=Kind.REPLY).values_list(
        "recipient_id", flat=True
    )
    mentioned = {r.pk for r in mentioned_readers(comment)} - set(told)
    return set(
        notify(recipients=mentioned, kind=Kind.MENTION, comment=comment, actor=comment.author)
    )


def comment_published(comment: Comment) -> None:
    """A comment became visible: the reply, mentions, then the discussion's followers; each
    reader hears of it once, in the first of these that concerns them."""
    told: set[int] = set()
    parent = comment.parent
    if parent is not None and parent.author_id is not None and parent.is_visible:
        told |= set(
            notify(
                recipients=[parent.author_id],
                kind=Kind.REPLY,
                comment=comment,
                actor=comment.author,
            )
        )
    told |= _mentions(comment)
    followers = Follow.objects.filter(article_id=comment.article_id, muted=False).values_list(
        "reader_id", flat=True
    )
    notify(
        recipients=set(followers) - told,
        kind=Kind.THREAD,
        comment=comment,
        actor=comment.author,
    )


def comment_decided(
    *, comment: Comment, previous_status: str, actor: Any = None, reason: str = ""
) -> None:
    """An editor's decision: the author hears whether their held comment is published or not
    (with the reason), and a newly published comment is announced as if just posted."""
    status = comment.status
    author = [comment.author_id] if comment.author_id else []
    if status == Comment.Status.APPROVED and previous_status != Comment.Status.APPROVED:
        if previous_status == Comment.Status.PENDING:
            notify(recipients=author, kind=Kind.APPROVED, comment=comment, actor=actor)
        comment_published(comment)
    elif status == Comment.Status.REJECTED and previous_status != Comment.Status.REJECTED:
        notify(recipients=author, kind=Kind.REJECTED, comment=comment, actor=actor, reason=reason)


def comment_featured(*, comment: Comment, actor: Any = None) -> None:
    if comment.is_visible and comment.author_id:
        notify(recipients=[comment.author_id], kind=Kind.FEATURED, comment=comment, actor=actor)


def _opted_in_editors() -> set[int]:
    chosen = NotificationSetting.objects.filter(kind=Kind.QUEUE, email=True).values_list(
        "reader_id", flat=True
    )
    return editor_ids(chosen)


def comment_reported(comment: Comment) -> None:
    notify(recipients=_opted_in_editors(), kind=Kind.QUEUE, comment=comment)


def pending_queue_grew(comment: Comment) -> None:
    threshold = settings.NOTIFICATIONS_PENDING_THRESHOLD
    if Comment.objects.in_queue("pending").count() >= threshold:
        notify(recipients=_opted_in_editors(), kind=Kind.QUEUE, comment=comment)


# --- Unsubscribing ------------------------------------------------------------------------------

_UNSUBSCRIBE_SALT = "comments.notifications.unsubscribe"


def unsubscribe_token(*, reader: Any, kind: str) -> str:
    """A token naming (reader, kind), signed with the site's key: an email's one-click link."""
    return signing.dumps({"r": reader.pk, "k": str(kind)}, salt=_UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[Any, str] | None:
    """The (reader, kind) a token names, or None when it is forged, garbled or stale."""
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
        reader = User.objects.get(pk=int(data["r"]), is_active=True)
        kind = str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist):
        return None
    if kind not in Kind.values:
        return None
    return reader, kind
