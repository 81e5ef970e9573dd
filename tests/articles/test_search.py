"""Search of published articles: full-text on PostgreSQL, a simpler match on SQLite, both safe."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.utils import timezone

from articles import search
from articles.models import Article
from tests.conftest import ArticleFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search (CI's second leg)"
)


def results(client, q: str, **params) -> BeautifulSoup:
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html5lib")


def titles(soup: BeautifulSoup) -> list[str]:
    return [a.get_text() for a in soup.select(".search-result-title a")]


def test_search_finds_published_articles_by_title_summary_or_body(client):
    by_title = ArticleFactory(title="The quokka at dawn", body="Nothing here.")
    by_summary = ArticleFactory(title="Marsupials", summary="A quokka smiles.", body="Nothing.")
    by_body = ArticleFactory(title="Island life", body="On Rottnest a quokka lives.")
    ArticleFactory(title="Unrelated", body="Kangaroos only.")
    found = titles(results(client, "quokka"))
    assert sorted(found) == sorted([by_title.title, by_summary.title, by_body.title])


@pytest.mark.parametrize("status, hours", [("draft", -1), ("unpublished", -1), ("published", 1)])
def test_search_never_shows_what_the_public_may_not_see(client, status, hours):
    ArticleFactory(
        title="A hidden quokka",
        status=status,
        published_at=timezone.now() + dt.timedelta(hours=hours),
    )
    soup = results(client, "quokka")
    assert titles(soup) == []
    assert "No articles found" in soup.select_one(".search-count").get_text()


def test_every_word_must_match(client):
    both = ArticleFactory(title="Quokka and wombat", body="Friends.")
    ArticleFactory(title="Quokka alone", body="Solo.")
    assert titles(results(client, "wombat quokka")) == [both.title]


def test_matches_are_highlighted_in_the_title_and_the_snippet(client):
    ArticleFactory(title="The quokka at dawn", body="Early light. A quokka wakes up on the island.")
    result = results(client, "quokka").select_one(".search-result")
    assert [m.get_text().lower() for m in result.select(".search-result-title mark")] == ["quokka"]
    assert "quokka" in [m.get_text().lower() for m in result.select(".search-snippet mark")]


def test_markup_in_articles_is_shown_as_text_never_run(client):
    ArticleFactory(
        title="<script>alert('title')</script> quokka",
        body="The quokka wrote `<img src=x onerror=alert(1)>` and <b>bold</b> &amp; more.",
    )
    response = client.get("/search/", {"q": "quokka"})
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    soup = BeautifulSoup(html, "html5lib")
    result = soup.select_one(".search-result")
    assert result.find("img") is None and result.find("script") is None
    assert "<script>alert('title')</script>" in result.select_one(".search-result-title").get_text()
    assert "<img src=x onerror=alert(1)>" in result.select_one(".search-snippet").get_text()


def test_a_word_that_is_also_an_html_entity_is_highlighted_without_breaking_it(client):
    ArticleFactory(title="Salt & pepper for quokka", body="quokka amp")
    html = client.get("/search/", {"q": "quokka amp"}).content.decode()
    assert "&<mark>" not in html


def test_results_are_paginated_and_the_pages_keep_the_query(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    for n in range(5):
        ArticleFactory(title=f"Quokka number {n}")
    first = results(client, "quokka")
    assert len(first.select(".search-result")) == 2
    pagination = first.select_one(".pagination")
    assert "Page 1 of 3" in pagination.get_text()
    assert pagination.find("a", rel="next")["href"] == "?q=quokka&page=2"
    assert "5 articles found" in first.select_one(".search-count").get_text()
    last = results(client, "quokka", page=3)
    assert len(last.select(".search-result")) == 1


def test_an_empty_query_asks_for_words_and_searches_nothing(client):
    soup = results(client, "   ")
    assert soup.select(".search-result") == []
    assert "Type a few words" in soup.select_one("main").get_text()


def test_every_page_has_a_search_box_in_its_header(client, seed_article):
    for url in ["/", "/more/", seed_article.get_absolute_url()]:
        soup = BeautifulSoup(client.get(url).content, "html5lib")
        form = soup.select_one(".site-header form[role=search]")
        assert form["action"] == "/search/"
        assert form.find("input", attrs={"name": "q"})


def test_search_pages_ask_search_engines_not_to_index_them(client):
    soup = results(client, "quokka")
    assert soup.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")


def test_a_long_query_is_cut_not_refused(client):
    assert client.get("/search/", {"q": "quokka " * 100}).status_code == 200
    assert len(search.clean_query("x" * 1000)) == search.MAX_QUERY_LENGTH


def test_the_seed_article_is_found_by_a_word_of_its_body(client, seed_article):
    assert seed_article.title in titles(results(client, "magnesium"))


# --- PostgreSQL full-text search -----------------------------------------------------------------


@on_postgres
@pytest.mark.postgres
def test_on_postgres_words_match_by_their_stem(client, seed_article):
    # The seed says "twitches"; English stemming finds it from "twitching".
    assert seed_article.title in titles(results(client, "twitching"))


@on_postgres
@pytest.mark.postgres
def test_on_postgres_a_title_match_ranks_above_a_body_match(client):
    now = timezone.now()
    in_body = ArticleFactory(
        title="Island notes", body="Once we saw a wombat.", published_at=now - dt.timedelta(hours=1)
    )
    in_title = ArticleFactory(
        title="Wombat burrows", body="Digging.", published_at=now - dt.timedelta(days=30)
    )
    assert titles(results(client, "wombat")) == [in_title.title, in_body.title]


@on_postgres
@pytest.mark.postgres
def test_on_postgres_web_search_syntax_excludes_words(client):
    keep = ArticleFactory(title="Quokka facts", body="Small.")
    ArticleFactory(title="Quokka and wombat", body="Both.")
    assert titles(results(client, "quokka -wombat")) == [keep.title]


@on_postgres
@pytest.mark.postgres
def test_on_postgres_the_full_text_match_is_served_by_the_gin_index(seed_article):
    ArticleFactory.create_batch(5)
    query = search.full_text(Article.objects.values("pk"), "twitches").values("pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows: keep the planner off a whole-table scan, as a large table would.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on article_search_idx" in plan
    assert list(query) == [{"pk": seed_article.pk}]


@on_postgres
@pytest.mark.postgres
def test_on_postgres_a_page_of_results_is_three_queries_however_many_match(
    settings, django_assert_num_queries
):
    settings.ARTICLES_PER_PAGE = 2
    for n in range(6):
        ArticleFactory(title=f"Quokka {n}")
    # The count, the page, and the highlighted headlines of that page's articles only.
    with django_assert_num_queries(3) as queries:
        page = search.search("quokka")
    assert len(page.object_list) == 2
    assert all("<mark>Quokka</mark>" in r.title_html for r in page.object_list)
    headline_query = queries.captured_queries[-1]["sql"]
    assert headline_query.count("ts_headline") == 2
