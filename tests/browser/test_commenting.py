"""In a real browser with JavaScript off: a verified reader comments, replies, edits; another
reader reports it (every form works without the page's scripts; test_in_place.py has them on)."""

import re

import pytest

from comments.models import Comment, Report
from tests.comments.conftest import trust
from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"
PASSWORD = "correct horse battery staple"


def log_in(page, username: str) -> None:
    """Through allauth's own login form, then back to the article."""
    page.goto(f"/accounts/login/?next={URL}")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator(
        "button[type=submit]"
    ).click()
    page.wait_for_url(f"**{URL}")


def test_a_reader_comments_replies_and_edits_and_another_reports_it(
    browser, live_server, seed_article, site_pages
):
    # Trusted, so their comments publish at once (the new-reader hold has its own tests).
    trust(UserFactory(username="alice"), UserFactory(username="bob"))
    page = browser.new_context(base_url=live_server.url, java_script_enabled=False).new_page()

    log_in(page, "alice")
    page.fill("#comment-form textarea", "Magnesium helped me.\n\nSee https://example.org")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    first = Comment.objects.get()
    comment = page.locator(f"#comment-{first.pk}")
    assert "Magnesium helped me." in comment.locator(".comment-body").inner_text()
    link = comment.locator(".comment-body a")
    assert link.get_attribute("href") == "https://example.org"
    assert link.get_attribute("rel") == "nofollow ugc noopener"
    assert page.locator("#comments-heading").inner_text() == "Comments (1)"

    comment.locator(".comment-actions").get_by_role("link", name="Reply").click()
    page.fill("#comment-form textarea", "Which kind did you take?")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    reply = Comment.objects.get(parent=first)
    nested = page.locator(f"#comment-{first.pk} .comment-replies #comment-{reply.pk}")
    assert "Which kind did you take?" in nested.inner_text()

    page.locator(f"#comment-{first.pk} > article .comment-actions").get_by_role(
        "link", name="Edit"
    ).click()
    page.fill("textarea", "Magnesium glycinate helped me.")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(rf"#comment-{first.pk}$"))
    edited = page.locator(f"#comment-{first.pk} > article")
    assert "Magnesium glycinate helped me." in edited.locator(".comment-body").inner_text()
    assert edited.locator(".comment-edited").inner_text() == "edited"
    assert edited.locator(".comment-notice").inner_text().strip() == "Your comment was updated."

    other = browser.new_context(base_url=live_server.url, java_script_enabled=False).new_page()
    try:
        log_in(other, "bob")
        own_links = other.locator(f"#comment-{first.pk} > article .comment-actions")
        assert own_links.get_by_role("link", name="Edit").count() == 0
        own_links.get_by_role("link", name="Report").click()
        other.get_by_label("Medical misinformation").check()
        other.fill("textarea[name=text]", "Doses are not advice.")
        other.get_by_role("button", name="Send report").click()
        other.wait_for_url(re.compile(rf"#comment-{first.pk}$"))
        beside = other.locator(f"#comment-{first.pk} > article .comment-notice")
        assert "your report was received" in beside.inner_text()
    finally:
        other.context.close()
    report = Report.objects.get()
    assert (report.comment_id, report.reporter.username, report.reason) == (
        first.pk,
        "bob",
        "misinformation",
    )
    page.context.close()
