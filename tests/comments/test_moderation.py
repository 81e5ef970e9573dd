"""Screening: rules are small functions, the strictest verdict wins, every reason is kept."""

import pytest

from comments.models import Comment
from comments.moderation import Action, Context, Verdict, screen
from comments.services import CommentError, post_comment

pytestmark = pytest.mark.django_db


def rule_saying(action, reason):
    def rule(comment, context):
        return Verdict(Action(action), reason, f"{reason} says {action}")

    return rule


def silent(comment, context):
    return None


def test_with_nothing_to_say_a_comment_is_approved(article, reader):
    result = screen(Comment(article=article, author=reader, body="Hi"))
    assert result.verdict.action == Action.APPROVE
    assert result.status == Comment.Status.APPROVED
    assert result.records == []


def test_the_strictest_verdict_wins_and_every_reason_is_kept(article, reader):
    rules = [
        rule_saying("hold", "first"),
        silent,
        rule_saying("spam", "second"),
        rule_saying("reject", "third"),
    ]
    result = screen(
        Comment(article=article, author=reader, body="x"),
        context=Context(article=article, author=reader),
        rules=rules,
    )
    assert result.verdict.reason == "second"
    assert result.status == Comment.Status.SPAM
    assert [r["reason"] for r in result.records] == ["first", "second", "third"]


def test_closed_comments_are_refused_and_nothing_is_stored(article, reader):
    article.comments_mode = article.CommentsMode.CLOSED
    with pytest.raises(CommentError) as refused:
        post_comment(author=reader, article=article, body="Hello")
    assert refused.value.message == "Comments are closed on this article."
    assert Comment.objects.count() == 0


def test_a_premoderated_article_holds_every_comment(article, reader):
    article.comments_mode = article.CommentsMode.PREMODERATED
    comment = post_comment(author=reader, article=article, body="Hello")
    assert comment.status == Comment.Status.PENDING
    assert [r["reason"] for r in comment.screening] == ["article_premoderated"]


def test_an_open_article_approves_at_once(article, reader):
    comment = post_comment(author=reader, article=article, body="Hello")
    assert comment.status == Comment.Status.APPROVED
    assert comment.screening == []
