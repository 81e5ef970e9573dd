"""Times as machines read them: in `<time datetime>`, meta tags and JSON-LD.

HTML allows at most three digits of a second's fraction in a `datetime` attribute, and stored times
carry six (microseconds); nobody needs them on a page, so they are dropped. Aware times are given
in the site's time zone with their offset, as the visible dates beside them are.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def machine_time(value: dt.datetime | dt.date | None) -> str:
    """ "2025-09-15T08:22:58+01:00" for a time, "2025-09-15" for a date, "" for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"Not a date or time: {value!r}")
