"""Moderation's side of the comments hook: settings.COMMENTS_MODERATOR (comments/moderator.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from comments.models import Comment, Report
from comments.moderator import Moderator as BaseModerator
from comments.moderator import ReaderStanding

from .context import standing_of
from .reports import weigh_report
from .rules import Screening
from .screening import apply_screening, record_screening, record_withdrawal


class Moderator(BaseModerator):
    """Screens every comment with moderation's rules and records each step in the audit trail."""

    def screen(self, comment: Comment, *, is_edit: bool, confirmed: bool) -> Screening:
        return apply_screening(comment, is_edit=is_edit, confirmed=confirmed)

    def screened(self, comment: Comment, result: Screening, *, previous_status: str) -> None:
        record_screening(comment, result, previous_status=previous_status)

    def withdrawn(self, comment: Comment, *, by: Any, previous_status: str) -> None:
        record_withdrawal(comment, by=by, previous_status=previous_status)

    def reported(self, report: Report) -> None:
        weigh_report(report)

    def standing(self, user: Any) -> ReaderStanding:
        standing = standing_of(user)
        if standing.may_comment:
            return ReaderStanding()
        if standing.ban or standing.suspension:
            return ReaderStanding(may_comment=False, message=standing.message)
        return ReaderStanding(
            may_comment=False,
            message=standing.message,
            action_url=reverse("standing:warnings"),
            action_label="Read the warning",
        )
