"""The audit trail: one event per change, and nobody can change or delete an event."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from comments.models import Comment
from comments.services import delete_comment, edit_comment, post_comment
from moderation.decisions import decide, feature
from moderation.models import ModerationEvent
from tests.comments.conftest import CommentFactory
from tests.moderation.conftest import settings_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(trusted, reader, editor, article):
    """A comment's whole life: posted, edited, rejected, approved, featured, deleted."""
    comment = post_comment(author=reader, article=article, body="First")
    comment = edit_comment(comment=comment, by=reader, body="Second")
    decide(comment, "reject", by=editor, reason="Rude")
    decide(comment, "approve", by=editor)
    feature(comment, by=editor)
    delete_comment(comment=Comment.objects.get(pk=comment.pk), by=reader)
    return comment


def test_every_change_to_a_comment_is_one_event_in_order(history):
    rows = list(
        ModerationEvent.objects.filter(comment=history).values_list(
            "kind", "actor_name", "from_status", "to_status"
        )
    )
    assert rows == [
        ("screened", "", "", "approved"),
        ("rescreened", "", "approved", "approved"),
        ("decided", "editor", "approved", "rejected"),
        ("decided", "editor", "rejected", "approved"),
        ("featured", "editor", "approved", "approved"),
        ("withdrawn", "reader", "approved", "removed"),
    ]


def test_an_event_cannot_be_changed_or_deleted_through_the_models(history):
    event = ModerationEvent.objects.filter(comment=history).first()
    event.note = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        ModerationEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(TypeError):
        ModerationEvent.objects.all().delete()
    assert ModerationEvent.objects.get(pk=event.pk).note != "rewritten"


def test_events_outlive_their_comment(article, editor):
    comment = CommentFactory(article=article, status="pending")
    decide(comment, "approve", by=editor)
    article.delete()
    assert not Comment.objects.exists()
    assert ModerationEvent.objects.filter(comment_id=comment.pk).count() == 1


def test_events_keep_the_name_of_an_editor_whose_account_is_gone(article, reader):
    from accounts.roles import make_editor
    from tests.conftest import UserFactory

    leaving = make_editor(UserFactory(username="leaving"))
    comment = CommentFactory(article=article, status="pending")
    decide(comment, "approve", by=leaving)
    leaving.delete()
    event = ModerationEvent.objects.get(comment_id=comment.pk)
    assert event.by == "leaving"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE comments_moderationevent SET note = 'rewritten'",
        "DELETE FROM comments_moderationevent",
    ],
)
def test_postgresql_refuses_raw_updates_and_deletes_of_events(history, sql):
    with (
        pytest.raises(DatabaseError, match="cannot be changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert ModerationEvent.objects.filter(comment=history).count() == 6


def test_the_admin_shows_events_read_only(client, editor, history):
    client.force_login(editor)
    event = ModerationEvent.objects.filter(comment=history).first()
    assert client.get("/admin/moderation/moderationevent/").status_code == 200
    page = client.get(f"/admin/moderation/moderationevent/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="note"' not in page.content.decode()  # shown, not editable
    assert client.get("/admin/moderation/moderationevent/add/").status_code == 403
    assert client.get(f"/admin/moderation/moderationevent/{event.pk}/delete/").status_code == 403
    client.post(f"/admin/moderation/moderationevent/{event.pk}/change/", {"note": "x"})
    assert ModerationEvent.objects.get(pk=event.pk).note == event.note


def test_the_admin_list_actions_decide_through_moderation(client, editor, article):
    comments = CommentFactory.create_batch(2, article=article, status="pending")
    client.force_login(editor)
    response = client.post(
        "/admin/comments/comment/",
        {"action": "reject_selected", "_selected_action": [c.pk for c in comments]},
        follow=True,
    )
    assert response.status_code == 200
    assert set(Comment.objects.values_list("status", flat=True)) == {"rejected"}
    assert ModerationEvent.objects.filter(kind="decided", actor=editor).count() == 2


def test_the_comment_status_is_not_editable_in_the_admin(client, editor, article):
    comment = CommentFactory(article=article, status="pending")
    client.force_login(editor)
    page = client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()
    assert 'name="status"' not in page
    assert "History (audit trail)" in page


def test_the_settings_are_edited_in_the_admin_through_update_settings(client, editor):
    from moderation.context import moderation_settings

    moderation_settings()  # the row exists once anything has read it
    client.force_login(editor)
    page = client.get("/admin/moderation/moderationsettings/1/change/")
    assert page.status_code == 200
    data = settings_form_data(banned_terms="scam", toxicity_threshold="0.7")
    response = client.post("/admin/moderation/moderationsettings/1/change/", data)
    assert response.status_code == 302
    current = moderation_settings()
    assert (current.banned_terms, current.toxicity_threshold, current.updated_by) == (
        "scam",
        0.7,
        editor,
    )
    assert client.get("/admin/moderation/moderationsettings/add/").status_code == 403
