"""Small filters for the moderation pages."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from moderation.decisions import PAST_TENSE
from moderation.models import ModerationEvent
from moderation.rules import RULE_LABELS

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def rule_label(code: str) -> str:
    if code.startswith("pack:"):
        # The pack's own name is in the verdict's message; the code alone says which pack.
        return f"Pack: {code[5:].replace('-', ' ')}"
    return RULE_LABELS.get(code, code.replace("_", " ").capitalize())


@register.filter
def since_words(moment: dt.datetime | None) -> str:
    """ "today", "yesterday", "3 weeks ago": how long ago, in days at the finest."""
    if moment is None:
        return ""
    days = (timezone.localdate() - timezone.localdate(moment)).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{timesince(moment, depth=1)} ago"


@register.filter
def event_summary(event: ModerationEvent) -> str:
    """ "Approved by alice", "Screened when posted": one line of a comment's history."""
    Kind = ModerationEvent.Kind
    if event.kind == Kind.DECIDED:
        action = event.reasons[0] if event.reasons else ""
        done = PAST_TENSE.get(action, f"moved to {event.to_status}")
        return f"{done[0].upper()}{done[1:]} by {event.by}"
    if event.kind in (Kind.SCREENED, Kind.RESCREENED):
        return event.get_kind_display()
    if event.kind in (Kind.FEATURED, Kind.UNFEATURED):
        return f"{event.get_kind_display()} by {event.by}"
    if event.kind == Kind.WITHDRAWN:
        return "Deleted by its author"
    return event.get_kind_display()


@register.filter
def duration_words(value: dt.timedelta | None) -> str:
    """ "45 s", "12 min", "3.5 h", "2.1 days": short, for a figure on a card."""
    if value is None:
        return ""
    seconds = value.total_seconds()
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"
