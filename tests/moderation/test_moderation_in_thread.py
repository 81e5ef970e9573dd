"""Editors moderate from the article itself: tools beside each comment of the thread, and the
article's comments awaiting moderation above it. Nobody else sees them."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment
from moderation.models import ModerationEvent
from tests.comments.conftest import CommentFactory

pytestmark = pytest.mark.django_db
S = Comment.Status


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html5lib")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def tools_of(page, comment):
    return page.find(id=f"comment-{comment.pk}").select_one(".comment-moderation")


def test_an_editor_gets_tools_beside_each_comment_with_its_own_id_and_version(
    editor_client, article
):
    first = CommentFactory(article=article)
    second = CommentFactory(article=article, featured_at="2026-01-01T00:00:00Z")
    Comment.objects.filter(pk=second.pk).update(version=3)
    page = soup_of(editor_client.get(article.get_absolute_url()))
    for comment, version in ((first, "0"), (second, "3")):
        tools = tools_of(page, comment)
        actions = [form["action"] for form in tools.find_all("form")]
        assert actions == [
            f"/moderation/comments/{comment.pk}/feature/",
            f"/moderation/comments/{comment.pk}/reject/",
            f"/moderation/comments/{comment.pk}/spam/",
        ]
        versions = {i["value"] for i in tools.find_all("input", attrs={"name": "version"})}
        assert versions == {version}
    assert tools_of(page, first).find("button").get_text() == "Pick"
    assert tools_of(page, second).find("button").get_text() == "Stop featuring"
    # Editors act rather than report.
    assert page.find(id=f"comment-{first.pk}").find("a", string="Report") is None


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_nobody_else_sees_an_editors_tools(client, reader, article, who):
    CommentFactory(article=article)
    CommentFactory(article=article, status=S.PENDING, body="Waiting for an editor")
    if who == "reader":
        client.force_login(reader)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "comment-moderation" not in html and "moderation-panel" not in html
    assert "Waiting for an editor" not in html


def test_the_editors_page_costs_the_same_queries_for_5_or_50_comments(editor_client, article):
    def queries() -> int:
        editor_client.get(article.get_absolute_url())  # the cached thread, warm
        with CaptureQueriesContext(connection) as captured:
            editor_client.get(article.get_absolute_url())
        return len(captured)

    CommentFactory.create_batch(5, article=article)
    few = queries()
    CommentFactory.create_batch(45, article=article)
    assert queries() == few


def test_rejecting_from_the_thread_comes_back_to_the_discussion_and_says_so(
    editor_client, editor, article, stranger
):
    comment = CommentFactory(article=article, author=stranger, body="Rude words")
    page = soup_of(editor_client.get(article.get_absolute_url()))
    form = tools_of(page, comment).find("form", action=f"/moderation/comments/{comment.pk}/reject/")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input")}
    response = editor_client.post(form["action"], data)
    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}#comments"
    assert Comment.objects.get(pk=comment.pk).status == S.REJECTED
    landed = soup_of(editor_client.get(response["Location"]))
    notice = landed.select_one("#comments .comment-notice")
    assert notice.get_text() == (f"The comment by stranger on “{article.title}” was rejected.")
    assert "Rude words" not in landed.select_one("#comments").get_text()


def test_picking_from_the_thread_lands_at_the_comment_with_the_news_beside_it(
    editor_client, editor, article
):
    comment = CommentFactory(article=article)
    response = editor_client.post(
        f"/moderation/comments/{comment.pk}/feature/", {"featured": "1", "from": "thread"}
    )
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = soup_of(editor_client.get(response["Location"]))
    beside = page.find(id=f"comment-{comment.pk}")
    assert "is now an editors' pick" in beside.select_one(".comment-notice").get_text()
    assert beside.select_one(".badge-featured") is not None
    assert ModerationEvent.objects.filter(kind="featured", comment_id=comment.pk).exists()


def test_the_articles_comments_awaiting_moderation_are_above_the_discussion(editor_client, article):
    waiting = CommentFactory(article=article, status=S.PENDING, body="Is this normal?")
    CommentFactory(status=S.PENDING, body="On another article")
    page = soup_of(editor_client.get(article.get_absolute_url()))
    panel = page.select_one(".moderation-panel")
    assert panel.find("h2").get_text() == "Awaiting moderation here (1)"
    assert "Is this normal?" in panel.get_text() and "On another article" not in panel.get_text()
    approve = panel.find("form", action=f"/moderation/comments/{waiting.pk}/approve/")
    data = {i["name"]: i.get("value", "") for i in approve.find_all("input")}
    response = editor_client.post(approve["action"], data)
    assert response["Location"].endswith(f"#comment-{waiting.pk}")
    assert Comment.objects.get(pk=waiting.pk).status == S.APPROVED
    again = soup_of(editor_client.get(article.get_absolute_url()))
    assert again.select_one(".moderation-panel") is None
    assert "Is this normal?" in again.find(id=f"comment-{waiting.pk}").get_text()


def test_a_decision_from_the_queue_names_the_comment_by_its_author_and_article(
    editor_client, article, reader
):
    comment = CommentFactory(article=article, author=reader, status=S.PENDING)
    response = editor_client.post(
        f"/moderation/comments/{comment.pk}/approve/", {"version": 0}, follow=True
    )
    text = soup_of(response).select_one(".messages").get_text(" ", strip=True)
    assert text == f"The comment by reader on “{article.title}” was approved."
    assert not re.search(rf"\b{comment.pk}\b", text.replace(article.title, ""))


def test_a_pending_row_offers_only_the_actions_open_to_it(editor_client, article):
    CommentFactory(article=article, status=S.PENDING)
    page = soup_of(editor_client.get("/moderation/queue/pending/"))
    row = page.select_one(".queue-row")
    assert [b["data-action"] for b in row.select(".queue-actions button")] == [
        "approve",
        "reject",
        "spam",
    ]
    assert row.select("button[disabled]") == []


def test_the_queue_filters_by_words_of_the_articles_title(editor_client, article):
    from tests.conftest import ArticleFactory

    other = ArticleFactory(title="Sleep and magnesium")
    CommentFactory(article=article, status=S.PENDING, body="On the first")
    CommentFactory(article=other, status=S.PENDING, body="On magnesium")
    page = soup_of(editor_client.get("/moderation/queue/pending/", {"title": "MAGNESIUM sleep"}))
    assert [
        r.select_one(".queue-body").get_text(strip=True) for r in page.select(".queue-row")
    ] == ["On magnesium"]
    assert page.select_one("details.queue-filters").has_attr("open")
    assert page.find("input", attrs={"name": "title"})["value"] == "MAGNESIUM sleep"
    assert page.find("input", attrs={"type": "number"}) is None


def test_a_new_readers_card_says_joined_today_not_zero_minutes_ago(editor_client, article):
    CommentFactory(article=article, status=S.PENDING)
    card = soup_of(editor_client.get("/moderation/queue/pending/")).select_one(".author-history")
    assert "Joined today" in card.get_text(" ", strip=True)
    assert "minutes" not in card.get_text()
