"""Screening: what happens to a comment the moment it is posted or edited.

Each rule is a small pure function over the comment (not yet saved) and its context, returning a
`Verdict` or None. `RULES` names them in order; `screen()` runs them all, keeps every reason that
fired (stored on the comment for moderators) and lets the strictest verdict decide. Adding a rule
is adding one function to the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils import timezone

from articles.models import Article

from .models import Comment


class Action(StrEnum):
    """From mildest to strictest: the strictest verdict that fires wins."""

    APPROVE = "approve"
    HOLD = "hold"
    REJECT = "reject"
    SPAM = "spam"
    REFUSE = "refuse"  # not stored at all; the reader is told why and keeps their text

    @property
    def severity(self) -> int:
        return list(Action).index(self)


# What each action makes of the comment's status (REFUSE stores nothing).
STATUS_FOR = {
    Action.APPROVE: Comment.Status.APPROVED,
    Action.HOLD: Comment.Status.PENDING,
    Action.REJECT: Comment.Status.REJECTED,
    Action.SPAM: Comment.Status.SPAM,
}


@dataclass(frozen=True)
class Verdict:
    action: Action
    reason: str  # a stable code, for moderators and filters: "comments_closed"
    message: str  # a sentence the reader (or the moderator) can read

    def as_record(self) -> dict[str, str]:
        return {"action": str(self.action), "reason": self.reason, "message": self.message}


@dataclass(frozen=True)
class Context:
    """What rules may look at besides the comment itself."""

    article: Article
    author: object
    is_edit: bool = False
    now: dt.datetime = field(default_factory=timezone.now)


@dataclass(frozen=True)
class Screening:
    verdict: Verdict  # the strictest
    fired: tuple[Verdict, ...]  # every rule that said something, in rule order

    @property
    def status(self) -> str:
        return STATUS_FOR[self.verdict.action]

    @property
    def records(self) -> list[dict[str, str]]:
        return [v.as_record() for v in self.fired]


Rule = Callable[[Comment, Context], Verdict | None]

CLEAN = Verdict(Action.APPROVE, "clean", "No rule held this comment.")


def comments_closed(comment: Comment, context: Context) -> Verdict | None:
    if context.article.comments_closed:
        return Verdict(Action.REFUSE, "comments_closed", "Comments are closed on this article.")
    return None


def article_premoderated(comment: Comment, context: Context) -> Verdict | None:
    if context.article.comments_premoderated:
        return Verdict(
            Action.HOLD,
            "article_premoderated",
            "Comments on this article are reviewed by an editor before they appear.",
        )
    return None


RULES: list[Rule] = [comments_closed, article_premoderated]


def screen(
    comment: Comment, *, context: Context | None = None, rules: list[Rule] | None = None
) -> Screening:
    """Run the rules over a comment; the strictest verdict wins, every reason is kept."""
    context = context or Context(article=comment.article, author=comment.author)
    fired = tuple(
        verdict
        for rule in (RULES if rules is None else rules)
        if (verdict := rule(comment, context))
    )
    strictest = max(fired, key=lambda v: v.action.severity, default=CLEAN)
    return Screening(verdict=strictest, fired=fired)
