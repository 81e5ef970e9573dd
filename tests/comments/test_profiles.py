"""Readers' pages: a public profile with visible comments, and one's own comments with status."""

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment
from tests.conftest import ArticleFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html5lib")


def test_a_public_profile_shows_the_name_the_joined_date_and_visible_comments(
    client, reader, article, make_comment
):
    shown = make_comment(article=article, author=reader, body="Public words")
    make_comment(article=article, author=reader, body="Pending words", status="pending")
    make_comment(article=article, author=reader, body="Removed words", status="removed")
    make_comment(
        article=ArticleFactory(status="draft", published_at=None), author=reader, body="On a draft"
    )
    page = soup(client.get("/users/reader/"))
    assert page.find("h1").get_text() == "reader"
    assert page.select_one(".lede time")["datetime"].startswith(f"{reader.date_joined:%Y-%m-%d}")
    text = page.get_text()
    assert "Public words" in text
    for hidden in ("Pending words", "Removed words", "On a draft"):
        assert hidden not in text
    link = page.find(id=f"comment-{shown.pk}").find("a")
    assert link["href"] == f"/comments/{shown.pk}/"
    assert link.get_text() == article.title


def test_a_public_profile_is_paginated(client, reader, article, make_comment):
    for n in range(25):
        make_comment(article=article, author=reader, body=f"Comment {n}")
    first = soup(client.get("/users/reader/"))
    assert len(first.select("li.comment")) == 20
    assert "Comment 24" in first.get_text()  # newest first
    second = soup(client.get("/users/reader/?page=2"))
    assert len(second.select("li.comment")) == 5


def test_an_unknown_reader_has_no_profile(client):
    assert client.get("/users/nobody/").status_code == 404


def test_a_reader_sees_all_their_own_comments_with_each_status(
    reader_client, reader, stranger, article, make_comment
):
    statuses = ["approved", "pending", "rejected", "removed"]
    mine = {s: make_comment(article=article, author=reader, status=s) for s in statuses}
    make_comment(article=article, author=stranger, body="Not mine")
    page = soup(reader_client.get("/users/me/comments/"))
    labels = {
        s: page.find(id=f"comment-{c.pk}").select_one(".badge").get_text() for s, c in mine.items()
    }
    assert labels == {
        "approved": "Published",
        "pending": "Awaiting moderation",
        "rejected": "Rejected",
        "removed": "Removed",
    }
    assert "Not mine" not in page.get_text()
    approved = page.find(id=f"comment-{mine['approved'].pk}")
    assert [a.get_text() for a in approved.select(".comment-actions a")] == ["Edit", "Delete"]


def test_ones_own_comments_page_needs_a_login(client):
    response = client.get("/users/me/comments/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_users_me_leads_to_ones_own_profile(reader_client):
    assert reader_client.get("/users/me/")["Location"] == "/users/reader/"


def test_a_pending_comment_on_the_article_page_offers_edit_and_delete(
    reader_client, reader, article, make_comment
):
    pending = make_comment(article=article, author=reader, status=Comment.Status.PENDING)
    page = soup(reader_client.get(article.get_absolute_url()))
    links = page.find(id=f"comment-{pending.pk}").select(".comment-actions a")
    assert [a.get_text() for a in links] == ["Edit", "Delete"]
