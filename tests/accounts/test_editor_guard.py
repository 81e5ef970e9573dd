"""One policy for editor-only pages and the admin: accounts.roles.editor_access."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.messages import get_messages

from accounts.decorators import MFA_REQUIRED_MESSAGE
from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db

GUARDED = "/editor-only/"


@pytest.fixture(autouse=True)
def _guard_urls(settings):
    settings.ROOT_URLCONF = "tests.accounts.urls_guard"


@pytest.fixture
def mfa_required(settings):
    settings.EDITORS_REQUIRE_MFA = True


def turn_on_totp(user):
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )


def test_anonymous_visitors_are_sent_to_log_in_and_back(client):
    response = client.get(GUARDED + "?tab=queue")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/editor-only/%3Ftab%3Dqueue"


def test_readers_get_the_403_page(client, reader):
    client.force_login(reader)
    response = client.get(GUARDED)
    assert response.status_code == 403
    assert "This page is for the site's editors." in response.content.decode()


def test_staff_who_are_not_editors_get_the_403_page(client):
    client.force_login(UserFactory(username="clerk", is_staff=True))
    assert client.get(GUARDED).status_code == 403


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_editors_and_superusers_get_in(client, editor, who):
    user = editor if who == "editor" else UserFactory(username="boss", is_superuser=True)
    client.force_login(user)
    assert client.get(GUARDED).content == b"editor desk"


def test_editors_get_in_without_two_factor_when_it_is_not_required(client, editor):
    client.force_login(editor)
    assert client.get(GUARDED).status_code == 200


def test_an_editor_without_two_factor_is_sent_to_set_it_up_when_required(
    client, editor, mfa_required
):
    client.force_login(editor)

    response = client.get(GUARDED)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [MFA_REQUIRED_MESSAGE]


def test_an_editor_with_two_factor_gets_in_when_it_is_required(client, editor, mfa_required):
    turn_on_totp(editor)
    client.force_login(editor)
    assert client.get(GUARDED).status_code == 200


def test_the_mfa_requirement_does_not_make_a_reader_an_editor(client, reader, mfa_required):
    turn_on_totp(reader)
    client.force_login(reader)
    assert client.get(GUARDED).status_code == 403


# The admin, under the same policy.


def test_the_admin_sends_anonymous_visitors_to_allauths_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"
    assert response.status_code == 200


def test_the_admins_own_password_form_cannot_log_anyone_in(client, editor):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_the_admin_refuses_readers(client):
    client.force_login(UserFactory(username="clerk"))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_staff_who_are_not_editors_reach_only_what_their_permissions_allow(client):
    client.force_login(UserFactory(username="clerk", is_staff=True))
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/articles/article/").status_code == 403


def test_staff_need_two_factor_for_the_admin_when_it_is_required(client, mfa_required):
    client.force_login(UserFactory(username="clerk", is_staff=True))
    response = client.get("/admin/", follow=True)
    urls = [url for url, _ in response.redirect_chain]
    assert urls[:2] == ["/admin/login/?next=/admin/", "/accounts/2fa/totp/activate/"]


def test_the_admin_lets_editors_in(client, editor):
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Articles" in response.content.decode()


def test_the_admin_sends_an_editor_without_two_factor_to_set_it_up(client, editor, mfa_required):
    client.force_login(editor)

    response = client.get("/admin/articles/article/", follow=True)

    urls = [url for url, _ in response.redirect_chain]
    assert urls[:2] == [
        "/admin/login/?next=/admin/articles/article/",
        "/accounts/2fa/totp/activate/",
    ]
    # (allauth then asks for the password again before showing the setup, with our message.)
    assert "Editors must turn on two-factor authentication" in response.content.decode()


def test_the_admin_lets_an_editor_with_two_factor_in_when_required(client, editor, mfa_required):
    turn_on_totp(editor)
    client.force_login(editor)
    assert client.get("/admin/articles/article/").status_code == 200


def test_the_mfa_requirement_is_on_by_default_in_production():
    import subprocess
    import sys

    def setting(debug):
        env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x", "ALLOWED_HOSTS": "example.org"}
        env["EMAIL_URL"] = "consolemail://"
        if debug:
            env["DEBUG"] = "1"
        code = "from config import settings; print(settings.EDITORS_REQUIRE_MFA)"
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return out.stdout.strip()

    assert setting(debug=False) == "True"
    assert setting(debug=True) == "False"
