"""Notifications: who hears of what, in the inbox and by email, and when nobody does."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import notifications, tasks
from comments.models import Comment, EmailDigest, Follow, Notification
from comments.services import edit_comment, post_comment, report_comment
from moderation.decisions import decide, feature
from moderation.sanctions import sanction
from tests.conftest import UserFactory, trust

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """Post through the service, running what waits for the commit (signals, then the tasks)."""

    def posting(author, body, *, article, parent=None):
        with django_capture_on_commit_callbacks(execute=True):
            return post_comment(author=author, article=article, body=body, parent=parent)

    return posting


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def kinds_for(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def emails_to(user) -> list:
    return [m for m in mail.outbox if user.email in m.to]


# --- Replies ------------------------------------------------------------------------------------


def test_a_reply_tells_the_author_of_the_comment_in_the_inbox_and_by_email(
    trusted, post, reader, stranger, article
):
    mine = post(reader, "Has anyone tried magnesium?", article=article)
    mail.outbox.clear()
    post(stranger, "Yes, it helped me.", article=article, parent=mine)
    assert kinds_for(reader) == [Kind.REPLY]
    [email] = emails_to(reader)
    assert email.subject == f"[Colloquy] stranger replied to your comment on “{article.title}”"
    assert "testserver" not in email.subject
    assert "Yes, it helped me." in email.body  # the plain-text part
    assert email.alternatives[0][1] == "text/html"
    reader.refresh_from_db()
    assert reader.unread_notifications == 1


def test_a_reply_to_ones_own_comment_tells_nobody(trusted, post, reader, article):
    mine = post(reader, "A first thought.", article=article)
    mail.outbox.clear()
    post(reader, "And a second one.", article=article, parent=mine)
    assert kinds_for(reader) == []
    assert mail.outbox == []


def test_a_held_reply_tells_nobody_until_an_editor_approves_it(
    post, committed, reader, stranger, editor, article
):
    trust(reader)
    mine = post(reader, "Has anyone tried magnesium?", article=article)
    held = post(stranger, "Yes, it helped me.", article=article, parent=mine)  # a new reader
    assert held.status == Comment.Status.PENDING
    assert kinds_for(reader) == []
    mail.outbox.clear()
    committed(decide, held, "approve", by=editor)
    assert kinds_for(reader) == [Kind.REPLY]
    assert kinds_for(stranger) == [Kind.APPROVED]
    assert len(emails_to(reader)) == 1
    [approved] = emails_to(stranger)
    assert "is published" in approved.subject


def test_a_rejected_comment_tells_its_author_with_the_editors_reason(
    post, committed, stranger, editor, article
):
    held = post(stranger, "Buy my supplements.", article=article)
    committed(decide, held, "reject", by=editor, reason="Advertising is not allowed here.")
    [notification] = Notification.objects.filter(recipient=stranger)
    assert notification.kind == Kind.REJECTED
    assert notification.reason == "Advertising is not allowed here."
    [email] = emails_to(stranger)
    assert "Advertising is not allowed here." in email.body
    assert "Advertising is not allowed here." in email.alternatives[0][0]


def test_an_editors_pick_tells_its_author(trusted, post, committed, reader, editor, article):
    mine = post(reader, "A useful answer.", article=article)
    committed(feature, mine, by=editor)
    assert kinds_for(reader) == [Kind.FEATURED]
    assert "editors' pick" in emails_to(reader)[0].subject


# --- Who gets no email --------------------------------------------------------------------------


def test_an_unverified_address_gets_no_email_but_the_inbox_has_it(
    trusted, post, reader, stranger, article
):
    mine = post(reader, "A question.", article=article)
    EmailAddress.objects.filter(user=reader).update(verified=False)
    mail.outbox.clear()
    post(stranger, "An answer.", article=article, parent=mine)
    assert kinds_for(reader) == [Kind.REPLY]
    assert emails_to(reader) == []


def test_a_banned_reader_gets_no_email(trusted, post, reader, stranger, editor, article):
    mine = post(reader, "A question.", article=article)
    sanction(reader, "ban", by=editor, reason="Abuse.")
    mail.outbox.clear()
    post(stranger, "An answer.", article=article, parent=mine)
    assert emails_to(reader) == []


def test_no_email_for_a_comment_no_longer_visible_when_it_is_sent(
    trusted, reader, stranger, article, make_comment
):
    mine = make_comment(article=article, author=reader)
    reply = make_comment(article=article, author=stranger, parent=mine)
    notifications.notify(recipients=[reader], kind=Kind.REPLY, comment=reply, actor=stranger)
    notification = Notification.objects.get(recipient=reader)
    assert notification.email_pending
    Comment.objects.filter(pk=reply.pk).update(status=Comment.Status.REMOVED)
    tasks.send_notification(notification.pk)
    assert mail.outbox == []
    notification.refresh_from_db()
    assert not notification.email_pending  # looked at once, not again


def test_a_muted_discussion_sends_no_replies_or_mentions(trusted, post, reader, stranger, article):
    mine = post(reader, "A question.", article=article)
    notifications.unfollow(reader=reader, article=article)
    mail.outbox.clear()
    post(stranger, "An answer for @reader.", article=article, parent=mine)
    assert kinds_for(reader) == []
    assert mail.outbox == []


def test_a_kind_turned_off_in_the_settings_is_not_emailed(
    trusted, post, client, reader, stranger, article
):
    client.force_login(reader)
    response = client.post(
        "/users/me/notifications/settings/", {"email": [k for k in Kind.values if k != "reply"]}
    )
    assert response.status_code == 200
    mine = post(reader, "A question.", article=article)
    mail.outbox.clear()
    post(stranger, "An answer.", article=article, parent=mine)
    assert kinds_for(reader) == [Kind.REPLY]  # still in the inbox
    assert emails_to(reader) == []


# --- Following ----------------------------------------------------------------------------------


def test_commenting_follows_the_discussion_and_followers_hear_of_new_comments(
    trusted, post, reader, stranger, article
):
    post(reader, "A first comment.", article=article)
    assert Follow.objects.filter(reader=reader, article=article, muted=False).exists()
    mail.outbox.clear()
    post(stranger, "Another view.", article=article)
    assert kinds_for(reader) == [Kind.THREAD]
    [email] = emails_to(reader)
    assert email.subject == f"[Colloquy] 1 new comment on “{article.title}”"


def test_followers_get_at_most_one_email_per_discussion_per_hour_then_a_digest(
    trusted, post, reader, stranger, article
):
    post(reader, "A first comment.", article=article)
    mail.outbox.clear()
    post(stranger, "Second.", article=article)
    post(stranger, "Third.", article=article)
    post(stranger, "Fourth.", article=article)
    assert len(emails_to(reader)) == 1  # the first at once, the others wait
    assert Notification.objects.filter(recipient=reader, email_pending=True).count() == 2
    tasks.send_due_digests()
    assert len(emails_to(reader)) == 1  # not an hour yet
    EmailDigest.objects.filter(reader=reader).update(
        last_sent_at=timezone.now() - dt.timedelta(minutes=61)
    )
    tasks.send_due_digests()
    assert len(emails_to(reader)) == 2
    digest = emails_to(reader)[1]
    assert "2 new comments" in digest.subject
    assert "Third." in digest.body and "Fourth." in digest.body


def test_the_follow_button_follows_and_unfollows(client, reader, article):
    client.force_login(reader)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Follow this discussion" in page
    client.post(f"/comments/follow/{article.pk}/", {"follow": "1"})
    assert notifications.following(reader=reader, article=article)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Unfollow this discussion" in page
    client.post(f"/comments/follow/{article.pk}/", {"follow": "0"})
    assert not notifications.following(reader=reader, article=article)
    assert Follow.objects.get(reader=reader, article=article).muted


# --- Mentions -----------------------------------------------------------------------------------


def test_a_mention_links_to_the_profile_and_notifies_once(
    trusted, post, committed, reader, stranger, article
):
    comment = post(reader, "I agree with @Stranger on this.", article=article)
    assert '<a href="/users/stranger/" class="mention">@Stranger</a>' in comment.body_html
    assert kinds_for(stranger) == [Kind.MENTION]
    assert len(emails_to(stranger)) == 1
    committed(edit_comment, comment=comment, by=reader, body="I agree with @stranger, truly.")
    assert kinds_for(stranger) == [Kind.MENTION]  # not again
    assert len(emails_to(stranger)) == 1


@pytest.mark.parametrize(
    "body",
    [
        "Write to me at someone@stranger.org please.",
        'In code: <code>@stranger</code> and <a href="https://example.com/">@stranger</a>',
        "Nobody called @nobody-here.",
    ],
)
def test_what_is_not_a_mention_of_a_reader_is_left_alone(
    trusted, post, stranger, reader, article, body
):
    comment = post(reader, body, article=article)
    assert 'class="mention"' not in comment.body_html
    assert kinds_for(stranger) == []


def test_mentioning_oneself_tells_nobody(trusted, post, reader, article):
    post(reader, "As @reader said before.", article=article)
    assert kinds_for(reader) == []


# --- Editors ------------------------------------------------------------------------------------


def test_editors_who_opt_in_get_a_digest_of_reported_comments(
    trusted, post, committed, reader, stranger, editor, article
):
    other_editor = UserFactory(username="other-editor")
    from accounts.roles import make_editor

    make_editor(other_editor)
    notifications.set_email(reader=editor, kind=Kind.QUEUE, email=True)
    comment = post(reader, "Something questionable.", article=article)
    mail.outbox.clear()
    committed(report_comment, comment=comment, by=stranger, reason="spam")
    assert kinds_for(editor) == [Kind.QUEUE]
    assert kinds_for(other_editor) == []
    [email] = emails_to(editor)
    assert "need an editor's look" in email.subject
    assert f"/moderation/comments/{comment.pk}/" in email.body  # where editors review it


def test_a_reader_cannot_opt_in_to_the_editors_digest(client, reader):
    client.force_login(reader)
    page = client.get("/users/me/notifications/settings/").content.decode()
    assert 'value="queue"' not in page
    assert 'value="reply"' in page


# --- Unsubscribing ------------------------------------------------------------------------------


def unsubscribe_url(email) -> str:
    header = email.extra_headers["List-Unsubscribe"]
    match = re.fullmatch(r"<https?://[^/]+(/users/me/notifications/unsubscribe/[^>]+/)>", header)
    assert match, header
    return match.group(1)


def test_every_email_carries_a_one_click_unsubscribe_that_works_without_logging_in(
    trusted, post, reader, stranger, article
):
    mine = post(reader, "A question.", article=article)
    mail.outbox.clear()
    post(stranger, "An answer.", article=article, parent=mine)
    [email] = emails_to(reader)
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = unsubscribe_url(email)
    anonymous = Client(enforce_csrf_checks=True)  # a mail client: no session, no CSRF cookie
    page = anonymous.get(url)
    assert page.status_code == 200
    assert notifications.email_choices(reader)[Kind.REPLY]  # a GET only asks
    response = anonymous.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert notifications.email_choices(reader)[Kind.REPLY] is False
    assert notifications.email_choices(reader)[Kind.MENTION] is True  # that kind only


def test_a_forged_unsubscribe_token_changes_nothing(client, reader):
    token = notifications.unsubscribe_token(reader=reader, kind=Kind.REPLY)
    response = client.post(f"/users/me/notifications/unsubscribe/{token[:-2]}xx/")
    assert response.status_code == 400
    assert notifications.email_choices(reader)[Kind.REPLY]


# --- The inbox ----------------------------------------------------------------------------------


def test_opening_the_inbox_lists_the_events_and_marks_them_read(
    trusted, post, client, reader, stranger, article
):
    mine = post(reader, "A question.", article=article)
    post(stranger, "An answer.", article=article, parent=mine)
    client.force_login(reader)
    home = client.get("/").content.decode()
    assert "notification-count" in home and ">1<" in home
    page = client.get("/users/me/notifications/").content.decode()
    assert "stranger replied to your comment" in page
    assert "An answer." in page
    assert "notification-unread" in page  # shown as new this once
    reader.refresh_from_db()
    assert reader.unread_notifications == 0
    assert not Notification.objects.filter(recipient=reader, read_at__isnull=True).exists()
    assert "notification-count" not in client.get("/").content.decode()


def test_the_inbox_needs_a_login(client):
    response = client.get("/users/me/notifications/")
    assert response.status_code == 302


def test_a_comment_hidden_since_shows_no_text_in_the_inbox(
    trusted, post, client, reader, stranger, article
):
    mine = post(reader, "A question.", article=article)
    reply = post(stranger, "Something later removed.", article=article, parent=mine)
    Comment.objects.filter(pk=reply.pk).update(status=Comment.Status.REMOVED)
    client.force_login(reader)
    page = client.get("/users/me/notifications/").content.decode()
    assert "Something later removed." not in page
    assert "no longer shown" in page


# --- The header's count, and what pages cost ----------------------------------------------------


def page_queries(client, url: str) -> int:
    client.get(url)  # warm what is meant to be warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_unread_count_in_the_header_costs_no_query(
    client, reader, stranger, article, make_comment
):
    client.force_login(reader)
    url = article.get_absolute_url()
    none_yet = page_queries(client, url)
    mine = make_comment(article=article, author=reader)
    for n in range(5):
        reply = make_comment(article=article, author=stranger, parent=mine, body=f"Reply {n}.")
        notifications.notify(recipients=[reader], kind=Kind.REPLY, comment=reply, actor=stranger)
    html = client.get(url).content.decode()
    assert re.search(r'class="badge notification-count">5<', html)
    assert page_queries(client, url) == none_yet


def test_anonymous_pages_stay_cached_whole_with_notifications_about(
    client, reader, stranger, article, make_comment
):
    mine = make_comment(article=article, author=reader)
    reply = make_comment(article=article, author=stranger, parent=mine)
    notifications.notify(recipients=[reader], kind=Kind.REPLY, comment=reply, actor=stranger)
    assert page_queries(client, article.get_absolute_url()) == 1
    assert "Notifications" not in client.get(article.get_absolute_url()).content.decode()


def test_a_deleted_comment_takes_its_notifications_out_of_the_count(
    reader, stranger, article, make_comment
):
    mine = make_comment(article=article, author=reader)
    reply = make_comment(article=article, author=stranger, parent=mine)
    notifications.notify(recipients=[reader], kind=Kind.REPLY, comment=reply, actor=stranger)
    reader.refresh_from_db()
    assert reader.unread_notifications == 1
    reply.delete()
    reader.refresh_from_db()
    assert reader.unread_notifications == 0


def test_saving_a_user_read_earlier_keeps_the_count(reader, stranger, article, make_comment):
    mine = make_comment(article=article, author=reader)
    stale = type(reader).objects.get(pk=reader.pk)
    reply = make_comment(article=article, author=stranger, parent=mine)
    notifications.notify(recipients=[reader], kind=Kind.REPLY, comment=reply, actor=stranger)
    stale.first_name = "Ada"
    stale.save()
    reader.refresh_from_db()
    assert reader.unread_notifications == 1
    assert reader.first_name == "Ada"


def test_editors_who_opt_in_hear_of_held_comments_once_the_queue_passes_the_threshold(
    settings, post, editor, article
):
    settings.NOTIFICATIONS_PENDING_THRESHOLD = 2
    notifications.set_email(reader=editor, kind=Kind.QUEUE, email=True)
    newcomers = UserFactory.create_batch(2)
    first = post(newcomers[0], "Held, the first.", article=article)
    assert first.status == Comment.Status.PENDING
    assert kinds_for(editor) == []
    second = post(newcomers[1], "Held, the second.", article=article)
    assert list(
        Notification.objects.filter(recipient=editor).values_list("comment", flat=True)
    ) == [second.pk]
    assert len(emails_to(editor)) == 1


def test_mentions_are_not_counted_as_links_by_screening(trusted, post, reader, article):
    from moderation.rules import link_count

    names = [UserFactory(username=f"person{n}").username for n in range(6)]
    comment = post(reader, " ".join(f"@{name}" for name in names), article=article)
    assert comment.body_html.count('class="mention"') == 6
    assert link_count(comment) == 0
    assert comment.status == Comment.Status.APPROVED


def test_a_reply_that_mentions_the_author_it_answers_tells_them_once(
    trusted, post, committed, reader, stranger, article
):
    mine = post(reader, "A question.", article=article)
    mail.outbox.clear()
    reply = post(stranger, "It helped me, @reader.", article=article, parent=mine)
    assert kinds_for(reader) == [Kind.REPLY]
    assert len(emails_to(reader)) == 1
    committed(edit_comment, comment=reply, by=stranger, body="It helped me too, @reader.")
    assert kinds_for(reader) == [Kind.REPLY]
