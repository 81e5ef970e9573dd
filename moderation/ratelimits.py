"""Limits on how a reader posts: too fast, the same text again, too often rejected.

Pure decisions over plain data (times, fingerprints, counts), so they are tested without a
database and the caller chooses how to fetch the data. `too_fast` and `duplicate` return None when
the comment may go ahead, or a `Limit` (a reason code, a sentence for the reader and how long to
wait); `often_rejected` says whether an author's record asks for an editor's look.

The screening rules (moderation.rules) call them with the editors' settings (ModerationSettings);
the keyword defaults here are those settings' defaults.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from .textfold import fold

POSTING_WINDOW = timedelta(minutes=1)
DUPLICATE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Limit:
    """A refusal: nothing is stored, and the reader is told why and how long to wait."""

    code: str
    message: str
    # For a refusal that passes with time: how long until the same comment would be accepted.
    retry_after: timedelta | None = None


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def describe_wait(wait: timedelta) -> str:
    """ "42 seconds", "1 second", "3 minutes": rounded up, never "0 seconds"."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 120:
        return _plural(seconds, "second")
    return _plural(math.ceil(seconds / 60), "minute")


def describe_ago(elapsed: timedelta) -> str:
    """ "just now", "1 minute ago", "12 minutes ago": rounded down, as people say it."""
    minutes = int(elapsed.total_seconds() // 60)
    if minutes < 1:
        return "just now"
    return f"{_plural(minutes, 'minute')} ago"


def too_fast(
    *,
    recent: Iterable[datetime],
    now: datetime,
    limit: int = 5,
    window: timedelta = POSTING_WINDOW,
) -> Limit | None:
    """Refuse a comment when the reader already posted `limit` in the last `window`.

    `recent` are the times of the reader's earlier comments (any order; older ones are ignored).
    The wait is until enough of them leave the window for one more to fit.
    """
    in_window = sorted((t for t in recent if now - window < t <= now), reverse=True)
    if len(in_window) < limit:
        return None
    # Once the limit-th most recent comment is older than the window, one more fits.
    wait = in_window[limit - 1] + window - now
    return Limit(
        code="too_fast",
        message=f"You are posting too fast. Please wait {describe_wait(wait)}.",
        retry_after=wait,
    )


_NOT_LETTERS_OR_DIGITS = re.compile(r"[\W_]+")


def fingerprint(text: str) -> str:
    """A short, fixed-length key for "the same text": blind to case, accents, spacing, punctuation.

    "Great article!!" and "great   article" share a fingerprint; "Great articles" does not.
    """
    letters = _NOT_LETTERS_OR_DIGITS.sub("", fold(text))
    return hashlib.sha256(letters.encode()).hexdigest()


def duplicate(
    *,
    fingerprint: str,
    recent: Iterable[tuple[str, datetime]],
    now: datetime,
    window: timedelta = DUPLICATE_WINDOW,
) -> Limit | None:
    """Refuse a comment whose text the reader already posted within `window`.

    `recent` are (fingerprint, posted at) pairs of the reader's earlier comments.
    """
    times = [t for f, t in recent if f == fingerprint and now - window < t <= now]
    if not times:
        return None
    latest = max(times)
    return Limit(
        code="duplicate",
        message=(
            f"You already posted this comment {describe_ago(now - latest)}. "
            "Please write something new rather than posting it again."
        ),
        retry_after=latest + window - now,
    )


def often_rejected(
    *,
    rejected: int,
    decided: int,
    threshold: float = 0.30,
    minimum_decided: int = 1,
) -> bool:
    """Whether more than `threshold` of the author's decided comments were rejected.

    `decided` counts the author's comments an editor or rule approved or rejected over the period
    the caller chose (ModerationSettings.rejection_days), `rejected` those rejected (spam
    included). Below `minimum_decided` decisions there is too little history to judge.
    """
    if rejected < 0 or decided < rejected:
        raise ValueError("Expected 0 <= rejected <= decided.")
    if decided < minimum_decided or decided == 0:
        return False
    # Exact arithmetic: "more than 30%" must not hold 3 rejections out of 10 by a rounding error.
    return Fraction(rejected, decided) > Fraction(str(threshold))
