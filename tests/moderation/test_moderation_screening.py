"""Screening: each rule at its threshold and just below, the strictest verdict, stored reasons."""

import datetime as dt

import pytest
from django.utils import timezone

from comments.errors import CommentError, CommentNudge
from comments.models import Comment
from comments.services import edit_comment, post_comment
from markup.sanitize import render_comment
from moderation.models import ModerationEvent, ModerationSettings, Sanction
from moderation.ratelimits import fingerprint
from moderation.rules import Action, AuthorHistory, Context, Standing, Verdict
from moderation.screening import screen
from tests.comments.conftest import CommentFactory, moderation_settings, trust

pytestmark = pytest.mark.django_db

NOW = timezone.now()
ESTABLISHED = AuthorHistory(approved=3)


def verdicts(body="Hello there", *, article, **context):
    """The reasons that fire for this text in this context (an established reader by default)."""
    comment = Comment(article=article, body=body, body_html=render_comment(body))
    context.setdefault("history", ESTABLISHED)
    result = screen(comment, context=Context(article=article, author=None, now=NOW, **context))
    return result


def codes(result):
    return [v.reason for v in result.fired]


def rule_saying(action, reason):
    def rule(comment, context):
        return Verdict(Action(action), reason, f"{reason} says {action}")

    return rule


def test_with_nothing_to_say_a_comment_is_approved(article):
    result = verdicts(article=article)
    assert result.verdict.action == Action.APPROVE
    assert result.status == Comment.Status.APPROVED
    assert result.records == []


