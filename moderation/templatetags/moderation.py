"""Small filters for the moderation pages."""

import datetime as dt

from django import template

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
