"""Writing in place: the same views answer the page's script with JSON or a form alone, and the
post/redirect/get flow stays for every form posted without it (site/static/js/thread.js)."""

from __future__ import annotations

import uuid

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment, Report
from markup.sanitize import render_comment
from tests.comments.conftest import CommentFactory, moderation_settings
from tests.conftest import trust

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json"}
FRAGMENT = {"X-Requested-With": "fetch"}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html5lib")


def post_json(client, article, body, **extra):
    data = {"body": body, "token": str(uuid.uuid4()), **extra}
    return client.post(f"/comments/post/{article.pk}/", data, headers=JSON)


def test_a_posted_comment_answers_json_with_where_it_is_and_the_thanks(
    trusted, reader_client, article
):
    response = post_json(reader_client, article, "Magnesium *helped* me.")
    assert response.status_code == 200
    answer = response.json()
    comment = Comment.objects.get()
    assert answer == {
        "ok": True,
        "url": f"{article.get_absolute_url()}#comment-{comment.pk}",
        "message": "Thank you: your comment is published.",
        "level": "success",
        "comment_id": comment.pk,
    }
    assert "private" in response["Cache-Control"]
    # The thanks waits in the session for the discussion the script fetches next, beside it.
    section = soup(reader_client.get(f"/comments/thread/{article.pk}/", headers=FRAGMENT))
    notice = section.select_one(f"#comment-{comment.pk} .comment-notice")
    assert notice.get_text() == "Thank you: your comment is published."
    assert section.select_one(f"#comment-{comment.pk} .comment-body em").get_text() == "helped"


def test_a_refused_comment_answers_json_with_why_and_keeps_the_words_for_a_reload(
    trusted, reader_client, article
):
    response = post_json(reader_client, article, "y" * 5001)
    assert response.status_code == 400
    answer = response.json()
    assert answer["ok"] is False
    assert "Please shorten your comment" in " ".join(answer["errors"]["body"])
    assert Comment.objects.count() == 0
    page = soup(reader_client.get(article.get_absolute_url()))
    textarea = page.select_one("form#comment-form textarea")
    assert textarea.get_text() == "y" * 5001  # the words, for a reload
    assert page.select_one("#comment-form-errors") is None  # the script has told why
    assert not textarea.has_attr("autofocus")


def test_a_nudge_answers_409_with_the_question_and_posting_anyway_works(
    trusted, reader_client, article
):
    moderation_settings(suspect_terms="miracle")
    response = post_json(reader_client, article, "A miracle cure worked.")
    assert response.status_code == 409
    assert response.json()["nudge"].startswith("Before you post:")
    response = post_json(reader_client, article, "A miracle cure worked.", confirmed="1")
    assert response.status_code == 200 and response.json()["ok"]


def test_without_the_script_posting_is_still_post_redirect_get(trusted, reader_client, article):
    response = reader_client.post(
        f"/comments/post/{article.pk}/", {"body": "Plain post.", "token": str(uuid.uuid4())}
    )
    assert response.status_code == 303
    assert response["Location"].endswith(f"#comment-{Comment.objects.get().pk}")


def test_the_reply_form_comes_alone_with_its_own_ids_and_a_fresh_token(reader_client, article):
    theirs = CommentFactory(article=article)
    url = f"/comments/post/{article.pk}/?reply={theirs.pk}"
    first = soup(reader_client.get(url, headers=FRAGMENT))
    second = soup(reader_client.get(url, headers=FRAGMENT))
    form = first.select_one("form[data-inplace]")
    assert form["id"] == f"reply-form-{theirs.pk}"
    assert form.select_one("input[name=parent]")["value"] == str(theirs.pk)
    assert form.select_one("textarea")["id"] == f"reply-{theirs.pk}-body"
    assert (
        first.select_one("input[name=token]")["value"]
        != (second.select_one("input[name=token]")["value"])
    )
    assert first.select_one("input[name=csrfmiddlewaretoken]") is not None
    # Without the script, the same link goes to the article's form (unchanged).
    assert reader_client.get(url).status_code == 302


def test_a_reply_form_for_a_comment_that_cannot_be_answered_is_404(reader_client, article):
    hidden = CommentFactory(article=article, status=Comment.Status.PENDING)
    url = f"/comments/post/{article.pk}/?reply={hidden.pk}"
    assert reader_client.get(url, headers=FRAGMENT).status_code == 404


