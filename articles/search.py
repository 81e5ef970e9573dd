"""Search of published articles.

On PostgreSQL: full-text search (English stemming, title weighted above summary above body, ranked)
over the same expression as the GIN index `article_search_idx` (migration 0004), so the index
serves the query. Elsewhere (SQLite): every word must appear, case-insensitively, in the title,
summary or body; newest first.

Highlighting escapes first and marks second: the text is split around the matches, every piece is
escaped, and only then are the matches wrapped in <mark>. Nothing from an article body reaches the
page unescaped.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import reduce
from operator import and_
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Article

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
SNIPPET_WORDS = 30
SEARCH_CONFIG = "english"


def search_vector():
    """The document searched on PostgreSQL; migration 0004 indexes this very expression."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body_text", weight="C", config=SEARCH_CONFIG)
    )


@dataclass(frozen=True)
class Result:
    article: Article
    title_html: SafeString
    snippet_html: SafeString


def clean_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def _on_postgres() -> bool:
    return connection.vendor == "postgresql"


def full_text(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    """PostgreSQL only: the articles whose document matches `query`, annotated with a rank.

    The filter is `search_vector() @@ query`, which the GIN index serves.
    """
    terms = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    return (
        articles.annotate(document=search_vector())
        .filter(document=terms)
        .annotate(rank=SearchRank(F("document"), terms))
    )


def matching(query: str) -> QuerySet[Article]:
    """Published articles matching `query`, best first."""
    articles = Article.objects.published().select_related("section", "author")
    if _on_postgres():
        return full_text(articles, query).order_by("-rank", "-published_at", "-pk")
    words = query.split()[:MAX_WORDS]
    if not words:
        return articles.none()
    each_word = [
        Q(title__icontains=w) | Q(summary__icontains=w) | Q(body_text__icontains=w) for w in words
    ]
    return articles.filter(reduce(and_, each_word)).order_by("-published_at", "-pk")


def _marked(pieces: list[str]) -> SafeString:
    """Pieces alternate: plain, match, plain, match…; each is escaped, matches are wrapped."""
    # Safe: every piece is escaped here, and the only markup is ours.
    return mark_safe(
        "".join(
            f"<mark>{escape(piece)}</mark>" if i % 2 else escape(piece)
            for i, piece in enumerate(pieces)
        )
    )


def _highlight_words(text: str, words: list[str]) -> SafeString:
    if not words:
        return _marked([text])
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return _marked(re.split(f"({pattern})", text, flags=re.IGNORECASE))


def _snippet(text: str, words: list[str]) -> str:
    """About SNIPPET_WORDS words of `text` around the first match (or its opening)."""
    tokens = text.split()
    lowered = [t.lower() for t in tokens]
    first = next((i for i, t in enumerate(lowered) if any(w.lower() in t for w in words)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    chosen = tokens[start : start + SNIPPET_WORDS]
    return (
        ("… " if start else "")
        + " ".join(chosen)
        + (" …" if start + SNIPPET_WORDS < len(tokens) else "")
    )


def _postgres_results(query: str, articles: list[Article]) -> list[Result]:
    # Markers no article can contain (new each search), turned into <mark> after escaping.
    token = secrets.token_hex(8)
    start, stop = f"[{token}[", f"]{token}]"
    terms = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    options: dict[str, Any] = {"config": SEARCH_CONFIG, "start_sel": start, "stop_sel": stop}
    # Headlines for this page's articles only: ts_headline is costly, so never over all matches.
    headlines = {
        pk: (title, body)
        for pk, title, body in Article.objects.filter(pk__in=[a.pk for a in articles])
        .annotate(
            title_marked=SearchHeadline("title", terms, highlight_all=True, **options),
            body_marked=SearchHeadline(
                "body_text",
                terms,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
                **options,
            ),
        )
        .values_list("pk", "title_marked", "body_marked")
    }
    split = re.compile(f"{re.escape(start)}|{re.escape(stop)}")
    return [
        Result(
            article=a,
            title_html=_marked(split.split(headlines[a.pk][0])),
            # A body without the words (a title match) still gets its opening; an empty body,
            # the description.
            snippet_html=_marked(split.split(headlines[a.pk][1] or a.description)),
        )
        for a in articles
    ]


def _simple_results(query: str, articles: list[Article]) -> list[Result]:
    words = query.split()[:MAX_WORDS]
    return [
        Result(
            article=a,
            title_html=_highlight_words(a.title, words),
            snippet_html=_highlight_words(_snippet(a.body_text or a.summary, words), words),
        )
        for a in articles
    ]


def search(query: str, *, page: str | int | None = None) -> Page:
    """One page of results for `query`; its object_list holds `Result`s, highlighted."""
    paginator = Paginator(matching(query), settings.ARTICLES_PER_PAGE)
    # A page of articles, then of their results: the same page, its object_list replaced.
    page_: Page[Any] = paginator.get_page(page)
    articles = list(page_.object_list)
    if not articles:
        page_.object_list = []
    elif _on_postgres():
        page_.object_list = _postgres_results(query, articles)
    else:
        page_.object_list = _simple_results(query, articles)
    return page_
