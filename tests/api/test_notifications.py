"""Notifications through the API: the same inbox as the site's, and marking it read."""

from __future__ import annotations

import pytest

from comments import notifications
from comments.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def replies(reader, stranger, article, make_comment):
    mine = make_comment(article=article, author=reader)
    made = []
    for n in range(3):
        reply = make_comment(article=article, author=stranger, parent=mine, body=f"Reply {n}.")
        notifications.notify(
            recipients=[reader], kind=Notification.Kind.REPLY, comment=reply, actor=stranger
        )
        made.append(reply)
    return made


def test_the_inbox_lists_a_readers_notifications_newest_first(as_reader, replies):
    body = as_reader.get("/api/me/notifications/").json()
    assert [n["comment"] for n in body["results"]] == [r.pk for r in reversed(replies)]
    first = body["results"][0]
    assert first["kind"] == "reply"
    assert first["actor"] == "stranger"
    assert first["read"] is False
    assert first["comment_url"].endswith(f"/comments/{replies[-1].pk}/")
    assert as_reader.get("/api/me/").json()["unread_notifications"] == 3


def test_marking_some_or_all_read(as_reader, replies):
    ids = [n["id"] for n in as_reader.get("/api/me/notifications/").json()["results"]]
    answer = as_reader.post("/api/me/notifications/read/", {"ids": ids[:1]}, format="json")
    assert answer.status_code == 200
    assert answer.json() == {"marked": 1, "unread": 2}
    answer = as_reader.post("/api/me/notifications/read/", {}, format="json")
    assert answer.json() == {"marked": 2, "unread": 0}


def test_a_reader_cannot_mark_anothers_notifications(replies, stranger):
    from tests.api.conftest import token_client

    other = token_client(stranger)
    ids = list(Notification.objects.values_list("pk", flat=True))
    answer = other.post("/api/me/notifications/read/", {"ids": ids}, format="json")
    assert answer.json() == {"marked": 0, "unread": 0}
    assert Notification.objects.filter(read_at__isnull=True).count() == 3


def test_bad_input_is_a_field_error(as_reader):
    answer = as_reader.post("/api/me/notifications/read/", {"ids": ["x"], "y": 1}, format="json")
    assert answer.status_code == 400


def test_the_inbox_needs_a_token(api):
    assert api.get("/api/me/notifications/").status_code in (401, 403)
