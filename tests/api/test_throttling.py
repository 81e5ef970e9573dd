"""Rate limits: anonymous clients, signed-in readers, and comment writes, each answering 429
problem+json with Retry-After. The rates are lowered per test through the settings; the counts live
in the cache, which every test starts empty."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import override_settings

from comments.errors import CommentError

pytestmark = pytest.mark.django_db


def rates(**overrides):
    generous = {"anon": "1000/minute", "user": "1000/minute", "comments": "1000/minute"}
    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**generous, **overrides},
        }
    )


def assert_throttled(response) -> None:
    assert response.status_code == 429, response.content
    assert response["Content-Type"] == "application/problem+json"
    wait = int(response["Retry-After"])
    assert 0 < wait <= 60
    body = response.json()
    assert body["retry_after"] == wait
    assert body["detail"]


def test_anonymous_clients_are_limited_per_address(api, article):
    with rates(anon="3/minute"):
        for _ in range(3):
            assert api.get("/api/sections/").status_code == 200
        assert_throttled(api.get(f"/api/articles/{article.pk}/comments/"))


def test_a_signed_in_reader_is_not_held_to_the_anonymous_rate(api, as_reader):
    with rates(anon="2/minute"):
        for _ in range(2):
            api.get("/api/sections/")
        assert_throttled(api.get("/api/sections/"))
        assert as_reader.get("/api/sections/").status_code == 200


def test_signed_in_readers_are_limited_per_account(as_reader, as_stranger):
    with rates(user="3/minute"):
        for _ in range(3):
            assert as_reader.get("/api/me/").status_code == 200
        assert_throttled(as_reader.get("/api/me/"))
        assert as_stranger.get("/api/me/").status_code == 200


def test_comment_writes_have_their_own_lower_rate_and_reads_do_not_count(
    as_reader, article, make_comment
):
    other = make_comment(article=article)
    with rates(comments="3/minute"):
        first = as_reader.post(f"/api/articles/{article.pk}/comments/", {"body": "One."})
        as_reader.post(f"/api/comments/{other.pk}/replies/", {"body": "Two."})
        as_reader.patch(f"/api/comments/{first.json()['id']}/", {"body": "One, edited."})
        for _ in range(5):
            assert as_reader.get(f"/api/articles/{article.pk}/comments/").status_code == 200
        assert_throttled(as_reader.post(f"/api/comments/{other.pk}/report/", {"reason": "spam"}))
        assert as_reader.get(f"/api/comments/{other.pk}/").status_code == 200


def test_one_readers_comment_writes_do_not_use_up_anothers(as_reader, as_stranger, article):
    with rates(comments="1/minute"):
        assert as_reader.post(f"/api/articles/{article.pk}/comments/", {"body": "A"}).status_code
        assert_throttled(as_reader.post(f"/api/articles/{article.pk}/comments/", {"body": "B"}))
        response = as_stranger.post(f"/api/articles/{article.pk}/comments/", {"body": "C"})
        assert response.status_code == 201


def test_a_service_refusal_that_passes_with_time_is_a_429_with_its_wait(
    as_reader, article, monkeypatch
):
    # Rate limits in the comment rules may say how long to wait: the API passes that on.
    def too_fast(**kwargs):
        error = CommentError("You are posting quickly; please wait 42 seconds.")
        error.retry_after = dt.timedelta(seconds=41.2)
        raise error

    monkeypatch.setattr("api.comments.post_comment", too_fast)
    response = as_reader.post(f"/api/articles/{article.pk}/comments/", {"body": "Again."})
    assert_throttled(response)
    assert response["Retry-After"] == "42"
    assert response.json()["detail"] == "You are posting quickly; please wait 42 seconds."
