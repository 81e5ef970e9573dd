"""When a reader deletes their account, their comments follow COMMENTS_ON_ACCOUNT_DELETION."""

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment

pytestmark = pytest.mark.django_db


def thread(client, article):
    return BeautifulSoup(client.get(article.get_absolute_url()).content, "html5lib")


def test_by_default_comments_stay_and_show_a_deleted_user(client, reader, article, make_comment):
    comment = make_comment(article=article, author=reader, body="My words")
    client.get(article.get_absolute_url())  # the thread is cached with the old name
    reader.delete()
    comment.refresh_from_db()
    assert (comment.author, comment.status) == (None, Comment.Status.APPROVED)
    shown = thread(client, article).find(id=f"comment-{comment.pk}")
    assert shown.select_one(".comment-author").get_text() == "deleted user"
    assert "My words" in shown.get_text()


def test_remove_takes_the_comments_away_leaving_placeholders_for_replies(
    client, settings, reader, stranger, article, make_comment
):
    settings.COMMENTS_ON_ACCOUNT_DELETION = "remove"
    answered = make_comment(article=article, author=reader, body="Answered words")
    reply = make_comment(article=article, author=stranger, parent=answered, body="The answer")
    alone = make_comment(article=article, author=reader, body="Lonely words")
    client.get(article.get_absolute_url())
    reader.delete()
    assert set(
        Comment.objects.filter(pk__in=[answered.pk, alone.pk]).values_list("status", flat=True)
    ) == {"removed"}
    page = thread(client, article)
    assert page.find(id=f"comment-{answered.pk}").select_one(".comment-removed") is not None
    assert page.find(id=f"comment-{reply.pk}") is not None
    assert page.find(id=f"comment-{alone.pk}") is None
    assert "Answered words" not in page.get_text() and "Lonely words" not in page.get_text()
    assert page.find(id="comments-heading").get_text() == "Comments (1)"


def test_reports_outlive_the_reporters_account(reader, stranger, article, make_comment):
    from comments.services import report_comment

    report = report_comment(
        comment=make_comment(article=article, author=stranger), by=reader, reason="spam"
    )
    reader.delete()
    report.refresh_from_db()
    assert report.reporter is None


def test_an_unknown_deletion_setting_fails_the_system_checks(settings):
    from django.core import checks

    settings.COMMENTS_ON_ACCOUNT_DELETION = "shred"
    assert "comments.E001" in {e.id for e in checks.run_checks()}
