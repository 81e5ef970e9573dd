"""A signed-in reader's article page: one frame per version kept for every reader, and in it only
what is theirs (articles/signedpage.py).

The frame holds stand-ins; each view puts in this reader's name, unread count, CSRF token,
messages and discussion. Nothing of one reader ever reaches another's page.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from articles import signedpage
from tests.comments.conftest import CommentFactory
from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db

STAND_INS = (
    signedpage.NAME,
    signedpage.COUNT,
    signedpage.CSRF,
    signedpage.MESSAGES,
    signedpage.DISCUSSION,
)


def page_of(client, article) -> tuple[str, BeautifulSoup]:
    html = client.get(article.get_absolute_url()).content.decode()
    return html, BeautifulSoup(html, "html5lib")


def frames() -> int:
    return sum("signed-frame" in key for key in caches["pages"]._cache)


def test_each_reader_gets_the_kept_frame_with_their_own_name_count_token_and_comments(
    article, reader, stranger
):
    User.objects.filter(pk=reader.pk).update(unread_notifications=3)
    mine = CommentFactory(article=article, author=reader, body="Mine.")
    theirs = CommentFactory(article=article, author=stranger, body="Theirs.")
    clients = {}
    for user in (User.objects.get(pk=reader.pk), stranger):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
        page_of(clients[user.username], article)  # the frames of both kinds of reader are kept
    kept = frames()
    seen = {name: page_of(client, article) for name, client in clients.items()}
    assert frames() == kept == 2  # with unread notifications and without

    for name, (html, soup) in seen.items():
        assert not any(stand_in in html for stand_in in STAND_INS)
        assert soup.select_one(".account-name").get_text() == name
        other = "stranger" if name == "reader" else "reader"
        assert soup.select_one(".account-name").get_text() != other
    assert seen["reader"][1].select_one(".notification-count").get_text() == "3 unread"
    assert seen["stranger"][1].select_one(".notification-count") is None

    def actions(soup, comment) -> list[str]:
        links = soup.find(id=comment.anchor).select_one(".comment-actions").find_all("a")
        return [a.get_text() for a in links]

    assert "Edit" in actions(seen["reader"][1], mine)
    assert "Edit" not in actions(seen["reader"][1], theirs)
    assert "Edit" in actions(seen["stranger"][1], theirs)
    assert "Edit" not in actions(seen["stranger"][1], mine)


def test_every_form_on_a_kept_page_carries_the_readers_own_csrf_token(article, reader, stranger):
    tokens = {}
    for user in (reader, stranger):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        _, soup = page_of(client, article)
        _, soup = page_of(client, article)  # from the frame
        # Each token is masked afresh, but all of them carry this reader's secret.
        found = {i["value"] for i in soup.select("input[name=csrfmiddlewaretoken]")}
        assert found and not any("stand-in" in t or signedpage.CSRF in t for t in found)
        tokens[user.username] = found
        logout = soup.select_one("form[action='/accounts/logout/']")
        data = {i["name"]: i["value"] for i in logout.select("input[name]")}
        assert client.post(logout["action"], data).status_code in (302, 303)
    assert not tokens["reader"] & tokens["stranger"]


def test_a_name_is_escaped_where_the_frame_takes_it(client, article):
    odd = UserFactory(username="<b>odd</b>&co")
    client.force_login(odd)
    page_of(client, article)
    html, soup = page_of(client, article)
    assert "<b>odd</b>" not in html
    assert soup.select_one(".account-name").get_text() == "<b>odd</b>&co"


def test_a_comment_holding_a_stand_in_is_shown_as_written(client, article, reader):
    written = f"{signedpage.NAME} {signedpage.COUNT} {signedpage.CSRF}"
    CommentFactory(article=article, body=written)
    client.force_login(reader)
    page_of(client, article)
    html, _ = page_of(client, article)
    assert written in html and ">reader<" in html


def test_the_readers_messages_are_shown_once_on_a_kept_page(client, article, reader):
    client.force_login(reader)
    page_of(client, article)
    # As a redirect after an action leaves it: in the cookie the messages framework reads.
    encoded = CookieStorage(HttpRequest())._encode(
        [Message(constants.SUCCESS, "Your address is confirmed.")]
    )
    client.cookies[CookieStorage.cookie_name] = encoded
    first, _ = page_of(client, article)
    again, _ = page_of(client, article)
    assert "Your address is confirmed." in first
    assert "Your address is confirmed." not in again


def test_a_kept_page_costs_the_same_queries_as_before(client, article, reader):
    CommentFactory(article=article, author=reader)
    CommentFactory.create_batch(5, article=article)
    client.force_login(reader)
    page_of(client, article)
    page_of(client, article)
    with CaptureQueriesContext(connection) as few:
        page_of(client, article)
    CommentFactory.create_batch(20, article=article)
    page_of(client, article)
    with CaptureQueriesContext(connection) as many:
        page_of(client, article)
    assert len(few) == len(many) <= 5
