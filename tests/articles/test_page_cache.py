"""Whole anonymous pages from the cache: one query each, and never older than the database.

Every change a reader could see gives the page a new version in the database (its article's, or
the site's), so the next request misses the old page and renders the new one; a conditional GET
gets a 304 while nothing changed. Signed-in readers' pages are theirs alone.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import publishing
from articles.models import Article, SiteVersion
from comments.models import Comment
from comments.services import delete_comment, edit_comment
from moderation.decisions import decide
from tests.comments.conftest import CommentFactory
from tests.conftest import ArticleFactory, UserFactory
from tests.conftest import get_counted as get

pytestmark = pytest.mark.django_db


def test_an_anonymous_page_is_served_from_the_cache_in_one_query(client, article):
    first = get(client, article.get_absolute_url())
    again = get(client, article.get_absolute_url())
    assert again.content == first.content
    assert again.queries == 1
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == ("public, max-age=0, s-maxage=30, stale-while-revalidate=60")
    assert "Cookie" in again["Vary"]
    assert not again.cookies


@pytest.mark.parametrize("url", ["home", "section"])
def test_home_and_section_pages_are_cached_too(client, article, url):
    address = "/" if url == "home" else article.section.get_absolute_url()
    get(client, address)
    again = get(client, address)
    assert again.status_code == 200 and again.queries == 1
    assert article.title in again.content.decode()


def test_an_unchanged_page_answers_a_conditional_get_with_304(client, article):
    etag = get(client, article.get_absolute_url())["ETag"]
    response = get(client, article.get_absolute_url(), if_none_match=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag and response.queries == 1


def _approve(article, editor):
    held = CommentFactory(article=article, body="Approved just now.", status="pending")
    decide(held, "approve", by=editor)
    return "Approved just now."


def _edit(article, editor):
    comment = Comment.objects.get(article=article, body="Here before.")
    edit_comment(comment=comment, by=comment.author, body="Edited just now.")
    return "Edited just now."


def _remove(article, editor):
    comment = Comment.objects.get(article=article, body="Here before.")
    delete_comment(comment=comment, by=comment.author)
    return "Comments (0)"


def _rerender(article, editor):
    comment = Comment.objects.get(article=article, body="Here before.")
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>stale</p>")
    call_command("rerender_comments", "--no-progress", stdout=io.StringIO())
    return "<p>Here before.</p>"


def _edit_article(article, editor):
    article.title = "A new title"
    publishing.save_article(article=article, by=editor)
    return "A new title"


def _rename_section(article, editor):
    section = article.section
    section.name = "Renamed section"
    section.save()
    return "Renamed section"


@pytest.mark.parametrize(
    "change",
    [_approve, _edit, _remove, _rerender, _edit_article, _rename_section],
    ids=["approved", "edited", "removed", "re-rendered", "article-edited", "section-renamed"],
)
def test_a_change_is_on_the_next_anonymous_page_at_once(client, article, editor, change):
    CommentFactory(article=article, body="Here before.")
    before = get(client, article.get_absolute_url())
    assert "Here before." in before.content.decode()
    url = article.get_absolute_url()

    shown = change(article, editor)

    after = get(client, url, if_none_match=before["ETag"])
    assert after.status_code == 200
    assert shown in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_a_published_article_is_on_the_home_page_at_once(client, editor):
    get(client, "/")
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="Just out")
    publishing.publish(article=draft, by=editor)
    assert "Just out" in get(client, "/").content.decode()


def test_a_scheduled_article_is_listed_once_its_time_has_come(client, editor):
    soon = timezone.now() + dt.timedelta(hours=1)
    scheduled = ArticleFactory(title="Scheduled piece", published_at=soon)
    assert "Scheduled piece" not in get(client, "/").content.decode()
    # Its time comes with no write at all (as the clock moves on, nothing saves anything):
    past = timezone.now() - dt.timedelta(seconds=1)
    Article.objects.filter(pk=scheduled.pk).update(published_at=past)
    SiteVersion.objects.update(next_publication_at=past)
    assert "Scheduled piece" in get(client, "/").content.decode()


def test_signed_in_pages_are_never_shared(client, article, reader, stranger):
    client.force_login(reader)
    mine = get(client, article.get_absolute_url())
    assert mine["Cache-Control"] == "private, no-cache"
    assert "Cookie" in mine["Vary"] and "ETag" not in mine
    client.force_login(stranger)
    theirs = get(client, article.get_absolute_url()).content.decode()
    assert ">stranger<" in theirs and ">reader<" not in theirs
    client.logout()
    anonymous = client.get(article.get_absolute_url(), headers={"cookie": ""})
    assert b">stranger<" not in anonymous.content and b">reader<" not in anonymous.content


@pytest.mark.parametrize(
    "query",
    [{"comments_page": "2"}, {"comments_page": "99999999"}, {"order": "sideways"}, {"page": "x"}],
)
def test_pages_that_do_not_exist_are_answered_but_not_stored(client, article, query):
    CommentFactory(article=article)
    pages = caches["pages"]
    get(client, article.get_absolute_url())
    stored = len(pages._cache)
    for _ in range(3):
        assert get(client, article.get_absolute_url(), **{}).status_code == 200
        assert client.get(article.get_absolute_url(), query).status_code == 200
    assert len(pages._cache) == stored


def test_the_same_page_in_another_order_is_stored_once_for_that_order(client, article):
    UserFactory.create_batch(2)
    CommentFactory(article=article, body="First")
    CommentFactory(article=article, body="Second")
    newest = client.get(article.get_absolute_url(), {"order": "newest"}).content.decode()
    assert newest.index("Second") < newest.index("First")
    with CaptureQueriesContext(connection) as queries:
        again = client.get(article.get_absolute_url(), {"order": "newest"})
    assert len(queries) == 1 and again.content.decode() == newest


def test_other_query_parameters_are_dropped_so_everyone_gets_the_same_page(client, article):
    tagged = client.get(article.get_absolute_url(), {"utm_source": "newsletter", "reply": "1"})
    assert b"utm_source" not in tagged.content and b"newsletter" not in tagged.content
    with CaptureQueriesContext(connection) as queries:
        plain = client.get(article.get_absolute_url())
    assert len(queries) == 1 and plain.content == tagged.content
