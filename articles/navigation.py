"""The top of the section tree, as the site header shows it.

Read once, cached, and dropped whenever a section changes.
"""

from __future__ import annotations

from django.core.cache import cache

from .models import Section

NAV_CACHE_KEY = "articles:nav:v1"


def top_sections() -> list[dict[str, str]]:
    nav = cache.get(NAV_CACHE_KEY)
    if nav is None:
        nav = [
            {"name": s.name, "url": s.get_absolute_url(), "path": s.path}
            for s in Section.objects.roots()
        ]
        cache.set(NAV_CACHE_KEY, nav, timeout=None)
    return nav


def forget_sections() -> None:
    cache.delete(NAV_CACHE_KEY)
