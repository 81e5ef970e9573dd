"""In a real browser: an editor works the Pending queue with the keyboard alone."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.roles import make_editor
from comments.models import Comment
from moderation.models import ModerationEvent
from tests.comments.conftest import CommentFactory
from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
QUEUE = "/moderation/queue/pending/"


def log_in(page, username: str, next_url: str) -> None:
    """Through allauth's own login form, typing and pressing Enter."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"**{next_url}")


def current_row(page) -> str | None:
    return page.evaluate(
        "() => document.querySelector('.queue-row[aria-current=\"true\"]')?.dataset.commentId"
    )


def test_an_editor_approves_rejects_and_spams_the_pending_queue_from_the_keyboard(
    page, seed_article
):
    make_editor(UserFactory(username="eve"))
    start = timezone.now() - dt.timedelta(hours=1)
    comments = []
    for n, body in enumerate(["Helpful answer", "Rude reply", "Buy cheap pills", "Later one"]):
        comment = CommentFactory(article=seed_article, status=Comment.Status.PENDING, body=body)
        Comment.objects.filter(pk=comment.pk).update(created_at=start + dt.timedelta(minutes=n))
        comments.append(comment)
    first, second, third, fourth = (str(c.pk) for c in comments)

    log_in(page, "eve", QUEUE)
    assert page.locator("[data-shortcuts-hint]").is_visible()

    page.keyboard.press("?")
    assert page.locator("#queue-help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#queue-help").is_visible()

    page.keyboard.press("j")  # oldest first: the helpful answer
    assert current_row(page) == first
    with page.expect_navigation():
        page.keyboard.press("a")
    page.wait_for_url(f"**{QUEUE}")
    assert current_row(page) == second  # focus came back on the next comment

    page.keyboard.press("r")  # to the reason field first
    page.keyboard.type("Please keep it civil.")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert current_row(page) == third

    with page.expect_navigation():
        page.keyboard.press("s")
    assert current_row(page) == fourth
    page.keyboard.press("x")
    assert (
        page.locator(f'.queue-row[data-comment-id="{fourth}"]')
        .get_attribute("class")
        .count("is-selected")
    )

    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in comments] == ["approved", "rejected", "spam", "pending"]
    assert Comment.objects.get(pk=comments[1].pk).decision_reason == "Please keep it civil."
    assert ModerationEvent.objects.filter(kind="decided", actor_name="eve").count() == 3
    assert page.locator(".queue-row").count() == 1
    assert "(1)" in page.locator(".queue-tabs a[aria-current=page]").inner_text()
