"""An editor writes in the admin and sees the body rendered beside the text as they type."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.roles import make_editor
from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor_page(page_as):
    return page_as(make_editor(UserFactory(username="ed", is_staff=True)))


def test_the_markdown_preview_follows_the_text_and_runs_nothing(editor_page):
    page = editor_page
    page.goto("/admin/articles/article/add/")
    preview = page.locator(".markdown-preview-output")
    page.fill(
        "#id_body",
        "## Hello quokka\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "<script>window.pwned = 1</script><img src=x onerror='window.pwned = 2'>",
    )
    expect(preview.locator("h2")).to_have_text("Hello quokka")
    expect(preview.locator("table td").first).to_have_text("1")
    assert page.evaluate("window.pwned") is None
    page.fill("#id_body", "Plain words now.")
    expect(preview).to_have_text("Plain words now.")
    expect(preview.locator("h2")).to_have_count(0)


def test_a_reader_searches_from_the_header_and_sees_the_words_marked(page, seed_article):
    page.goto("/")
    page.get_by_role("searchbox", name="Search articles").fill("magnesium")
    page.get_by_role("searchbox", name="Search articles").press("Enter")
    page.wait_for_url("**/search/?q=magnesium")
    result = page.locator(".search-result").first
    expect(result.locator(".search-result-title a")).to_have_text(seed_article.title)
    expect(result.locator(".search-snippet mark").first).to_have_text("magnesium", ignore_case=True)
