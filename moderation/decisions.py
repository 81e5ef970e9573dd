"""Editors' decisions on comments: approve, reject, spam or restore, one or many; picks.

`decide()`, `decide_many()` and `feature()` are the only ways these happen, for the moderation
pages, the admin, the API and commands alike. Each checks, changes, records its audit event
(ModerationEvent), then sends its signal once the transaction has committed; a bulk decision
sends them from one queued task (`moderation.tasks.announce_decisions`), on a worker when there
is one.

Concurrency. A decision is a conditional UPDATE on the version of the comment the editor saw
(`Comment.version`, bumped by every change of status): of two editors acting at once exactly one
row update succeeds; the other gets `AlreadyDecided`, saying who decided what and when. This needs
no lock and holds on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.roles import is_editor
from comments.errors import CommentError
from comments.models import Comment, max_length_of
from comments.thread import comment_row_changed, threads_changing
from taskqueue.queue import enqueue

from . import signals, tasks
from .context import REPORT_PRIORITY
from .models import ModerationEvent
from .rules import when_text

Status = Comment.Status


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    SPAM = "spam"
    RESTORE = "restore"  # a rejected or spam comment goes back to the Pending queue


DECISION_STATUS = {
    Decision.APPROVE: Status.APPROVED,
    Decision.REJECT: Status.REJECTED,
    Decision.SPAM: Status.SPAM,
    Decision.RESTORE: Status.PENDING,
}
# Where each decision may start from. Approving an approved comment is allowed only while it has
# open reports: it dismisses them.
DECIDABLE_FROM = {
    Decision.APPROVE: {Status.PENDING, Status.REJECTED, Status.SPAM, Status.APPROVED},
    Decision.REJECT: {Status.PENDING, Status.APPROVED, Status.SPAM},
    Decision.SPAM: {Status.PENDING, Status.APPROVED, Status.REJECTED},
    Decision.RESTORE: {Status.REJECTED, Status.SPAM},
}
PAST_TENSE: dict[str, str] = {
    Decision.APPROVE: "approved",
    Decision.REJECT: "rejected",
    Decision.SPAM: "marked as spam",
    Decision.RESTORE: "restored",
}
# What the author reads of a rejection: the longest reason the comment can keep.
REASON_MAX_LENGTH = max_length_of(Comment, "decision_reason")


def allowed_decisions(comment: Comment) -> set[str]:
    """The decisions an editor may take on this comment as it stands (the enabled buttons)."""
    return {
        str(d)
        for d, sources in DECIDABLE_FROM.items()
        if comment.status in sources
        and (DECISION_STATUS[d] != comment.status or comment.open_reports)
    }


class AlreadyDecided(CommentError):
    """Someone else changed the comment first; `event` is their change, when there is one."""

    def __init__(self, message: str, *, event: ModerationEvent | None = None) -> None:
        super().__init__(message, code="already_decided")
        self.event = event


def check_moderator(by: Any) -> None:
    """Every change editors make starts here: the one policy is accounts.roles.is_editor."""
    if not is_editor(by):
        raise CommentError("Only editors may moderate comments.", code="not_editor")


def describe_event(event: ModerationEvent) -> str:
    """ "Alice approved this comment on 3 March 2026, 14:03." """
    when = when_text(event.created_at)
    if event.kind == ModerationEvent.Kind.DECIDED:
        action = event.reasons[0] if event.reasons else ""
        done = PAST_TENSE.get(action, f"moved it to {event.to_status}")
        return f"{event.by} {done} this comment on {when}."
    if event.kind == ModerationEvent.Kind.REPORTED:
        return f"Readers' reports sent this comment back into review on {when}."
    if event.kind == ModerationEvent.Kind.RESCREENED:
        return f"Its author edited this comment on {when}."
    if event.kind == ModerationEvent.Kind.WITHDRAWN:
        return f"Its author deleted this comment on {when}."
    return f"{event.get_kind_display()} ({event.by}) on {when}."


def _already_decided(comment: Comment) -> AlreadyDecided:
    latest = (
        ModerationEvent.objects.filter(comment_id=comment.pk)
        .exclude(kind__in=[ModerationEvent.Kind.FEATURED, ModerationEvent.Kind.UNFEATURED])
        .order_by("-created_at", "-pk")
        .first()
    )
    now_status = Comment.objects.filter(pk=comment.pk).values_list("status", flat=True).first()
    if latest is not None:
        message = describe_event(latest)
    else:
        message = "This comment changed while you were looking at it."
    if now_status is not None:
        message += f" It is now “{Status(now_status).label}”."
    return AlreadyDecided(message, event=latest)


def changed(comment: Comment, previous_status: str) -> None:
    """A conditional UPDATE changed the comment's row (no save(), so no post_save)."""
    comment_row_changed(comment, previous_status=previous_status)


