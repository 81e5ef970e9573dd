"""Threads: replies nest to a maximum depth, order, pages, placeholders, badges, permalinks."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from comments.errors import CommentError
from comments.models import Comment
from comments.services import post_comment
from tests.comments.conftest import post_form
from tests.conftest import ArticleFactory

pytestmark = pytest.mark.django_db


def page_of(client, url):
    return BeautifulSoup(client.get(url).content, "html5lib")


def top_level_ids(soup) -> list[int]:
    return [int(li["id"].split("-")[1]) for li in soup.select("ol.comment-list > li.comment")]


def test_a_reply_is_nested_under_the_comment_it_answers(
    trusted, reader_client, article, make_comment
):
    parent = make_comment(article=article)
    response = post_form(reader_client, article, "I agree", parent=parent)
    reply = Comment.objects.get(parent=parent)
    assert (reply.depth, reply.root) == (1, parent)
    assert response["Location"].endswith(f"#comment-{reply.pk}")
    soup = page_of(reader_client, article.get_absolute_url())
    nested = soup.find(id=f"comment-{parent.pk}").select_one("ol.comment-replies > li")
    assert nested["id"] == f"comment-{reply.pk}"
    assert soup.find(id="comments-heading").get_text() == "Comments (2)"


def test_the_reply_link_opens_the_form_as_a_reply(reader_client, article, make_comment):
    parent = make_comment(article=article)
    soup = page_of(reader_client, article.get_absolute_url())
    link = soup.find(id=f"comment-{parent.pk}").select_one(".comment-actions a")
    assert link.get_text() == "Reply"
    form = page_of(reader_client, link["href"]).select_one("form#comment-form")
    assert form.find("input", attrs={"name": "parent"})["value"] == str(parent.pk)
    assert form.find("button").get_text() == "Post reply"


@pytest.mark.parametrize("max_depth", [1, 3])
def test_replies_deeper_than_the_maximum_attach_to_the_deepest_level(
    trusted, no_rate_limit, settings, reader, article, max_depth
):
    settings.COMMENTS_MAX_DEPTH = max_depth
    chain = [post_comment(author=reader, article=article, body="top")]
    for n in range(max_depth + 2):
        chain.append(post_comment(author=reader, article=article, body=f"r{n}", parent=chain[-1]))
    assert [c.depth for c in chain] == [*range(max_depth + 1), max_depth, max_depth]
    deepest_parent = chain[max_depth - 1]
    assert chain[-1].parent == deepest_parent and chain[-2].parent == deepest_parent
    assert all(c.root == chain[0] for c in chain[1:])


def test_a_reply_must_answer_a_visible_comment_of_the_same_article(reader, article, make_comment):
    elsewhere = make_comment(article=ArticleFactory())
    with pytest.raises(CommentError, match="another article"):
        post_comment(author=reader, article=article, body="x", parent=elsewhere)
    hidden = make_comment(article=article, status=Comment.Status.REMOVED)
    with pytest.raises(CommentError, match="no longer available"):
        post_comment(author=reader, article=article, body="x", parent=hidden)


@pytest.fixture
def dated(article, make_comment):
    comments = [make_comment(article=article) for _ in range(3)]
    now = timezone.now()
    for minutes, comment in zip((30, 20, 10), comments, strict=True):
        Comment.objects.filter(pk=comment.pk).update(created_at=now - dt.timedelta(minutes=minutes))
    return [c.pk for c in comments]


def test_comments_read_oldest_first_by_default_and_newest_first_on_request(client, article, dated):
    url = article.get_absolute_url()
    assert top_level_ids(page_of(client, url)) == dated
    newest = page_of(client, f"{url}?order=newest")
    assert top_level_ids(newest) == dated[::-1]
    toggle = newest.select_one("nav.comment-order a[aria-current]")
    assert toggle.get_text() == "Newest first"


def test_replies_keep_conversation_order_when_newest_first(client, article, make_comment):
    parent = make_comment(article=article)
    first, second = (
        make_comment(article=article, parent=parent),
        make_comment(article=article, parent=parent),
    )
    soup = page_of(client, f"{article.get_absolute_url()}?order=newest")
    replies = soup.find(id=f"comment-{parent.pk}").select("ol.comment-replies > li")
    assert [li["id"] for li in replies] == [f"comment-{first.pk}", f"comment-{second.pk}"]


def test_long_threads_are_paginated_by_top_level_comments(client, settings, article, make_comment):
    settings.COMMENTS_PER_PAGE = 2
    tops = [make_comment(article=article) for _ in range(5)]
    reply = make_comment(article=article, parent=tops[2])
    url = article.get_absolute_url()
    first = page_of(client, url)
    assert top_level_ids(first) == [tops[0].pk, tops[1].pk]
    assert first.find(id="comments-heading").get_text() == "Comments (6)"
    assert "Page 1 of 3" in first.select_one("nav.comment-pages").get_text()
    second = page_of(client, first.select_one("nav.comment-pages a[rel=next]")["href"])
    assert top_level_ids(second) == [tops[2].pk, tops[3].pk]
    assert second.find(id=f"comment-{reply.pk}") is not None  # a reply travels with its thread
    assert top_level_ids(page_of(client, f"{url}?comments_page=3")) == [tops[4].pk]
    assert top_level_ids(page_of(client, f"{url}?comments_page=99")) == [tops[4].pk]
    assert top_level_ids(page_of(client, f"{url}?comments_page=nonsense")) == top_level_ids(first)


def test_the_permalink_and_the_redirect_after_posting_find_the_right_page(
    trusted, reader_client, settings, article, make_comment
):
    settings.COMMENTS_PER_PAGE = 2
    tops = [make_comment(article=article) for _ in range(4)]
    response = post_form(reader_client, article, "On page two", parent=tops[3])
    reply = Comment.objects.get(parent=tops[3])
    assert (
        response["Location"] == f"{article.get_absolute_url()}?comments_page=2#comment-{reply.pk}"
    )
    assert reader_client.get(f"/comments/{tops[0].pk}/")["Location"] == (
        f"{article.get_absolute_url()}#comment-{tops[0].pk}"
    )


def test_a_removed_comment_with_replies_leaves_a_placeholder(client, article, make_comment):
    removed = make_comment(article=article, status=Comment.Status.REMOVED, body="Gone words")
    reply = make_comment(article=article, parent=removed)
    lonely = make_comment(article=article, status=Comment.Status.REMOVED, body="Lonely words")
    soup = page_of(client, article.get_absolute_url())
    holder = soup.find(id=f"comment-{removed.pk}")
    assert holder.select_one(".comment-removed").get_text() == "This comment was removed."
    assert "Gone words" not in soup.get_text()
    assert holder.find(id=f"comment-{reply.pk}") is not None
    assert soup.find(id=f"comment-{lonely.pk}") is None
    assert soup.find(id="comments-heading").get_text() == "Comments (1)"


def test_a_nested_placeholder_keeps_a_deeper_reply_in_place(client, article, make_comment):
    top = make_comment(article=article)
    middle = make_comment(article=article, parent=top, status=Comment.Status.REMOVED)
    deep = make_comment(article=article, parent=middle)
    soup = page_of(client, article.get_absolute_url())
    assert soup.find(id=f"comment-{middle.pk}").select_one(".comment-removed") is not None
    assert soup.find(id=f"comment-{middle.pk}").find(id=f"comment-{deep.pk}") is not None


def test_an_editors_comment_carries_a_badge(client, article, editor, reader, make_comment):
    by_editor = make_comment(article=article, author=editor)
    by_reader = make_comment(article=article, author=reader)
    soup = page_of(client, article.get_absolute_url())
    assert (
        soup.find(id=f"comment-{by_editor.pk}").select_one(".badge-editor").get_text() == "Editor"
    )
    assert soup.find(id=f"comment-{by_reader.pk}").select_one(".badge-editor") is None


def test_each_comment_has_a_permalink_anchor_and_a_machine_readable_time(
    client, article, make_comment
):
    comment = make_comment(article=article)
    soup = page_of(client, article.get_absolute_url())
    link = soup.find(id=f"comment-{comment.pk}").select_one("a.comment-permalink")
    assert link["href"] == f"#comment-{comment.pk}"
    # Whole seconds: HTML allows at most three digits of a fraction, and nobody needs them.
    machine = link.find("time")["datetime"]
    assert dt.datetime.fromisoformat(machine) == comment.created_at.replace(microsecond=0)
    assert "." not in machine


def test_a_pending_comment_has_no_public_permalink(client, stranger, make_comment):
    pending = make_comment(status=Comment.Status.PENDING)
    assert client.get(f"/comments/{pending.pk}/").status_code == 404
    client.force_login(stranger)
    assert client.get(f"/comments/{pending.pk}/").status_code == 404
    client.force_login(pending.author)
    assert client.get(f"/comments/{pending.pk}/").status_code == 302
