"""Reading an article's history: what changed between two revisions, field by field.

Revisions are django-simple-history's records (`article.history`); long texts are compared line by
line with difflib so an editor sees the paragraphs that changed, not two walls of text.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Field
from django.utils import timezone
from django.utils.formats import date_format

from .models import Article

# In the order an editor reads the form; the derived HTML is not compared (the body is).
COMPARED_FIELDS = (
    "title",
    "slug",
    "section",
    "author",
    "summary",
    "tags",
    "body",
    "status",
    "published_at",
    "revised_at",
    "comments_mode",
    "comments_close_after_days",
)
LINE_BY_LINE = frozenset({"summary", "body"})
CONTEXT_LINES = 2


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "context" or "gap" (lines left out between changes)
    text: str


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    lines: tuple[DiffLine, ...] = ()  # for long texts, the changed lines with some context


def _field(name: str) -> Field:
    """One of COMPARED_FIELDS: a column of the article (not a relation's reverse side)."""
    field = Article._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"Article.{name} is not a column.")
    return field


def _shown(record: Any, name: str) -> str:
    value = getattr(record, name)
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    field = _field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _line_diff(old: str, new: str) -> tuple[DiffLine, ...]:
    lines: list[DiffLine] = []
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=CONTEXT_LINES)
    for line in diff:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            if lines:
                lines.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            lines.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("removed", line[1:]))
        else:
            lines.append(DiffLine("context", line[1:]))
    return tuple(lines)


def diff_revisions(older: Any, newer: Any) -> list[FieldChange]:
    """The fields that differ from `older` to `newer` (two historical records of one article)."""
    changes = []
    for name in COMPARED_FIELDS:
        field = _field(name)
        attname = field.attname
        if getattr(older, attname) == getattr(newer, attname):
            continue
        lines: tuple[DiffLine, ...] = ()
        if name in LINE_BY_LINE:
            lines = _line_diff(getattr(older, name) or "", getattr(newer, name) or "")
        changes.append(
            FieldChange(
                name=name,
                label=str(field.verbose_name).capitalize(),
                old=_shown(older, name),
                new=_shown(newer, name),
                lines=lines,
            )
        )
    return changes