def test_edit_in_place_form_and_json_answers(trusted, reader, reader_client, article):
    mine = CommentFactory(article=article, author=reader, body="First words.")
    form = soup(reader_client.get(f"/comments/{mine.pk}/edit/", headers=FRAGMENT))
    assert form.find("h1") is None  # the form alone, not the page
    assert form.select_one("textarea").get_text().strip() == "First words."
    assert form.select_one("textarea")["id"] == f"edit-{mine.pk}-body"
    assert form.select_one("form")["action"] == f"/comments/{mine.pk}/edit/"

    refused = reader_client.post(f"/comments/{mine.pk}/edit/", {"body": ""}, headers=JSON)
    assert refused.status_code == 400 and refused.json()["errors"]["body"]
    done = reader_client.post(f"/comments/{mine.pk}/edit/", {"body": "**Better**."}, headers=JSON)
    assert done.json()["message"] == "Your comment was updated."
    mine.refresh_from_db()
    assert mine.body_html == "<p><strong>Better</strong>.</p>"
    # Without the script: the page and its redirect, as before.
    assert reader_client.post(f"/comments/{mine.pk}/edit/", {"body": "Again."}).status_code == 302


def test_delete_in_place(reader, reader_client, article):
    mine = CommentFactory(article=article, author=reader)
    form = soup(reader_client.get(f"/comments/{mine.pk}/delete/", headers=FRAGMENT))
    assert form.find("h1") is None
    assert form.select_one("form")["action"] == f"/comments/{mine.pk}/delete/"
    answer = reader_client.post(f"/comments/{mine.pk}/delete/", headers=JSON).json()
    assert answer["ok"] and answer["message"] == "Your comment was deleted."
    mine.refresh_from_db()
    assert mine.status == Comment.Status.REMOVED


def test_report_in_place(reader_client, article):
    theirs = CommentFactory(article=article)
    form = soup(reader_client.get(f"/comments/{theirs.pk}/report/", headers=FRAGMENT))
    assert form.find("h1") is None
    assert form.select_one("form")["action"] == f"/comments/{theirs.pk}/report/"
    refused = reader_client.post(f"/comments/{theirs.pk}/report/", {}, headers=JSON)
    assert refused.status_code == 400
    assert refused.json()["errors"]["reason"] == ["Please choose a reason for your report."]
    answer = reader_client.post(
        f"/comments/{theirs.pk}/report/", {"reason": "spam"}, headers=JSON
    ).json()
    assert answer["ok"] and "your report was received" in answer["message"]
    assert Report.objects.get().reason == "spam"


# --- Preview -------------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    '<img src=x onerror="alert(1)">',
    "**bold** and [a link](https://example.com)",
    "",
]


@pytest.mark.parametrize("body", HOSTILE)
def test_the_preview_is_exactly_what_saving_stores(reader_client, body):
    response = reader_client.post("/comments/preview/", {"body": body})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.content.decode() == render_comment(body)
    assert "private" in response["Cache-Control"]


def test_the_preview_needs_a_signed_in_reader_and_a_post(reader_client):
    from django.test import Client

    assert Client().post("/comments/preview/", {"body": "x"}).status_code == 302  # to login
    assert reader_client.get("/comments/preview/").status_code == 405


def test_the_preview_is_rate_limited(reader_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "comment_preview": "3/m/user"}
    answers = [reader_client.post("/comments/preview/", {"body": "x"}).status_code for _ in "1234"]
    assert answers == [200, 200, 200, 429]


def test_a_preview_far_over_the_limit_is_not_rendered(reader_client, settings):
    body = "x" * (settings.COMMENTS_MAX_LENGTH * 2 + 1)
    assert reader_client.post("/comments/preview/", {"body": body}).status_code == 413


def test_the_preview_checks_csrf(reader):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)
    assert strict.post("/comments/preview/", {"body": "x"}).status_code == 403


def test_a_reader_never_sees_raw_markdown_on_the_page(trusted, reader_client, article):
    post_json(reader_client, article, "See [the trial](https://example.com/t) and **this**.")
    trust()
    body = soup(reader_client.get(article.get_absolute_url())).select_one(".comment-body")
    assert body.get_text() == "See the trial and this."
    assert body.find("a")["href"] == "https://example.com/t"


def test_helpful_answers_json_for_the_script(stranger, reader_client, article):
    theirs = CommentFactory(article=article, author=stranger)
    url = f"/comments/{theirs.pk}/helpful/"
    found = reader_client.post(url, {"helpful": "on"}, headers=JSON).json()
    assert found["ok"] and found["message"] == "Marked as helpful."
    back = reader_client.post(url, {"helpful": "off"}, headers=JSON).json()
    assert back["message"] == "No longer marked as helpful."
    theirs.refresh_from_db()
    assert theirs.helpful_count == 0
    # Without the script: back to the comment, as before.
    assert reader_client.post(url, {"helpful": "on"}).status_code == 303
