"""rerender_comments writes stored HTML again under the current policy, in batches."""

import io

import pytest
from django.core.management import call_command

from articles.models import Article
from comments.models import Comment
from markup.sanitize import render_comment, render_markdown

pytestmark = pytest.mark.django_db


def test_every_stale_comment_is_rendered_again_and_fresh_ones_are_left(article, make_comment):
    stale = make_comment(article=article, body="see https://example.com")
    fresh = make_comment(article=article, body="fine")
    Comment.objects.filter(pk=stale.pk).update(body_html="<p>old policy</p>")
    out = io.StringIO()
    call_command("rerender_comments", "--batch-size", "1", stdout=out, stderr=io.StringIO())
    stale.refresh_from_db()
    assert stale.body_html == render_comment("see https://example.com")
    assert Comment.objects.get(pk=fresh.pk).body_html == render_comment("fine")
    assert "Comments: 2 in 2 batches, done inline." in out.getvalue()


def test_the_progress_bar_is_shown(article, make_comment):
    make_comment(article=article)
    err = io.StringIO()
    call_command("rerender_comments", stdout=io.StringIO(), stderr=err)
    assert "comments: 100%" in err.getvalue()


def test_articles_are_rendered_again_on_request(client, article):
    Article.objects.filter(pk=article.pk).update(body_html="<p>stale</p>")
    call_command("rerender_comments", "--no-progress", stdout=io.StringIO())
    assert Article.objects.get(pk=article.pk).body_html == "<p>stale</p>"
    call_command("rerender_comments", "--articles", "--no-progress", stdout=io.StringIO())
    assert Article.objects.get(pk=article.pk).body_html == render_markdown(article.body)


def test_a_rerender_that_changes_a_comment_replaces_the_cached_thread(
    client, article, make_comment
):
    comment = make_comment(article=article, body="plain words")
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>OLD HTML</p>")
    client.get(article.get_absolute_url())
    call_command("rerender_comments", "--no-progress", stdout=io.StringIO())
    assert "plain words" in client.get(article.get_absolute_url()).content.decode()


def test_a_rerendered_article_body_replaces_its_cached_page(client, article):
    Article.objects.filter(pk=article.pk).update(body_html="<p>STALE BODY</p>")
    assert "STALE BODY" in client.get(article.get_absolute_url()).content.decode()
    call_command("rerender_comments", "--articles", "--no-progress", stdout=io.StringIO())
    assert "STALE BODY" not in client.get(article.get_absolute_url()).content.decode()


def test_each_batch_is_a_task_of_its_own(article, make_comment, monkeypatch):
    from comments import tasks

    for n in range(5):
        make_comment(article=article, body=f"comment {n}")
    ranges = []
    monkeypatch.setattr(
        tasks.rerender_comments, "run", lambda first, last: ranges.append((first, last))
    )
    call_command("rerender_comments", "--batch-size", "2", "--no-progress", stdout=io.StringIO())
    pks = sorted(Comment.objects.values_list("pk", flat=True))
    assert ranges == [(pks[0], pks[1]), (pks[2], pks[3]), (pks[4], pks[4])]
