"""Two editors deciding the same comments at the same moment: exactly one decision applies."""

import threading

import pytest
from django.db import connection, connections

from accounts.roles import make_editor
from comments.models import Comment
from moderation.decisions import AlreadyDecided, decide
from moderation.models import ModerationEvent
from tests.comments.conftest import CommentFactory
from tests.conftest import ArticleFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a real race needs PostgreSQL's concurrency"
    ),
]

COMMENTS = 200


def test_two_editors_racing_over_200_comments_make_exactly_one_decision_each():
    article = ArticleFactory()
    comments = CommentFactory.create_batch(COMMENTS, article=article, status="pending")
    ids = [c.pk for c in comments]
    editors = {
        "approve": make_editor(UserFactory(username="alice")),
        "reject": make_editor(UserFactory(username="bob")),
    }
    start = threading.Barrier(len(editors))
    won: dict[str, list[int]] = {action: [] for action in editors}
    lost: dict[str, list[str]] = {action: [] for action in editors}
    errors: list[BaseException] = []

    def work(action: str) -> None:
        try:
            # Each editor loaded the same queue (every comment at version 0) before acting.
            seen = list(Comment.objects.filter(pk__in=ids).order_by("pk"))
            start.wait()
            for comment in seen:
                try:
                    decide(comment, action, by=editors[action], reason="race")
                except AlreadyDecided as error:
                    lost[action].append(error.message)
                else:
                    won[action].append(comment.pk)
        except BaseException as error:  # surfaced below: a thread's failure must fail the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(action,)) for action in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    assert sorted(won["approve"] + won["reject"]) == sorted(ids)  # each applied exactly once
    assert len(lost["approve"]) + len(lost["reject"]) == COMMENTS
    # The loser is told who decided first.
    assert all(
        m.startswith(("alice approved", "bob rejected")) for m in lost["approve"] + lost["reject"]
    )

    events = ModerationEvent.objects.filter(comment_id__in=ids, kind="decided")
    per_comment = {}
    for comment_id, to_status, actor in events.values_list("comment_id", "to_status", "actor_name"):
        per_comment.setdefault(comment_id, []).append((to_status, actor))
    assert sorted(per_comment) == sorted(ids)
    assert all(len(decisions) == 1 for decisions in per_comment.values())

    # No lost update: each comment's status is its one event's, decided once (version 1).
    for comment in Comment.objects.filter(pk__in=ids):
        ((to_status, actor),) = per_comment[comment.pk]
        assert (comment.status, comment.version, comment.decided_by.username) == (
            to_status,
            1,
            actor,
        )
    winners = {pk: "approved" for pk in won["approve"]} | {pk: "rejected" for pk in won["reject"]}
    assert {c.pk: c.status for c in Comment.objects.filter(pk__in=ids)} == winners
