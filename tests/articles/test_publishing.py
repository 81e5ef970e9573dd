"""The article lifecycle: each transition, who may make it, and where the public then sees it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from articles import publishing
from articles.models import Article
from articles.publishing import Action, TransitionError
from articles.signals import article_state_changed
from tests.articles.conftest import clock_at
from tests.articles.surfaces import EVERYWHERE, NOWHERE, where_seen
from tests.conftest import ArticleFactory

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def draft(db) -> Article:
    return ArticleFactory(
        title="The quokka draft",
        body="All about the quokka.",
        status=Article.Status.DRAFT,
        published_at=None,
    )


def test_a_draft_is_seen_nowhere(client, draft):
    assert draft.state == Article.State.DRAFT
    assert where_seen(client, draft) == NOWHERE


def test_publishing_a_draft_shows_it_everywhere_from_now(client, draft, editor, now):
    publishing.publish(article=draft, by=editor, now=now)
    draft.refresh_from_db()
    assert draft.state == Article.State.PUBLISHED
    assert draft.published_at == now
    assert where_seen(client, draft) == EVERYWHERE


def test_a_scheduled_article_is_seen_nowhere_until_its_time_then_everywhere(
    client, draft, editor, now
):
    publishing.schedule(article=draft, by=editor, at=now + HOUR, now=now)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.state == Article.State.SCHEDULED
    assert where_seen(client, draft) == NOWHERE
    with clock_at(now + HOUR - dt.timedelta(seconds=1)):
        assert where_seen(client, draft) == NOWHERE
    with clock_at(now + HOUR):
        assert draft.state == Article.State.PUBLISHED
        assert where_seen(client, draft) == EVERYWHERE


def test_unpublishing_hides_it_everywhere_and_keeps_its_date(client, draft, editor, now):
    publishing.publish(article=draft, by=editor, now=now - HOUR)
    publishing.unpublish(article=draft, by=editor)
    draft.refresh_from_db()
    assert draft.state == Article.State.UNPUBLISHED
    assert draft.published_at == now - HOUR
    assert where_seen(client, draft) == NOWHERE


def test_republishing_keeps_the_original_date(client, draft, editor, now):
    publishing.publish(article=draft, by=editor, now=now - 5 * HOUR)
    publishing.unpublish(article=draft, by=editor)
    publishing.publish(article=draft, by=editor, now=now)
    draft.refresh_from_db()
    assert draft.published_at == now - 5 * HOUR
    assert where_seen(client, draft) == EVERYWHERE


def test_publishing_a_scheduled_article_now_brings_its_date_forward(draft, editor, now):
    publishing.schedule(article=draft, by=editor, at=now + 3 * HOUR, now=now)
    publishing.publish(article=draft, by=editor, now=now)
    draft.refresh_from_db()
    assert draft.published_at == now
    assert draft.state == Article.State.PUBLISHED


@pytest.mark.parametrize("start", ["published", "scheduled", "unpublished"])
def test_any_article_can_go_back_to_draft_and_is_then_seen_nowhere(
    client, draft, editor, now, start
):
    if start == "scheduled":
        publishing.schedule(article=draft, by=editor, at=now + HOUR)
    else:
        publishing.publish(article=draft, by=editor)
        if start == "unpublished":
            publishing.unpublish(article=draft, by=editor)
    publishing.back_to_draft(article=draft, by=editor)
    draft.refresh_from_db()
    assert draft.state == Article.State.DRAFT
    assert where_seen(client, draft) == NOWHERE


def test_rescheduling_a_scheduled_article_moves_its_time(draft, editor, now):
    publishing.schedule(article=draft, by=editor, at=now + HOUR, now=now)
    publishing.schedule(article=draft, by=editor, at=now + 2 * HOUR, now=now)
    draft.refresh_from_db()
    assert draft.published_at == now + 2 * HOUR


@pytest.mark.parametrize(
    "state, action",
    [
        ("published", Action.PUBLISH),
        ("published", Action.SCHEDULE),
        ("draft", Action.UNPUBLISH),
        ("scheduled", Action.UNPUBLISH),
        ("unpublished", Action.UNPUBLISH),
        ("draft", Action.DRAFT),
    ],
)
def test_a_transition_from_the_wrong_state_is_refused_and_changes_nothing(
    editor, now, state, action
):
    status = "published" if state == "scheduled" else state
    when = now + HOUR if state == "scheduled" else now - HOUR
    article = ArticleFactory(status=status, published_at=when)
    run = {
        Action.PUBLISH: lambda: publishing.publish(article=article, by=editor),
        Action.SCHEDULE: lambda: publishing.schedule(article=article, by=editor, at=now + HOUR),
        Action.UNPUBLISH: lambda: publishing.unpublish(article=article, by=editor),
        Action.DRAFT: lambda: publishing.back_to_draft(article=article, by=editor),
    }[action]
    with pytest.raises(TransitionError):
        run()
    stored = Article.objects.get(pk=article.pk)
    assert (stored.status, stored.published_at) == (status, when)
    assert stored.history.count() == 1  # only its creation


def test_a_schedule_in_the_past_is_refused_on_its_time_field(draft, editor, now):
    with pytest.raises(TransitionError) as refused:
        publishing.schedule(article=draft, by=editor, at=now - HOUR, now=now)
    assert "future" in refused.value.message_dict["published_at"][0]
    assert Article.objects.get(pk=draft.pk).state == Article.State.DRAFT


@pytest.mark.parametrize("who", ["reader", "writer"])
def test_only_those_allowed_to_publish_can_change_the_state(request, draft, who, now):
    user = request.getfixturevalue(who)
    for run in [
        lambda: publishing.publish(article=draft, by=user),
        lambda: publishing.schedule(article=draft, by=user, at=now + HOUR),
    ]:
        with pytest.raises(PermissionDenied):
            run()
    assert Article.objects.get(pk=draft.pk).state == Article.State.DRAFT


def test_a_writer_may_edit_a_published_article_but_not_move_its_date(writer, now):
    article = ArticleFactory(published_at=now - HOUR)
    article.title = "Fixed a typo"
    publishing.save_article(article=article, by=writer)
    assert Article.objects.get(pk=article.pk).title == "Fixed a typo"
    article.published_at = now + HOUR
    with pytest.raises(PermissionDenied):
        publishing.save_article(article=article, by=writer)
    assert Article.objects.get(pk=article.pk).published_at == now - HOUR


def test_each_transition_is_a_revision_with_who_and_why(draft, editor, now):
    publishing.schedule(article=draft, by=editor, at=now + HOUR)
    publishing.publish(article=draft, by=editor)
    publishing.unpublish(article=draft, by=editor)
    publishing.back_to_draft(article=draft, by=editor)
    reasons = [r.history_change_reason for r in draft.history.order_by("history_id")]
    assert reasons[1].startswith("Scheduled for ")
    assert reasons[2:] == ["Published", "Unpublished", "Back to draft"]
    assert {r.history_user for r in draft.history.all()[:4]} == {editor}


def test_a_transition_sends_a_signal_once_its_transaction_commits(
    draft, editor, django_capture_on_commit_callbacks
):
    seen = []

    def listener(sender, article, by, action, previous_state, **kwargs):
        stored = Article.objects.get(pk=article.pk)
        seen.append((action, previous_state, stored.state, by))

    article_state_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            publishing.publish(article=draft, by=editor)
            assert seen == []  # nothing is said before the change is committed
    finally:
        article_state_changed.disconnect(listener)
    assert seen == [(Action.PUBLISH, Article.State.DRAFT, Article.State.PUBLISHED, editor)]


def test_a_draft_publishes_with_the_edits_made_alongside_in_one_revision(draft, editor):
    revisions = draft.history.count()
    draft.title = "The quokka, revised"
    publishing.publish(article=draft, by=editor)
    assert Article.objects.get(pk=draft.pk).title == "The quokka, revised"
    assert draft.history.count() == revisions + 1


def test_publishing_an_invalid_article_saves_nothing(draft, editor):
    draft.title = ""
    with pytest.raises(ValidationError):
        publishing.publish(article=draft, by=editor)
    assert Article.objects.get(pk=draft.pk).state == Article.State.DRAFT
