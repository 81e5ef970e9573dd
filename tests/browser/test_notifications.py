"""In a real browser, by keyboard and with JavaScript off: a reader follows a discussion, hears of
a reply in the header, opens the inbox, and unsubscribes from an email's link without logging in."""

import re

import pytest
from django.core import mail

from comments import notifications
from comments.models import Notification
from comments.services import post_comment
from tests.comments.conftest import trust
from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"


def test_a_reader_follows_hears_of_a_reply_and_reads_it(new_page, seed_article):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    trust(alice, bob)
    page = new_page(alice, java_script_enabled=False)
    page.goto(URL)
    follow = page.get_by_role("button", name="Follow this discussion")
    follow.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#comments$"))
    assert page.get_by_role("button", name="Unfollow this discussion").is_visible()
    assert notifications.following(reader=alice, article=seed_article)

    mine = post_comment(author=alice, article=seed_article, body="Has anyone tried magnesium?")
    post_comment(author=bob, article=seed_article, body="Yes: ask @alice.", parent=mine)
    page.goto(URL)
    count = page.locator(".notification-count")
    assert re.match(r"1\b", count.inner_text())  # the reply (its mention of her: told once)

    page.get_by_role("link", name=re.compile(r"^Notifications")).click()
    page.wait_for_url("**/users/me/notifications/")
    assert "bob replied to your comment" in page.locator("main").inner_text()
    assert page.locator(".notification-count").count() == 0
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()


def test_an_emails_unsubscribe_link_works_without_logging_in(new_page, seed_article):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    trust(alice, bob)
    mine = post_comment(author=alice, article=seed_article, body="A question.")
    mail.outbox.clear()
    post_comment(author=bob, article=seed_article, body="An answer.", parent=mine)
    [email] = [m for m in mail.outbox if alice.email in m.to]
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    path = "/" + link.split("/", 3)[3]
    page = new_page(java_script_enabled=False)
    page.goto(path)
    page.get_by_role("button", name="Unsubscribe").click()
    assert "Done: no more emails" in page.locator("main").inner_text()
    assert notifications.email_choices(alice)[Notification.Kind.REPLY] is False
