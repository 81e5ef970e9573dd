"""Screening a comment as it is posted or edited: run the rules, set what they decide, record it.

`moderation.hooks.Moderator` calls these for the comment services (settings.COMMENTS_MODERATOR):
`apply_screening()` before the comment is saved, `record_screening()` in the transaction that
saves it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from comments.errors import CommentError, CommentNudge
from comments.models import Comment

from .context import context_for, priority_of
from .models import ModerationEvent, Refusal
from .rules import CLEAN, RULES, Action, Context, Rule, Screening, Verdict, nudge_message

# Refusals for who the reader is or how fast they post are not worth a row (see Refusal).
UNRECORDED_REFUSALS = frozenset(
    {
        "author_banned",
        "author_suspended",
        "author_warned",
        "comments_closed",
        "too_fast",
        "duplicate",
    }
)


def screen(
    comment: Comment, *, context: Context | None = None, rules: list[Rule] | None = None
) -> Screening:
    """Run the rules over a comment; the strictest verdict wins, every reason is kept."""
    context = context or context_for(comment)
    fired: list[Verdict] = []
    for rule in RULES if rules is None else rules:
        said = rule(comment, context)
        if isinstance(said, Verdict):
            fired.append(said)
        elif said:
            fired.extend(said)
    strictest = max(fired, key=lambda v: v.action.severity, default=CLEAN)
    return Screening(verdict=strictest, fired=tuple(fired))


def apply_screening(comment: Comment, *, is_edit: bool, confirmed: bool = False) -> Screening:
    """Screen an unsaved or edited comment and set what the screening decides on it.

    Raises CommentError for a refusal (nothing to store) and CommentNudge when the reader should
    be asked first (unless `confirmed`: they chose to post anyway).
    """
    context = context_for(comment, is_edit=is_edit)
    result = screen(comment, context=context)
    if result.verdict.action == Action.REFUSE:
        verdict = result.verdict
        if verdict.reason not in UNRECORDED_REFUSALS:
            record_refusal(comment, result)
        raise CommentError(verdict.for_reader, code=verdict.reason, retry_after=verdict.retry_after)
    if result.nudge and not confirmed and not is_edit:
        held = result.verdict.action == Action.HOLD
        raise CommentNudge(
            nudge_message(result.nudge, held=held),
            reasons=[(v.reason, v.message) for v in result.nudge],
        )
    comment.status = result.status
    comment.screening = result.records
    comment.reasons = reason_field(result.codes)
    comment.fingerprint = context.fingerprint
    comment.toxicity = context.toxicity
    comment.classifier_score = context.classifier_score
    comment.priority = priority_of(
        toxicity=max(context.toxicity or 0, context.classifier_score or 0),
        rejected_share=context.history.rejected_share,
        report_weight=comment.report_weight,
    )
    return result


def record_refusal(comment: Comment, result: Screening) -> None:
    """Keep the reasons of a refusal for what the comment said (the packs' counts read them)."""
    Refusal.objects.create(
        author=comment.author if getattr(comment.author, "pk", None) else None,
        article=comment.article,
        reasons=reason_field(result.codes)[:255],
    )


def reason_field(codes: Iterable[str]) -> str:
    """`Comment.reasons`: the codes once each, as " code code " (see the field's comment)."""
    codes = list(dict.fromkeys(codes))
    return f" {' '.join(codes)} " if codes else ""


def record_screening(comment: Comment, result: Screening, *, previous_status: str = "") -> None:
    """The audit event of a screening (on posting, or again after an edit)."""
    ModerationEvent.objects.create(
        comment=comment,
        actor=None,
        kind=ModerationEvent.Kind.RESCREENED if previous_status else ModerationEvent.Kind.SCREENED,
        from_status=previous_status,
        to_status=comment.status,
        reasons=result.codes,
        note=" ".join(v.message for v in result.fired),
    )


def record_withdrawal(comment: Comment, *, by: Any, previous_status: str) -> None:
    """The audit event of an author deleting their own comment."""
    ModerationEvent.objects.create(
        comment=comment,
        actor=by,
        actor_name=by.username,
        kind=ModerationEvent.Kind.WITHDRAWN,
        from_status=previous_status,
        to_status=comment.status,
    )
