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
from .models import ModerationEvent, ModerationSettings, Refusal
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
    for name, value in screening_fields(comment, result, context).items():
        setattr(comment, name, value)
    return result


def screening_fields(comment: Comment, result: Screening, context: Context) -> dict[str, Any]:
    """What a screening stores on a comment besides its status: its reasons, scores, priority."""
    return {
        "screening": result.records,
        "reasons": reason_field(result.codes),
        "fingerprint": context.fingerprint,
        "toxicity": context.toxicity,
        "classifier_score": context.classifier_score,
        "priority": priority_of(
            toxicity=max(context.toxicity or 0, context.classifier_score or 0),
            rejected_share=context.history.rejected_share,
            report_weight=comment.report_weight,
        ),
    }


def rescreen_pending(*, version: int | None = None, batch_size: int = 200) -> int | None:
    """Screen the Pending queue again under the rules as they are now; returns how many comments'
    stored screening changed (None: the rules changed again meanwhile, and the re-screen queued
    by that change does the work instead).

    What is recorded is what the queue shows and sorts by: each comment's reasons (with their
    words), scores and priority. The status stays: a held comment waits for an editor, and new
    rules never publish or reject it behind the editors' back. Each comment is screened as an
    edit is (is_edit: the rules on posting speed and duplicates, which would count it against
    itself, stay quiet).
    """
    Settings = ModerationSettings
    pending = Comment.objects.in_queue("pending").select_related("article", "author")
    changed, last_pk = 0, 0
    while True:
        current = Settings.objects.filter(pk=Settings.SINGLETON_PK).values_list("version").first()
        if version is not None and current != (version,):
            return None
        batch = list(pending.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return changed
        for comment in batch:
            context = context_for(comment, is_edit=True)
            fields = screening_fields(comment, screen(comment, context=context), context)
            if any(getattr(comment, name) != value for name, value in fields.items()):
                # Conditional: a comment decided meanwhile keeps the screening it was decided on.
                changed += Comment.objects.filter(
                    pk=comment.pk, status=Comment.Status.PENDING
                ).update(**fields)
        last_pk = batch[-1].pk


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
