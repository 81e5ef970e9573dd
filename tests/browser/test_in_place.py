"""In a real browser: writing in place and live threads (site/static/js/thread.js), under the
site's Content-Security-Policy; by keyboard; and the same forms with JavaScript off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment, Report
from tests.browser.conftest import sign_in
from tests.comments.conftest import CommentFactory
from tests.conftest import UserFactory, trust

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"


@pytest.fixture
def open_as(browser, live_server, seed_article, site_pages):
    """A page (the site's CSP enforced) for a user or nobody; `javascript=False` for a browser
    with scripts off. Each page records CSP reports and whether it ever loaded a new document."""
    contexts = []

    def make(user=None, *, javascript: bool = True):
        context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
        contexts.append(context)
        if user is not None:
            sign_in(context, live_server, user)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.set_default_navigation_timeout(30_000)
        page.csp_reports = []
        page.on(
            "console",
            lambda m: page.csp_reports.append(m.text) if "Content Security" in m.text else None,
        )
        page.loads = []
        page.on("load", lambda p: page.loads.append(p.url))
        return page

    yield make
    for context in contexts:
        context.close()


def opened(page, url=URL):
    page.goto(url)
    page.wait_for_load_state("load")
    page.loads.clear()  # from here on, any load is a reload
    return page


def actions_of(page, comment):
    return page.locator(f"#comment-{comment.pk} > article .comment-actions")


def test_a_reply_opens_under_its_comment_previews_and_posts_without_a_reload(open_as, seed_article):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    trust(alice, bob)
    theirs = CommentFactory(article=seed_article, author=bob, body="Magnesium helped me.")
    page = opened(open_as(alice))

    actions_of(page, theirs).get_by_role("link", name="Reply").click()
    form = page.locator(f"#comment-{theirs.pk} .comment-in-place form")
    expect(form).to_be_visible()
    expect(form.get_by_role("heading")).to_have_text("Reply to bob")
    expect(form.locator("textarea")).to_be_focused()
    form.locator("textarea").fill("**Which** kind? See [the study](https://example.org/s)")
    preview = form.locator(".comment-preview .comment-preview-body")
    expect(preview.locator("strong")).to_have_text("Which")
    expect(preview.locator("a")).to_have_attribute("href", "https://example.org/s")
    expect(preview).to_have_text("Which kind? See the study")  # no raw markup

    form.get_by_role("button", name="Post reply").click()
    reply_node = page.locator(f"#comment-{theirs.pk} .comment-replies li.comment")
    expect(reply_node).to_have_count(1)
    reply = Comment.objects.get(parent=theirs)
    body = page.locator(f"#comment-{reply.pk} .comment-body")
    expect(body).to_have_text("Which kind? See the study")
    assert body.inner_html() == reply.body_html  # the preview showed what was published
    notice = page.locator(f"#comment-{reply.pk} .comment-notice")
    expect(notice).to_have_text("Thank you: your comment is published.")
    expect(notice).to_be_focused()
    expect(page.locator(".comment-in-place")).to_have_count(0)
    expect(page.locator("#comments-heading")).to_have_text("Comments (2)")
    assert page.loads == [] and page.csp_reports == []


def test_a_refusal_shows_beside_the_form_with_the_text_kept_then_posting_works(
    open_as, seed_article
):
    alice = UserFactory(username="alice")
    trust(alice)
    page = opened(open_as(alice))
    textarea = page.locator("#comment-form textarea")
    textarea.fill("y" * 5001)
    page.get_by_role("button", name="Post comment").click()
    alert = page.locator("#comment-form .form-errors[role=alert]")
    expect(alert).to_contain_text("Please shorten your comment to 5,000 characters")
    expect(textarea).to_be_focused()
    assert textarea.input_value() == "y" * 5001
    assert alert.get_attribute("id") in textarea.get_attribute("aria-describedby")

    textarea.fill("Short and _kind_.")
    page.get_by_role("button", name="Post comment").click()
    comment_body = page.locator("#comments .comment-list .comment-body")
    expect(comment_body).to_have_text("Short and kind.")
    expect(comment_body.locator("em")).to_have_text("kind")
    expect(page.locator("#comment-form textarea")).to_have_value("")  # a fresh form
    assert Comment.objects.get().body == "Short and _kind_."
    assert page.loads == [] and page.csp_reports == []


def test_edit_delete_and_report_happen_in_place(open_as, seed_article):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    trust(alice, bob)
    mine = CommentFactory(article=seed_article, author=alice, body="First words.")
    theirs = CommentFactory(article=seed_article, author=bob, body="You are wrong.")
    page = opened(open_as(alice))

    actions_of(page, mine).get_by_role("link", name="Edit").click()
    textarea = page.locator(f"#comment-{mine.pk} .comment-in-place textarea")
    expect(textarea).to_be_focused()
    expect(textarea).to_have_value("First words.")
    expect(page.locator(f"#comment-{mine.pk} > article .comment-body")).to_be_hidden()
    textarea.fill("Better *words*.")
    page.get_by_role("button", name="Save changes").click()
    article = page.locator(f"#comment-{mine.pk} > article")
    expect(article.locator(".comment-body")).to_have_text("Better words.")
    expect(article.locator(".comment-edited")).to_have_text("edited")
    expect(article.locator(".comment-notice")).to_have_text("Your comment was updated.")

    actions_of(page, theirs).get_by_role("link", name="Report").click()
    box = page.locator(f"#comment-{theirs.pk} .comment-in-place")
    box.get_by_label("Spam").check()
    box.get_by_role("button", name="Send report").click()
    expect(page.locator(f"#comment-{theirs.pk} .comment-notice")).to_contain_text(
        "your report was received"
    )
    assert Report.objects.get().comment_id == theirs.pk

    actions_of(page, mine).get_by_role("link", name="Delete").click()
    page.locator(f"#comment-{mine.pk} .comment-in-place").get_by_role(
        "button", name="Delete comment"
    ).click()
    expect(page.locator("#comments .comment-notice")).to_have_text("Your comment was deleted.")
    expect(page.locator(f"#comment-{mine.pk}")).to_have_count(0)
    assert page.loads == [] and page.csp_reports == []


def test_by_keyboard_reply_opens_escape_closes_and_enter_posts(open_as, seed_article):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    trust(alice, bob)
    theirs = CommentFactory(article=seed_article, author=bob)
    page = opened(open_as(alice))
    reply_link = actions_of(page, theirs).get_by_role("link", name="Reply")
    reply_link.focus()
    page.keyboard.press("Enter")
    textarea = page.locator(f"#comment-{theirs.pk} .comment-in-place textarea")
    expect(textarea).to_be_focused()
    expect(reply_link).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(page.locator(".comment-in-place")).to_have_count(0)
    expect(reply_link).to_be_focused()

    page.keyboard.press("Enter")
    expect(textarea).to_be_focused()
    page.keyboard.type("Typed by keyboard.")
    # Tab through to the button (past the help links), then Enter.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Post reply":
            break
    page.keyboard.press("Enter")
    expect(page.locator(f"#comment-{theirs.pk} .comment-replies .comment-body")).to_have_text(
        "Typed by keyboard."
    )
    expect(page.locator(".comment-notice")).to_be_focused()
    assert page.loads == []


def test_readers_see_new_comments_arrive_and_load_them_in_place(open_as, seed_article):
    old = CommentFactory(article=seed_article, body="The first comment.")
    page = opened(open_as())  # anonymous: the cached page
    versions = []
    page.on(
        "response",
        lambda r: versions.append(r.status) if "/version/" in r.url else None,
    )
    wake = "document.dispatchEvent(new Event('visibilitychange'))"  # the tab comes back

    def poll() -> None:
        # Each poll answered before the next step: one still in flight would be the only one.
        with page.expect_response(lambda r: "/version/" in r.url, timeout=15_000):
            page.evaluate(wake)

    poll()
    expect(page.locator(".comments-new")).to_have_count(0)

    new = CommentFactory(article=seed_article, parent=old, body="A brand new answer.")
    poll()
    button = page.get_by_role("button", name="Show 1 new comment")
    expect(button).to_be_visible()
    button.click()
    fresh = page.locator(f"#comment-{new.pk}")
    expect(fresh.locator(".comment-body")).to_have_text("A brand new answer.")
    expect(fresh).to_be_focused()
    expect(page.locator("#comments-heading")).to_have_text("Comments (2)")
    expect(page.locator(".comments-new")).to_have_count(0)
    page.evaluate(wake)
    page.wait_for_timeout(300)
    assert 304 in versions or versions.count(200) >= 2
    assert page.loads == [] and page.csp_reports == []


def test_with_javascript_off_reply_edit_delete_and_report_still_work(open_as, seed_article):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    trust(alice, bob)
    theirs = CommentFactory(article=seed_article, author=bob, body="Magnesium helped me.")
    page = open_as(alice, javascript=False)
    page.goto(URL)

    actions_of(page, theirs).get_by_role("link", name="Reply").click()
    page.wait_for_url(re.compile(rf"\?reply={theirs.pk}#comment-form$"))
    expect(page.locator("#comment-form h3")).to_have_text("Reply to bob")
    page.fill("#comment-form textarea", "Which **kind**?")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    reply = Comment.objects.get(parent=theirs)
    expect(page.locator(f"#comment-{reply.pk} .comment-body strong")).to_have_text("kind")

    actions_of(page, reply).get_by_role("link", name="Edit").click()
    page.wait_for_url(f"**/comments/{reply.pk}/edit/")
    page.fill("textarea", "Which kind, exactly?")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(rf"#comment-{reply.pk}$"))
    expect(page.locator(f"#comment-{reply.pk} .comment-notice")).to_have_text(
        "Your comment was updated."
    )

    actions_of(page, theirs).get_by_role("link", name="Report").click()
    page.get_by_label("Spam").check()
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url(re.compile(rf"#comment-{theirs.pk}$"))

    actions_of(page, reply).get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Delete comment").click()
    page.wait_for_url(re.compile(r"#comments$"))
    expect(page.locator("#comments .comment-notice")).to_have_text("Your comment was deleted.")
    assert Report.objects.count() == 1
    assert Comment.objects.get(pk=reply.pk).status == Comment.Status.REMOVED
