"""Password reset by the emailed link (saying nothing about unknown addresses), and change."""

import pytest
from django.core import mail

from accounts.models import User

from .conftest import NEW_PASSWORD, PASSWORD, link_in_mail

pytestmark = pytest.mark.django_db


def request_reset(client, email):
    return client.post("/accounts/password/reset/", {"email": email})


def test_a_reader_resets_their_password_through_the_emailed_link(client, reader):
    response = request_reset(client, "reader@example.com")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = link_in_mail(mail.outbox[0], "/accounts/password/reset/key/")

    # allauth moves the key from the URL into the session, then shows the form.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)
    assert not reader.check_password(PASSWORD)


def test_a_used_reset_link_does_not_work_twice(client, reader):
    request_reset(client, "reader@example.com")
    link = link_in_mail(mail.outbox[0], "/accounts/password/reset/key/")
    form_page = client.get(link, follow=True)
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert "invalid" in again.content.decode().lower()


def test_resetting_an_unknown_address_looks_exactly_like_resetting_a_known_one(client, reader):
    known = request_reset(client, "reader@example.com")
    unknown = request_reset(client, "nobody@example.com")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    done_known = client.get(known["Location"]).content
    assert done_known == client.get(unknown["Location"]).content
    # The unknown address is told by email that it has no account, not on the page.
    assert [m.to for m in mail.outbox] == [["reader@example.com"], ["nobody@example.com"]]
    assert "/accounts/password/reset/key/" not in mail.outbox[1].body


def test_password_reset_requests_for_one_address_are_rate_limited(client, reader):
    for _ in range(3):
        assert request_reset(client, "reader@example.com").status_code == 302

    response = request_reset(client, "reader@example.com")

    assert response.status_code == 429
    assert len(mail.outbox) == 3


def test_a_signed_in_reader_changes_their_password(client, reader):
    client.force_login(reader)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)
    assert client.session.get("_auth_user_id") == str(reader.pk)  # still signed in


def test_changing_the_password_needs_the_current_one(client, reader):
    client.force_login(reader)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Please type your current password." in response.content.decode()
    assert User.objects.get(pk=reader.pk).check_password(PASSWORD)


def test_a_weak_new_password_is_refused_with_the_reason(client, reader):
    client.force_login(reader)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "12345678", "password2": "12345678"},
    )

    assert response.status_code == 200
    assert "This password is entirely numeric." in response.content.decode()
