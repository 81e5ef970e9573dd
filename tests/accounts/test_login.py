"""Logging in (by username or by email), the failed-login limit, and logging out by POST only."""

import re

import pytest

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

ARTICLE_URL = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"


def log_in(client, login, password=PASSWORD, *, address="127.0.0.1", **extra):
    data = {"login": login, "password": password, **extra}
    return client.post("/accounts/login/", data, REMOTE_ADDR=address)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize("login", ["reader", "READER", "reader@example.com", "Reader@Example.com"])
def test_a_reader_logs_in_with_their_username_or_their_email(client, reader, login):
    response = log_in(client, login)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(reader.pk)


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, reader):
    response = log_in(client, "reader", "not the password")

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert "The username and/or password you specified are not correct." in (
        response.content.decode()
    )


def test_after_logging_in_the_reader_lands_back_on_the_article(client, reader, seed_article):
    response = log_in(client, "reader", next=f"{ARTICLE_URL}#comments")
    assert response["Location"] == f"{ARTICLE_URL}#comments"


def test_login_never_redirects_off_site(client, reader):
    response = log_in(client, "reader", next="https://evil.example/")
    assert response["Location"] == "/"


def test_repeated_failed_logins_for_one_account_from_one_address_are_refused_for_a_while(
    client, reader
):
    for _ in range(5):
        assert log_in(client, "reader", "wrong guess").status_code == 200

    response = log_in(client, "reader")

    assert signed_in_user_id(client) is None
    assert (
        "Too many failed sign-in attempts from your address. Please try again in 5 minutes, "
        "or reset your password."
    ) in response.content.decode()


def test_five_wrong_passwords_from_one_address_do_not_lock_the_owner_out_from_another(
    client, reader
):
    for _ in range(5):
        log_in(client, "reader", "wrong guess", address="203.0.113.7")
    assert "Too many failed" in log_in(client, "reader", address="203.0.113.7").content.decode()

    response = log_in(client, "reader", address="198.51.100.20")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(reader.pk)


def test_failed_logins_from_one_address_are_limited_across_accounts(client, reader):
    for n in range(10):
        log_in(client, f"nobody{n}", "wrong guess")

    response = log_in(client, "reader")

    assert signed_in_user_id(client) is None
    page = response.content.decode()
    assert "Too many failed sign-in attempts from your address. Please try again in " in page
    assert re.search(r"try again in \d+ seconds?, or reset", page)


def test_failed_logins_for_one_account_do_not_lock_out_another(client, reader, stranger):
    for _ in range(5):
        log_in(client, "reader", "wrong guess")

    log_in(client, "stranger")

    assert signed_in_user_id(client) == str(stranger.pk)


def test_too_many_login_posts_from_one_ip_address_get_429(client, reader):
    for n in range(30):
        log_in(client, f"nobody{n}", "wrong guess")

    response = log_in(client, "reader")

    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_logout_by_get_does_not_log_out(client, reader):
    client.force_login(reader)

    response = client.get("/accounts/logout/")

    assert response.status_code == 200  # a page asking to confirm, with a POST form
    assert 'method="post"' in response.content.decode()
    assert signed_in_user_id(client) == str(reader.pk)


def test_logout_by_post_logs_out(client, reader):
    client.force_login(reader)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def test_the_header_logs_out_with_a_post_form(client, reader, seed_article):
    client.force_login(reader)
    html = client.get(ARTICLE_URL).content.decode()
    assert '<form method="post" action="/accounts/logout/"' in html
