"""The flows that used to go wrong, in a real browser, wide and on a phone (issue 15)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.checks import WIDTHS
from tests.comments.conftest import CommentFactory, moderation_settings
from tests.conftest import UserFactory, trust

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"
PASSWORD = "a long and memorable passphrase"
widths = pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        selector,
    )


scripts = pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])


def comment_posts(page) -> list[str]:
    """The comment forms' POSTs the page sends (not the preview's)."""
    posts: list[str] = []
    page.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and "/post/" in r.url else None,
    )
    return posts


@widths
@scripts
def test_a_refused_comment_lands_at_the_form_with_the_error_in_view_and_reloads_safely(
    new_page, width, javascript
):
    reader = UserFactory(username="alice")
    trust(reader)
    page = new_page(reader, width=width, java_script_enabled=javascript)
    page.goto(URL)
    posts = comment_posts(page)
    if javascript:
        page.fill("#comment-form textarea", "y" * 4_990)
        counter = page.locator(".char-count")
        expect(counter).to_have_text("10 characters left")
        page.locator("#comment-form textarea").press_sequentially("yyyyyyyyyyy")
        expect(counter).to_have_text("1 character over the limit")
    else:
        page.fill("#comment-form textarea", "y" * 5_001)
    page.get_by_role("button", name="Post comment").click()
    if javascript:
        # Beside the form, without leaving the page (site/static/js/thread.js).
        error = "#comment-form .form-errors[role=alert]"
    else:
        page.wait_for_url(re.compile(r"#comment-form$"))
        error = "#id_body-errors"
    expect(page.locator(error)).to_contain_text("Please shorten your comment to 5,000 characters")
    if javascript:
        assert in_view(page, error)
        page.wait_for_function("document.activeElement.id === 'id_body'")  # focused: read out
    assert len(page.locator("#comment-form textarea").input_value()) == 5_001
    page.reload()
    assert len(posts) == 1  # the reload sent nothing
    assert len(page.locator("#comment-form textarea").input_value()) == 5_001
    assert Comment.objects.count() == 0


@widths
@scripts
def test_a_nudge_is_in_view_and_posting_anyway_shows_the_thanks_beside_the_comment(
    new_page, width, javascript
):
    moderation_settings(suspect_terms="miracle")
    reader = UserFactory(username="alice")
    trust(reader)
    page = new_page(reader, width=width, java_script_enabled=javascript)
    page.goto(URL)
    page.fill("#comment-form textarea", "A miracle cure worked for me.")
    page.get_by_role("button", name="Post comment").click()
    if javascript:
        nudge = "#comment-form [role=alert]"
    else:
        page.wait_for_url(re.compile(r"#comment-form$"))
        nudge = "#comment-nudge"
    expect(page.locator(nudge)).to_contain_text("Before you post:")
    if javascript:
        assert in_view(page, nudge)
    page.get_by_role("button", name="Post anyway").click()
    if not javascript:
        page.wait_for_url(re.compile(r"#comment-\d+$"))
    expect(page.locator(".comment-notice")).to_have_count(1)
    comment = Comment.objects.get()
    notice = f"#comment-{comment.pk} .comment-notice"
    expect(page.locator(notice)).to_contain_text("will appear once an editor has approved it")
    if javascript:
        assert in_view(page, notice)


@widths
def test_a_newcomer_signs_up_from_the_article_and_is_back_there_after_confirming(
    new_page, live_server, width
):
    page = new_page(width=width)
    page.goto(URL)
    page.locator(".login-required").get_by_role("link", name="Sign up").click()
    page.wait_for_url("**/accounts/signup/**")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Username").fill("Newcomer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(f"**{URL}#comments")
    body = next(m.body for m in mail.outbox if m.to == ["newcomer@example.com"])
    assert body.startswith("Hello from Colloquy!")
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"**{URL}**")
    expect(page.locator("#comment-form textarea")).to_be_visible()


@widths
def test_an_editor_picks_and_rejects_from_the_thread(new_page, seed_article, editor, width):
    keeper = CommentFactory(article=seed_article, body="Magnesium helped me.")
    rude = CommentFactory(article=seed_article, body="You are all fools.")
    page = new_page(editor, width=width)
    page.goto(URL)
    page.locator(f"#comment-{keeper.pk} .comment-moderation").get_by_role(
        "button", name="Pick"
    ).click()
    page.wait_for_url(re.compile(rf"#comment-{keeper.pk}$"))
    notice = f"#comment-{keeper.pk} .comment-notice"
    expect(page.locator(notice)).to_contain_text("is now an editors' pick")
    assert in_view(page, notice)
    expect(page.get_by_role("link", name="Editors' picks (1)")).to_be_visible()
    page.locator(f"#comment-{rude.pk} .comment-moderation").get_by_role(
        "button", name="Reject"
    ).click()
    page.wait_for_url(re.compile(r"#comments$"))
    expect(page.locator("#comments .comment-notice")).to_contain_text("was rejected")
    expect(page.locator(f"#comment-{rude.pk}")).to_have_count(0)
    assert Comment.objects.get(pk=rude.pk).status == Comment.Status.REJECTED


def test_on_a_phone_the_header_never_breaks_a_word_and_the_queue_opens_on_its_comments(
    new_page, seed_article, editor
):
    editor.username = "demo-editor"
    editor.save()
    CommentFactory(article=seed_article, status=Comment.Status.PENDING)
    page = new_page(editor, width=390, has_touch=True, is_mobile=True)
    page.goto("/moderation/queue/pending/")
    for item in page.locator(".account-nav a, .account-nav button").all():
        box = item.bounding_box()
        line = float(item.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
        assert box["height"] < 2 * line, item.inner_text()  # one line each
    expect(page.locator(".queue-toolbar")).to_be_hidden()  # folded under "Filters"
    expect(page.locator("[data-shortcuts-hint]")).to_be_hidden()
    assert page.locator(".queue-row").first.bounding_box()["y"] < 900
    page.get_by_text("Filters", exact=True).click()
    expect(page.get_by_label("Article title")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_site_follows_the_readers_colour_scheme(new_page, scheme):
    page = new_page(scheme=scheme)
    page.goto(URL)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    expected = "rgb(255, 255, 255)" if scheme == "light" else "rgb(20, 23, 26)"
    assert background == expected


def test_a_new_api_token_is_in_a_box_with_a_copy_button(new_page, reader):
    page = new_page(reader)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/accounts/tokens/")
    page.get_by_label("Name").fill("My reading app")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("colloquy_")
    page.get_by_role("button", name="Copy token").click()
    expect(page.locator("[data-copy-status]")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == secret
