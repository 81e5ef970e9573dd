"""allauth's pages wear the site's layout: header, main landmark, our form markup, no bare HTML."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db

ENTRANCE_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
MANAGE_PAGES = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/delete/",
]


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html5lib")


def assert_site_layout(page):
    assert page.select_one("header.site-header a.brand").get_text(strip=True) == "Colloquy"
    assert page.select_one("footer.site-footer")
    assert page.select_one('link[rel="stylesheet"]')["href"] == "/static/css/site.css"
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.title.get_text(" ", strip=True).endswith("· Colloquy")
    # Every visible input has a visible label (allauth's "unlabeled" placeholders are not enough).
    for field in page.select("main input:not([type=hidden])"):
        assert page.select_one(f'label[for="{field["id"]}"]'), field


@pytest.mark.parametrize("url", ENTRANCE_PAGES)
def test_entrance_pages_are_in_the_site_layout(client, url):
    page = soup(client.get(url))
    assert_site_layout(page)
    assert page.select_one("main.account-entrance .account-card form.form")
    assert page.select_one("main button.button[type=submit]")


@pytest.mark.parametrize("url", MANAGE_PAGES)
def test_account_pages_are_in_the_site_layout_with_the_account_menu(client, reader, url):
    client.force_login(reader)
    page = soup(client.get(url))
    assert_site_layout(page)
    menu = page.select_one('main.account-manage nav.account-menu[aria-label="Your account"]')
    assert [a.get_text(strip=True) for a in menu.select("a")] == [
        "Your comments",
        "Email address",
        "Password",
        "Two-factor authentication",
        "API tokens",
        "Delete account",
    ]
    assert menu.select_one('a[aria-current="page"]')["href"] == url


def test_sign_up_shows_the_username_rules_before_the_reader_types(client):
    page = soup(client.get("/accounts/signup/"))
    assert "3 to 30 characters: letters, digits and . _ -" in page.get_text()


def test_field_errors_sit_with_their_field_and_mark_it_invalid(client):
    page = soup(client.post("/accounts/signup/", {"username": "admin", "email": "x@example.com"}))
    field = page.select_one("#id_username").find_parent("div", class_="field")
    assert "field-invalid" in field["class"]
    assert "That username is reserved." in field.get_text()


def test_login_errors_are_announced(client, reader):
    page = soup(client.post("/accounts/login/", {"login": "reader", "password": "nope"}))
    assert page.select_one('.form-errors[role="alert"]').get_text(strip=True) == (
        "The username and/or password you specified are not correct."
    )


def test_too_many_requests_get_the_sites_own_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/m/ip"}
    client.post("/accounts/signup/", {"username": "x"})
    response = client.post("/accounts/signup/", {"username": "x"})
    assert response.status_code == 429
    page = BeautifulSoup(response.content, "html5lib")
    assert page.select_one("header.site-header")
    assert page.h1.get_text() == "Too many attempts"


def test_the_header_leads_staff_to_moderation_and_the_editors_desk(client, editor, reader):
    client.force_login(editor)
    links = [a["href"] for a in soup(client.get("/")).select(".account-nav a")]
    assert "/moderation/" in links and "/admin/" in links
    client.force_login(reader)
    links = [a["href"] for a in soup(client.get("/")).select(".account-nav a")]
    assert "/moderation/" not in links and "/admin/" not in links
