"""Editors preview drafts and scheduled articles exactly as they will look; nobody else can."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles import publishing
from articles.models import Article
from tests.conftest import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def preview_url(article: Article) -> str:
    return reverse("articles:preview", args=[article.pk])


@pytest.fixture
def draft(db) -> Article:
    return ArticleFactory(
        title="Not yet", body="## Coming soon\n\nText.", status="draft", published_at=None
    )


@pytest.fixture
def scheduled(db) -> Article:
    return ArticleFactory(published_at=timezone.now() + dt.timedelta(days=1))


@pytest.mark.parametrize("which", ["draft", "scheduled"])
def test_an_editor_previews_an_article_the_public_cannot_see(client, editor, request, which):
    article = request.getfixturevalue(which)
    assert client.get(article.get_absolute_url()).status_code == 404
    client.force_login(editor)
    response = client.get(preview_url(article))
    assert response.status_code == 200
    assert "articles/article_detail.html" in [t.name for t in response.templates]
    soup = BeautifulSoup(response.content, "html5lib")
    assert soup.h1.get_text() == article.title
    banner = soup.select_one(".preview-banner").get_text(" ", strip=True)
    assert f"Preview of a {article.state.label.lower()} article" in banner
    assert soup.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")


def test_a_writer_without_the_publishing_permission_may_preview_too(client, writer, draft):
    client.force_login(writer)
    assert client.get(preview_url(draft)).status_code == 200


def test_the_preview_is_never_cached(client, editor, draft):
    client.force_login(editor)
    cache_control = client.get(preview_url(draft))["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


@pytest.mark.parametrize("who", ["anonymous", "reader", "staff without rights"])
def test_anyone_else_gets_the_same_404_as_for_a_missing_article(client, draft, reader, who):
    if who == "reader":
        client.force_login(reader)
    elif who == "staff without rights":
        client.force_login(UserFactory(is_staff=True))
    assert client.get(preview_url(draft)).status_code == 404
    assert client.get(reverse("articles:preview", args=[draft.pk + 1000])).status_code == 404


def test_the_preview_is_the_page_the_public_will_see(client, editor, draft):
    client.force_login(editor)
    preview = BeautifulSoup(client.get(preview_url(draft)).content, "html5lib")
    publishing.publish(article=draft, by=editor)
    public = BeautifulSoup(client.get(draft.get_absolute_url()).content, "html5lib")
    assert preview.select_one(".article-body") == public.select_one(".article-body")
    assert preview.select_one(".breadcrumb") == public.select_one(".breadcrumb")
    assert preview.select_one(".byline-author") == public.select_one(".byline-author")
    assert public.select_one(".preview-banner") is None
