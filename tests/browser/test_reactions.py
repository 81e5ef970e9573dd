"""In a real browser: a reader finds a comment helpful and takes it back, with JavaScript on or
off, by keyboard; anonymous readers see the count on the cached page."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment, Reaction
from tests.comments.conftest import CommentFactory
from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_reader_marks_a_comment_helpful_and_takes_it_back(new_page, seed_article, javascript):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    comment = CommentFactory(article=seed_article, author=alice, body="Magnesium helped me.")
    anonymous = new_page()
    anonymous.goto(URL)  # the anonymous page is now in the page cache, without a count
    assert anonymous.locator(f"#comment-{comment.pk} .comment-helpful-count").count() == 0

    page = new_page(bob, java_script_enabled=javascript)
    page.goto(URL)
    button = page.locator(f"#comment-{comment.pk} .comment-helpful button")
    assert button.get_attribute("aria-pressed") == "false"
    loads = []
    page.on("load", lambda p: loads.append(p.url))
    button.focus()
    page.keyboard.press("Enter")
    if not javascript:
        page.wait_for_url(re.compile(rf"#comment-{comment.pk}$"))
    button = page.locator(f"#comment-{comment.pk} .comment-helpful button")
    expect(button).to_have_attribute("aria-pressed", "true")
    if javascript:  # in place (site/static/js/thread.js): no reload, the focus stays on it
        expect(button).to_be_focused()
        assert loads == []
    count = page.locator(f"#comment-{comment.pk} .comment-helpful-count")
    assert count.inner_text() == "1 reader found this helpful"
    assert Reaction.objects.filter(comment=comment, reader=bob).exists()

    anonymous.goto(URL)
    assert anonymous.locator(f"#comment-{comment.pk} .comment-helpful-count").inner_text() == (
        "1 reader found this helpful"
    )
    assert anonymous.locator(f"#comment-{comment.pk} .comment-helpful").count() == 0

    button.click()
    if not javascript:
        page.wait_for_url(re.compile(rf"#comment-{comment.pk}$"))
    page.wait_for_selector(f'#comment-{comment.pk} .comment-helpful button[aria-pressed="false"]')
    assert Comment.objects.get(pk=comment.pk).helpful_count == 0


def test_the_author_has_no_button_on_their_own_comment(new_page, seed_article):
    alice = UserFactory(username="alice")
    comment = CommentFactory(article=seed_article, author=alice)
    page = new_page(alice)
    page.goto(URL)
    assert page.locator(f"#comment-{comment.pk} .comment-helpful").count() == 0
    assert page.locator(f"#comment-{comment.pk} svg.avatar").count() == 1
