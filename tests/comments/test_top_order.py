"""The "Top" order: helpful, recent comments with replies first, from a stored rank."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from comments.models import TOP_HALF_LIFE_HOURS, Comment, store_counts, top_rank
from comments.services import delete_comment, react
from comments.thread import page_number_of
from tests.comments.conftest import CommentFactory
from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db


def aged(article, hours: float, **kwargs) -> Comment:
    """A comment written `hours` ago, ranked as it would have been then."""
    comment = CommentFactory(article=article, **kwargs)
    created = timezone.now() - dt.timedelta(hours=hours)
    Comment.objects.filter(pk=comment.pk).update(created_at=created)
    comment.created_at = created
    store_counts(comment, helpful=0, replies=0)
    return comment


def top_ids(client, article) -> list[int]:
    page = BeautifulSoup(client.get(f"{article.get_absolute_url()}?order=top").content, "html5lib")
    return [int(li["id"].split("-")[1]) for li in page.select(".comment-list > li")]


def test_the_rank_halves_engagement_for_every_half_life_of_age():
    now = timezone.now()
    older = now - dt.timedelta(hours=TOP_HALF_LIFE_HOURS)
    # Twice the engagement, one half-life older: level.
    assert top_rank(created_at=older, helpful=1) == pytest.approx(top_rank(created_at=now))
    # A reply counts as two "helpful".
    assert top_rank(created_at=now, replies=1) == top_rank(created_at=now, helpful=2)


def test_top_puts_helpful_comments_first_then_the_newer(client, article, settings):
    settings.COMMENTS_REACTIONS_PER_MINUTE = 100
    old_helpful = aged(article, 30)
    new_quiet = aged(article, 1)
    old_quiet = aged(article, 40)
    for someone in UserFactory.create_batch(4):
        react(comment=old_helpful, by=someone)
    # 30 hours: 1.25 half-lives, and five times the engagement (log2 5 > 1.25).
    assert top_ids(client, article) == [old_helpful.pk, new_quiet.pk, old_quiet.pk]


def test_replies_lift_their_conversation_and_fall_back_when_withdrawn(client, article, reader):
    first = aged(article, 10)
    second = aged(article, 5)
    assert top_ids(client, article) == [second.pk, first.pk]
    reply = CommentFactory(article=article, parent=first, author=reader)
    first.refresh_from_db()
    assert first.reply_count == 1
    assert top_ids(client, article) == [first.pk, second.pk]
    delete_comment(comment=reply, by=reader)
    first.refresh_from_db()
    assert first.reply_count == 0
    assert top_ids(client, article) == [second.pk, first.pk]


def test_the_order_switcher_offers_top_and_the_permalink_finds_its_page(client, article, settings):
    settings.COMMENTS_PER_PAGE = 1
    first, second = aged(article, 10), aged(article, 5)
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html5lib")
    labels = [a.get_text() for a in page.select(".comment-order a")]
    assert labels == ["Oldest first", "Newest first", "Top"]
    assert page_number_of(second, order="top") == 1
    assert page_number_of(first, order="top") == 2


def test_the_api_orders_by_top_and_pages_with_a_cursor(client, article, settings):
    settings.COMMENTS_REACTIONS_PER_MINUTE = 100
    comments = [aged(article, hours) for hours in (1, 2, 3, 4)]
    for someone in UserFactory.create_batch(8):
        react(comment=comments[3], by=someone)
    url = f"/api/articles/{article.pk}/comments/"
    body = client.get(url, {"order": "top", "page_size": 2}).json()
    assert [c["id"] for c in body["results"]] == [comments[3].pk, comments[0].pk]
    assert body["results"][0]["helpful_count"] == 8
    more = client.get(body["next"]).json()
    assert [c["id"] for c in more["results"]] == [comments[1].pk, comments[2].pk]
    forged = client.get(url, {"order": "top", "cursor": "cD1ub3RhbnVtYmVy"})
    assert forged.status_code == 404
