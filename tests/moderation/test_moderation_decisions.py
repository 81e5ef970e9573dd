"""Editors' decisions, bulk decisions, reports that send a comment back, editors' picks."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone

from comments.errors import CommentError
from comments.models import Comment
from comments.services import report_comment
from comments.thread import thread_key
from moderation.decisions import AlreadyDecided, allowed_decisions, decide, decide_many, feature
from moderation.models import ModerationEvent, Sanction
from moderation.reports import reporter_standing
from tests.comments.conftest import CommentFactory, moderation_settings, trust
from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db

S = Comment.Status


@pytest.fixture
def pending(article, reader):
    return CommentFactory(article=article, author=reader, status=S.PENDING, body="Waiting")


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        (S.PENDING, "approve", S.APPROVED),
        (S.PENDING, "reject", S.REJECTED),
        (S.PENDING, "spam", S.SPAM),
        (S.APPROVED, "reject", S.REJECTED),
        (S.APPROVED, "spam", S.SPAM),
        (S.REJECTED, "approve", S.APPROVED),
        (S.REJECTED, "restore", S.PENDING),
        (S.SPAM, "restore", S.PENDING),
        (S.SPAM, "approve", S.APPROVED),
    ],
)
def test_each_decision_moves_the_comment_and_records_one_event(
    article, reader, editor, start, action, end
):
    comment = CommentFactory(article=article, author=reader, status=start)
    decide(comment, action, by=editor, reason="Off topic")
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.status == end
    assert stored.version == 1
    assert stored.decided_by == editor
    assert stored.decision_reason == ("Off topic" if end in (S.REJECTED, S.SPAM) else "")
    (event,) = ModerationEvent.objects.filter(comment=comment)
    assert (event.kind, event.actor_id, event.actor_name) == ("decided", editor.pk, "editor")
    assert (event.from_status, event.to_status, event.reasons) == (start, end, [action])
    assert event.note == "Off topic"


@pytest.mark.parametrize(
    ("start", "action"),
    [
        (S.APPROVED, "approve"),
        (S.PENDING, "restore"),
        (S.APPROVED, "restore"),
        (S.REJECTED, "reject"),
        (S.REMOVED, "approve"),
    ],
)
def test_a_decision_that_changes_nothing_is_refused(article, editor, start, action):
    comment = CommentFactory(article=article, status=start)
    with pytest.raises(CommentError):
        decide(comment, action, by=editor)
    assert not ModerationEvent.objects.exists()


def test_the_buttons_offered_match_what_decide_accepts(article):
    assert allowed_decisions(CommentFactory(article=article, status=S.PENDING)) == {
        "approve",
        "reject",
        "spam",
    }
    assert allowed_decisions(CommentFactory(article=article, status=S.SPAM)) == {
        "approve",
        "reject",
        "restore",
    }
    reported = CommentFactory(article=article, status=S.APPROVED, open_reports=1)
    assert allowed_decisions(reported) == {"approve", "reject", "spam"}


def test_readers_cannot_decide(pending, stranger):
    with pytest.raises(CommentError, match="Only editors"):
        decide(pending, "approve", by=stranger)
    assert Comment.objects.get(pk=pending.pk).status == S.PENDING


def test_the_second_editor_is_told_who_decided_and_when(pending, editor):
    other = UserFactory(username="olivia")
    from accounts.roles import make_editor

    make_editor(other)
    seen_by_olivia = Comment.objects.get(pk=pending.pk)
    decide(pending, "approve", by=editor)
    with pytest.raises(AlreadyDecided) as late:
        decide(seen_by_olivia, "reject", by=other)
    assert late.value.message.startswith("editor approved this comment on ")
    assert "It is now “Published”." in late.value.message
    assert late.value.event.actor_id == editor.pk
    assert Comment.objects.get(pk=pending.pk).status == S.APPROVED
    assert ModerationEvent.objects.filter(kind="decided").count() == 1


def test_a_decision_on_an_older_version_than_the_page_showed_is_refused(pending, editor):
    with pytest.raises(AlreadyDecided):
        decide(pending, "approve", by=editor, version=pending.version + 1)
    assert Comment.objects.get(pk=pending.pk).status == S.PENDING


def test_an_edit_by_the_author_makes_an_open_decision_stale(trusted, reader, article, editor):
    from comments.services import edit_comment, post_comment

    comment = post_comment(author=reader, article=article, body="First")
    seen = Comment.objects.get(pk=comment.pk)
    edit_comment(comment=comment, by=reader, body="Changed after the editor looked")
    with pytest.raises(AlreadyDecided, match="Its author edited this comment on "):
        decide(seen, "reject", by=editor)


def test_bulk_decisions_apply_each_one_and_report_the_rest(article, editor):
    waiting = CommentFactory.create_batch(3, article=article, status=S.PENDING)
    gone = CommentFactory(article=article, status=S.REMOVED)
    outcome = decide_many([*waiting, gone], "spam", by=editor, reason="Advertising")
    assert outcome.decided == waiting
    assert outcome.refused == [
        (gone, "Its author deleted this comment; it can no longer be moderated.")
    ]
    assert set(Comment.objects.filter(status=S.SPAM)) == set(waiting)
    assert ModerationEvent.objects.filter(kind="decided").count() == 3


def test_bulk_decisions_honour_the_versions_the_editor_saw(article, editor):
    a, b = CommentFactory.create_batch(2, article=article, status=S.PENDING)
    outcome = decide_many([a, b], "approve", by=editor, versions={a.pk: 0, b.pk: 7})
    assert outcome.decided == [a]
    ((refused, message),) = outcome.refused
    assert refused == b and "changed while you were looking" in message


def test_a_bulk_decision_costs_the_same_queries_for_5_or_50_comments(
    article, editor, reader, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import moderation.decisions
    from moderation.tasks import announce_decisions
    from tests.conftest import ArticleFactory

    other = ArticleFactory()
    queued: list[tuple] = []
    monkeypatch.setattr(moderation.decisions, "enqueue", lambda *call: queued.append(call))

    def queries(n: int) -> int:
        waiting = [
            CommentFactory(article=article if i % 2 else other, author=reader, status=S.PENDING)
            for i in range(n)
        ]
        queued.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert len(decide_many(waiting, "approve", by=editor).decided) == n
        # Telling the readers is one queued task for all of them, not the editor's wait.
        ((task, event_ids),) = queued
        assert task is announce_decisions and len(event_ids) == n
        return len(ctx)

    queries(1)  # the site's versions row, made once
    assert queries(5) == queries(50) <= 21  # 21: the conversations' reply counts and ranks


def test_a_bulk_decision_bumps_each_thread_once_with_true_counts(article, editor, reader):
    from comments.models import Thread

    shown = CommentFactory(article=article, status=S.APPROVED)
    waiting = CommentFactory.create_batch(4, article=article, author=reader, status=S.PENDING)
    before = Thread.objects.get(article=article).version
    decide_many(waiting, "approve", by=editor)
    thread = Thread.objects.get(article=article)
    assert thread.version == before + 1
    assert thread.visible_count == 5 == article.comments.visible().count()
    decide_many([shown, *waiting], "reject", by=editor, reason="Off topic")
    assert Thread.objects.get(article=article).visible_count == 0


def test_a_bulk_decision_keeps_the_counts_a_recount_gives(article, editor, reader):
    from comments.models import Thread
    from comments.thread import bump_threads

    def counts() -> tuple[int, int]:
        kept = Thread.objects.values_list("visible_count", "top_level_count").get(article=article)
        bump_threads([article.pk])
        recounted = Thread.objects.values_list("visible_count", "top_level_count").get(
            article=article
        )
        assert kept == recounted
        return kept

    def fresh(comment):
        return Comment.objects.get(pk=comment.pk)

    root = CommentFactory(article=article, author=reader, status=S.PENDING)
    reply = CommentFactory(article=article, author=reader, status=S.PENDING, parent=root)
    other = CommentFactory(article=article, author=reader, status=S.APPROVED)
    decide_many([reply], "approve", by=editor)  # the root now shows, as a placeholder
    assert counts() == (2, 2)
    decide_many([fresh(root), fresh(reply)], "approve", by=editor)  # the reply: already so
    assert counts() == (3, 2)
    decide_many([fresh(reply), fresh(other)], "spam", by=editor)
    assert counts() == (1, 1)
    decide_many([fresh(root), fresh(reply), fresh(other)], "reject", by=editor)
    assert counts() == (0, 0)


def test_a_bulk_decision_records_and_signals_each_comment(article, editor, reader):
    from django.test import TestCase

    from moderation import signals

    waiting = CommentFactory.create_batch(3, article=article, author=reader, status=S.PENDING)
    sent = []
    signals.comment_moderated.connect(lambda **kw: sent.append(kw), weak=False, dispatch_uid="t")
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            decide_many(waiting, "spam", by=editor, reason="Advertising")
    finally:
        signals.comment_moderated.disconnect(dispatch_uid="t")
    assert [kw["comment"].pk for kw in sent] == [c.pk for c in waiting]
    for kw in sent:
        event = kw["event"]
        assert (event.pk, event.from_status, event.to_status, event.note) == (
            event.pk,
            S.PENDING,
            S.SPAM,
            "Advertising",
        )
        assert event.waited is not None and event.actor == editor
    stored = Comment.objects.get(pk=waiting[0].pk)
    assert (stored.version, stored.decision_reason, stored.decided_by) == (1, "Advertising", editor)
    assert waiting[0].version == 1 and waiting[0].status == S.SPAM


def test_a_comment_listed_twice_is_decided_once(pending, editor):
    again = Comment.objects.get(pk=pending.pk)
    outcome = decide_many([pending, again], "approve", by=editor)
    assert outcome.decided == [pending]
    ((refused, message),) = outcome.refused
    assert refused is again and "approved this comment" in message
    assert ModerationEvent.objects.filter(kind="decided").count() == 1


def test_a_bulk_decision_leaves_what_a_colleague_changed_since_the_page_was_read(
    article, editor, reader
):
    a, b = CommentFactory.create_batch(2, article=article, author=reader, status=S.PENDING)
    colleague = type(editor).objects.get(pk=editor.pk)
    decide(Comment.objects.get(pk=b.pk), "reject", by=colleague)
    outcome = decide_many([a, b], "approve", by=editor)
    assert outcome.decided == [a]
    ((refused, message),) = outcome.refused
    assert refused == b and "rejected this comment" in message
    assert Comment.objects.get(pk=b.pk).status == S.REJECTED


def test_approving_a_reported_comment_dismisses_its_reports(article, editor):
    comment = CommentFactory(
        article=article, status=S.APPROVED, open_reports=2, report_weight=4, priority=4000
    )
    decide(comment, "approve", by=editor)
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.status, stored.open_reports, stored.report_weight, stored.priority) == (
        S.APPROVED,
        0,
        0,
        0,
    )
    assert not Comment.objects.filter(open_reports__gt=0).exists()


def test_a_decision_on_a_visible_comment_replaces_the_cached_thread(client, article, editor):
    comment = CommentFactory(article=article, body="Soon rejected")
    client.get(article.get_absolute_url())
    assert caches["pages"].get(thread_key(article.pk, "oldest", 1)) is not None
    decide(comment, "reject", by=editor)
    assert caches["pages"].get(thread_key(article.pk, "oldest", 1)) is None
    assert "Soon rejected" not in client.get(article.get_absolute_url()).content.decode()


def test_rejecting_a_pending_comment_leaves_the_cached_thread_alone(client, pending, editor):
    client.get(pending.article.get_absolute_url())
    entry = caches["pages"].get(thread_key(pending.article_id, "oldest", 1))
    decide(pending, "reject", by=editor)
    assert caches["pages"].get(thread_key(pending.article_id, "oldest", 1)) == entry


def test_the_median_wait_is_taken_from_decisions_on_pending_comments(pending, editor):
    Comment.objects.filter(pk=pending.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    decide(Comment.objects.get(pk=pending.pk), "approve", by=editor)
    event = ModerationEvent.objects.get(kind="decided")
    assert dt.timedelta(hours=2) <= event.waited < dt.timedelta(hours=2, minutes=1)


# --- Reports -------------------------------------------------------------------------------


def established_readers(n, *, article):
    """Readers of some standing: an approved comment and an account older than a week."""
    readers = UserFactory.create_batch(n, date_joined=timezone.now() - dt.timedelta(days=30))
    for person in readers:
        CommentFactory(author=person, article=article)
    return readers


def test_three_reports_from_distinct_readers_send_an_approved_comment_back_to_review(
    article, client
):
    comment = CommentFactory(article=article, body="Reported text")
    client.get(article.get_absolute_url())
    first, second, third = established_readers(3, article=article)
    report_comment(comment=comment, by=first, reason="abuse")
    report_comment(comment=comment, by=second, reason="spam")
    assert Comment.objects.get(pk=comment.pk).status == S.APPROVED  # two are not enough
    report_comment(comment=comment, by=third, reason="abuse")
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.status, stored.open_reports, stored.report_weight) == (S.PENDING, 3, 6)
    assert "reports" in stored.reason_codes
    event = ModerationEvent.objects.get(comment=comment)
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        "reported",
        None,
        "approved",
        "pending",
    )
    assert "Reported text" not in client.get(article.get_absolute_url()).content.decode()


def test_reports_from_brand_new_accounts_weigh_less(article):
    comment = CommentFactory(article=article)
    for newcomer in UserFactory.create_batch(3):
        report_comment(comment=comment, by=newcomer, reason="abuse")
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.status, stored.report_weight) == (S.APPROVED, 3)


def test_two_trusted_readers_are_enough(article):
    comment = CommentFactory(article=article)
    for person in established_readers(2, article=article):
        trust(person)
        report_comment(comment=comment, by=person, reason="abuse")
    assert Comment.objects.get(pk=comment.pk).status == S.PENDING


@pytest.mark.parametrize(
    ("age_days", "approved", "trusted", "expected"),
    [
        (30, 0, False, "new"),  # no approved comment
        (3, 2, False, "new"),  # a young account
        (30, 1, False, "reader"),
        (30, 5, False, "trusted"),  # a record of approved comments
        (3, 0, True, "trusted"),  # trusted by an editor
    ],
)
def test_how_much_a_report_weighs_depends_on_the_reporter(
    article, age_days, approved, trusted, expected
):
    person = UserFactory(date_joined=timezone.now() - dt.timedelta(days=age_days))
    CommentFactory.create_batch(approved, author=person, article=article)
    if trusted:
        trust(person)
    assert reporter_standing(person) == expected


def test_the_report_threshold_is_the_editors_to_set(article):
    moderation_settings(report_threshold=2)
    comment = CommentFactory(article=article)
    report_comment(comment=comment, by=established_readers(1, article=article)[0], reason="abuse")
    assert Comment.objects.get(pk=comment.pk).status == S.PENDING


def test_the_reported_queue_holds_comments_with_open_reports(article, editor):
    comment = CommentFactory(article=article)
    report_comment(comment=comment, by=UserFactory(), reason="spam")
    assert list(Comment.objects.filter(open_reports__gt=0)) == [comment]


# --- Editors' picks ------------------------------------------------------------------------


def test_a_featured_comment_gets_a_badge_in_its_place_and_its_own_tab(client, article, editor):
    CommentFactory(article=article, body="An ordinary first comment")
    pick = CommentFactory(article=article, body="A thoughtful answer")
    client.get(article.get_absolute_url())
    feature(pick, by=editor)
    html = client.get(article.get_absolute_url()).content.decode()
    # Once on the page, in its place in the discussion, with its badge.
    assert html.count("A thoughtful answer") == 1
    assert html.index("An ordinary first comment") < html.index("A thoughtful answer")
    assert 'class="badge badge-featured"' in html
    assert "Editors' picks (1)" in html
    picks = client.get(article.get_absolute_url(), {"order": "picks"}).content.decode()
    assert "A thoughtful answer" in picks and "An ordinary first comment" not in picks
    event = ModerationEvent.objects.get(comment=pick)
    assert (event.kind, event.actor_id) == ("featured", editor.pk)


def test_unfeaturing_removes_the_pick_from_the_thread(client, article, editor):
    pick = CommentFactory(article=article, body="Once a pick")
    feature(pick, by=editor)
    client.get(article.get_absolute_url())
    feature(pick, by=editor, featured=False)
    assert "Editors' picks" not in client.get(article.get_absolute_url()).content.decode()
    assert list(ModerationEvent.objects.values_list("kind", flat=True)) == [
        "featured",
        "unfeatured",
    ]


def test_only_a_published_comment_can_be_featured(pending, editor):
    with pytest.raises(CommentError, match="Only a published comment"):
        feature(pending, by=editor)


def test_a_rejected_pick_leaves_the_picks(client, article, editor):
    pick = CommentFactory(article=article, body="Picked then rejected")
    feature(pick, by=editor)
    decide(Comment.objects.get(pk=pick.pk), "reject", by=editor)
    assert "Picked then rejected" not in client.get(article.get_absolute_url()).content.decode()


def test_sanctions_are_not_decisions(article, reader, editor):
    # A ban that rejects pending comments records one decision for each of them, no more.
    from moderation.sanctions import sanction

    CommentFactory.create_batch(2, article=article, author=reader, status=S.PENDING)
    CommentFactory(article=article, author=reader, status=S.APPROVED)
    sanction(reader, Sanction.Kind.BAN, by=editor, reason="Spam", reject_pending=True)
    assert ModerationEvent.objects.filter(kind="decided").count() == 2


def test_a_bulk_approval_of_replies_gives_their_conversation_its_reply_count_and_rank(
    article, editor, reader
):
    root = CommentFactory(article=article, author=reader, status=S.APPROVED)
    replies = [
        CommentFactory(article=article, author=reader, status=S.PENDING, parent=root)
        for _ in range(2)
    ]
    rank_before = Comment.objects.get(pk=root.pk).rank

    decide_many(replies, "approve", by=editor)

    root = Comment.objects.get(pk=root.pk)
    assert root.reply_count == 2  # what the "Top" order ranks by
    assert root.rank > rank_before
