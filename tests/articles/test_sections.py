"""Section pages, the home page, and what the public may see."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article, Section
from tests.conftest import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_sections_resolve_by_their_path_in_the_tree(client):
    for url, heading in [
        ("/more/", "More"),
        ("/more/health/", "Health"),
        ("/more/health/recovery/", "Recovery"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert BeautifulSoup(response.content, "html5lib").h1.get_text() == heading


def test_a_missing_trailing_slash_redirects(client):
    response = client.get("/more/health")
    assert response.status_code == 301
    assert response["Location"] == "/more/health/"


def test_an_unknown_path_is_a_404_with_the_site_layout(client):
    response = client.get("/more/nowhere/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_a_section_lists_its_published_articles_newest_first(client):
    section = SectionFactory(slug="news", name="News")
    now = timezone.now()
    old = ArticleFactory(section=section, title="Old", published_at=now - dt.timedelta(days=2))
    new = ArticleFactory(section=section, title="New", published_at=now - dt.timedelta(days=1))
    ArticleFactory(section=section, title="Draft", status=Article.Status.DRAFT)
    ArticleFactory(section=section, title="Scheduled", published_at=now + dt.timedelta(days=1))
    ArticleFactory(section=section, title="Withdrawn", status=Article.Status.UNPUBLISHED)
    soup = BeautifulSoup(client.get("/news/").content, "html5lib")
    titles = [a.get_text() for a in soup.select(".card-title a")]
    assert titles == [new.title, old.title]


def test_a_section_lists_articles_of_its_subsections_and_links_the_children(client):
    soup = BeautifulSoup(client.get("/more/").content, "html5lib")
    assert "Sudden Muscle Twitches" in soup.select_one(".cards").get_text()
    assert [a["href"] for a in soup.select(".subsections a")] == ["/more/health/"]


def test_section_listings_are_paginated(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    section = SectionFactory(slug="busy")
    ArticleFactory.create_batch(5, section=section)
    first = BeautifulSoup(client.get("/busy/").content, "html5lib")
    assert len(first.select(".card")) == 2
    assert "Page 1 of 3" in first.select_one(".pagination").get_text()
    last = BeautifulSoup(client.get("/busy/?page=3").content, "html5lib")
    assert len(last.select(".card")) == 1


@pytest.mark.parametrize(
    "status, offset",
    [(Article.Status.DRAFT, -1), (Article.Status.UNPUBLISHED, -1), (Article.Status.PUBLISHED, 1)],
)
def test_articles_the_public_may_not_see_are_not_found(client, status, offset):
    article = ArticleFactory(
        status=status, published_at=timezone.now() + dt.timedelta(hours=offset)
    )
    assert client.get(article.get_absolute_url()).status_code == 404


def test_the_home_page_shows_the_latest_articles_and_the_whole_section_tree(client):
    ArticleFactory(title="Fresh news")
    soup = BeautifulSoup(client.get("/").content, "html5lib")
    assert soup.find("h1").get_text() == "Latest articles"
    titles = [a.get_text() for a in soup.select(".card-title a")]
    assert titles[0] == "Fresh news"
    assert "Sudden Muscle Twitches During Sleep: Causes and What You Should Know" in titles
    header_links = [a.get_text() for a in soup.select(".site-nav a")]
    assert "More section" in header_links
    # Down to the sections that hold the articles.
    tree = soup.find(id="sections-heading").find_parent("section")
    nested = tree.select("ul.section-list > li > ul.section-list > li > ul.section-list a")
    assert [a["href"] for a in nested] == ["/more/health/recovery/"]


def test_the_cards_show_how_many_comments_each_article_has(client):
    from tests.comments.conftest import CommentFactory

    busy = ArticleFactory(title="Busy")
    ArticleFactory(title="Quiet")
    CommentFactory.create_batch(3, article=busy)
    CommentFactory(article=busy, status="pending")
    soup = BeautifulSoup(client.get("/").content, "html5lib")
    counts = {
        card.select_one(".card-title a").get_text(): card.select_one(".card-meta a").get_text()
        for card in soup.select(".card")
    }
    assert counts["Busy"].startswith("3 comments on")
    assert counts["Quiet"].startswith("0 comments on")
    section = BeautifulSoup(client.get(busy.section.get_absolute_url()).content, "html5lib")
    assert section.select_one(".card-meta a").get_text().startswith("3 comments")


def test_the_header_navigation_follows_a_new_top_section(client):
    client.get("/")
    SectionFactory(name="Opinion", slug="opinion")
    soup = BeautifulSoup(client.get("/").content, "html5lib")
    assert "Opinion section" in [a.get_text() for a in soup.select(".site-nav a")]


def test_renaming_a_section_moves_its_whole_subtree():
    more = Section.objects.get(path="more")
    more.slug = "extra"
    more.save()
    assert Section.objects.get(name="Recovery").path == "extra/health/recovery"


def test_a_root_section_cannot_take_a_reserved_slug():
    with pytest.raises(ValidationError):
        Section(name="Admin", slug="admin").full_clean()


def test_a_section_cannot_be_moved_inside_itself():
    more = Section.objects.get(path="more")
    more.parent = Section.objects.get(path="more/health/recovery")
    with pytest.raises(ValidationError):
        more.full_clean()
