"""The comments app's queued work (taskqueue: retried, then dead-lettered): re-rendering comments,
the threads' nightly recount, and notification emails.

Whether a notification email is still wanted is decided when it is sent, not when the event
happened: the reader's address must be verified, they must not be banned or have turned the kind
off (or muted the discussion), and the comment must still be as the email says (visible, for
others' comments; still published, rejected or picked, for one's own). A notification's
`email_pending` is cleared in the transaction that sends its email, so a failed send leaves it
for a retry.

Batched kinds (followed discussions, the editors' queue) go out as digests: at most one email per
batch per NOTIFICATIONS_DIGEST_MINUTES. A notification arriving sooner waits; with a worker a
send is queued for when the hour is up, inline (no worker) `manage.py send_notification_digests`
(from cron) sends what is due; with one, its beat runs `send_due_digests` too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.roles import editor_ids
from markup.rerender import rerender
from taskqueue.queue import task

from .emails import compose
from .models import Comment, EmailDigest, Follow, Notification
from .moderator import get_moderator
from .notifications import BATCHED, EDITOR_KINDS, MUTABLE, email_choices
from .services import render_body
from .thread import bump_threads
from .thread import recount_threads as recount

Kind = Notification.Kind
Status = Comment.Status


def may_email(reader: Any, kind: str) -> bool:
    """The reader, as they are now, may get emails of this kind."""
    if reader is None or not reader.is_active or not reader.email:
        return False
    if not EmailAddress.objects.filter(
        user=reader, email__iexact=reader.email, verified=True
    ).exists():
        return False
    if get_moderator().standing(reader).banned:
        return False
    if kind in EDITOR_KINDS and not editor_ids([reader.pk]):
        return False
    return email_choices(reader).get(kind, False)


def still_true(notification: Notification) -> bool:
    """What the notification says of its comment still holds."""
    comment, kind = notification.comment, notification.kind
    if kind == Kind.APPROVED:
        return comment.status == Status.APPROVED
    if kind == Kind.REJECTED:
        return comment.status == Status.REJECTED
    if kind == Kind.FEATURED:
        return comment.is_visible and comment.is_featured
    if kind == Kind.QUEUE:
        return comment.status == Status.PENDING or comment.open_reports > 0
    return comment.is_visible


def _worth_sending(reader: Any, kind: str, notifications: Sequence[Notification]) -> list:
    if not notifications or not may_email(reader, kind):
        return []
    keep = [n for n in notifications if still_true(n)]
    if kind in MUTABLE and keep:
        muted = set(
            Follow.objects.filter(
                reader=reader, muted=True, article_id__in={n.comment.article_id for n in keep}
            ).values_list("article_id", flat=True)
        )
        keep = [n for n in keep if n.comment.article_id not in muted]
    return keep


def _with_comments(qs):
    return qs.select_related("actor", "comment__article__section", "comment__author", "recipient")


@task()
def send_notification(notification_id: int) -> None:
    """The email of one notification (the kinds not batched)."""
    with transaction.atomic():
        notification = (
            _with_comments(Notification.objects.select_for_update(of=("self",)))
            .filter(pk=notification_id, email_pending=True)
            .first()
        )
        if notification is None:
            return  # sent already, or no longer wanted
        Notification.objects.filter(pk=notification.pk).update(email_pending=False)
        reader = notification.recipient
        if _worth_sending(reader, notification.kind, [notification]):
            compose(reader=reader, kind=notification.kind, notifications=[notification]).send()


def digest_period() -> dt.timedelta:
    return dt.timedelta(minutes=settings.NOTIFICATIONS_DIGEST_MINUTES)


def _waiting(reader_id: int, key: str):
    qs = Notification.objects.filter(recipient_id=reader_id, email_pending=True)
    if key.startswith("thread:"):
        return qs.filter(kind=Kind.THREAD, comment__article_id=int(key.split(":", 1)[1]))
    return qs.filter(kind=key)


@task()
def send_digest(reader_id: int, key: str) -> None:
    """The digest of one batch for one reader, unless one went out less than a period ago."""
    now = timezone.now()
    with transaction.atomic():
        EmailDigest.objects.get_or_create(reader_id=reader_id, key=key)
        digest = EmailDigest.objects.select_for_update().get(reader_id=reader_id, key=key)
        if digest.last_sent_at is not None and digest.last_sent_at + digest_period() > now:
            _send_later(digest, now)
            return
        waiting = list(_with_comments(_waiting(reader_id, key)).order_by("created_at", "pk"))
        if not waiting:
            return
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(email_pending=False)
        reader = waiting[0].recipient
        kind = waiting[0].kind
        keep = _worth_sending(reader, kind, waiting)
        digest.scheduled_for = None
        if keep:
            digest.last_sent_at = now
            compose(reader=reader, kind=kind, notifications=keep).send()
        digest.save(update_fields=["last_sent_at", "scheduled_for"])


def _send_later(digest: EmailDigest, now: dt.datetime) -> None:
    """With a worker, queue one send for when the period is up (once per period)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # inline, nothing can wait: send_notification_digests sends it when due
    if digest.scheduled_for is not None and digest.scheduled_for > now:
        return
    assert digest.last_sent_at is not None
    due = digest.last_sent_at + digest_period()
    digest.scheduled_for = due
    digest.save(update_fields=["scheduled_for"])
    reader_id, key = digest.reader_id, digest.key
    transaction.on_commit(lambda: send_digest.apply_async((reader_id, key), eta=due))


@task()
def send_due_digests() -> int:
    """Every digest whose period is up and that has something waiting; returns how many batches
    were looked at."""
    waiting = (
        Notification.objects.filter(email_pending=True, kind__in=BATCHED)
        .values_list("recipient_id", "kind", "comment__article_id")
        .distinct()
    )
    keys = {
        (reader_id, f"thread:{article_id}" if kind == Kind.THREAD else kind)
        for reader_id, kind, article_id in waiting
    }
    for reader_id, key in sorted(keys):
        send_digest(reader_id, key)
    return len(keys)


@task()
def rerender_comments(first_pk: int, last_pk: int) -> int:
    """Re-render the stored HTML of comments first_pk..last_pk; returns how many changed.

    Their threads get new versions in the same transaction, so every worker's cached pages of
    them (and the whole anonymous pages that show them) miss from then on.
    """
    with transaction.atomic():
        rows = Comment.objects.filter(pk__gte=first_pk, pk__lte=last_pk).order_by("pk")
        stale = rerender(rows, render_body, also=["article_id"])
        bump_threads(c.article_id for c in stale)
    return len(stale)


@task()
def recount_threads() -> int:
    """A safety net on a schedule (CELERY_BEAT_SCHEDULE): correct any drifted thread counts."""
    return recount()
