"""What readers see of moderation: the nudge at the form, and what became of their comments."""

import pytest

from comments.models import Comment
from moderation.decisions import decide
from tests.comments.conftest import CommentFactory, moderation_settings, post_form, sent_back

pytestmark = pytest.mark.django_db


def test_the_nudge_keeps_the_text_and_offers_to_post_anyway(trusted, reader_client, article):
    moderation_settings(suspect_terms="miracle")
    response = post_form(reader_client, article, "This miracle cure worked for me")
    page = sent_back(reader_client, response, article).content.decode()
    assert "Before you post: It uses words our editors check before publishing." in page
    assert "This miracle cure worked for me</textarea>" in page
    assert 'name="confirmed" value="1"' in page and "Post anyway" in page
    assert not Comment.objects.exists()


def test_posting_anyway_holds_the_comment_for_an_editor(trusted, reader_client, article):
    moderation_settings(suspect_terms="miracle")
    response = reader_client.post(
        f"/comments/post/{article.pk}/",
        {
            "body": "This miracle cure",
            "token": "5a1e9d0c-1111-4f00-8000-000000000001",
            "confirmed": "1",
        },
    )
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert (comment.status, comment.reason_codes) == ("pending", ["suspect_words"])


def test_a_revised_comment_without_the_objection_is_published(trusted, reader_client, article):
    moderation_settings(suspect_terms="miracle")
    post_form(reader_client, article, "This miracle cure")
    post_form(reader_client, article, "This remedy helped me")
    assert Comment.objects.get().status == "approved"


def test_a_new_readers_first_comment_waits_with_a_message(reader_client, article):
    response = post_form(
        reader_client,
        article,
        "Hello, first time here",
    )
    assert response.status_code == 303
    page = reader_client.get(response["Location"]).content.decode()
    assert "your comment will appear once an editor has approved it" in page
    assert "Awaiting moderation" in page


def test_the_author_sees_a_rejected_comment_and_the_editors_reason_on_the_article(
    reader_client, reader, editor, article
):
    comment = CommentFactory(article=article, author=reader, status="pending", body="My take")
    decide(comment, "reject", by=editor, reason="Please cite a source for medical claims.")
    page = reader_client.get(article.get_absolute_url()).content.decode()
    assert "Your comments that were not published" in page
    assert "My take" in page
    assert "The editors' reason: Please cite a source for medical claims." in page


def test_other_readers_never_see_someone_elses_rejected_comment(
    client, stranger, reader, editor, article
):
    comment = CommentFactory(article=article, author=reader, status="pending", body="My take")
    decide(comment, "reject", by=editor, reason="Rude")
    client.force_login(stranger)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "My take" not in page and "Rude" not in page


def test_a_comment_rejected_by_a_rule_says_why(trusted, reader_client, article):
    moderation_settings(banned_terms="scam")
    response = post_form(reader_client, article, "What a scam")
    page = reader_client.get(response["Location"]).content.decode()
    assert "Your comment was not published. Uses words that are not allowed: “scam”." in page


def test_my_comments_lists_each_status_and_the_editors_reason(
    reader_client, reader, editor, article
):
    comment = CommentFactory(article=article, author=reader, status="pending")
    decide(comment, "spam", by=editor, reason="Advertising")
    CommentFactory(article=article, author=reader, status="pending")
    page = reader_client.get("/users/me/comments/").content.decode()
    assert "The editors' reason: Advertising" in page
    assert "Awaiting moderation" in page and "badge-status-spam" in page
