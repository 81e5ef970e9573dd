"""Live threads: a tiny endpoint tells the page's script the thread's version and count, with an
ETag (an unchanged thread is a 304) and at most one query; the article page stays cached."""

from __future__ import annotations

import pytest

from articles.models import Article
from tests.comments.conftest import CommentFactory
from tests.conftest import get_counted as get

pytestmark = pytest.mark.django_db


def version_url(article) -> str:
    return f"/comments/thread/{article.pk}/version/"


def test_the_version_of_a_thread_in_one_query(client, article):
    CommentFactory(article=article)
    CommentFactory(article=article)
    response = get(client, version_url(article))
    assert response.status_code == 200
    assert response.queries <= 1
    state = response.json()
    assert state["count"] == 2 and state["version"] > 0
    assert response["ETag"] == f'"thread-{article.pk}-{state["version"]}"'
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_an_unchanged_thread_is_a_304_and_a_new_comment_is_not(client, article):
    first = get(client, version_url(article))
    unchanged = get(client, version_url(article), if_none_match=first["ETag"])
    assert unchanged.status_code == 304 and unchanged.queries <= 1
    assert unchanged.content == b""
    weakened = get(client, version_url(article), if_none_match=f"W/{first['ETag']}")
    assert weakened.status_code == 304  # as a compressing proxy may send it back
    CommentFactory(article=article)
    changed = get(client, version_url(article), if_none_match=first["ETag"])
    assert changed.status_code == 200
    assert changed.json()["count"] == 1
    assert changed["ETag"] != first["ETag"]


def test_a_thread_without_comments_has_version_zero(client, article):
    assert get(client, version_url(article)).json() == {"version": 0, "count": 0}


def test_no_version_for_an_article_that_is_not_public(client, article):
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert get(client, version_url(article)).status_code == 404
    assert get(client, "/comments/thread/999999/version/").status_code == 404


def test_polling_never_defeats_the_anonymous_page_cache(client, article):
    CommentFactory(article=article)
    page = get(client, article.get_absolute_url())
    for _ in range(3):
        get(client, version_url(article))
    again = get(client, article.get_absolute_url())
    assert again.queries == 1  # still the whole page from the cache
    assert again.content == page.content


def test_the_page_carries_what_the_script_polls_against(client, article):
    from bs4 import BeautifulSoup

    CommentFactory(article=article)
    html = BeautifulSoup(client.get(article.get_absolute_url()).content, "html5lib")
    heading = html.select_one("#comments-heading")
    state = client.get(version_url(article)).json()
    assert (int(heading["data-version"]), int(heading["data-count"])) == (
        state["version"],
        state["count"],
    )
    section = html.select_one("section#comments")
    assert section["data-version-url"] == version_url(article)
    assert section["data-thread-url"] == f"/comments/thread/{article.pk}/"


def test_the_discussion_alone_shows_new_comments_for_anyone(client, article):
    from bs4 import BeautifulSoup

    new = CommentFactory(article=article, body="Fresh news.")
    response = client.get(f"/comments/thread/{article.pk}/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    html = BeautifulSoup(response.content, "html5lib")
    assert html.select_one(f"#comment-{new.pk} .comment-body").get_text() == "Fresh news."
    # The discussion alone, not the page around it.
    assert [tag.name for tag in html.body.find_all(True, recursive=False)] == ["section"]
