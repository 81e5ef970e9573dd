"""Readers own their data: everything about them as one JSON file from their account pages."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment, Report
from comments.services import edit_comment, react
from tests.comments.conftest import CommentFactory

pytestmark = pytest.mark.django_db


def test_the_download_holds_the_account_and_every_comment_whatever_its_status(
    client, reader, stranger, article
):
    posted = CommentFactory(article=article, author=reader, body="First words.")
    edit_comment(comment=posted, by=reader, body="Better words.")
    CommentFactory(article=article, author=reader, body="Held.", status=Comment.Status.PENDING)
    theirs = CommentFactory(article=article, author=stranger, body="Not mine.")
    react(comment=theirs, by=reader)
    Report.objects.create(comment=theirs, reporter=reader, reason="spam")
    client.force_login(reader)
    response = client.get("/users/me/data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["username"] == "reader"
    assert data["account"]["email_addresses"][0]["verified"] is True
    assert [(c["body"], c["status"]) for c in data["comments"]] == [
        ("Better words.", "approved"),
        ("Held.", "pending"),
    ]
    assert data["comments"][0]["earlier_versions"][0]["body"] == "First words."
    assert data["found_helpful"][0]["comment"] == theirs.pk
    assert data["reports"][0]["reason"] == "spam"
    assert "Not mine." not in response.content.decode()
    assert "password" not in response.content.decode()


def test_the_download_asks_to_log_in_first(client):
    response = client.get("/users/me/data.json")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_account_pages_link_to_it(client, reader):
    client.force_login(reader)
    page = BeautifulSoup(client.get("/users/me/comments/").content, "html5lib")
    assert page.select_one('a[href="/users/me/data.json"]') is not None
