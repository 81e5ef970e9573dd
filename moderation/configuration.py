"""The editors' screening configuration: the settings row and the rule packs, changed only here.

Every change bumps `ModerationSettings.version` in its own transaction, so each worker reloads
what it derived from them (moderation.context) at its next comment, and queues a re-screening of
the Pending queue under the new rules once it commits (moderation.tasks.rescreen_pending: the
queue's reasons and priorities follow the rules; several changes in a row re-screen once).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.text import slugify

from comments.models import Comment
from taskqueue.queue import enqueue

from .decisions import check_moderator
from .models import ModerationSettings, Refusal, RulePack
from .tasks import rescreen_pending


def _bump_version() -> None:
    ModerationSettings.objects.get_or_create(pk=ModerationSettings.SINGLETON_PK)
    ModerationSettings.objects.filter(pk=ModerationSettings.SINGLETON_PK).update(
        version=F("version") + 1
    )
    _rules_changed(ModerationSettings.objects.get(pk=ModerationSettings.SINGLETON_PK).version)


def _rules_changed(version: int) -> None:
    enqueue(rescreen_pending, version)


@transaction.atomic
def update_settings(*, by: Any, **values: Any) -> ModerationSettings:
    """Change the screening rules' settings; a bad value is a ValidationError, nothing saved."""
    check_moderator(by)
    current = ModerationSettings.objects.select_for_update().get_or_create(
        pk=ModerationSettings.SINGLETON_PK
    )[0]
    for name, value in values.items():
        if name not in SETTINGS_FIELDS:
            raise ValidationError({name: "Not a moderation setting."})
        setattr(current, name, value)
    current.full_clean()
    current.updated_by = by
    current.version += 1
    current.save()
    _rules_changed(current.version)
    return current


SETTINGS_FIELDS = (
    "banned_terms",
    "suspect_terms",
    "max_links",
    "trusted_domains",
    "blocked_domains",
    "hold_new_readers",
    "toxicity_threshold",
    "toxicity_nudge_threshold",
    "subject_words",
    "classifier_threshold",
    "classifier_min_decisions",
    "duplicate_minutes",
    "max_per_minute",
    "rejection_ratio",
    "rejection_days",
    "report_threshold",
)

PACK_FIELDS = ("name", "slug", "action", "enabled", "phrases", "advice", "position")


@transaction.atomic
def save_pack(pack: RulePack | None, *, by: Any, **values: Any) -> RulePack:
    """Create a rule pack (pack=None) or change one; a bad value is a ValidationError."""
    check_moderator(by)
    pack = pack or RulePack()
    for name, value in values.items():
        if name not in PACK_FIELDS:
            raise ValidationError({name: "Not a field of a rule pack."})
        setattr(pack, name, value)
    if not pack.slug:
        pack.slug = slugify(pack.name)[:50]
    pack.full_clean()
    pack.updated_by = by
    pack.save()
    _bump_version()
    return pack


@transaction.atomic
def delete_pack(pack: RulePack, *, by: Any) -> None:
    check_moderator(by)
    pack.delete()
    _bump_version()


# --- How often each pack fired -------------------------------------------------------------------

HIT_DAYS = 30


def with_hits(packs: QuerySet[RulePack], *, now: dt.datetime | None = None) -> QuerySet[RulePack]:
    """The packs, each with how often it fired (`fired_recently`: over HIT_DAYS days, and
    `fired`: in all), counted from the stored screening reasons: comments' `reasons` and
    refusals' (`Refusal`). One query for the whole list.

    A comment counts once however many of the pack's phrases it used; a nudge counts once the
    reader posts anyway (a reader who rewrites their comment leaves nothing to count).
    """
    since = (now or timezone.now()) - dt.timedelta(days=HIT_DAYS)
    has_code = Q(reasons__contains=Concat(Value(" pack:"), OuterRef("slug"), Value(" ")))

    def count(condition: Q) -> Any:
        return sum(
            (
                Coalesce(
                    Subquery(
                        model.objects.filter(condition)
                        .order_by()
                        .annotate(n=Func(F("pk"), function="COUNT"))
                        .values("n")[:1]
                    ),
                    0,
                )
                for model in (Comment, Refusal)
            ),
            start=Value(0),
        )

    return packs.annotate(
        fired=count(has_code), fired_recently=count(has_code & Q(created_at__gte=since))
    )
