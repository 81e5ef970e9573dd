"""Reading comments through the API: an article's thread, and one comment by its id."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from tests.conftest import ArticleFactory

pytestmark = pytest.mark.django_db


def thread(client, article, **params):
    response = client.get(f"/api/articles/{article.pk}/comments/", params)
    assert response.status_code == 200, response.content
    return response.json()


def ids(items) -> list[int]:
    return [item["id"] for item in items]


def test_the_thread_nests_visible_replies_under_their_top_level_comment(
    api, article, make_comment, reader, stranger
):
    first = make_comment(article=article, author=reader)
    reply = make_comment(article=article, author=stranger, parent=first)
    answer = make_comment(article=article, author=reader, parent=reply)
    second = make_comment(article=article, author=stranger)
    body = thread(api, article)
    assert ids(body["results"]) == [first.pk, second.pk]
    top = body["results"][0]
    assert top["author"] == {"username": "reader", "is_editor": False}
    assert top["body_html"] == first.body_html
    assert top["url"] == f"http://testserver/comments/{first.pk}/"
    assert top["placeholder"] is False and top["parent"] is None and top["depth"] == 0
    assert ids(top["replies"]) == [reply.pk]
    assert ids(top["replies"][0]["replies"]) == [answer.pk]
    assert top["replies"][0]["replies"][0]["parent"] == reply.pk


def test_held_rejected_and_removed_comments_are_not_in_the_thread(
    api, article, make_comment, reader
):
    shown = make_comment(article=article, author=reader)
    for status in (Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.REMOVED):
        make_comment(article=article, author=reader, status=status)
        make_comment(article=article, author=reader, parent=shown, status=status)
    body = thread(api, article)
    assert ids(body["results"]) == [shown.pk]
    assert body["results"][0]["replies"] == []


def test_a_removed_comment_with_visible_replies_stays_as_a_placeholder(
    api, article, make_comment, reader, stranger
):
    removed = make_comment(article=article, author=reader, status=Comment.Status.REMOVED)
    reply = make_comment(article=article, author=stranger, parent=removed)
    (item,) = thread(api, article)["results"]
    assert item["id"] == removed.pk
    assert item["placeholder"] is True
    assert item["author"] is None and item["body_html"] is None and item["url"] is None
    assert ids(item["replies"]) == [reply.pk]


def test_comments_by_editors_carry_the_editor_mark_and_deleted_accounts_none(
    api, article, make_comment, editor
):
    by_editor = make_comment(article=article, author=editor)
    orphan = make_comment(article=article, author=None)
    items = {item["id"]: item for item in thread(api, article)["results"]}
    assert items[by_editor.pk]["author"] == {"username": "editor", "is_editor": True}
    assert items[orphan.pk]["author"] is None
    assert items[orphan.pk]["body_html"]


def test_the_thread_is_the_same_for_anonymous_readers_and_editors(
    api, as_reader, as_editor, article, make_comment, reader
):
    make_comment(article=article, author=reader)
    make_comment(article=article, author=reader, status=Comment.Status.PENDING)
    bodies = [thread(client, article) for client in (api, as_reader, as_editor)]
    assert bodies[0] == bodies[1] == bodies[2]
    assert len(bodies[0]["results"]) == 1


def test_top_level_comments_come_oldest_first_or_newest_first(api, article, make_comment):
    now = timezone.now()
    comments = [
        make_comment(article=article, created_at=now - dt.timedelta(minutes=m)) for m in (3, 2, 1)
    ]
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(created_at=now)  # ties too
    oldest = ids(thread(api, article)["results"])
    newest = ids(thread(api, article, order="newest")["results"])
    assert oldest == sorted(oldest) and newest == list(reversed(oldest))


@pytest.mark.parametrize("order", ["oldest", "newest"])
def test_cursor_pages_walk_the_whole_thread_without_gaps_or_repeats(
    api, article, make_comment, order
):
    made = [make_comment(article=article).pk for _ in range(7)]
    seen, url = [], f"/api/articles/{article.pk}/comments/?page_size=3&order={order}"
    while url:
        body = api.get(url).json()
        assert len(body["results"]) <= 3
        seen += ids(body["results"])
        url = body["next"]
    assert seen == (made if order == "oldest" else list(reversed(made)))


def test_the_previous_link_leads_back_to_the_first_page(api, article, make_comment):
    for _ in range(4):
        make_comment(article=article)
    first = api.get(f"/api/articles/{article.pk}/comments/?page_size=2").json()
    second = api.get(first["next"]).json()
    assert first["previous"] is None
    assert ids(api.get(second["previous"]).json()["results"]) == ids(first["results"])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"order": "random"}, "order"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": "2.5"}, "page_size"),
    ],
)
def test_bad_thread_parameters_are_field_errors(api, article, params, field):
    response = api.get(f"/api/articles/{article.pk}/comments/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize("cursor", ["not base64!", base64.b64encode(b"p=not-a-date").decode()])
def test_a_forged_cursor_is_not_found_rather_than_a_server_error(api, article, cursor):
    response = api.get(f"/api/articles/{article.pk}/comments/", {"cursor": cursor})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.UNPUBLISHED])
def test_the_thread_of_an_unpublished_article_is_not_found(api, status, make_comment):
    article = ArticleFactory(status=status)
    make_comment(article=article)
    response = api.get(f"/api/articles/{article.pk}/comments/")
    assert response.status_code == 404
    assert response.json()["detail"] == "No published article has this id."


def _queries_for_thread(api, article) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"/api/articles/{article.pk}/comments/?page_size=100").status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_thread_costs_the_same_queries_for_few_or_many_comments(
    api, as_reader, make_comment, editor, signed_in
):
    client = as_reader if signed_in else api
    few, many = ArticleFactory(), ArticleFactory()
    make_comment(article=few)
    for _ in range(30):
        root = make_comment(article=many, author=editor)
        reply = make_comment(article=many, parent=root)
        make_comment(article=many, parent=reply, status=Comment.Status.REMOVED)
        make_comment(article=many, parent=make_comment(article=many, parent=reply))
    removed = make_comment(article=many, status=Comment.Status.REMOVED)
    make_comment(article=many, parent=removed)
    assert _queries_for_thread(client, few) == _queries_for_thread(client, many)
    # The article, a page of top-level comments, their replies, the editors among the authors
    # (and, signed in, the token and its user).
    assert _queries_for_thread(client, many) == (6 if signed_in else 4)


# --- One comment ------------------------------------------------------------------------------


def test_anyone_reads_a_visible_comment_without_its_authors_private_parts(
    api, as_stranger, as_editor, article, make_comment, reader
):
    comment = make_comment(article=article, author=reader)
    for client in (api, as_stranger, as_editor):
        body = client.get(f"/api/comments/{comment.pk}/").json()
        assert body["id"] == comment.pk and body["article"] == article.pk
        assert body["status"] == "approved"
        assert body["body_html"] == comment.body_html
        assert body["body"] is None
        assert body["editable_until"] is None and body["moderation"] is None


def test_the_author_reads_their_own_comment_with_its_text_deadline_and_moderation(
    as_reader, article, make_comment, reader
):
    comment = make_comment(article=article, author=reader)
    body = as_reader.get(f"/api/comments/{comment.pk}/").json()
    assert body["body"] == comment.body
    assert body["editable_until"] is not None
    assert body["moderation"] == {
        "status": "approved",
        "visible": True,
        "message": "Your comment is published.",
        "reasons": [],
    }


def test_a_held_comment_is_visible_to_its_author_only(
    api, as_reader, as_stranger, as_editor, article, make_comment, reader
):
    held = make_comment(article=article, author=reader, status=Comment.Status.PENDING)
    assert as_reader.get(f"/api/comments/{held.pk}/").json()["status"] == "pending"
    for client in (api, as_stranger, as_editor):
        response = client.get(f"/api/comments/{held.pk}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("status", [Comment.Status.REMOVED, Comment.Status.REJECTED])
def test_removed_and_rejected_comments_are_not_found(as_reader, make_comment, reader, status):
    comment = make_comment(author=reader, status=status)
    assert as_reader.get(f"/api/comments/{comment.pk}/").status_code == 404


def test_a_comment_on_an_unpublished_article_is_not_found(api, make_comment):
    comment = make_comment(article=ArticleFactory(status=Article.Status.DRAFT))
    assert api.get(f"/api/comments/{comment.pk}/").status_code == 404