def test_the_strictest_verdict_wins_and_every_reason_is_kept(article, reader):
    rules = [
        rule_saying("hold", "first"),
        lambda comment, context: None,
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


def test_a_rejecting_rule_beats_holding_rules_and_all_of_them_are_stored(article):
    settings = ModerationSettings(banned_terms="scam", suspect_terms="miracle")
    result = verdicts("A miracle scam", article=article, settings=settings, toxicity=0.9)
    assert result.verdict.reason == "banned_words"
    assert result.status == Comment.Status.REJECTED
    assert codes(result) == ["banned_words", "suspect_words", "toxicity"]


@pytest.mark.parametrize(
    ("body", "fires"),
    [
        ("This is a scam.", True),
        ("This is a SCÄM.", True),
        ("This is a sc4m.", True),
        ("Get rich quick today", True),
        ("These scampi are great.", False),
        ("Get rich slowly", False),
    ],
)
def test_banned_words_and_phrases_reject_a_comment(article, body, fires):
    settings = ModerationSettings(banned_terms="scam\nget rich quick")
    result = verdicts(body, article=article, settings=settings)
    assert (result.verdict.action == Action.REJECT) is fires
    if fires:
        assert result.verdict.reason == "banned_words"


@pytest.mark.parametrize(("body", "fires"), [("A true miracle cure", True), ("Miraculous", False)])
def test_suspect_words_hold_a_comment(article, body, fires):
    result = verdicts(body, article=article, settings=ModerationSettings(suspect_terms="miracle"))
    assert codes(result) == (["suspect_words"] if fires else [])
    assert result.status == (Comment.Status.PENDING if fires else Comment.Status.APPROVED)


@pytest.mark.parametrize(("links", "fires"), [(3, True), (2, False)])
def test_more_than_two_links_hold_a_comment(article, links, fires):
    body = " ".join(f"https://www.nhs.uk/page{n}/" for n in range(links))
    result = verdicts(body, article=article)
    assert codes(result) == (["too_many_links"] if fires else [])


def test_a_link_whose_address_was_refused_is_no_link_and_does_not_count(article):
    dead = '<a href="javascript:alert(1)">one</a> <a href="/local">two</a> <a>three</a>'
    comment = Comment(article=article, body=dead, body_html=render_comment(dead))
    assert "<a" not in comment.body_html  # plain words: nothing blue that goes nowhere
    one_real = f"{dead} https://www.nhs.uk/"  # a trusted health source: only the count matters
    assert (
        codes(verdicts(one_real, article=article, settings=ModerationSettings(max_links=1))) == []
    )


def test_the_link_limit_is_the_editors_to_set(article):
    body = "https://www.nhs.uk/a/ https://www.nhs.uk/b/"
    assert codes(verdicts(body, article=article, settings=ModerationSettings(max_links=1))) == [
        "too_many_links"
    ]
    no_limit = ModerationSettings(max_links=None)
    assert codes(verdicts(f"{body} {body} {body}", article=article, settings=no_limit)) == []


@pytest.mark.parametrize(
    ("score", "action"),
    [(0.75, "hold"), (0.95, "hold"), (0.7499, "nudge"), (0.6, "nudge"), (0.5999, None)],
)
def test_a_toxic_comment_aimed_at_someone_is_held_from_0_75_and_nudged_from_0_6(
    article, score, action
):
    result = verdicts("Well you would say that", article=article, toxicity=score)
    assert codes(result) == (["toxicity"] if action else [])
    if action:
        assert result.verdict.action == action
        assert f"{score:.2f}" in result.verdict.message


def test_swearing_aimed_at_no_one_is_only_nudged_however_high_its_score(article):
    result = verdicts("Bloody hell, what a night.", article=article, toxicity=0.99)
    assert (result.verdict.action, result.status) == (Action.NUDGE, Comment.Status.APPROVED)


def test_below_the_hold_a_score_aimed_at_no_one_draws_nothing(article):
    assert codes(verdicts("Reversed?", article=article, toxicity=0.64)) == []


@pytest.mark.parametrize(
    ("history", "fires"),
    [
        (AuthorHistory(), True),  # no approved comment yet
        (AuthorHistory(approved=1), False),  # trust earned by one approved comment
        (AuthorHistory(approved=1, rejected=1), True),  # and lost by rejected ones
        (AuthorHistory(approved=3, rejected=2), False),
    ],
)
def test_a_reader_without_an_approved_comment_is_held(article, history, fires):
    assert ("new_reader" in codes(verdicts(article=article, history=history))) is fires


def test_a_trusted_reader_skips_the_new_reader_hold(article, reader):
    trusted = Standing(sanctions=(Sanction(user=reader, kind=Sanction.Kind.TRUST),))
    assert codes(verdicts(article=article, history=AuthorHistory(), standing=trusted)) == []


def test_the_new_reader_hold_can_be_turned_off(article):
    off = ModerationSettings(hold_new_readers=False)
    assert codes(verdicts(article=article, history=AuthorHistory(), settings=off)) == []


@pytest.mark.parametrize(("rejected", "fires"), [(4, True), (3, False)])
def test_an_author_rejected_more_than_30_percent_over_7_days_is_held(article, rejected, fires):
    history = AuthorHistory(approved=20, recent_decided=10, recent_rejected=rejected)
    assert ("often_rejected" in codes(verdicts(article=article, history=history))) is fires


def _recent(*minutes_ago, text="Hello there"):
    return tuple((fingerprint(text), NOW - dt.timedelta(minutes=m)) for m in minutes_ago)


@pytest.mark.parametrize(("minutes_ago", "fires"), [(59, True), (61, False)])
def test_the_same_text_within_an_hour_is_refused_as_a_duplicate(article, minutes_ago, fires):
    history = AuthorHistory(approved=3, recent=_recent(minutes_ago))
    result = verdicts(article=article, history=history, fingerprint=fingerprint("hello THERE!"))
    assert (result.verdict.reason == "duplicate") is fires
    if fires:
        assert result.verdict.action == Action.REFUSE
        assert "already posted this comment 59 minutes ago" in result.verdict.message


@pytest.mark.parametrize(("earlier", "fires"), [(5, True), (4, False)])
def test_more_than_5_comments_a_minute_are_refused_with_the_wait(article, earlier, fires):
    seconds = [10 * n for n in range(earlier)]  # 0, 10, 20 ... seconds ago
    recent = tuple((f"other{n}", NOW - dt.timedelta(seconds=s)) for n, s in enumerate(seconds))
    result = verdicts(article=article, history=AuthorHistory(approved=3, recent=recent))
    assert (result.verdict.reason == "too_fast") is fires
    if fires:
        # The oldest of the five was 40 seconds ago: one more fits in 20 seconds.
        assert result.verdict.message == "You are posting too fast. Please wait 20 seconds."


def test_edits_are_not_rate_limited_or_duplicates(article):
    history = AuthorHistory(approved=3, recent=_recent(0, 0, 0, 0, 0))
    result = verdicts(
        article=article, history=history, fingerprint=fingerprint("Hello there"), is_edit=True
    )
    assert codes(result) == []


def standing(*kinds, **fields):
    return Standing(sanctions=tuple(Sanction(kind=k, reason="Abuse", **fields) for k in kinds))


@pytest.mark.parametrize(
    ("sanctions", "reason"),
    [
        (standing(Sanction.Kind.BAN), "author_banned"),
        (standing(Sanction.Kind.SUSPEND, ends_at=NOW + dt.timedelta(days=1)), "author_suspended"),
        (standing(Sanction.Kind.WARN), "author_warned"),
    ],
)
def test_a_sanctioned_author_is_refused_with_a_clear_message(article, sanctions, reason):
    result = verdicts(article=article, standing=sanctions)
    assert result.verdict.action == Action.REFUSE
    assert result.verdict.reason == reason


def test_a_suspension_that_has_ended_no_longer_refuses(article):
    ended = standing(Sanction.Kind.SUSPEND, ends_at=timezone.now() - dt.timedelta(seconds=1))
    assert codes(verdicts(article=article, standing=ended)) == []


def test_an_always_premoderated_reader_is_held(article):
    assert codes(verdicts(article=article, standing=standing(Sanction.Kind.PREMODERATE))) == [
        "author_premoderated"
    ]


# --- Through post_comment, with the database ----------------------------------------------


def test_the_first_comment_of_a_new_reader_is_held_and_the_second_after_approval_is_not(
    reader, article
):
    first = post_comment(author=reader, article=article, body="My first words")
    assert first.status == Comment.Status.PENDING
    assert first.reason_codes == ["new_reader"]
    Comment.objects.filter(pk=first.pk).update(status=Comment.Status.APPROVED)
    second = post_comment(author=reader, article=article, body="My second words")
    assert second.status == Comment.Status.APPROVED


def test_closed_comments_are_refused_and_nothing_is_stored(article, reader):
    article.comments_mode = article.CommentsMode.CLOSED
    with pytest.raises(CommentError) as refused:
        post_comment(author=reader, article=article, body="Hello")
    assert refused.value.message == "Comments are closed on this article."
    assert Comment.objects.count() == 0
    assert ModerationEvent.objects.count() == 0


def test_a_premoderated_article_holds_every_comment(article, reader):
    trust(reader)
    article.comments_mode = article.CommentsMode.PREMODERATED
    comment = post_comment(author=reader, article=article, body="Hello")
    assert comment.status == Comment.Status.PENDING
    assert [r["reason"] for r in comment.screening] == ["article_premoderated"]


def test_a_banned_reader_is_refused_and_nothing_is_stored(article, reader, editor):
    Sanction.objects.create(user=reader, kind=Sanction.Kind.BAN, reason="Repeated abuse")
    with pytest.raises(CommentError, match="Repeated abuse"):
        post_comment(author=reader, article=article, body="Let me in")
    assert not Comment.objects.exists()


def test_posting_the_same_text_twice_is_refused_the_second_time(trusted, reader, article):
    post_comment(author=reader, article=article, body="Great article!")
    with pytest.raises(CommentError, match="already posted this comment"):
        post_comment(author=reader, article=article, body="great   ARTICLE")
    assert Comment.objects.count() == 1
    assert Comment.objects.get().fingerprint == fingerprint("Great article!")


def test_the_sixth_comment_in_a_minute_is_refused(trusted, reader, article):
    for n in range(5):
        post_comment(author=reader, article=article, body=f"Comment {n}")
    with pytest.raises(CommentError, match="posting too fast"):
        post_comment(author=reader, article=article, body="One more")
    assert Comment.objects.count() == 5


def test_a_toxic_comment_is_held_with_its_score_when_posted_anyway(trusted, reader, article):
    body = "Well you are a fucking disgrace"
    with pytest.raises(CommentNudge):
        post_comment(author=reader, article=article, body=body)
    assert not Comment.objects.exists()
    comment = post_comment(author=reader, article=article, body=body, confirmed=True)
    assert comment.status == Comment.Status.PENDING
    assert "toxicity" in comment.reason_codes
    assert comment.toxicity >= 0.75


def test_a_gentle_comment_is_scored_and_published(trusted, reader, article):
    comment = post_comment(author=reader, article=article, body="Magnesium helped me sleep.")
    assert comment.status == Comment.Status.APPROVED
    assert comment.toxicity < 0.8


def test_a_nudge_comes_only_when_toxicity_or_suspect_words_are_the_only_objections(
    trusted, reader, article
):
    moderation_settings(suspect_terms="miracle", banned_terms="scam")
    with pytest.raises(CommentNudge) as nudged:
        post_comment(author=reader, article=article, body="A miracle cure")
    assert "It uses words our editors check" in nudged.value.message
    rejected = post_comment(author=reader, article=article, body="A miracle scam")
    assert rejected.status == Comment.Status.REJECTED  # rejected outright: no nudge to give


def test_editors_settings_take_effect_at_once(trusted, reader, article, editor):
    from moderation.configuration import update_settings

    assert post_comment(author=reader, article=article, body="Try tart cherry").status == "approved"
    update_settings(by=editor, banned_terms="cherry")
    assert post_comment(author=reader, article=article, body="Tart cherry!").status == "rejected"


def test_every_screening_is_recorded_as_an_event(reader, article):
    comment = post_comment(author=reader, article=article, body="Hello")
    (event,) = ModerationEvent.objects.filter(comment=comment)
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        "screened",
        None,
        "",
        "pending",
    )
    assert event.reasons == ["new_reader"]
    assert event.by == "Screening rules"


