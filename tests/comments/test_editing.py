"""Editing one's own comment within the window, and deleting it (softly)."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from comments.errors import CommentError
from comments.models import Comment, CommentRevision
from comments.services import delete_comment, edit_comment

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html5lib")


def posted_minutes_ago(comment, minutes: int) -> Comment:
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes)
    )
    return Comment.objects.get(pk=comment.pk)


def test_the_author_edits_within_the_window_and_the_old_text_is_kept(
    reader_client, reader, article, make_comment
):
    comment = posted_minutes_ago(make_comment(article=article, author=reader, body="Teh typo"), 5)
    page = soup(reader_client.get(article.get_absolute_url()))
    edit_link = page.find(id=f"comment-{comment.pk}").find("a", string="Edit")
    assert edit_link["href"] == f"/comments/{comment.pk}/edit/"
    form = soup(reader_client.get(edit_link["href"])).find("textarea")
    assert form.get_text() == "Teh typo"

    response = reader_client.post(
        edit_link["href"], {"body": "The *fixed* text, https://example.org"}
    )
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.body == "The *fixed* text, https://example.org"
    assert 'href="https://example.org" rel="nofollow ugc noopener"' in comment.body_html
    assert comment.edited_at is not None
    revision = CommentRevision.objects.get(comment=comment)
    assert revision.body == "Teh typo"
    assert revision.written_at == comment.created_at
    shown = soup(reader_client.get(article.get_absolute_url())).find(id=f"comment-{comment.pk}")
    assert shown.select_one(".comment-edited").get_text() == "edited"
    assert "fixed" in shown.select_one(".comment-body").get_text()


def test_every_earlier_version_is_kept_in_order(reader, article, make_comment):
    comment = make_comment(article=article, author=reader, body="one")
    comment = edit_comment(comment=comment, by=reader, body="two")
    comment = edit_comment(comment=comment, by=reader, body="three")
    assert list(comment.revisions.values_list("body", flat=True)) == ["one", "two"]


def test_after_the_window_the_comment_can_no_longer_be_edited(
    reader_client, reader, article, make_comment
):
    comment = posted_minutes_ago(make_comment(article=article, author=reader, body="Final"), 16)
    page = soup(reader_client.get(article.get_absolute_url()))
    actions = page.find(id=f"comment-{comment.pk}").select_one(".comment-actions")
    assert [a.get_text() for a in actions.find_all("a")] == ["Reply", "Delete"]
    assert "time for editing" in soup(reader_client.get(f"/comments/{comment.pk}/edit/")).get_text()
    response = reader_client.post(f"/comments/{comment.pk}/edit/", {"body": "Changed"})
    assert response.status_code == 400
    assert "can be edited for 15 minutes after posting" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Final" and comment.revisions.count() == 0


def test_the_window_follows_the_setting(settings, reader, article, make_comment):
    settings.COMMENTS_EDIT_WINDOW = dt.timedelta(hours=1)
    comment = posted_minutes_ago(make_comment(article=article, author=reader), 30)
    assert edit_comment(comment=comment, by=reader, body="Still in time").body == "Still in time"


def test_an_edit_is_checked_like_a_new_comment(reader_client, reader, article, make_comment):
    comment = make_comment(article=article, author=reader, body="Keep me")
    response = reader_client.post(f"/comments/{comment.pk}/edit/", {"body": "  "})
    assert response.status_code == 400
    assert "Please write something before posting." in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Keep me"


def test_an_edit_is_screened_again(reader, article, make_comment):
    comment = make_comment(article=article, author=reader)
    article.comments_mode = article.CommentsMode.PREMODERATED
    article.save()
    comment = edit_comment(comment=comment, by=reader, body="Now held")
    assert comment.status == Comment.Status.PENDING
    assert comment.screening[0]["reason"] == "article_premoderated"
    article.comments_mode = article.CommentsMode.CLOSED
    article.save()
    with pytest.raises(CommentError, match="Comments are closed"):
        edit_comment(comment=Comment.objects.get(pk=comment.pk), by=reader, body="Closed now")
    assert Comment.objects.get(pk=comment.pk).body == "Now held"


def test_nobody_edits_or_deletes_another_readers_comment(
    reader_client, reader, stranger, article, make_comment
):
    theirs = make_comment(article=article, author=stranger, body="Theirs")
    assert reader_client.get(f"/comments/{theirs.pk}/edit/").status_code == 404
    assert reader_client.post(f"/comments/{theirs.pk}/edit/", {"body": "Mine"}).status_code == 404
    assert reader_client.post(f"/comments/{theirs.pk}/delete/").status_code == 404
    with pytest.raises(CommentError, match="your own"):
        edit_comment(comment=theirs, by=reader, body="Mine")
    with pytest.raises(CommentError, match="your own"):
        delete_comment(comment=theirs, by=reader)
    theirs.refresh_from_db()
    assert (theirs.body, theirs.status) == ("Theirs", Comment.Status.APPROVED)
    page = soup(reader_client.get(article.get_absolute_url()))
    links = [
        a.get_text() for a in page.find(id=f"comment-{theirs.pk}").select(".comment-actions a")
    ]
    assert links == ["Reply", "Report"]


def test_deleting_asks_first_then_removes_softly(reader_client, reader, article, make_comment):
    comment = make_comment(article=article, author=reader, body="Regret")
    confirm = soup(reader_client.get(f"/comments/{comment.pk}/delete/"))
    assert confirm.find("h1").get_text() == "Delete your comment?"
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED
    response = reader_client.post(f"/comments/{comment.pk}/delete/")
    assert response["Location"] == f"{article.get_absolute_url()}#comments"
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    assert comment.body == "Regret"  # kept for moderators, never shown
    page = soup(reader_client.get(response["Location"]))
    # Told at the top of the discussion, where the page lands.
    assert page.select_one("#comments .comment-notice").get_text() == "Your comment was deleted."
    assert "Regret" not in page.select_one("#comments").get_text()
    assert page.find(id="comments-heading").get_text() == "Comments (0)"


def test_a_deleted_comment_with_replies_leaves_a_placeholder(
    reader_client, reader, stranger, article, make_comment
):
    comment = make_comment(article=article, author=reader, body="Start")
    reply = make_comment(article=article, author=stranger, parent=comment, body="Answer")
    reader_client.post(f"/comments/{comment.pk}/delete/")
    page = soup(reader_client.get(article.get_absolute_url()))
    holder = page.find(id=f"comment-{comment.pk}")
    assert holder.select_one(".comment-removed").get_text() == "This comment was removed."
    assert "Answer" in holder.find(id=f"comment-{reply.pk}").get_text()
    assert page.find(id="comments-heading").get_text() == "Comments (1)"
