"""Moderation's side of the comments hook: settings.COMMENTS_MODERATOR (comments/moderator.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.readers import remembered
from accounts.roles import is_editor
from comments.models import Comment, Report
from comments.moderator import CSRF_STAND_IN, SOME_ID, SOME_VERSION, ReaderStanding, ThreadTools
from comments.moderator import Moderator as BaseModerator

from .models import Sanction
from .reports import weigh_report
from .rules import Screening, Standing
from .screening import apply_screening, record_screening, record_withdrawal

# Comments awaiting moderation shown above an article's discussion to editors (the rest are in
# the Pending queue, filtered to the article).
PANEL_SIZE = 10


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
        # For the page: remembered under the reader's standing_version (accounts/readers.py);
        # when they post, screening reads their sanctions from the database again.
        if user is None or not user.is_authenticated:
            return ReaderStanding()
        standing = Standing(
            sanctions=remembered(
                user, "sanctions", lambda: tuple(Sanction.objects.in_force().filter(user=user))
            )
        )
        if standing.may_comment:
            return ReaderStanding()
        if standing.ban or standing.suspension:
            return ReaderStanding(
                may_comment=False, message=standing.message, banned=standing.ban is not None
            )
        return ReaderStanding(
            may_comment=False,
            message=standing.message,
            action_url=reverse("standing:warnings"),
            action_label="Read the warning",
        )

    def thread_tools(self, request: HttpRequest, article: Any) -> ThreadTools | None:
        if not is_editor(request.user):
            return None

        def tools(pick: bool) -> str:
            # Cached with the thread: the CSRF token is a stand-in that each request replaces.
            context = {
                "pk": SOME_ID,
                "version": SOME_VERSION,
                "pick": pick,
                "csrf_token": CSRF_STAND_IN,
            }
            return render_to_string("moderation/thread_tools.html", context)

        return ThreadTools(pick=tools(True), other=tools(False))

    def review_url(self, comment: Comment) -> str:
        return reverse("moderation:comment", args=[comment.pk])

    def discussion_panel(self, request: HttpRequest, article: Any) -> str:
        """For editors: this article's comments awaiting moderation, each with its decisions."""
        if not is_editor(request.user):
            return ""
        waiting = Comment.objects.in_queue("pending").filter(article=article)
        pending = list(
            waiting.select_related("author", "parent__author").order_by("created_at", "pk")[
                :PANEL_SIZE
            ]
        )
        if not pending:
            return ""
        total = len(pending) if len(pending) < PANEL_SIZE else waiting.count()
        context = {
            "article": article,
            "pending": pending,
            "total": total,
            "actions": [("approve", "Approve"), ("reject", "Reject"), ("spam", "Spam")],
        }
        return render_to_string("moderation/discussion_panel.html", context, request=request)
