"""Existing comments get their "Top" rank and reply counts with reactions (migration 0009)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from comments.models import top_rank

BEFORE = ("comments", "0008_comment_classifier_score")
AFTER = ("comments", "0009_reactions_and_top")


@pytest.mark.django_db(transaction=True)
def test_existing_comments_are_ranked_by_their_age_and_visible_replies(migrator):
    apps = migrator.apply_initial_migration(BEFORE).apps
    User = apps.get_model("accounts", "User")
    Comment = apps.get_model("comments", "Comment")
    reader = User.objects.create(username="old-reader", email="old-reader@example.com")
    article = apps.get_model("articles", "Article").objects.first()
    made = {"article": article, "author": reader, "body": "Hi.", "body_html": "<p>Hi.</p>"}
    top = Comment.objects.create(status="approved", **made)
    Comment.objects.create(parent=top, root=top, depth=1, status="approved", **made)
    Comment.objects.create(parent=top, root=top, depth=1, status="pending", **made)
    written = timezone.now() - dt.timedelta(days=3)
    Comment.objects.filter(pk=top.pk).update(created_at=written)

    apps = migrator.apply_tested_migration(AFTER).apps
    ranked = apps.get_model("comments", "Comment").objects.get(pk=top.pk)
    assert ranked.reply_count == 1 and ranked.helpful_count == 0
    assert ranked.rank == pytest.approx(top_rank(created_at=written, replies=1))
