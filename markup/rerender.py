"""Writing stored HTML again after the sanitising policy changed (any model with body/body_html)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet


def rerender(
    rows: QuerySet[Any], render: Callable[[str], str], *, also: Sequence[str] = ()
) -> list:
    """Render each row's `body` again and store it where `body_html` differs; returns those rows.

    bulk_update writes body_html only: no save() side effects, no signals. The caller bumps the
    versions of the pages that show them, in its transaction.
    """
    stale = []
    for row in rows.only("pk", "body", "body_html", *also):
        html = render(row.body)
        if html != row.body_html:
            row.body_html = html
            stale.append(row)
    rows.model.objects.bulk_update(stale, ["body_html"])
    return stale
