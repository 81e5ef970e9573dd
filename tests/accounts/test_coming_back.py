"""Every way into an account comes back to where the reader was; emails speak as the site."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from tests.accounts.conftest import NEW_PASSWORD, link_in_mail

pytestmark = pytest.mark.django_db
ARTICLE = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html5lib")


def header_links(client, path: str) -> dict[str, str]:
    nav = soup_of(client.get(path)).select_one(".account-nav")
    return {a.get_text(): a["href"] for a in nav.find_all("a")}


def test_log_in_and_sign_up_in_the_header_carry_the_page_with_its_query(client, seed_article):
    links = header_links(client, f"{ARTICLE}?comments_page=2")
    expected = quote(f"{ARTICLE}?comments_page=2", safe="/")
    assert links["Log in"] == f"/accounts/login/?next={expected}"
    assert links["Sign up"] == f"/accounts/signup/?next={expected}"


def test_on_the_login_page_sign_up_keeps_where_the_reader_came_from(client, seed_article):
    page = soup_of(client.get(f"/accounts/login/?next={ARTICLE}"))
    header = {a.get_text(): a["href"] for a in page.select(".account-nav a")}
    assert header["Sign up"] == f"/accounts/signup/?next={quote(ARTICLE, safe='/')}"
    in_form = [a["href"] for a in page.select("main a") if "/accounts/signup/" in a["href"]]
    assert in_form and all(ARTICLE in href.replace("%2F", "/") for href in in_form)


def test_a_newcomer_signs_up_from_an_article_and_comes_back_to_it_twice(client, seed_article):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "next": ARTICLE,
        },
    )
    assert response.status_code == 302 and response["Location"] == ARTICLE
    confirm = link_in_mail(mail.outbox[-1], "/accounts/confirm-email/")
    body = mail.outbox[-1].body
    assert f"next={quote(ARTICLE, safe='')}" in body  # for another device, too
    done = client.post(confirm)
    assert done.status_code == 302 and done["Location"] == ARTICLE


def test_confirming_on_another_device_still_comes_back(client, seed_article):
    from django.test import Client

    client.post(
        "/accounts/signup/",
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "next": ARTICLE,
        },
    )
    url = next(word for word in mail.outbox[-1].body.split() if "/accounts/confirm-email/" in word)
    path = url.split("://", 1)[1].split("/", 1)[1]
    phone = Client()
    page = soup_of(phone.get(f"/{path}"))
    form = page.select_one("main form")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
    assert data["next"] == ARTICLE
    done = phone.post(form.get("action") or f"/{path}", data)
    assert done["Location"] == ARTICLE


def test_an_anonymous_visitor_to_their_own_profile_is_asked_to_log_in_and_sent_back(client):
    response = client.get("/users/me/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/users/me/"


def test_emails_greet_with_the_sites_name_not_the_host(client, settings):
    client.post(
        "/accounts/signup/",
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    body = mail.outbox[-1].body
    assert body.startswith(f"Hello from {settings.SITE_NAME}!")
    assert "Hello from testserver" not in body
    assert mail.outbox[-1].subject.startswith(f"[{settings.SITE_NAME}]")
