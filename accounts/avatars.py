"""Every reader's face: an SVG drawn here from their name, never fetched from an outside service.

The initials come from the name and the colour from a hash of the username, so a reader looks
the same on every page and every machine, and two readers with the same initials usually differ
in colour. The SVG is inline (no request, nothing for the CSP to allow: presentation attributes,
no style) and made once per name and size in each process; the thread that shows it is cached.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from django.utils.html import format_html
from django.utils.safestring import SafeString

# Dark enough that white initials pass WCAG AA (4.5:1) on each.
PALETTE = (
    "#1f5f8b",
    "#7a3e9d",
    "#a23b2a",
    "#2e6b30",
    "#8a4b08",
    "#285e61",
    "#6b3fa0",
    "#9c2f5e",
    "#3d5a80",
    "#5c6b12",
    "#7b4b2a",
    "#4a4e69",
)
# A deleted account's comments: no name, no colour of anyone's.
NOBODY = "#5f6368"
_WORD = re.compile(r"[^\W_]+")


def initials(name: str) -> str:
    """Up to two letters: the first of the name's first two words ("jane_doe" -> "JD")."""
    words = _WORD.findall(name)
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:1].upper()
    return (words[0][:1] + words[1][:1]).upper()


def colour(username: str) -> str:
    digest = hashlib.sha256(username.casefold().encode()).digest()
    return PALETTE[digest[0] % len(PALETTE)]


@lru_cache(maxsize=4096)
def avatar_svg(username: str | None, *, size: int = 32) -> SafeString:
    """The reader's avatar (decorative: their name is always written beside it)."""
    letters = initials(username) if username else "?"
    fill = colour(username) if username else NOBODY
    return format_html(
        '<svg class="avatar" width="{size}" height="{size}" viewBox="0 0 32 32" aria-hidden="true"'
        ' focusable="false"><circle cx="16" cy="16" r="16" fill="{fill}"/><text x="16" y="16"'
        ' dy="0.35em" text-anchor="middle" font-family="system-ui, sans-serif" font-size="{font}"'
        ' font-weight="700" fill="#fff">{letters}</text></svg>',
        size=size,
        fill=fill,
        font=14 if len(letters) > 1 else 16,
        letters=letters,
    )
