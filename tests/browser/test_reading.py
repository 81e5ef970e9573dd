"""A reader lands on the article, reads it, and is sent to log in and back."""

import pytest

from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"


def test_a_reader_reads_the_article_logs_in_from_the_prompt_and_lands_back_on_it(page):
    UserFactory(username="returning")
    page.goto(URL)
    assert page.locator("h1").inner_text().startswith("Sudden Muscle Twitches During Sleep")
    assert page.locator("#comments-heading").inner_text() == "Comments (0)"
    page.get_by_role("link", name="Login").click()
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Login").fill("returning")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"**{URL}#comments")
    assert page.locator("textarea[name=body]").is_visible()


def test_the_skip_link_is_the_first_stop_for_the_keyboard(page):
    page.goto(URL)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_breadcrumb_leads_up_the_section_tree(page):
    page.goto(URL)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Health").click()
    page.wait_for_url("**/more/health/")
    assert page.locator("h1").inner_text() == "Health"
