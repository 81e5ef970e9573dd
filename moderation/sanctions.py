"""What editors decide about readers: warnings, suspensions, bans, pre-moderation, trust; notes.

`sanction()`, `lift_sanction()`, `acknowledge_warnings()` and `add_note()` are the only ways these
change, for the moderation pages, the admin, the API and commands alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.readers import reader_changed
from accounts.roles import is_editor
from comments.errors import CommentError
from comments.models import Comment, max_length_of

from . import signals
from .decisions import Decision, check_moderator, decide_many
from .models import ModeratorNote, Sanction

Status = Comment.Status


NEEDS_REASON = {Sanction.Kind.WARN, Sanction.Kind.SUSPEND, Sanction.Kind.BAN}
# Sanctions that replace one another: a reader is either trusted or always pre-moderated.
REPLACES = {
    Sanction.Kind.TRUST: {Sanction.Kind.TRUST, Sanction.Kind.PREMODERATE},
    Sanction.Kind.PREMODERATE: {Sanction.Kind.TRUST, Sanction.Kind.PREMODERATE},
    Sanction.Kind.SUSPEND: {Sanction.Kind.SUSPEND},
    Sanction.Kind.BAN: {Sanction.Kind.BAN},
    Sanction.Kind.WARN: set(),
}
MAX_SUSPENSION_DAYS = 3650
REASON_MAX_LENGTH = max_length_of(Sanction, "reason")
NOTE_MAX_LENGTH = max_length_of(ModeratorNote, "text")


def sanction_problems(
    kind: str, *, reason: str, days: int | None, reject_pending: bool
) -> dict[str, str]:
    """What is wrong with this sanction as asked, field by field (empty when nothing is)."""
    problems = {}
    if kind in NEEDS_REASON and not reason:
        problems["reason"] = "Please give a reason: the reader will see it."
    elif len(reason) > REASON_MAX_LENGTH:
        problems["reason"] = f"Please keep the reason to {REASON_MAX_LENGTH:,} characters."
    if kind == Sanction.Kind.SUSPEND:
        if days is None:
            problems["days"] = "A suspension needs a number of days."
        elif not 1 <= days <= MAX_SUSPENSION_DAYS:
            problems["days"] = f"A suspension lasts from 1 to {MAX_SUSPENSION_DAYS:,} days."
    elif days is not None:
        problems["days"] = "Only a suspension lasts a number of days."
    if reject_pending and kind != Sanction.Kind.BAN:
        problems["reject_pending"] = "Only a ban can reject the reader's waiting comments."
    return problems


def sanction(
    user: Any,
    kind: str,
    *,
    by: Any,
    reason: str = "",
    days: int | None = None,
    reject_pending: bool = False,
) -> Sanction:
    """Warn, suspend (for `days`), ban, always pre-moderate or trust a reader.

    A warning, suspension or ban needs a reason, which the reader sees; only a suspension lasts
    `days`; only a ban may `reject_pending`, which rejects every comment of theirs still waiting,
    one decision each. A wrong combination is refused with every field's error at once.
    """
    check_moderator(by)
    try:
        kind = Sanction.Kind(kind)
    except ValueError:
        raise CommentError(f"Unknown sanction: {kind!r}.", field="kind") from None
    if user is None or user.pk == by.pk:
        raise CommentError("You cannot sanction yourself.", code="self")
    if is_editor(user):
        raise CommentError(
            "Editors cannot be sanctioned here; change their role instead.", code="editor"
        )
    reason = reason.strip()
    if problems := sanction_problems(kind, reason=reason, days=days, reject_pending=reject_pending):
        raise CommentError.invalid(problems)
    now = timezone.now()
    ends_at = now + dt.timedelta(days=days) if kind == Sanction.Kind.SUSPEND and days else None
    with transaction.atomic():
        Sanction.objects.in_force(now=now).filter(user=user, kind__in=REPLACES[kind]).update(
            lifted_at=now, lifted_by=by
        )  # the new sanction's post_save moves the reader's standing_version
        made = Sanction.objects.create(
            user=user, kind=kind, reason=reason, created_by=by, created_at=now, ends_at=ends_at
        )
        if kind == Sanction.Kind.BAN and reject_pending:
            pending = Comment.objects.filter(author=user, status=Status.PENDING)
            decide_many(pending, Decision.REJECT, by=by, reason=reason)
    transaction.on_commit(
        lambda: signals.reader_sanctioned.send(sender=Sanction, user=user, sanction=made),
        robust=True,
    )
    return made


def lift_sanction(sanction: Sanction, *, by: Any) -> Sanction:
    """End a sanction early (or withdraw a trust or pre-moderation)."""
    check_moderator(by)
    now = timezone.now()
    with transaction.atomic():
        updated = Sanction.objects.filter(pk=sanction.pk, lifted_at__isnull=True).update(
            lifted_at=now, lifted_by=by
        )
        if not updated:
            raise CommentError("This sanction was already lifted.", code="already_lifted")
        sanction.lifted_at, sanction.lifted_by = now, by
        reader_changed([sanction.user_id])  # an UPDATE: no post_save to do it
    transaction.on_commit(
        lambda: signals.reader_sanctioned.send(
            sender=Sanction, user=sanction.user, sanction=sanction
        ),
        robust=True,
    )
    return sanction


def acknowledge_warnings(user: Any) -> int:
    """The reader has read their warnings: they may comment again. Returns how many."""
    if user is None or not user.is_authenticated:
        raise CommentError("Please log in first.", code="login_required")
    now = timezone.now()
    with transaction.atomic():
        count = (
            Sanction.objects.in_force(now=now)
            .filter(user=user, kind=Sanction.Kind.WARN)
            .update(acknowledged_at=now)
        )
        reader_changed([user.pk])  # an UPDATE: no post_save to do it
    return count


def add_note(user: Any, *, by: Any, text: str) -> ModeratorNote:
    """A private note about a reader, for editors."""
    check_moderator(by)
    text = text.strip()
    if not text:
        raise CommentError("Please write the note.", field="text")
    if len(text) > NOTE_MAX_LENGTH:
        raise CommentError(f"Please keep a note to {NOTE_MAX_LENGTH:,} characters.", field="text")
    return ModeratorNote.objects.create(user=user, text=text, created_by=by)
