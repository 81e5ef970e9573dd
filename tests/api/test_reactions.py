"""Finding a comment helpful through the API: the same service, refusals as problems."""

from __future__ import annotations

import pytest

from comments.models import Reaction

pytestmark = pytest.mark.django_db


def test_a_reader_marks_and_unmarks_a_comment(as_reader, make_comment, article):
    comment = make_comment(article=article)
    url = f"/api/comments/{comment.pk}/helpful/"
    answer = as_reader.post(url)
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"helpful_count": 1, "helpful": True}
    assert as_reader.post(url).json() == {"helpful_count": 1, "helpful": True}
    assert as_reader.get(f"/api/comments/{comment.pk}/").json()["helpful_count"] == 1
    assert as_reader.delete(url).json() == {"helpful_count": 0, "helpful": False}
    assert not Reaction.objects.exists()


def test_ones_own_comment_is_refused_with_a_problem(as_reader, reader, make_comment, article):
    comment = make_comment(article=article, author=reader)
    answer = as_reader.post(f"/api/comments/{comment.pk}/helpful/")
    assert answer.status_code == 403
    assert answer.json()["code"] == "own_comment"


def test_anonymous_clients_cannot_react(api, make_comment, article):
    comment = make_comment(article=article)
    assert api.post(f"/api/comments/{comment.pk}/helpful/").status_code in (401, 403)
    assert not Reaction.objects.exists()


def test_reacting_too_fast_is_a_429_with_retry_after(as_reader, make_comment, article, settings):
    settings.COMMENTS_REACTIONS_PER_MINUTE = 1
    first, second = make_comment(article=article), make_comment(article=article)
    assert as_reader.post(f"/api/comments/{first.pk}/helpful/").status_code == 200
    answer = as_reader.post(f"/api/comments/{second.pk}/helpful/")
    assert answer.status_code == 429 and "Retry-After" in answer


def test_the_schema_describes_the_endpoint_and_the_top_order(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = schema["paths"]["/api/comments/{id}/helpful/"]
    assert set(operations) >= {"post", "delete"}
    thread = schema["paths"]["/api/articles/{article_id}/comments/"]["get"]
    order = next(p for p in thread["parameters"] if p["name"] == "order")
    assert "top" in order["schema"]["enum"]
