"""The editors' screening settings: one row (ModerationSettings), changed only here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from .decisions import check_moderator
from .models import ModerationSettings


def update_settings(*, by: Any, **values: Any) -> ModerationSettings:
    """Change the screening rules' settings; a bad value is a ValidationError, nothing saved."""
    check_moderator(by)
    current = ModerationSettings.objects.get_or_create(pk=ModerationSettings.SINGLETON_PK)[0]
    for name, value in values.items():
        if name not in SETTINGS_FIELDS:
            raise ValidationError({name: "Not a moderation setting."})
        setattr(current, name, value)
    current.full_clean()
    current.updated_by = by
    current.save()
    return current


SETTINGS_FIELDS = (
    "banned_terms",
    "suspect_terms",
    "max_links",
    "hold_new_readers",
    "toxicity_threshold",
    "duplicate_minutes",
    "max_per_minute",
    "rejection_ratio",
    "rejection_days",
    "report_threshold",
)
