"""The reader's email address: verification, resending the link, changing the address."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.selectors import has_verified_email
from tests.conftest import UserFactory

from .conftest import link_in_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def unverified(client):
    user = UserFactory(username="newbie", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client.force_login(user)
    return user


def test_an_unverified_reader_can_sign_in_but_is_not_verified(unverified):
    assert not has_verified_email(unverified)


def test_the_email_page_offers_an_unverified_reader_to_resend_the_link(client, unverified):
    html = client.get("/accounts/email/").content.decode()
    # In sentence case, as every other button of the site.
    assert "Send the confirmation again</button>" in html
    assert "waiting for you to confirm it" in html
    assert 'style="' not in html


def test_resending_from_the_email_page_sends_a_link_that_verifies(client, unverified):
    response = client.post(
        "/accounts/email/", {"email": unverified.email, "action_send": ""}, follow=True
    )

    assert response.status_code == 200
    assert len(mail.outbox) == 1
    client.post(link_in_mail(mail.outbox[0], "/accounts/confirm-email/"))
    assert has_verified_email(unverified)


def test_resending_again_at_once_sends_nothing_more(client, unverified):
    client.post("/accounts/email/", {"email": unverified.email, "action_send": ""})
    client.post("/accounts/email/", {"email": unverified.email, "action_send": ""})
    assert len(mail.outbox) == 1


def test_a_reader_changes_their_address_and_keeps_the_old_one_until_the_new_one_is_verified(
    client, reader
):
    client.force_login(reader)

    client.post("/accounts/email/", {"email": "new.address@example.com", "action_add": ""})

    addresses = {a.email: a.verified for a in EmailAddress.objects.filter(user=reader)}
    assert addresses == {"reader@example.com": True, "new.address@example.com": False}
    assert mail.outbox[-1].to == ["new.address@example.com"]

    client.post(link_in_mail(mail.outbox[-1], "/accounts/confirm-email/"))

    reader.refresh_from_db()
    assert reader.email == "new.address@example.com"
    assert list(EmailAddress.objects.filter(user=reader).values_list("email", "verified")) == [
        ("new.address@example.com", True)
    ]


def test_changing_to_an_address_another_account_has_does_not_say_so_nor_take_it(
    client, reader, stranger
):
    client.force_login(reader)

    response = client.post("/accounts/email/", {"email": "stranger@example.com", "action_add": ""})

    assert response.status_code == 302  # no "already taken" error on the page
    # Even if the link reaches the reader somehow, the stranger keeps their address.
    client.post(link_in_mail(mail.outbox[-1], "/accounts/confirm-email/"))
    assert EmailAddress.objects.get(email="stranger@example.com", verified=True).user == stranger
    reader.refresh_from_db()
    assert reader.email == "reader@example.com"
    assert has_verified_email(reader)
