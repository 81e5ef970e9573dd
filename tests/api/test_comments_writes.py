"""Writing comments through the API: the site's rules, through the same services."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string

from articles.models import Article
from comments.models import Comment, CommentRevision, Report
from comments.services import ALREADY_REPORTED, ONLY_MARKUP, UNVERIFIED
from markup.sanitize import render_comment
from tests.api.conftest import json_client, token_client
from tests.conftest import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def post(client, article, body="A thoughtful comment.", **extra):
    return client.post(f"/api/articles/{article.pk}/comments/", {"body": body, **extra})


def assert_problem(response, status: int, *, detail: str | None = None, errors=None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    if detail is not None:
        assert body["detail"] == detail
    if errors is not None:
        assert body["errors"] == errors
    return body


# --- Who may do what: every endpoint, for each persona ------------------------------------------

PERSONAS = ["anonymous", "reader", "stranger", "editor"]


@pytest.fixture
def clients(api, as_reader, as_stranger, as_editor):
    return {"anonymous": api, "reader": as_reader, "stranger": as_stranger, "editor": as_editor}


# (name, method, path, data, expected status per persona); the comment is the reader's own.
ENDPOINTS = [
    ("thread", "get", "/api/articles/{article}/comments/", None, [200, 200, 200, 200]),
    ("comment", "get", "/api/comments/{comment}/", None, [200, 200, 200, 200]),
    ("post", "post", "/api/articles/{article}/comments/", {"body": "Hi"}, [401, 201, 201, 201]),
    ("reply", "post", "/api/comments/{comment}/replies/", {"body": "Hi"}, [401, 201, 201, 201]),
    ("edit", "patch", "/api/comments/{comment}/", {"body": "New"}, [401, 200, 403, 403]),
    ("delete", "delete", "/api/comments/{comment}/", None, [401, 204, 403, 403]),
    (
        "report",
        "post",
        "/api/comments/{comment}/report/",
        {"reason": "spam"},
        [401, 403, 201, 201],
    ),
]


@pytest.mark.parametrize(
    ("persona", "method", "path", "data", "expected"),
    [
        pytest.param(persona, method, path, data, statuses[i], id=f"{name}-{persona}")
        for name, method, path, data, statuses in ENDPOINTS
        for i, persona in enumerate(PERSONAS)
    ],
)
def test_each_endpoint_answers_each_persona_as_the_site_would(
    clients, article, make_comment, reader, persona, method, path, data, expected
):
    comment = make_comment(article=article, author=reader)
    url = path.format(article=article.pk, comment=comment.pk)
    response = getattr(clients[persona], method)(url, data)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json"
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Token")


# --- Posting ----------------------------------------------------------------------------------


def test_a_new_readers_first_comment_is_held_and_the_answer_says_why(as_reader, article):
    body = post(as_reader, article).json()
    assert body["status"] == "pending"
    assert body["moderation"]["visible"] is False
    assert "new_reader" in [r["code"] for r in body["moderation"]["reasons"]]


@pytest.mark.usefixtures("trusted")
def test_a_reader_posts_a_comment_that_is_published_at_once(as_reader, api, article, reader):
    response = post(as_reader, article, "Thank you for **this**.")
    assert response.status_code == 201
    body = response.json()
    comment = Comment.objects.get(pk=body["id"])
    assert comment.author == reader and comment.status == Comment.Status.APPROVED
    assert response["Location"] == f"http://testserver/api/comments/{comment.pk}/"
    assert body["body"] == "Thank you for **this**."
    assert body["body_html"] == comment.body_html == render_comment("Thank you for **this**.")
    assert body["moderation"] == {
        "status": "approved",
        "visible": True,
        "message": "Your comment is published.",
        "reasons": [],
    }
    assert [
        c["id"] for c in api.get(f"/api/articles/{article.pk}/comments/").json()["results"]
    ] == [comment.pk]


@pytest.mark.usefixtures("trusted")
def test_a_comment_on_a_premoderated_article_is_held_and_says_why(as_reader, api):
    article = ArticleFactory(comments_mode=Article.CommentsMode.PREMODERATED)
    body = post(as_reader, article).json()
    assert body["status"] == "pending"
    assert body["moderation"] == {
        "status": "pending",
        "visible": False,
        "message": "Thank you: your comment will appear once an editor has approved it.",
        "reasons": [
            {
                "code": "article_premoderated",
                "action": "hold",
                "message": "Comments on this article are reviewed by an editor before they appear.",
            }
        ],
    }
    assert api.get(f"/api/articles/{article.pk}/comments/").json()["results"] == []


def test_the_text_is_sanitised_once_exactly_as_on_the_site(as_reader, article):
    text = "<script>alert(1)</script> see https://example.org <b onclick=x>bold</b>"
    body = post(as_reader, article, text).json()
    assert body["body_html"] == render_comment(text)
    assert "<script>" not in body["body_html"] and "onclick" not in body["body_html"]
    assert 'rel="nofollow ugc noopener"' in body["body_html"]
    assert Comment.objects.get(pk=body["id"]).body == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please write something before posting."),
        ("   \n ", "Please write something before posting."),
        ("<!-- nothing -->", ONLY_MARKUP),
        ("<b></b><div></div>", ONLY_MARKUP),
        (
            "x" * (settings.COMMENTS_MAX_LENGTH + 1),
            f"Please shorten your comment to {settings.COMMENTS_MAX_LENGTH:,} characters or "
            f"fewer (it has {settings.COMMENTS_MAX_LENGTH + 1:,}).",
        ),
    ],
)
def test_text_the_site_refuses_is_a_field_error_with_the_sites_words(
    as_reader, article, text, message
):
    assert_problem(post(as_reader, article, text), 400, errors={"body": [message]})
    assert not Comment.objects.exists()


def test_a_reader_without_a_verified_email_cannot_post(article):
    client = token_client(UserFactory(username="newcomer", verified=False))
    assert_problem(post(client, article), 403, detail=UNVERIFIED)
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "closing",
    [
        {"comments_mode": Article.CommentsMode.CLOSED},
        {"comments_close_after_days": 1, "published_at": timezone.now() - dt.timedelta(days=2)},
    ],
)
def test_no_comment_is_taken_where_comments_are_closed(as_reader, closing):
    article = ArticleFactory(**closing)
    assert_problem(post(as_reader, article), 403, detail="Comments are closed on this article.")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.UNPUBLISHED])
def test_posting_on_an_unpublished_article_is_not_found(as_reader, status):
    assert_problem(post(as_reader, ArticleFactory(status=status)), 404)


def test_the_same_idempotency_key_posts_once(as_reader, article):
    key = str(uuid.uuid4())
    first = post(as_reader, article, "Only once.", idempotency_key=key)
    again = post(as_reader, article, "Only once.", idempotency_key=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Comment.objects.count() == 1


def test_an_idempotency_key_reused_for_other_text_is_a_conflict(as_reader, article):
    key = str(uuid.uuid4())
    post(as_reader, article, "The first text.", idempotency_key=key)
    response = post(as_reader, article, "Another text.", idempotency_key=key)
    assert_problem(response, 409)
    assert "different comment" in response.json()["detail"]
    assert response.json()["code"] == "idempotency_mismatch"
    assert Comment.objects.count() == 1


# --- Replies ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("trusted")
def test_a_reply_nests_under_the_comment_it_answers(as_stranger, api, article, make_comment):
    parent = make_comment(article=article)
    body = as_stranger.post(f"/api/comments/{parent.pk}/replies/", {"body": "Agreed."}).json()
    assert body["parent"] == parent.pk and body["depth"] == 1 and body["article"] == article.pk
    (top,) = api.get(f"/api/articles/{article.pk}/comments/").json()["results"]
    assert [r["id"] for r in top["replies"]] == [body["id"]]


def test_a_reply_past_the_deepest_level_attaches_beside_the_comment_it_answers(
    as_stranger, article, make_comment
):
    chain = [make_comment(article=article)]
    while chain[-1].depth < settings.COMMENTS_MAX_DEPTH:
        chain.append(make_comment(article=article, parent=chain[-1]))
    deepest = chain[-1]
    body = as_stranger.post(f"/api/comments/{deepest.pk}/replies/", {"body": "Deep."}).json()
    assert body["parent"] == deepest.parent_id and body["depth"] == deepest.depth


@pytest.mark.parametrize("status", [Comment.Status.REMOVED, Comment.Status.REJECTED])
def test_replying_to_a_comment_no_longer_shown_is_not_found(as_stranger, make_comment, status):
    gone = make_comment(status=status)
    response = as_stranger.post(f"/api/comments/{gone.pk}/replies/", {"body": "Hello?"})
    assert_problem(response, 404)
    assert Comment.objects.count() == 1


# --- Editing ----------------------------------------------------------------------------------


def test_the_author_edits_their_comment_and_the_old_text_is_kept(as_reader, article, reader):
    comment_id = post(as_reader, article, "Frist!").json()["id"]
    response = as_reader.patch(f"/api/comments/{comment_id}/", {"body": "First!"})
    assert response.status_code == 200
    body = response.json()
    assert body["body"] == "First!" and body["body_html"] == render_comment("First!")
    assert body["edited_at"] is not None
    assert list(CommentRevision.objects.values_list("body", flat=True)) == ["Frist!"]


def test_an_edit_without_a_body_changes_nothing(as_reader, article):
    comment_id = post(as_reader, article, "Unchanged.").json()["id"]
    body = as_reader.patch(f"/api/comments/{comment_id}/", {}).json()
    assert body["body"] == "Unchanged." and body["edited_at"] is None
    assert not CommentRevision.objects.exists()


@pytest.mark.usefixtures("trusted")
def test_an_edit_is_screened_again(as_reader, article):
    comment_id = post(as_reader, article).json()["id"]
    Article.objects.filter(pk=article.pk).update(comments_mode=Article.CommentsMode.PREMODERATED)
    body = as_reader.patch(f"/api/comments/{comment_id}/", {"body": "Changed."}).json()
    assert body["moderation"]["status"] == "pending"
    assert [r["code"] for r in body["moderation"]["reasons"]] == ["article_premoderated"]


def test_after_the_edit_window_a_comment_can_no_longer_be_edited(as_reader, article):
    comment_id = post(as_reader, article, "Too late.").json()["id"]
    Comment.objects.filter(pk=comment_id).update(
        created_at=timezone.now() - settings.COMMENTS_EDIT_WINDOW - dt.timedelta(seconds=1)
    )
    response = as_reader.patch(f"/api/comments/{comment_id}/", {"body": "Changed."})
    minutes = int(settings.COMMENTS_EDIT_WINDOW.total_seconds() // 60)
    assert_problem(
        response,
        403,
        detail=f"Comments can be edited for {minutes} minutes after posting; "
        "this one can no longer be changed.",
    )
    assert Comment.objects.get(pk=comment_id).body == "Too late."


def test_an_edit_with_too_long_a_text_is_a_field_error(as_reader, article):
    comment_id = post(as_reader, article, "Short.").json()["id"]
    response = as_reader.patch(
        f"/api/comments/{comment_id}/", {"body": "y" * (settings.COMMENTS_MAX_LENGTH + 1)}
    )
    assert list(assert_problem(response, 400)["errors"]) == ["body"]


def test_nobody_edits_someone_elses_comment(as_stranger, as_editor, make_comment, reader):
    comment = make_comment(author=reader, body="Mine.")
    for client in (as_stranger, as_editor):
        response = client.patch(f"/api/comments/{comment.pk}/", {"body": "Theirs."})
        assert_problem(response, 403, detail="You can only edit your own comments.")
    assert Comment.objects.get(pk=comment.pk).body == "Mine."


# --- Deleting ---------------------------------------------------------------------------------


def test_the_author_deletes_their_comment_and_its_replies_stay_under_a_placeholder(
    as_reader, api, article, make_comment, reader, stranger
):
    comment = make_comment(article=article, author=reader)
    reply = make_comment(article=article, author=stranger, parent=comment)
    assert as_reader.delete(f"/api/comments/{comment.pk}/").status_code == 204
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.REMOVED
    assert as_reader.get(f"/api/comments/{comment.pk}/").status_code == 404
    (top,) = api.get(f"/api/articles/{article.pk}/comments/").json()["results"]
    assert top["placeholder"] is True and [r["id"] for r in top["replies"]] == [reply.pk]


def test_the_author_may_withdraw_a_comment_still_held(as_reader, make_comment, reader):
    held = make_comment(author=reader, status=Comment.Status.PENDING)
    assert as_reader.delete(f"/api/comments/{held.pk}/").status_code == 204
    assert Comment.objects.get(pk=held.pk).status == Comment.Status.REMOVED


def test_nobody_deletes_someone_elses_comment(as_stranger, as_editor, make_comment, reader):
    comment = make_comment(author=reader)
    for client in (as_stranger, as_editor):
        assert_problem(
            client.delete(f"/api/comments/{comment.pk}/"),
            403,
            detail="You can only delete your own comments.",
        )
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED


# --- Reporting --------------------------------------------------------------------------------


def report(client, comment, **data):
    return client.post(f"/api/comments/{comment.pk}/report/", data)


def test_a_reader_reports_another_readers_comment(as_stranger, make_comment, reader, stranger):
    comment = make_comment(author=reader)
    response = report(as_stranger, comment, reason="abuse", text="Rude.")
    assert response.status_code == 201
    stored = Report.objects.get()
    assert (stored.comment, stored.reporter, stored.reason, stored.text) == (
        comment,
        stranger,
        "abuse",
        "Rude.",
    )
    assert response.json()["message"].startswith("Thank you")


def test_a_comment_is_reported_once_per_reader(as_stranger, make_comment):
    comment = make_comment()
    report(as_stranger, comment, reason="spam")
    assert_problem(report(as_stranger, comment, reason="abuse"), 409, detail=ALREADY_REPORTED)
    assert Report.objects.count() == 1


def test_nobody_reports_their_own_comment(as_reader, make_comment, reader):
    comment = make_comment(author=reader)
    response = report(as_reader, comment, reason="spam")
    assert_problem(response, 403, detail="You cannot report your own comment.")


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"reason": "other"},
            {"text": ["Please tell us what is wrong with this comment."]},
        ),
        (
            {"reason": "other", "text": "   "},
            {"text": ["Please tell us what is wrong with this comment."]},
        ),
        ({"reason": "boring"}, {"reason": ["Please choose a reason for your report."]}),
        ({}, {"reason": ["This field is required."]}),
        (
            {"reason": "spam", "text": "z" * 1001},
            {"text": ["Ensure this field has no more than 1000 characters."]},
        ),
    ],
)
def test_a_report_without_a_usable_reason_is_a_field_error(as_stranger, make_comment, data, errors):
    assert_problem(report(as_stranger, make_comment(), **data), 400, errors=errors)
    assert not Report.objects.exists()


def test_the_reason_other_is_taken_with_some_text(as_stranger, make_comment):
    response = report(as_stranger, make_comment(), reason="other", text="It is an advert.")
    assert response.status_code == 201


# --- Sessions ---------------------------------------------------------------------------------


@pytest.fixture
def session_client(reader):
    client = json_client(enforce_csrf_checks=True)
    client.force_login(reader)
    return client


def test_a_signed_in_browser_session_needs_the_csrf_token_to_write(session_client, article):
    response = post(session_client, article)
    assert_problem(response, 403)
    assert "CSRF" in response.json()["detail"]
    assert not Comment.objects.exists()


def test_a_signed_in_browser_session_writes_with_the_csrf_token(session_client, article):
    secret = get_random_string(32)
    session_client.cookies[settings.CSRF_COOKIE_NAME] = secret
    response = session_client.post(
        f"/api/articles/{article.pk}/comments/",
        {"body": "From the page."},
        format="json",
        HTTP_X_CSRFTOKEN=secret,
    )
    assert response.status_code == 201
    assert session_client.get(f"/api/comments/{response.json()['id']}/").json()["body"] == (
        "From the page."
    )
