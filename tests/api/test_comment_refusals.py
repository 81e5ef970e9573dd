"""What the moderation rules make of a reader's comment through the API: the nudge and its
confirmation, and each refusal with its own status (as the site's form shows them)."""

from __future__ import annotations

import uuid

import pytest

from api.comments import CONFIRM
from comments.models import Comment
from moderation.models import ModerationEvent
from moderation.sanctions import sanction
from tests.api.test_comments_writes import assert_problem
from tests.comments.conftest import moderation_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trusted")]

SUSPECT = "This miracle cure worked for me."
NUDGE = (
    "Before you post: It uses words our editors check before publishing. You can change your "
    "comment, or post it anyway and an editor will read it before it appears."
)


@pytest.fixture(autouse=True)
def suspect_words(db):
    moderation_settings(suspect_terms="miracle cure")


def post(client, article, body=SUSPECT, **extra):
    return client.post(f"/api/articles/{article.pk}/comments/", {"body": body, **extra})


def test_a_comment_whose_only_objection_is_its_words_is_a_nudge_and_nothing_is_saved(
    as_reader, article
):
    body = assert_problem(post(as_reader, article), 409, detail=NUDGE)
    assert body["code"] == "nudge"
    assert body["reasons"] == [
        {
            "code": "suspect_words",
            "message": "Uses words that editors read before publishing: “miracle cure”.",
        }
    ]
    assert body["confirm"] == CONFIRM
    assert not Comment.objects.exists() and not ModerationEvent.objects.exists()


def test_confirming_stores_the_comment_and_holds_it_for_an_editor(as_reader, api, article):
    key = str(uuid.uuid4())
    assert post(as_reader, article, idempotency_key=key).status_code == 409
    response = post(as_reader, article, idempotency_key=key, confirmed=True)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending" and body["moderation"]["visible"] is False
    assert [r["code"] for r in body["moderation"]["reasons"]] == ["suspect_words"]
    assert Comment.objects.get().body == SUSPECT
    assert api.get(f"/api/articles/{article.pk}/comments/").json()["results"] == []


def test_a_reply_is_nudged_too(as_reader, article, make_comment):
    parent = make_comment(article=article)
    response = as_reader.post(f"/api/comments/{parent.pk}/replies/", {"body": SUSPECT})
    assert assert_problem(response, 409)["code"] == "nudge"
    assert Comment.objects.count() == 1


def test_a_nudge_gives_way_to_a_stronger_objection(as_reader, reader, editor, article):
    # A banned reader is refused, not nudged: the strictest verdict wins, as on the site.
    sanction(reader, "ban", by=editor, reason="Spam.")
    assert assert_problem(post(as_reader, article), 403)["code"] == "author_banned"


def test_an_edit_is_not_nudged_but_screened_again_and_held_as_on_the_site(
    as_reader, article, make_comment, reader
):
    comment = make_comment(article=article, author=reader)
    response = as_reader.patch(f"/api/comments/{comment.pk}/", {"body": SUSPECT})
    assert response.status_code == 200
    assert response.json()["status"] == "pending"


@pytest.mark.parametrize(
    ("confirmed", "message"),
    [
        ("yes", "Must be true or false."),
        (1, "Must be true or false."),
        (None, "This field may not be null."),
    ],
)
def test_confirmed_must_be_true_or_false(as_reader, article, confirmed, message):
    response = post(as_reader, article, confirmed=confirmed)
    assert assert_problem(response, 400)["errors"] == {"confirmed": [message]}
    assert not Comment.objects.exists()


def test_confirmed_is_not_an_edit_field(as_reader, article, make_comment, reader):
    comment = make_comment(article=article, author=reader)
    response = as_reader.patch(f"/api/comments/{comment.pk}/", {"confirmed": True})
    assert assert_problem(response, 400)["errors"] == {"confirmed": ["Unknown field."]}


# --- The other refusals of the rules ---------------------------------------------------------


def test_posting_too_fast_is_a_429_with_retry_after(as_reader, article):
    moderation_settings(max_per_minute=2)
    for n in range(2):
        assert post(as_reader, article, f"Comment {n}.").status_code == 201
    response = post(as_reader, article, "One more.")
    body = assert_problem(response, 429)
    assert body["code"] == "too_fast"
    assert body["detail"].startswith("You are posting too fast. Please wait ")
    assert 1 <= int(response["Retry-After"]) <= 60 and body["retry_after"] >= 1
    assert Comment.objects.count() == 2


def test_the_same_text_again_is_a_409(as_reader, article):
    assert post(as_reader, article, "Great article!").status_code == 201
    body = assert_problem(post(as_reader, article, "great   article"), 409)
    assert body["code"] == "duplicate"
    assert body["detail"].startswith("You already posted this comment just now.")
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "extra", "code", "start"),
    [
        ("suspend", {"days": 2}, "author_suspended", "Your account is suspended from commenting"),
        ("warn", {}, "author_warned", "The editors have sent you a warning."),
    ],
)
def test_a_suspended_or_warned_reader_is_refused_with_the_sentence_they_see_on_the_site(
    as_reader, reader, editor, article, kind, extra, code, start
):
    sanction(reader, kind, by=editor, reason="Please cool off.", **extra)
    body = assert_problem(post(as_reader, article, "Hello."), 403)
    assert body["code"] == code and body["detail"].startswith(start)
    assert not Comment.objects.exists()
