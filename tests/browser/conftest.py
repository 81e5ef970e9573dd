"""A real browser for the end-to-end flows: Playwright driving Debian's Chromium.

Playwright's own browser download cannot work on these machines, so the browser is the system one
(`apt-get install chromium`). Tests here use pytest-django's live_server, so they are
transactional: every table is emptied after each one (pytest-django runs them after all other
tests). The `page` fixture makes the seed article again through the `seed_article` fixture.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (factories, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, seed_article, site_pages):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(context, live_server, user) -> None:
    """Give a browser context the session of `user` (signed in as by allauth's login)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def new_page(browser, live_server, seed_article, site_pages):
    """Pages of their own: `new_page(user=None, width=1280, scheme="light")`, closed after."""
    contexts = []

    def make(user=None, *, width: int = 1280, scheme: str = "light", **options):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 900},
            color_scheme=scheme,
            # The checkers inject axe-core into the page: a Content-Security-Policy must not stop
            # them (the policy's own tests check it).
            bypass_csp=True,
            **options,
        )
        contexts.append(context)
        if user is not None:
            sign_in(context, live_server, user)
        page = context.new_page()
        page.set_default_timeout(10_000)
        # The first comment a server process screens loads the toxicity model.
        page.set_default_navigation_timeout(30_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page_as(browser, live_server, seed_article):
    """A page signed in as the given user (their session cookie, set in a fresh context)."""
    contexts = []

    def open_page(user):
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        sign_in(context, live_server, user)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
