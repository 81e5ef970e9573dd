"""The database holds a thread's version: a cache can only miss, never show an older thread.

Whatever a cache holds (this process's, another worker's, a Redis restored from an old snapshot),
a page of a thread is looked up under the version the database has now, bumped in the same
transaction as every change a reader could see.
"""

from __future__ import annotations

import copy
import io

import pytest
from django.core.cache import caches
from django.core.management import call_command

from comments.errors import CommentError
from comments.models import Comment, Thread
from comments.services import post_comment
from comments.thread import bump_threads, thread_key, thread_state
from moderation.decisions import decide
from moderation.sanctions import sanction
from tests.comments.conftest import CommentFactory
from tests.conftest import trust

pytestmark = pytest.mark.django_db


class Snapshot:
    """Everything the page cache holds now, to be put back later as a restored cache would be.

    The page cache is per-process memory (LocMemCache): its own dictionaries are copied, which is
    what a snapshot of it is.
    """

    def __init__(self) -> None:
        pages = caches["pages"]
        self.entries = copy.deepcopy(pages._cache)
        self.expiry = dict(pages._expire_info)

    def restore(self) -> None:
        pages = caches["pages"]
        pages._cache.clear()
        pages._cache.update(copy.deepcopy(self.entries))
        pages._expire_info.clear()
        pages._expire_info.update(self.expiry)


def test_a_page_cache_restored_from_before_an_approval_still_shows_it(client, article, editor):
    CommentFactory(article=article, body="Already here.")
    held = CommentFactory(article=article, body="Held at first.", status=Comment.Status.PENDING)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Comments (1)" in page and "Held at first." not in page
    snapshot = Snapshot()

    decide(held, "approve", by=editor)
    snapshot.restore()

    page = client.get(article.get_absolute_url()).content.decode()
    assert "Comments (2)" in page and "Held at first." in page


def test_a_ban_needs_no_cache_to_be_in_force(client, article, reader, editor):
    trust(reader)
    client.force_login(reader)
    client.get(article.get_absolute_url())
    snapshot = Snapshot()
    sanction(reader, "ban", by=editor, reason="Spam.")
    snapshot.restore()
    with pytest.raises(CommentError, match="no longer take part"):
        post_comment(author=reader, article=article, body="Still here?")


def test_each_visible_change_bumps_the_version_and_the_counts_in_its_transaction(
    article, reader, editor
):
    trust(reader)
    start = thread_state(article.pk).version
    first = post_comment(author=reader, article=article, body="One.")
    post_comment(author=reader, article=article, body="A reply.", parent=first)
    state = thread_state(article.pk)
    assert (state.visible_count, state.top_level_count) == (2, 1)
    assert state.version == start + 2
    decide(first, "reject", by=editor, reason="Off topic.")
    state = thread_state(article.pk)
    # The rejected comment stays as a placeholder holding its visible reply.
    assert (state.visible_count, state.top_level_count, state.version) == (1, 1, start + 3)


def test_a_pending_comment_leaves_the_version_alone(article, stranger):
    before = thread_state(article.pk)
    post_comment(author=stranger, article=article, body="A first comment waits.")
    assert thread_state(article.pk) == before


def test_every_article_has_its_thread_row_from_the_start(article):
    assert Thread.objects.filter(article=article, version=0, visible_count=0).exists()


def test_only_pages_that_exist_are_cached(client, article):
    CommentFactory(article=article, body="The only comment.")
    for number in (2, 3, 50, 10**30):
        response = client.get(article.get_absolute_url(), {"comments_page": number})
        assert "The only comment." in response.content.decode()  # the last page: page 1
    pages = caches["pages"]
    version = thread_state(article.pk).version
    assert pages.get(thread_key(article.pk, "oldest", 1, version=version)) is not None
    for number in (2, 3, 50):
        assert pages.get(thread_key(article.pk, "oldest", number, version=version)) is None
    # Page 1 alone: rendered once (with its links' slots) and as anonymous readers see it.
    assert sum(":comments:thread:" in key for key in pages._cache) == 2


def test_a_rerender_gives_the_thread_a_new_version(client, article):
    comment = CommentFactory(article=article, body="Fresh words.")
    # HTML stored under an older sanitising policy, as the thread then showed it.
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>OLD RENDERING</p>")
    bump_threads([article.pk])
    assert "OLD RENDERING" in client.get(article.get_absolute_url()).content.decode()
    before = thread_state(article.pk).version

    call_command("rerender_comments", "--no-progress", stdout=io.StringIO())

    assert thread_state(article.pk).version == before + 1
    page = client.get(article.get_absolute_url()).content.decode()
    assert "OLD RENDERING" not in page and "<p>Fresh words.</p>" in page


def test_a_change_made_inside_threads_changing_gives_one_version_and_true_counts(article):
    from comments.thread import threads_changing
    from tests.conftest import ArticleFactory

    other = ArticleFactory()
    root = CommentFactory(article=article, status=Comment.Status.PENDING)
    reply = CommentFactory(article=article, status=Comment.Status.PENDING, parent=root)
    elsewhere = CommentFactory(article=other, status=Comment.Status.APPROVED)
    bump_threads([article.pk, other.pk])
    before = {t.article_id: t.version for t in Thread.objects.all()}
    with threads_changing([reply, elsewhere]):
        Comment.objects.filter(pk=reply.pk).update(status=Comment.Status.APPROVED)
        Comment.objects.filter(pk=elsewhere.pk).update(status=Comment.Status.SPAM)
    kept = {
        t.article_id: (t.version, t.visible_count, t.top_level_count) for t in Thread.objects.all()
    }
    assert kept[article.pk] == (before[article.pk] + 1, 1, 1)  # the root shows, holding its reply
    assert kept[other.pk] == (before[other.pk] + 1, 0, 0)
    bump_threads([article.pk, other.pk])
    assert {t.article_id: (t.visible_count, t.top_level_count) for t in Thread.objects.all()} == {
        a: counts[1:] for a, counts in kept.items()
    }
