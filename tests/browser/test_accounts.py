"""A newcomer signs up through the real form, verifies their address, logs out and back in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from accounts.selectors import has_verified_email

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long and memorable passphrase"


def test_a_newcomer_signs_up_verifies_logs_out_and_logs_in_again(page, live_server):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.wait_for_url("**/accounts/signup/?next=/")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Username").fill("Newcomer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".account-name").inner_text() == "Newcomer"

    # The verification link, from the email.
    body = next(m.body for m in mail.outbox if m.to == ["newcomer@example.com"])
    # Production links are https; the live server speaks http, so follow the path.
    link = re.search(r"https?://\S+(/accounts/confirm-email/\S+/)", body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".messages")).to_contain_text("You have confirmed newcomer@example.com")
    assert has_verified_email(User.objects.get(username="Newcomer"))

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.locator(".account-name")).to_have_count(0)

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Login").fill("newcomer@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".account-name")).to_have_text("Newcomer")


def test_a_reserved_username_is_refused_in_the_browser_and_the_form_keeps_the_rest(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("someone@example.com")
    page.get_by_label("Username").fill("Moderator")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    expect(page.locator(".field-invalid")).to_contain_text("That username is reserved.")
    assert page.get_by_label("Email").input_value() == "someone@example.com"
    assert not User.objects.filter(username="Moderator").exists()
