"""manage.py createeditor (production) and demo_editor (development)."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import is_editor
from accounts.selectors import has_verified_email
from tests.conftest import UserFactory

from .conftest import NEW_PASSWORD, link_in_mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _public_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "news.example.org"]


def createeditor(*args):
    out = StringIO()
    call_command("createeditor", *args, "--base-url", "https://news.example.org", stdout=out)
    return out.getvalue()


def test_a_new_editor_is_created_verified_staff_and_without_a_password():
    output = createeditor("Jane.Doe", "jane@example.org")

    user = User.objects.get(username="Jane.Doe")
    assert is_editor(user)
    assert user.is_staff
    assert not user.is_superuser
    assert has_verified_email(user)
    assert EmailAddress.objects.get(user=user).primary
    assert not user.has_usable_password()
    assert "Created the editor Jane.Doe" in output


def test_a_new_editor_sets_their_password_from_the_emailed_link(client):
    createeditor("jane", "jane@example.org")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jane@example.org"]
    assert "https://news.example.org/accounts/password/reset/key/" in mail.outbox[0].body
    link = link_in_mail(mail.outbox[0], "/accounts/password/reset/key/")
    form_page = client.get(link, follow=True)
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    client.post("/accounts/login/", {"login": "jane", "password": NEW_PASSWORD})
    assert client.session["_auth_user_id"] == str(User.objects.get(username="jane").pk)


def test_an_existing_reader_is_promoted_and_keeps_their_password(reader):
    output = createeditor("READER", "reader@example.com")

    reader.refresh_from_db()
    reader._is_editor = None
    assert is_editor(reader)
    assert reader.is_staff
    assert reader.check_password("correct horse battery staple")
    assert mail.outbox == []
    assert "reader is now an editor" in output


def test_promoting_verifies_the_address_the_operator_vouches_for():
    user = UserFactory(username="newbie", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    createeditor("newbie", "newbie@example.com")

    assert has_verified_email(user)


def test_running_it_twice_changes_nothing_more(reader):
    createeditor("reader", "reader@example.com")
    createeditor("reader", "reader@example.com")
    assert EmailAddress.objects.filter(user=reader).count() == 1
    assert reader.groups.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("reader", "other@example.com"), "reader has the address reader@example.com"),
        (
            ("newname", "reader@example.com"),
            "reader@example.com already belongs to the user reader",
        ),
        (("x", "x@example.com"), "A username is 3 to 30 characters long"),
        (("jane doe", "jane@example.org"), "A username may contain only letters"),
        (("jane", "not-an-address"), "'not-an-address' is not a valid email address."),
    ],
)
def test_mistakes_are_refused_with_a_clear_message_and_change_nothing(reader, args, message):
    before = User.objects.count()
    with pytest.raises(CommandError, match=message):
        createeditor(*args)
    assert User.objects.count() == before
    assert not is_editor(User.objects.get(pk=reader.pk))


def test_a_public_address_outside_allowed_hosts_is_refused_before_anything_changes():
    with pytest.raises(CommandError, match=r"evil\.example is not in ALLOWED_HOSTS"):
        call_command(
            "createeditor", "jane", "jane@example.org", "--base-url", "https://evil.example"
        )
    assert not User.objects.filter(username="jane").exists()
    assert mail.outbox == []


def test_reserved_names_are_allowed_for_editors_made_by_the_operator():
    createeditor("support", "support@example.org")
    assert is_editor(User.objects.get(username="support"))


def test_the_demo_editor_is_made_in_development_and_can_log_in(client, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_editor", stdout=out)
    call_command("demo_editor", stdout=out)  # idempotent

    assert "demo-editor / colloquy-demo-editor" in out.getvalue()
    client.post("/accounts/login/", {"login": "demo-editor", "password": "colloquy-demo-editor"})
    user = User.objects.get(username="demo-editor")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert is_editor(user)
    assert has_verified_email(user)
    assert client.get("/admin/").status_code == 200


def test_the_demo_editor_is_refused_in_production():
    with pytest.raises(CommandError, match="only in development"):
        call_command("demo_editor")
    assert not User.objects.filter(username="demo-editor").exists()
