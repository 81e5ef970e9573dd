"""seedbulk fills a throwaway database with comments whose threads stay consistent."""

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.models import Article
from comments.models import Comment, Thread
from comments.thread import bump_threads

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seedbulk", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_comments_are_spread_over_new_and_given_articles(seed_article):
    out = seed(
        "--articles", "2", "--comments", "300", "--on", seed_article.slug, "--pending", "0.1"
    )
    articles = set(Comment.objects.values_list("article_id", flat=True))
    assert len(articles) == 3 and seed_article.pk in articles
    assert Comment.objects.count() == 300
    pending = Comment.objects.filter(status=Comment.Status.PENDING).count()
    assert 10 < pending < 60
    assert f"300 comments ({pending} pending) on 3 articles" in out
    assert Article.objects.published().filter(slug__startswith="bulk-").count() == 2


def test_replies_answer_approved_comments_of_the_same_article_within_the_depth_limit(article):
    seed("--comments", "400", "--on", article.slug, "--authors", "5")
    replies = Comment.objects.filter(parent__isnull=False).select_related("parent")
    assert replies.count() > 50
    for reply in replies:
        assert reply.parent.article_id == reply.article_id
        assert reply.parent.status == Comment.Status.APPROVED
        assert reply.depth == reply.parent.depth + 1 <= settings.COMMENTS_MAX_DEPTH
        assert reply.root_id == (reply.parent.root_id or reply.parent_id)
        assert reply.created_at > reply.parent.created_at
    assert Comment.objects.values("author").distinct().count() == 5


def test_thread_counts_are_those_a_recount_gives(article):
    seed("--comments", "250", "--on", article.slug, "--articles", "1")
    seeded = {t.article_id: (t.visible_count, t.top_level_count) for t in Thread.objects.all()}
    bump_threads(Article.objects.values_list("pk", flat=True))
    recounted = {t.article_id: (t.visible_count, t.top_level_count) for t in Thread.objects.all()}
    assert seeded == recounted
    assert seeded[article.pk][0] == article.comments.visible().count() > 0


def test_the_comments_show_on_the_article_page_and_new_ones_follow(client, seed_article):
    client.get(seed_article.get_absolute_url())  # a cached page from before the seeding
    seed("--comments", "30", "--on", seed_article.slug, "--pending", "0")
    page = client.get(seed_article.get_absolute_url()).content.decode()
    assert "Comments (30)" in page
    newest = Comment.objects.order_by("-pk").first()
    assert f'id="comment-{newest.pk}"' in page
    later = Comment.objects.create(article=seed_article, body="after", body_html="<p>after</p>")
    assert later.pk > newest.pk  # the ids chosen by the seeding left the sequence after them


def test_the_progress_bar_is_shown(article):
    err = io.StringIO()
    call_command(
        "seedbulk", "--comments", "10", "--on", article.slug, stdout=io.StringIO(), stderr=err
    )
    assert "comments: 100%" in err.getvalue()


def test_comments_need_an_article(db):
    with pytest.raises(CommandError, match="need articles"):
        seed("--comments", "10")
    with pytest.raises(CommandError, match="No article"):
        seed("--comments", "10", "--on", "nowhere")
