"""Sanctions: warn, suspend, ban, always pre-moderate, trust; private notes."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from comments.errors import CommentError
from comments.models import Comment
from comments.services import post_comment
from moderation.context import standing_of
from moderation.models import ModeratorNote, Sanction
from moderation.sanctions import acknowledge_warnings, add_note, lift_sanction, sanction
from tests.comments.conftest import CommentFactory, trust

pytestmark = pytest.mark.django_db

K = Sanction.Kind


def test_a_warned_reader_must_acknowledge_before_commenting_again(reader, editor, article):
    trust(reader)
    sanction(reader, K.WARN, by=editor, reason="Please stay civil.")
    with pytest.raises(CommentError, match="read and acknowledge"):
        post_comment(author=reader, article=article, body="Hello")
    assert acknowledge_warnings(reader) == 1
    assert post_comment(author=reader, article=article, body="Hello").status == "approved"


def test_a_suspension_refuses_comments_until_it_ends(reader, editor, article):
    made = sanction(reader, K.SUSPEND, by=editor, reason="Insults", days=3)
    assert dt.timedelta(days=3) - (made.ends_at - timezone.now()) < dt.timedelta(seconds=5)
    with pytest.raises(CommentError) as refused:
        post_comment(author=reader, article=article, body="Hello")
    assert "suspended from commenting until" in refused.value.message
    assert "Insults" in refused.value.message
    # Three days later the (cached) suspension has ended by itself.
    later = timezone.now() + dt.timedelta(days=3, seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert post_comment(author=reader, article=article, body="Hello").pk


def test_a_ban_refuses_every_comment_with_its_reason(reader, editor, article):
    sanction(reader, K.BAN, by=editor, reason="Spam account")
    with pytest.raises(CommentError, match="Spam account"):
        post_comment(author=reader, article=article, body="Hello")
    assert not Comment.objects.exists()


def test_banning_can_reject_the_pending_comments_in_one_step(reader, editor, article):
    waiting = CommentFactory.create_batch(2, article=article, author=reader, status="pending")
    published = CommentFactory(article=article, author=reader)
    sanction(reader, K.BAN, by=editor, reason="Troll", reject_pending=True)
    assert set(Comment.objects.filter(status="rejected")) == set(waiting)
    assert Comment.objects.get(pk=published.pk).status == "approved"
    assert set(Comment.objects.filter(author=reader).values_list("decision_reason", flat=True)) == {
        "Troll",
        "",
    }


def test_banning_leaves_pending_comments_unless_asked(reader, editor, article):
    CommentFactory(article=article, author=reader, status="pending")
    sanction(reader, K.BAN, by=editor, reason="Troll")
    assert Comment.objects.get().status == "pending"


def test_an_always_premoderated_reader_is_held_even_when_trusted_before(reader, editor, article):
    trust(reader)
    sanction(reader, K.PREMODERATE, by=editor)
    comment = post_comment(author=reader, article=article, body="Hello")
    assert comment.status == "pending"
    assert "author_premoderated" in comment.reason_codes
    # Pre-moderation replaced the trust: one of the two is in force, never both.
    assert [s.kind for s in Sanction.objects.in_force().filter(user=reader)] == [K.PREMODERATE]


def test_a_trusted_reader_skips_pre_moderation_of_new_readers(reader, editor, article):
    sanction(reader, K.TRUST, by=editor)
    assert post_comment(author=reader, article=article, body="First words").status == "approved"


def test_lifting_a_sanction_ends_it_at_once(reader, editor, article):
    trust(reader)
    ban = sanction(reader, K.BAN, by=editor, reason="Mistake")
    lift_sanction(ban, by=editor)
    assert standing_of(reader).may_comment
    assert post_comment(author=reader, article=article, body="Back").status == "approved"
    with pytest.raises(CommentError, match="already lifted"):
        lift_sanction(ban, by=editor)


@pytest.mark.parametrize("kind", [K.WARN, K.SUSPEND, K.BAN])
def test_a_warning_suspension_or_ban_needs_a_reason_the_reader_sees(reader, editor, kind):
    days = 1 if kind == K.SUSPEND else None
    with pytest.raises(CommentError, match="reason") as refused:
        sanction(reader, kind, by=editor, reason="  ", days=days)
    assert refused.value.errors == {"reason": "Please give a reason: the reader will see it."}
    assert not Sanction.objects.exists()


@pytest.mark.parametrize(
    ("days", "problem"),
    [
        (None, "A suspension needs a number of days."),
        (0, "A suspension lasts from 1 to 3,650 days."),
        (3651, "A suspension lasts from 1 to 3,650 days."),
    ],
)
def test_a_suspension_needs_a_sensible_length(reader, editor, days, problem):
    with pytest.raises(CommentError) as refused:
        sanction(reader, K.SUSPEND, by=editor, reason="x", days=days)
    assert refused.value.errors == {"days": problem}


@pytest.mark.parametrize("kind", [K.WARN, K.BAN, K.TRUST, K.PREMODERATE])
def test_only_a_suspension_lasts_a_number_of_days(reader, editor, kind):
    with pytest.raises(CommentError) as refused:
        sanction(reader, kind, by=editor, reason="x", days=3)
    assert refused.value.errors == {"days": "Only a suspension lasts a number of days."}
    assert not Sanction.objects.exists()


@pytest.mark.parametrize("kind", [K.WARN, K.SUSPEND, K.TRUST, K.PREMODERATE])
def test_only_a_ban_rejects_the_readers_waiting_comments(reader, editor, kind):
    days = 1 if kind == K.SUSPEND else None
    with pytest.raises(CommentError) as refused:
        sanction(reader, kind, by=editor, reason="x", days=days, reject_pending=True)
    assert refused.value.errors == {
        "reject_pending": "Only a ban can reject the reader's waiting comments."
    }


def test_every_wrong_field_of_a_sanction_is_reported_at_once(reader, editor):
    with pytest.raises(CommentError) as refused:
        sanction(reader, K.WARN, by=editor, reason="", days=2, reject_pending=True)
    assert set(refused.value.errors) == {"reason", "days", "reject_pending"}


def test_editors_cannot_be_sanctioned_here_nor_by_readers(reader, stranger, editor):
    from accounts.roles import make_editor
    from tests.conftest import UserFactory

    colleague = make_editor(UserFactory())
    with pytest.raises(CommentError, match="Editors cannot be sanctioned"):
        sanction(colleague, K.BAN, by=editor, reason="x")
    with pytest.raises(CommentError, match="cannot sanction yourself"):
        sanction(editor, K.BAN, by=editor, reason="x")
    with pytest.raises(CommentError, match="Only editors"):
        sanction(stranger, K.BAN, by=reader, reason="x")


def test_private_notes_are_kept_with_their_author(reader, editor):
    note = add_note(reader, by=editor, text="  Warned by phone on Monday. ")
    assert (note.text, note.created_by, note.user) == ("Warned by phone on Monday.", editor, reader)
    with pytest.raises(CommentError):
        add_note(reader, by=editor, text="   ")
    assert ModeratorNote.objects.count() == 1


def test_the_reader_sees_the_warning_and_acknowledges_it_on_the_site(
    client, reader, editor, article
):
    sanction(reader, K.WARN, by=editor, reason="Keep it civil, please.")
    client.force_login(reader)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "The editors have sent you a warning" in page
    assert 'id="comment-form"' not in page
    warning = client.get("/comments/warnings/").content.decode()
    assert "Keep it civil, please." in warning
    response = client.post("/comments/warnings/", {"next": article.get_absolute_url()})
    assert response.status_code == 303 and response["Location"] == article.get_absolute_url()
    assert 'id="comment-form"' in client.get(article.get_absolute_url()).content.decode()


def test_a_suspended_reader_sees_why_instead_of_the_form(client, reader, editor, article):
    sanction(reader, K.SUSPEND, by=editor, reason="Heated replies", days=2)
    client.force_login(reader)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "suspended from commenting until" in page and "Heated replies" in page
    assert 'id="comment-form"' not in page


def test_the_warnings_page_never_redirects_off_site(client, reader, editor):
    sanction(reader, K.WARN, by=editor, reason="x")
    client.force_login(reader)
    response = client.post("/comments/warnings/", {"next": "https://evil.example/"})
    assert response["Location"] == "/users/me/comments/"
