"""The articles app's queued work: re-rendering article bodies after a sanitising change."""

from __future__ import annotations

from django.db import transaction

from markup.rerender import rerender
from markup.sanitize import render_markdown
from taskqueue.queue import task

from .models import Article
from .versions import articles_changed


@task()
def rerender_articles(first_pk: int, last_pk: int) -> int:
    """Re-render the stored HTML of articles first_pk..last_pk; returns how many changed.

    Each changed article gets a new version in the same transaction, so its cached page misses.
    """
    with transaction.atomic():
        rows = Article.objects.filter(pk__gte=first_pk, pk__lte=last_pk).order_by("pk")
        stale = rerender(rows, render_markdown)
        articles_changed(a.pk for a in stale)
    return len(stale)
