"""Helpers for the comment tests: making comments in each state, and posting through the page."""

from __future__ import annotations

import uuid

import factory
import pytest

from comments.models import Comment
from markup.sanitize import render_comment
from tests.conftest import ArticleFactory, UserFactory, trust, trusted  # noqa: F401


class CommentFactory(factory.django.DjangoModelFactory):
    """A stored comment, approved unless told otherwise (replies get their root and depth)."""

    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(UserFactory)
    parent = None
    root = factory.LazyAttribute(lambda c: (c.parent.root or c.parent) if c.parent else None)
    depth = factory.LazyAttribute(lambda c: c.parent.depth + 1 if c.parent else 0)
    body = factory.Sequence(lambda n: f"Comment number {n}.")
    body_html = factory.LazyAttribute(lambda c: render_comment(c.body))
    status = Comment.Status.APPROVED


@pytest.fixture
def make_comment(db):
    return CommentFactory


def post_form(client, article, body: str, *, parent=None, token=None):
    """POST the article page's form as a browser would (a fresh form token unless given)."""
    data = {"body": body, "token": str(token or uuid.uuid4())}
    if parent is not None:
        data["parent"] = str(parent.pk)
    return client.post(f"/comments/post/{article.pk}/", data)


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


def moderation_settings(**values):
    """Change the editors' screening settings for one test."""
    from moderation.models import ModerationSettings

    row, _ = ModerationSettings.objects.update_or_create(pk=1, defaults=values)
    return row


@pytest.fixture
def no_rate_limit(db):
    """For tests that post a burst of comments on purpose (the limit has its own tests)."""
    moderation_settings(max_per_minute=0)
