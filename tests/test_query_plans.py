"""Every hot list and queue is read through an index (PostgreSQL's EXPLAIN, on real rows).

A few thousand comments and articles, made in bulk and ANALYZEd, then the hot pages requested as
their readers request them: the Pending queue's first page (an editor), an article's thread page
(anonymous, and its second page), a reader's own comments, a reader's public profile, a section's
listing, the home page's published articles, and the API's lists. Every query those requests run
is EXPLAINed: none may read the comments table (or, for the listings, the articles table) whole.
The planner is left free (no `enable_seqscan = off`): with these rows a missing index shows.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.roles import make_editor
from articles.models import Article, Section
from comments.models import Comment
from comments.thread import bump_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN is PostgreSQL's"),
]

ARTICLES = 2000
DISCUSSED = 30  # articles with comments
COMMENTS_EACH = 400  # 12,000 comments in all: more approved than a queue count's cap
READERS = 60


@pytest.fixture(scope="module")
def many(django_db_setup, django_db_blocker):
    """Sections, articles, readers and comments, in bulk, with the planner's statistics fresh.

    Made once for the module (committed, then flushed): a few seconds' work."""
    with django_db_blocker.unblock():
        made = _make_many()
        try:
            yield made
        finally:
            # Emptied as after any transactional test (fixtures make their rows again): deleting
            # row by row through the ORM's cascades would take minutes.
            call_command("flush", interactive=False, verbosity=0)


def _make_many() -> dict:
    now = timezone.now()
    parent = Section.objects.create(name="Bulk", slug="bulk")
    sections = [
        Section.objects.create(name=f"Topic {n}", slug=f"topic-{n}", parent=parent)
        for n in range(20)
    ]
    editor = make_editor(User.objects.create_user("bulk-editor", "bulk-editor@example.com"))
    readers = User.objects.bulk_create(
        [User(username=f"bulk{n}", email=f"bulk{n}@example.com") for n in range(READERS)]
    )
    articles = Article.objects.bulk_create(
        [
            Article(
                section=sections[n % len(sections)],
                title=f"Article {n}",
                slug=f"article-{n}",
                body="Text.",
                body_html="<p>Text.</p>",
                author=editor,
                status=Article.Status.PUBLISHED if n % 10 else Article.Status.DRAFT,
                published_at=now - dt.timedelta(hours=n + 1),
            )
            for n in range(ARTICLES)
        ]
    )
    discussed = [a for a in articles if a.status == Article.Status.PUBLISHED][:DISCUSSED]
    # As on a site with editors at work: most comments published, a few waiting or turned away.
    statuses = ["approved"] * 45 + ["pending"] * 2 + ["rejected", "spam", "removed"]
    tops = Comment.objects.bulk_create(
        [
            Comment(
                article=article,
                author=readers[n % READERS],
                body="A comment.",
                body_html="<p>A comment.</p>",
                status=statuses[n % len(statuses)],
            )
            for article in discussed
            for n in range(COMMENTS_EACH // 2)
        ]
    )
    Comment.objects.bulk_create(
        [
            Comment(
                article_id=top.article_id,
                author=readers[(n + 7) % READERS],
                parent=top,
                root=top,
                depth=1,
                body="A reply.",
                body_html="<p>A reply.</p>",
                status=statuses[(n + 3) % len(statuses)],
            )
            for n, top in enumerate(tops)
        ]
    )
    # Spread the times as real traffic would (bulk_create stamps them all alike).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE comments_comment SET created_at = %s - id * interval '1 minute'", [now]
        )
    bump_threads([a.pk for a in discussed])
    with connection.cursor() as cursor:
        # What autovacuum keeps up to date on a live server: the statistics, and the visibility
        # map that lets an index answer alone.
        for table in ("comments_comment", "comments_thread", "articles_article", "accounts_user"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    assert Comment.objects.count() >= DISCUSSED * COMMENTS_EACH
    return {"article": discussed[0], "reader": readers[0], "editor": editor, "section": sections[0]}


def plans(queries: list[dict]) -> list[tuple[str, str]]:
    """(query, plan) for every SELECT run."""
    found = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            found.append((sql, json.dumps(plan if isinstance(plan, list) else json.loads(plan))))
    return found


def seq_scans(plan: str) -> set[str]:
    """The tables a plan reads whole."""
    return set(re.findall(r'"Node Type": "Seq Scan"[^}]*?"Relation Name": "(\w+)"', plan))


def requested(client, path: str) -> list[tuple[str, str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return plans(captured.captured_queries)


def assert_indexed(found: list[tuple[str, str]], *tables: str) -> None:
    assert found, "no query was run"
    for sql, plan in found:
        whole = seq_scans(plan) & set(tables)
        assert not whole, f"{whole} read whole by:\n{sql}\n{plan}"


def test_the_pending_queue_first_page_reads_an_index(db, client, many):
    client.force_login(many["editor"])
    found = requested(client, "/moderation/queue/pending/")
    assert_indexed(found, "comments_comment")
    assert any("comments_comment" in sql and "pending" in sql for sql, _ in found)


@pytest.mark.parametrize("order", ["", "?order=worst", "?order=newest"])
def test_every_order_of_the_pending_queue_reads_an_index(db, client, many, order):
    client.force_login(many["editor"])
    assert_indexed(requested(client, f"/moderation/queue/pending/{order}"), "comments_comment")


@pytest.mark.parametrize("page", ["", "?page=2"])
def test_an_articles_thread_page_reads_an_index(db, client, many, page):
    article = many["article"]
    found = requested(client, article.get_absolute_url() + page)
    assert_indexed(found, "comments_comment")
    assert any("comments_comment" in sql for sql, _ in found)


def test_an_articles_thread_for_a_signed_in_reader_reads_an_index(db, client, many):
    client.force_login(many["reader"])
    assert_indexed(requested(client, many["article"].get_absolute_url()), "comments_comment")


def test_a_readers_own_comments_read_an_index(db, client, many):
    client.force_login(many["reader"])
    found = requested(client, "/users/me/comments/")
    assert_indexed(found, "comments_comment")
    assert any("comments_comment" in sql for sql, _ in found)


def test_a_readers_public_profile_reads_an_index(db, client, many):
    assert_indexed(requested(client, f"/users/{many['reader'].username}/"), "comments_comment")


def test_a_section_listing_reads_an_index(db, client, many):
    found = requested(client, many["section"].get_absolute_url())
    assert_indexed(found, "comments_comment", "articles_article")


def test_the_published_articles_read_an_index(db, client, many):
    assert_indexed(requested(client, "/"), "comments_comment", "articles_article")


@pytest.mark.parametrize("path", ["/api/articles/", "/feeds/latest/"])
def test_the_published_articles_elsewhere_read_an_index(db, client, many, path):
    assert_indexed(requested(client, path), "comments_comment", "articles_article")


def test_the_apis_thread_reads_an_index(db, client, many):
    found = requested(client, f"/api/articles/{many['article'].pk}/comments/")
    assert_indexed(found, "comments_comment")