def decide(
    comment: Comment, action: str, *, by: Any, reason: str = "", version: int | None = None
) -> Comment:
    """An editor's decision on a comment: approve, reject, spam or restore.

    Applies only if the comment is still the version the editor saw (`version`, by default the
    one `comment` holds); otherwise raises AlreadyDecided naming who changed it and when.
    `reason` is shown to the author for a rejection or spam. Every decision closes the comment's
    open reports.
    """
    check_moderator(by)
    try:
        decision = Decision(action)
    except ValueError:
        raise CommentError(f"Unknown moderation action: {action!r}.", field="action") from None
    if version is not None and version != comment.version:
        raise _already_decided(comment)
    target = DECISION_STATUS[decision]
    previous = comment.status
    if previous not in DECIDABLE_FROM[decision] or (
        previous == target and not comment.open_reports
    ):
        if previous == Status.REMOVED:
            raise CommentError(
                "Its author deleted this comment; it can no longer be moderated.", code="withdrawn"
            )
        fresh = Comment.objects.filter(pk=comment.pk, version=comment.version).exists()
        if not fresh:
            raise _already_decided(comment)
        raise CommentError(
            f"This comment is already “{Status(previous).label}”.", code="already_so"
        )
    reason = reason.strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise CommentError(
            f"Please keep the reason to {REASON_MAX_LENGTH:,} characters (it has {len(reason):,}).",
            field="reason",
        )
    shown_reason = reason if target in (Status.REJECTED, Status.SPAM) else ""
    now = timezone.now()
    with transaction.atomic():
        updated = Comment.objects.filter(pk=comment.pk, version=comment.version).update(
            **_decided_fields(target, by=by, reason=shown_reason, now=now)
        )
        if not updated:
            raise _already_decided(comment)
        event = _event(comment, decision, by=by, note=reason, now=now)
        event.save()
        _mark(comment, target, by=by, reason=shown_reason, now=now)
        changed(comment, previous)
    transaction.on_commit(
        lambda: signals.comment_moderated.send(sender=Comment, comment=comment, event=event),
        robust=True,
    )
    return comment


def _decided_fields(target: str, *, by: Any, reason: str, now: Any) -> dict[str, Any]:
    """The UPDATE of a decided comment: a new version, who and when, its reports closed."""
    return {
        "status": target,
        "version": F("version") + 1,
        "decided_at": now,
        "decided_by": by,
        "decision_reason": reason,
        "open_reports": 0,
        "report_weight": 0,
        "priority": Greatest(F("priority") - F("report_weight") * REPORT_PRIORITY, Value(0)),
    }


def _event(
    comment: Comment, decision: Decision, *, by: Any, note: str, now: Any
) -> ModerationEvent:
    """The audit row of a decision on `comment` as it was before it (not saved yet)."""
    waited = now - comment.created_at if comment.status == Status.PENDING else None
    return ModerationEvent(
        comment=comment,
        actor=by,
        actor_name=by.username,
        kind=ModerationEvent.Kind.DECIDED,
        from_status=comment.status,
        to_status=DECISION_STATUS[decision],
        reasons=[str(decision)],
        note=note,
        waited=waited if not comment.open_reports else None,
        created_at=now,
    )


def _mark(comment: Comment, target: str, *, by: Any, reason: str, now: Any) -> None:
    """The instance as _decided_fields left its row."""
    comment.priority = max(comment.priority - comment.report_weight * REPORT_PRIORITY, 0)
    comment.status = target
    comment.version += 1
    comment.decided_at, comment.decided_by = now, by
    comment.decision_reason = reason
    comment.open_reports = comment.report_weight = 0


@dataclass
class BulkOutcome:
    decided: list[Comment] = field(default_factory=list)
    refused: list[tuple[Comment, str]] = field(default_factory=list)


# Rows per UPDATE of a bulk decision (SQLite's older builds allow 999 parameters a query).
BULK_CHUNK = 500


