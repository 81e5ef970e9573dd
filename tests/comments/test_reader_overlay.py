"""A signed-in reader's page: the shared thread of their kind of reader, plus what is theirs alone.

Whatever the thread's length, the work done for one reader's view is the same: the thread comes
from the cache with every comment's links already in, and only the reader's own comments, their
notice and (for editors) the form token are put in, in passes that call back only for their own
comments. Measured here as the number of Python function calls a page view makes.
"""

from __future__ import annotations

import cProfile
import pstats
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment
from tests.comments.conftest import CommentFactory
from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db


def python_calls(client, url: str) -> int:
    """Calls of the project's own functions and of Django's template engine in one page view:
    where per-comment work would show (a regular expression's callback, a template rendered for
    each comment)."""
    client.get(url)  # the thread for this kind of reader is cached
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    response = client.get(url)
    profiler.disable()
    assert response.status_code == 200
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    return sum(
        calls
        for (filename, _, _), (calls, *_rest) in stats.items()
        if (ROOT in filename and ".venv" not in filename) or "/django/template/" in filename
    )


ROOT = str(Path(__file__).resolve().parent.parent.parent)


def grow(article, n: int) -> None:
    authors = UserFactory.create_batch(3)
    for i in range(n):
        CommentFactory(article=article, author=authors[i % 3])


@pytest.mark.parametrize("persona", ["reader", "editor"])
def test_a_signed_in_view_does_the_same_work_for_10_or_150_comments(
    client, article, reader, editor, persona
):
    client.force_login(reader if persona == "reader" else editor)
    CommentFactory(article=article, author=reader, body="Mine.")
    grow(article, 10)
    few = python_calls(client, article.get_absolute_url())
    grow(article, 140)
    many = python_calls(client, article.get_absolute_url())
    assert many == few, (few, many)


def test_the_readers_own_comments_get_their_own_links_and_others_reply_and_report(
    client, article, reader
):
    client.force_login(reader)
    mine = CommentFactory(article=article, author=reader, body="Mine.")
    theirs = CommentFactory(article=article, body="Theirs.")
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html5lib")

    def links(comment: Comment) -> list[str]:
        actions = page.find(id=comment.anchor).select_one(".comment-actions")
        return [a.get_text() for a in actions.find_all("a")]

    assert links(mine) == ["Reply", "Edit", "Delete"]
    assert links(theirs) == ["Reply", "Report"]


def test_an_editors_forms_carry_their_own_csrf_token_not_a_cached_one(client, article, editor):
    CommentFactory(article=article, body="Something to moderate.")
    client.force_login(editor)
    page = client.get(article.get_absolute_url())
    tokens = {
        field["value"]
        for field in BeautifulSoup(page.content, "html5lib").select(
            ".comment-moderation input[name=csrfmiddlewaretoken]"
        )
    }
    assert tokens and "csrf-stand-in" not in " ".join(tokens)
    form = BeautifulSoup(page.content, "html5lib").select_one(".comment-moderation form")
    data = {i["name"]: i["value"] for i in form.select("input[name]")}
    strict = client.__class__(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert strict.post(form["action"], data).status_code in (302, 303)


def test_the_page_around_the_discussion_is_rendered_once_for_every_signed_in_reader(
    client, article, reader, stranger
):
    CommentFactory(article=article, author=reader, body="Mine.")
    client.force_login(reader)
    first = client.get(article.get_absolute_url())
    assert "partials/header.html" in [t.name for t in first.templates]
    client.force_login(stranger)
    theirs = client.get(article.get_absolute_url())
    rendered = [t.name for t in theirs.templates]
    # Only the discussion is rendered for them; the layout, header and article come kept.
    assert "comments/section.html" in rendered
    assert not {"base.html", "partials/header.html", "articles/article_main.html"} & set(rendered)
    page = BeautifulSoup(theirs.content, "html5lib")
    assert page.select_one(".account-name").get_text() == "stranger"
    assert [a.get_text() for a in page.select(".comment-actions a")] == ["Reply", "Report"]
