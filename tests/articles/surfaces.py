"""Where the public can meet an article: each surface answers whether the article is there."""

from __future__ import annotations

from collections.abc import Callable

from articles.models import Article


def on_its_page(client, article: Article) -> bool:
    return client.get(article.get_absolute_url()).status_code == 200


def in_its_section(client, article: Article) -> bool:
    return article.title in client.get(article.section.get_absolute_url()).content.decode()


def on_the_home_page(client, article: Article) -> bool:
    return article.title in client.get("/").content.decode()


def in_the_latest_feed(client, article: Article) -> bool:
    return article.title in client.get("/feeds/latest/").content.decode()


def in_its_section_feed(client, article: Article) -> bool:
    feed = client.get(f"/feeds/sections/{article.section.path}/").content.decode()
    return article.title in feed


def in_the_sitemap(client, article: Article) -> bool:
    return article.get_absolute_url() in client.get("/sitemap.xml").content.decode()


def in_search(client, article: Article) -> bool:
    """Articles in these tests carry the word "quokka", which nothing else on the site has."""
    return article.get_absolute_url() in client.get("/search/", {"q": "quokka"}).content.decode()


SURFACES: list[Callable] = [
    on_its_page,
    in_its_section,
    on_the_home_page,
    in_the_latest_feed,
    in_its_section_feed,
    in_the_sitemap,
    in_search,
]


def where_seen(client, article: Article) -> set[str]:
    article.refresh_from_db()
    return {surface.__name__ for surface in SURFACES if surface(client, article)}


EVERYWHERE = {surface.__name__ for surface in SURFACES}
NOWHERE: set[str] = set()
