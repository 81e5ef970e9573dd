"""The seed article page reproduces the source page, from data."""

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import ArticleFactory, SectionFactory

SOURCE = Path(__file__).parent / "data" / "source-page.txt"
URL = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"

pytestmark = pytest.mark.django_db


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html5lib")
    for hidden in soup(["script", "style", "head", "template", "noscript"]):
        hidden.decompose()
    return soup.get_text(" ")


def squash(text: str) -> str:
    """Whitespace and breadcrumb separators normalised away, for line-by-line comparison."""
    return re.sub(r"[\s>›]+", "", text)


def test_the_seed_article_page_shows_every_line_of_the_source_in_order(client):
    response = client.get(URL)
    assert response.status_code == 200
    page = squash(visible_text(response.content.decode()))
    position = 0
    for line in filter(str.strip, SOURCE.read_text(encoding="utf-8").splitlines()):
        found = page.find(squash(line), position)
        assert found >= 0, f"missing or out of order: {line[:70]!r}"
        position = found + len(squash(line))


def test_the_breadcrumb_links_each_level_and_marks_the_last(client):
    soup = BeautifulSoup(client.get(URL).content, "html5lib")
    nav = soup.find("nav", attrs={"aria-label": "Breadcrumb"})
    links = nav.find_all("a")
    assert [a.get_text() for a in links] == ["More", "Health", "Recovery"]
    assert [a["href"] for a in links] == ["/more/", "/more/health/", "/more/health/recovery/"]
    assert links[-1].has_attr("aria-current")
    assert not links[0].has_attr("aria-current")


def test_the_byline_has_the_author_and_a_machine_readable_time(client):
    soup = BeautifulSoup(client.get(URL).content, "html5lib")
    byline = soup.select_one(".byline")
    assert byline.select_one(".byline-author").get_text() == "BetterNotMee"
    time = byline.find("time")
    assert time.get_text() == "2025-09-15 08:22:58"
    assert time["datetime"].startswith("2025-09-15T08:22:58")


def test_the_body_keeps_its_headings(client):
    soup = BeautifulSoup(client.get(URL).content, "html5lib")
    body = soup.select_one(".article-body")
    assert [h.get_text() for h in body.find_all("h2")] == [
        "Common Causes of Sudden Muscle Twitches During Sleep",
        "When to Seek Medical Attention",
    ]
    assert len(body.find_all("h3")) == 5
    assert body.find("h3").get_text() == "1. Electrolyte Imbalances"


def test_an_anonymous_reader_is_asked_to_log_in_and_sent_back_to_the_article(client):
    soup = BeautifulSoup(client.get(URL).content, "html5lib")
    prompt = soup.select_one(".login-required")
    assert prompt.get_text(" ", strip=True) == "Login is required before commenting."
    link = prompt.find("a")
    assert link["href"].startswith("/accounts/login/?next=")
    assert "/more/health/recovery/sudden-muscle-twitches-during-sleep/" in link["href"].replace(
        "%2F", "/"
    )
    assert soup.find(id="comments-heading").get_text() == "Comments (0)"


def test_the_page_describes_itself_to_search_engines_and_social_sites(client):
    soup = BeautifulSoup(client.get(URL).content, "html5lib")
    assert soup.find("link", rel="canonical")["href"] == f"http://testserver{URL}"
    assert soup.find("meta", attrs={"name": "description"})["content"].startswith(
        "Have you ever experienced"
    )
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    assert og["og:type"] == "article"
    assert og["og:title"].startswith("Sudden Muscle Twitches During Sleep")
    assert og["og:url"] == f"http://testserver{URL}"

    blocks = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    article = next(b for b in blocks if b["@type"] == "Article")
    assert article["author"]["name"] == "BetterNotMee"
    assert article["datePublished"].startswith("2025-09-15T08:22:58")
    assert article["headline"] == (
        "Sudden Muscle Twitches During Sleep: Causes and What You Should Know"
    )
    assert "dateModified" in article
    crumbs = next(b for b in blocks if b["@type"] == "BreadcrumbList")
    assert [i["name"] for i in crumbs["itemListElement"]] == [
        "More",
        "Health",
        "Recovery",
        article["headline"],
    ]


def test_json_ld_cannot_be_broken_out_of(client, article):
    article.title = "</script><script>alert(1)</script>"
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html


def count_queries(client, url: str) -> int:
    client.get(url)  # warm caches that are meant to be warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_article_page_query_count_does_not_grow_with_the_site(client):
    before = count_queries(client, URL)
    parent = SectionFactory()
    for _ in range(20):
        child = SectionFactory(parent=parent)
        ArticleFactory.create_batch(3, section=child)
    assert count_queries(client, URL) == before


def test_the_article_page_query_count_is_the_same_for_a_signed_in_reader(client, reader):
    anonymous = count_queries(client, URL)
    client.force_login(reader)
    signed_in = count_queries(client, URL)
    ArticleFactory.create_batch(10)
    assert count_queries(client, URL) == signed_in
    # The session and the user, then the reader's own side of the discussion (a verified email?
    # their own comments on this article? their standing with the editors, read from the
    # database): nothing per comment or article.
    assert signed_in <= anonymous + 5
