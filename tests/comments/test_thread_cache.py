"""The article page is fast whatever the thread's length: constant queries, one cache entry."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment
from comments.services import delete_comment, edit_comment, post_comment
from comments.thread import thread_key
from tests.comments.conftest import CommentFactory
from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db


def fill(article, n: int) -> None:
    """n approved comments from several authors (an editor among them), a third of them replies."""
    authors = UserFactory.create_batch(5)
    tops = []
    for i in range(n):
        parent = tops[i % len(tops)] if tops and i % 3 == 2 else None
        comment = CommentFactory(article=article, author=authors[i % 5], parent=parent)
        if parent is None:
            tops.append(comment)
    CommentFactory(article=article, author=authors[0], status=Comment.Status.PENDING)


def queries_for(client, url: str, *, warm: bool) -> int:
    if warm:
        client.get(url)
    else:
        caches["pages"].clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_the_article_page_query_count_is_the_same_for_0_10_and_500_comments(
    client, reader, editor, article, signed_in
):
    if signed_in:
        client.force_login(reader)
    url = article.get_absolute_url()
    counts = {}
    for n in (0, 10, 500):
        if n:
            fill(article, n - article.comments.visible().count())
        counts[n] = queries_for(client, url, warm=True)
    assert counts[0] == counts[10] == counts[500], counts
    # Even when the cache is cold the thread costs the same for 10 and 500 comments.
    cold_500 = queries_for(client, url, warm=False)
    Comment.objects.filter(pk__in=list(article.comments.values_list("pk", flat=True)[10:])).delete()
    assert queries_for(client, url, warm=False) == cold_500


def test_a_signed_in_reader_with_comments_of_their_own_costs_no_more(client, reader, article):
    client.force_login(reader)
    url = article.get_absolute_url()
    before = queries_for(client, url, warm=True)
    for _ in range(5):
        CommentFactory(article=article, author=reader)
        CommentFactory(article=article, author=reader, status=Comment.Status.PENDING)
    assert queries_for(client, url, warm=True) == before


def cached_entry(article):
    return caches["pages"].get(thread_key(article.pk, "oldest", 1))


@pytest.fixture
def warm_thread(client, article):
    CommentFactory(article=article, body="Already here")
    client.get(article.get_absolute_url())
    entry = cached_entry(article)
    assert entry is not None and "Already here" in entry
    return entry


def test_the_thread_is_rendered_once_into_one_cache_entry(client, reader, article, warm_thread):
    with CaptureQueriesContext(connection) as anonymous:
        client.get(article.get_absolute_url())
    assert not any("comments_comment" in q["sql"] and "COUNT" in q["sql"] for q in anonymous)
    client.force_login(reader)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Already here" in page
    assert cached_entry(article) == warm_thread  # the same entry served a different reader
    assert 'id="comment-form"' not in warm_thread and "csrfmiddlewaretoken" not in warm_thread


def test_a_new_approved_comment_replaces_the_cache_entry(
    trusted, client, reader, article, warm_thread
):
    post_comment(author=reader, article=article, body="Fresh")
    assert cached_entry(article) is None
    assert "Fresh" in client.get(article.get_absolute_url()).content.decode()


def test_a_new_pending_comment_leaves_the_cache_entry_alone(reader, article, warm_thread):
    article.comments_mode = article.CommentsMode.PREMODERATED
    article.save()
    post_comment(author=reader, article=article, body="Held")
    assert cached_entry(article) == warm_thread


def test_approving_a_pending_comment_replaces_the_cache_entry(client, article, warm_thread):
    pending = CommentFactory(article=article, status=Comment.Status.PENDING, body="Now approved")
    assert cached_entry(article) == warm_thread
    pending.status = Comment.Status.APPROVED
    pending.save()
    assert cached_entry(article) is None
    assert "Now approved" in client.get(article.get_absolute_url()).content.decode()


def test_editing_a_visible_comment_replaces_the_cache_entry(
    trusted, client, reader, article, warm_thread
):
    mine = post_comment(author=reader, article=article, body="Before")
    client.get(article.get_absolute_url())
    edit_comment(comment=mine, by=reader, body="After")
    assert cached_entry(article) is None
    page = client.get(article.get_absolute_url()).content.decode()
    assert "After" in page and "Before" not in page


def test_removing_a_visible_comment_replaces_the_cache_entry(
    trusted, client, reader, article, warm_thread
):
    mine = post_comment(author=reader, article=article, body="Soon gone")
    client.get(article.get_absolute_url())
    delete_comment(comment=mine, by=reader)
    assert cached_entry(article) is None
    assert "Soon gone" not in client.get(article.get_absolute_url()).content.decode()


def test_rejecting_a_pending_comment_leaves_the_cache_entry_alone(article, warm_thread):
    pending = CommentFactory(article=article, status=Comment.Status.PENDING)
    pending = Comment.objects.get(pk=pending.pk)
    pending.status = Comment.Status.REJECTED
    pending.save()
    assert cached_entry(article) == warm_thread


def test_a_change_on_another_article_leaves_this_cache_entry_alone(reader, article, warm_thread):
    CommentFactory(body="Elsewhere")
    assert cached_entry(article) == warm_thread