def test_an_edit_is_screened_again_and_recorded(trusted, reader, article):
    comment = post_comment(author=reader, article=article, body="Hello")
    moderation_settings(suspect_terms="potion")
    edited = edit_comment(comment=comment, by=reader, body="Try this potion")
    assert edited.status == Comment.Status.PENDING  # an edit is held, not nudged
    kinds = list(ModerationEvent.objects.filter(comment=comment).values_list("kind", "to_status"))
    assert kinds == [("screened", "approved"), ("rescreened", "pending")]


def test_reasons_are_stored_for_the_queues_rule_filter(reader, article):
    moderation_settings(suspect_terms="miracle")
    comment = post_comment(author=reader, article=article, body="Miracle", confirmed=True)
    assert comment.reasons == " suspect_words new_reader "
    assert Comment.objects.filter(reasons__contains=" new_reader ").get() == comment


def test_the_reader_history_is_counted_from_their_comments(reader, article):
    from moderation.context import author_history

    CommentFactory.create_batch(2, author=reader, article=article)
    CommentFactory(author=reader, article=article, status=Comment.Status.REJECTED)
    old = CommentFactory(author=reader, article=article, status=Comment.Status.SPAM)
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    history = author_history(reader, settings=ModerationSettings(), now=timezone.now())
    assert (history.approved, history.rejected) == (2, 2)
    assert (history.recent_decided, history.recent_rejected) == (3, 1)
    assert history.earned_trust is False  # as many rejected as approved
