"""@name mentions: linked to the reader's profile in the stored HTML, once, when a comment is saved.

Run on the sanitiser's output (markup.sanitize.render_comment), so what it adds is the only markup
it did not check: an anchor whose address is our own profile URL and whose text is the name as
typed, made only of the characters a username may have. Text inside a link, `code` or `pre` is
left alone, and so is an address like bob@example.com (a word character before the @).
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.urls import reverse

from accounts.usernames import MAX_LENGTH

# A username: letters, digits and . _ -, starting and ending with a letter or digit.
MENTION = re.compile(
    rf"(?<![\w@./-])@([A-Za-z0-9](?:[A-Za-z0-9._-]{{0,{MAX_LENGTH - 2}}}[A-Za-z0-9])?)"
)
# At most this many different names are looked up (and notified) for one comment.
MAX_MENTIONS = 20
_TAG = re.compile(r"(<[^>]*>)")
_SKIP = re.compile(r"<(/?)(a|code|pre)\b", re.IGNORECASE)


# What link_mentions writes (the sanitiser drops `class` from readers' own links, so only these
# carry it): the profile's address, whose last part is the username, and the text as typed.
_MENTION_LINK = re.compile(r'<a href="[^"]*/([^/"]+)/" class="mention">(@[^<]*)</a>')


def linked_usernames(html: str) -> set[str]:
    """The usernames (lower-cased) that this stored HTML links as mentions."""
    return {m.group(1).lower() for m in _MENTION_LINK.finditer(html)}


def without_mentions(html: str) -> str:
    """The HTML with mention links back to their text: what screening counts as links leaves out
    the site's own links to readers' profiles."""
    return _MENTION_LINK.sub(r"\2", html)


def _text_parts(html: str) -> list[tuple[str, bool]]:
    """The HTML as (piece, is_text_to_scan): tags, and text inside a, code or pre, are not."""
    parts, depth = [], 0
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            if match := _SKIP.match(piece):
                depth = max(depth - 1, 0) if match.group(1) else depth + 1
            parts.append((piece, False))
        elif piece:
            parts.append((piece, depth == 0))
    return parts


def mentioned_names(html: str) -> list[str]:
    """The names mentioned in this stored HTML, lower-cased, in order, without repeats."""
    seen: dict[str, None] = {}
    for piece, scan in _text_parts(html):
        if scan:
            for match in MENTION.finditer(piece):
                seen.setdefault(match.group(1).lower(), None)
    return list(seen)[:MAX_MENTIONS]


def link_mentions(html: str) -> tuple[str, list]:
    """The HTML with each @name of an existing reader linked to their profile, and those readers.

    One query (the names by the case-insensitive username index), none when nothing looks like a
    mention.
    """
    names = mentioned_names(html)
    if not names:
        return html, []
    people = list(
        get_user_model()
        .objects.annotate(name_lower=Lower("username"))
        .filter(name_lower__in=names, is_active=True)
    )
    by_name = {p.username.lower(): p for p in people}

    def link(match: re.Match) -> str:
        person = by_name.get(match.group(1).lower())
        if person is None:
            return match.group(0)
        url = reverse("profiles:profile", args=[person.username])
        return f'<a href="{url}" class="mention">{match.group(0)}</a>'

    out = [MENTION.sub(link, piece) if scan else piece for piece, scan in _text_parts(html)]
    return "".join(out), people
