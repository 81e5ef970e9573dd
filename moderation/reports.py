"""Readers' reports, weighed: enough weight sends a published comment back into review.

A report weighs 1 from a new account (younger than `NEW_ACCOUNT_AGE` or without an approved
comment), 2 from an established reader, 3 from a trusted one (trusted by an editor, an editor, or
at least `TRUSTED_AFTER_APPROVED` approved comments with no more rejected than a fifth of that).
An approved comment goes back into review when its open reports weigh
`ModerationSettings.report_threshold` (6 by default: three readers, two trusted readers, or six
brand-new accounts).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.roles import is_editor
from comments.models import Comment, Report

from . import signals
from .context import REPORT_PRIORITY, moderation_settings, standing_of
from .decisions import changed
from .models import ModerationEvent
from .rules import Action
from .screening import reason_field

Status = Comment.Status


REPORT_WEIGHTS = {"new": 1, "reader": 2, "trusted": 3}
NEW_ACCOUNT_AGE = dt.timedelta(days=7)
TRUSTED_AFTER_APPROVED = 5


def reporter_standing(reporter: Any, *, now: dt.datetime | None = None) -> str:
    """ "new", "reader" or "trusted": how much this reader's reports weigh (REPORT_WEIGHTS)."""
    if reporter is None:
        return "new"
    if is_editor(reporter) or standing_of(reporter).trusted:
        return "trusted"
    now = now or timezone.now()
    counts = Comment.objects.filter(author=reporter).aggregate(
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
        rejected=Count("pk", filter=Q(status__in=[Status.REJECTED, Status.SPAM])),
    )
    if counts["approved"] == 0 or now - reporter.date_joined < NEW_ACCOUNT_AGE:
        return "new"
    if (
        counts["approved"] >= TRUSTED_AFTER_APPROVED
        and counts["rejected"] * 5 <= counts["approved"]
    ):
        return "trusted"
    return "reader"


def weigh_report(report: Report) -> Comment:
    """Count a new report on its comment; enough weight sends an approved comment into review.

    Called (through moderation.hooks.Moderator.reported) by comments.services.report_comment,
    in the transaction that stores the report.
    """
    comment = report.comment
    weight = REPORT_WEIGHTS[reporter_standing(report.reporter)]
    Comment.objects.filter(pk=comment.pk).update(
        open_reports=F("open_reports") + 1,
        report_weight=F("report_weight") + weight,
        priority=F("priority") + weight * REPORT_PRIORITY,
    )
    comment.refresh_from_db(
        fields=["open_reports", "report_weight", "priority", "status", "version"]
    )
    threshold = moderation_settings().report_threshold
    if threshold and comment.report_weight >= threshold and comment.status == Status.APPROVED:
        _hide_after_reports(comment)
    return comment


def _hide_after_reports(comment: Comment) -> None:
    record = {
        "action": str(Action.HOLD),
        "reason": "reports",
        "message": f"{comment.open_reports} readers reported it (weight {comment.report_weight}).",
    }
    screening = [*comment.screening, record]
    reasons = reason_field([*comment.reason_codes, "reports"])
    updated = Comment.objects.filter(
        pk=comment.pk, version=comment.version, status=Status.APPROVED
    ).update(status=Status.PENDING, version=F("version") + 1, screening=screening, reasons=reasons)
    if not updated:
        return  # another report (or an editor) got there first
    event = ModerationEvent.objects.create(
        comment=comment,
        kind=ModerationEvent.Kind.REPORTED,
        from_status=Status.APPROVED,
        to_status=Status.PENDING,
        reasons=["reports"],
        note=record["message"],
    )
    comment.status, comment.version = Status.PENDING, comment.version + 1
    comment.screening, comment.reasons = screening, reasons
    changed(comment, Status.APPROVED)
    transaction.on_commit(
        lambda: signals.comment_moderated.send(sender=Comment, comment=comment, event=event),
        robust=True,
    )
