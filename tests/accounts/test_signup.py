"""Sign-up through allauth's real views: the form, the rules on usernames, the verification link."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User
from accounts.selectors import has_verified_email
from tests.conftest import UserFactory

from .conftest import link_in_mail, sign_up

pytestmark = pytest.mark.django_db


def test_sign_up_creates_a_signed_in_reader_with_an_unverified_address(client):
    response = sign_up(client)

    assert response.status_code == 302
    user = User.objects.get(username="newreader")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified is False
    assert not has_verified_email(user)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newreader@example.com"]


def test_the_link_in_the_verification_email_verifies_the_address(client):
    sign_up(client)
    path = link_in_mail(mail.outbox[0], "/accounts/confirm-email/")

    page = client.get(path)
    assert page.status_code == 200  # a confirmation page: a GET alone never confirms
    assert not has_verified_email(User.objects.get(username="newreader"))

    response = client.post(path)
    assert response.status_code == 302
    assert has_verified_email(User.objects.get(username="newreader"))


def test_a_forged_verification_link_verifies_nothing(client):
    sign_up(client)
    response = client.post("/accounts/confirm-email/not-a-real-key/")
    assert not has_verified_email(User.objects.get(username="newreader"))
    assert response.status_code in (200, 404)


def test_the_username_keeps_the_case_the_reader_typed(client):
    sign_up(client, username="Alice.Smith")
    assert User.objects.filter(username="Alice.Smith").exists()


@pytest.mark.parametrize(
    "username",
    [
        "admin",
        "Administrator",
        "editor",
        "EDITORS",
        "moderator",
        "staff",
        "support",
        "root",
        "system",
        "colloquy",
        "deleted",
        "anonymous",
        "webmaster",
        "postmaster",
        "security",
        "help",
        "api",
        "mod",
        "site.admin",
        "Web-Master",
        "deleted_user",
    ],
)
def test_reserved_usernames_are_refused_with_a_clear_error(client, username):
    response = sign_up(client, username=username)

    assert response.status_code == 200
    assert "That username is reserved. Please choose another." in response.content.decode()
    assert not User.objects.filter(username__iexact=username).exists()


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("ab", "A username is 3 to 30 characters long (this one has 2)."),
        ("a" * 31, "A username is 3 to 30 characters long (this one has 31)."),
        ("john smith", "A username may contain only letters (a-z, A-Z), digits and . _ -"),
        ("jo@example", "A username may contain only letters (a-z, A-Z), digits and . _ -"),
        ("j\u043ehn", "A username may contain only letters (a-z, A-Z), digits and . _ -"),
        ("-john", "A username must start and end with a letter or a digit."),
        ("john.", "A username must start and end with a letter or a digit."),
    ],
)
def test_usernames_outside_the_rules_are_refused_with_the_rule_they_break(
    client, username, message
):
    response = sign_up(client, username=username)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username=username).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("username", ["abc", "a" * 30, "jo.smith", "jo_smith-2", "J0HN"])
def test_usernames_inside_the_rules_are_accepted(client, username):
    assert sign_up(client, username=username).status_code == 302
    assert User.objects.filter(username=username).exists()


def test_a_name_that_differs_only_in_case_from_a_taken_one_is_refused_cleanly(client):
    UserFactory(username="Alice")

    response = sign_up(client, username="aLICE")

    assert response.status_code == 200
    assert "That username is already taken (capitals do not count" in response.content.decode()
    assert User.objects.filter(username__iexact="alice").count() == 1


def test_the_form_keeps_what_the_reader_typed_when_it_refuses_the_username(client):
    response = sign_up(client, username="admin", email="keep.me@example.com")
    html = response.content.decode()
    assert 'value="keep.me@example.com"' in html
    assert 'value="admin"' in html


def test_signing_up_with_an_address_that_has_an_account_reveals_nothing(client):
    owner = UserFactory(username="existing", email="taken@example.com")

    taken = sign_up(client, username="someone", email="taken@example.com")
    client.logout()
    fresh = sign_up(client, username="someone2", email="fresh@example.com")

    # The same answer either way: no error on the address, the same redirect.
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    # The newcomer's copy of the address can never be verified: the owner keeps it.
    someone = User.objects.get(username="someone")
    link = link_in_mail(
        next(m for m in mail.outbox if m.to == ["taken@example.com"]), "/accounts/confirm-email/"
    )
    client.post(link)
    assert not has_verified_email(someone)
    assert has_verified_email(owner)


def test_a_taken_address_logs_in_to_its_owner_only(client):
    UserFactory(username="existing", email="taken@example.com")
    sign_up(client, username="someone", email="taken@example.com", password="squatter pw 123")
    client.logout()

    client.post("/accounts/login/", {"login": "taken@example.com", "password": "squatter pw 123"})
    assert "_auth_user_id" not in client.session

    client.post("/accounts/login/", {"login": "someone", "password": "squatter pw 123"})
    assert User.objects.get(pk=client.session["_auth_user_id"]).username == "someone"


def test_the_eleventh_sign_up_from_one_ip_address_within_a_minute_is_refused(client):
    for n in range(10):
        client.logout()
        response = sign_up(client, username=f"burst{n}", email=f"burst{n}@example.com")
        assert response.status_code == 302
    client.logout()

    response = sign_up(client, username="burst99", email="burst99@example.com")

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert not User.objects.filter(username="burst99").exists()
