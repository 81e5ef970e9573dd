"""The byline author and dates: "Updated" after a material update only; comment settings."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from bs4 import BeautifulSoup

from articles import publishing
from articles.models import Article
from articles.publishing import TransitionError
from tests.articles.conftest import clock_at
from tests.conftest import ArticleFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def article_jsonld(client, article: Article) -> tuple[BeautifulSoup, dict]:
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html5lib")
    blocks = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    return soup, next(b for b in blocks if b["@type"] == "Article")


def test_an_ordinary_save_shows_no_updated_date(client, editor, now):
    article = ArticleFactory(published_at=now - 3 * DAY)
    article.body += "\n\nA typo fixed."
    publishing.save_article(article=article, by=editor)
    soup, data = article_jsonld(client, article)
    assert soup.select_one(".byline-updated") is None
    assert data["dateModified"] == data["datePublished"]


def test_a_material_update_shows_updated_beside_the_original_date(client, editor, now):
    article = ArticleFactory(published_at=now - 3 * DAY)
    article.body += "\n\nNew guidance."
    publishing.save_article(article=article, by=editor, material=True, now=now)
    soup, data = article_jsonld(client, article)
    byline = soup.select_one(".byline")
    assert byline.select_one(".byline-date")["datetime"].startswith(
        (now - 3 * DAY).strftime("%Y-%m-%dT%H:%M")
    )
    updated = byline.select_one(".byline-updated")
    assert updated.get_text(" ", strip=True).startswith("Updated")
    assert updated.time["datetime"].startswith(now.strftime("%Y-%m-%dT%H:%M:%S"))
    assert data["dateModified"].startswith(now.strftime("%Y-%m-%dT%H:%M:%S"))
    assert data["datePublished"] < data["dateModified"]


def test_the_byline_stays_with_the_author_whoever_edits(client, editor):
    article = ArticleFactory()
    author = article.author
    article.title = "Edited by the editor"
    publishing.save_article(article=article, by=editor)
    soup, data = article_jsonld(client, article)
    assert soup.select_one(".byline-author").get_text() == author.username
    assert data["author"]["name"] == author.username
    assert article.history.first().history_user == editor


def test_a_draft_cannot_have_a_material_update(editor):
    draft = ArticleFactory(status="draft", published_at=None)
    with pytest.raises(TransitionError):
        publishing.save_article(article=draft, by=editor, material=True)
    assert Article.objects.get(pk=draft.pk).revised_at is None


def test_comments_are_open_by_default_and_never_close_by_themselves(now):
    article = ArticleFactory(published_at=now - 3650 * DAY)
    assert article.comments_close_after_days is None
    assert article.comments_closed is False


def test_comments_closed_by_hand_are_closed():
    assert ArticleFactory(comments_mode=Article.CommentsMode.CLOSED).comments_closed is True


@pytest.mark.parametrize("mode", [Article.CommentsMode.OPEN, Article.CommentsMode.PREMODERATED])
def test_comments_close_by_themselves_after_the_chosen_number_of_days(now, mode):
    article = ArticleFactory(published_at=now, comments_mode=mode, comments_close_after_days=7)
    with clock_at(now + 7 * DAY - dt.timedelta(seconds=1)):
        assert article.comments_closed is False
    with clock_at(now + 7 * DAY):
        assert article.comments_closed is True
    assert article.comments_close_at == now + 7 * DAY


def test_an_unpublished_draft_has_no_closing_time():
    draft = ArticleFactory(status="draft", published_at=None, comments_close_after_days=1)
    assert draft.comments_close_at is None
    assert draft.comments_closed is False