def decide_many(
    comments: Iterable[Comment],
    action: str,
    *,
    by: Any,
    reason: str = "",
    versions: Mapping[int, int] | None = None,
) -> BulkOutcome:
    """One decision for many comments; each applies or is refused on its own, as by `decide`.

    `versions` maps a comment's id to the version the editor saw (a selection made on a page).
    Set-based, so approving hundreds takes a few queries: the comments `decide` would accept are
    updated together (conditional on the versions seen, so a colleague's decision still wins),
    their audit rows written at once, and each thread touched bumped once. The rest go through
    `decide` one by one, which refuses them with its own sentence.
    """
    check_moderator(by)
    comments = list(comments)
    reason = reason.strip()
    try:
        decision: Decision | None = Decision(action)
    except ValueError:
        decision = None
    ready: list[Comment] = []
    ready_ids: set[int] = set()
    one_by_one: list[int] = []  # positions in `comments`
    for n, comment in enumerate(comments):
        version = versions.get(comment.pk) if versions is not None else None
        if (
            decision is not None
            and len(reason) <= REASON_MAX_LENGTH
            and comment.pk not in ready_ids
            and _decidable(comment, decision, version)
        ):
            ready.append(comment)
            ready_ids.add(comment.pk)
        else:
            one_by_one.append(n)
    applied = (
        _decide_together(ready, decision, by=by, reason=reason) if decision and ready else set()
    )
    # After the others, as one at a time would have met them (a comment listed twice: its
    # second time finds the first decision).
    refusals: dict[int, str | None] = {}  # None: decided after all
    for n in one_by_one:
        comment = comments[n]
        version = versions.get(comment.pk) if versions is not None else None
        refusals[n] = _decide_one(comment, action, by=by, reason=reason, version=version)
    outcome = BulkOutcome()
    for n, comment in enumerate(comments):
        if n in refusals:
            message = refusals[n]
        elif comment.pk in applied:
            message = None
        else:  # a colleague decided it in between
            message = _already_decided(comment).message
        if message is None:
            outcome.decided.append(comment)
        else:
            outcome.refused.append((comment, message))
    return outcome


def _decidable(comment: Comment, decision: Decision, version: int | None) -> bool:
    """What `decide` checks before it writes, on the instance as the editor saw it."""
    target = DECISION_STATUS[decision]
    return (
        (version is None or version == comment.version)
        and comment.status in DECIDABLE_FROM[decision]
        and (comment.status != target or bool(comment.open_reports))
    )


def _decide_one(
    comment: Comment, action: str, *, by: Any, reason: str, version: int | None
) -> str | None:
    try:
        decide(comment, action, by=by, reason=reason, version=version)
    except CommentError as error:
        return error.message
    return None


def _decide_together(
    comments: list[Comment], decision: Decision, *, by: Any, reason: str
) -> set[int]:
    """Apply the decision to each comment (one per id) still at the version it holds; returns
    the ids of those it applied to."""
    target = DECISION_STATUS[decision]
    shown_reason = reason if target in (Status.REJECTED, Status.SPAM) else ""
    now = timezone.now()
    done: list[tuple[Comment, str]] = []
    # The threads that may look different: a comment that is or becomes visible.
    shown = [c for c in comments if Status.APPROVED in (target, c.status)]
    with transaction.atomic(), threads_changing(shown):
        for start in range(0, len(comments), BULK_CHUNK):
            chunk = comments[start : start + BULK_CHUNK]
            seen: dict[int, list[int]] = {}
            for comment in chunk:
                seen.setdefault(comment.version, []).append(comment.pk)
            match = reduce(or_, (Q(version=v, pk__in=pks) for v, pks in seen.items()))
            Comment.objects.filter(match).update(
                **_decided_fields(target, by=by, reason=shown_reason, now=now)
            )
            # The rows this update changed: one version on, with its editor and moment (a
            # colleague's decision in between moved the version, so that row did not match).
            now_at = dict(
                Comment.objects.filter(
                    pk__in=[c.pk for c in chunk], decided_at=now, decided_by=by
                ).values_list("pk", "version")
            )
            done += [(c, c.status) for c in chunk if now_at.get(c.pk) == c.version + 1]
        events = ModerationEvent.objects.bulk_create(
            [_event(comment, decision, by=by, note=reason, now=now) for comment, _ in done]
        )
        for comment, _ in done:
            _mark(comment, target, by=by, reason=shown_reason, now=now)
    if events:
        # One task for the lot, queued once this commits (moderation.tasks.announce_decisions).
        enqueue(tasks.announce_decisions, [event.pk for event in events])
    return {comment.pk for comment, _ in done}


def feature(comment: Comment, *, by: Any, featured: bool = True) -> Comment:
    """Make a published comment an editors' pick (shown first, with a badge), or stop that."""
    check_moderator(by)
    if featured and comment.status != Status.APPROVED:
        raise CommentError("Only a published comment can be featured.", code="not_published")
    now = timezone.now()
    with transaction.atomic():
        updated = Comment.objects.filter(pk=comment.pk, featured_at__isnull=featured).update(
            featured_at=now if featured else None
        )
        if not updated:
            state = "already featured" if featured else "not featured"
            raise CommentError(f"This comment is {state}.", code=state.replace(" ", "_"))
        event = ModerationEvent.objects.create(
            comment=comment,
            actor=by,
            actor_name=by.username,
            kind=ModerationEvent.Kind.FEATURED if featured else ModerationEvent.Kind.UNFEATURED,
            from_status=comment.status,
            to_status=comment.status,
            created_at=now,
        )
        comment.featured_at = now if featured else None
        changed(comment, comment.status)
    transaction.on_commit(
        lambda: signals.comment_moderated.send(sender=Comment, comment=comment, event=event),
        robust=True,
    )
    return comment
