"""Structured data for search engines: JSON-LD Article and BreadcrumbList."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markup.times import machine_time

from .models import Article, Section


def breadcrumb_jsonld(trail: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": url}
            for i, (name, url) in enumerate(trail, start=1)
        ],
    }


def article_jsonld(
    article: Article, ancestors: Sequence[Section], absolute: Callable[[str], str]
) -> list[dict[str, Any]]:
    trail = [(s.name, absolute(s.get_absolute_url())) for s in ancestors]
    trail.append((article.title, absolute(article.get_absolute_url())))
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.description,
        "author": {"@type": "Person", "name": article.author.display_name},
        "datePublished": machine_time(article.published_at) or None,
        # A material update, not any save: fixing a typo is not news.
        "dateModified": machine_time(article.modified_at) or None,
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "articleSection": article.section.name,
    }
    return [data, breadcrumb_jsonld(trail)]
