"""Posting from the article page: who may, what is refused, and what the reader sees after."""

import uuid

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from comments.models import Comment
from comments.services import hash_ip
from tests.comments.conftest import post_form, sent_back
from tests.conftest import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html5lib")


def test_a_verified_reader_posts_and_lands_on_the_new_comment(
    trusted, reader_client, reader, article
):
    response = post_form(reader_client, article, "First!\n\nA second paragraph.")
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert comment.author == reader
    assert comment.status == Comment.Status.APPROVED
    assert comment.body == "First!\n\nA second paragraph."
    assert comment.body_html == "<p>First!</p><p>A second paragraph.</p>"
    page = soup_of(reader_client.get(article.get_absolute_url()))
    shown = page.find(id=f"comment-{comment.pk}")
    assert shown.select_one(".comment-author").get_text() == "reader"
    # Told beside the comment, where the page lands, not at the top of the page.
    assert shown.select_one(".comment-notice").get_text() == "Thank you: your comment is published."
    assert page.select_one(".messages") is None
    assert [p.get_text() for p in shown.select(".comment-body p")] == [
        "First!",
        "A second paragraph.",
    ]
    assert page.find(id="comments-heading").get_text() == "Comments (1)"


def test_the_body_is_stored_exactly_as_typed(reader_client, article):
    typed = "  <b>Bold</b> & «quotes»\r\n\r\n\tindented  "
    post_form(reader_client, article, typed)
    assert Comment.objects.get().body == typed


def test_the_client_address_is_kept_only_as_a_keyed_hash(reader_client, article):
    post_form(reader_client, article, "Hello", token=uuid.uuid4())
    comment = Comment.objects.get()
    assert "127.0.0.1" not in comment.ip_hash
    assert comment.ip_hash == hash_ip("127.0.0.1")
    assert len(comment.ip_hash) == 64
    assert hash_ip("127.0.0.1") != hash_ip("127.0.0.2")


def test_a_comment_of_exactly_the_maximum_length_is_accepted(reader_client, article):
    assert post_form(reader_client, article, "x" * 5000).status_code == 303
    assert Comment.objects.count() == 1


def test_line_breaks_count_as_one_character_however_the_browser_sends_them(reader_client, article):
    # Browsers send a textarea's line breaks as CR LF; the reader sees, and counts, one.
    assert post_form(reader_client, article, "x\r\n" * 2500).status_code == 303
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Please write something before posting."),
        ("   \n\n\t  ", "Please write something before posting."),
        ("y" * 5001, "Please shorten your comment to 5,000 characters or fewer (it has 5,001)."),
    ],
    ids=["empty", "only-whitespace", "too-long"],
)
def test_a_refused_comment_keeps_the_text_and_says_why_at_the_form(
    reader_client, article, body, error
):
    response = post_form(reader_client, article, body)
    assert Comment.objects.count() == 0
    page = soup_of(sent_back(reader_client, response, article))
    # The article page at its own address, with the error at the form.
    assert page.find("h1").get_text() == article.title
    assert page.select_one(".article-body") is not None
    form = page.select_one("form#comment-form")
    assert form.select_one(".errorlist").get_text(strip=True) == error
    textarea = form.find("textarea")
    assert textarea["aria-invalid"] == "true"
    assert textarea.get_text() == body
    # The text box takes the focus, and its description starts with the error.
    assert textarea.has_attr("autofocus")
    assert textarea["aria-describedby"].split()[0] == "id_body-errors"


def test_a_refused_reply_stays_a_reply_to_the_same_comment(reader_client, article, make_comment):
    parent = make_comment(article=article)
    response = post_form(reader_client, article, "", parent=parent)
    form = soup_of(sent_back(reader_client, response, article)).select_one("form#comment-form")
    assert form.find("input", attrs={"name": "parent"})["value"] == str(parent.pk)
    assert "Reply to" in form.find("h3").get_text()


def test_an_anonymous_reader_is_asked_to_log_in_and_cannot_post(client, article):
    page = soup_of(client.get(article.get_absolute_url()))
    assert page.select_one(".login-required").get_text(" ", strip=True) == (
        "Login is required before commenting. New here? Sign up ."
    )
    assert page.select_one("form#comment-form") is None
    response = post_form(client, article, "Let me in")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Comment.objects.count() == 0


def test_an_unverified_reader_is_offered_a_new_verification_email(client, article):
    unverified = UserFactory(username="newcomer", verified=False)
    client.force_login(unverified)
    page = soup_of(client.get(article.get_absolute_url()))
    assert page.select_one("form#comment-form") is None
    box = page.select_one(".verify-email")
    assert "Please confirm your email address" in box.get_text()
    resend = box.find("form")
    assert resend["action"] == "/accounts/email/"
    assert resend.find("input", attrs={"name": "email"})["value"] == "newcomer@example.com"
    assert resend.find("button")["name"] == "action_send"


def test_the_resend_button_really_sends_a_verification_email(client, article, mailoutbox):
    from allauth.account.models import EmailAddress

    unverified = UserFactory(username="newcomer", verified=False)
    EmailAddress.objects.create(user=unverified, email=unverified.email, primary=True)
    client.force_login(unverified)
    client.post("/accounts/email/", {"email": unverified.email, "action_send": ""})
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["newcomer@example.com"]


def test_an_unverified_reader_cannot_post_and_keeps_the_text(client, article):
    unverified = UserFactory(username="newcomer", verified=False)
    client.force_login(unverified)
    response = post_form(client, article, "My thoughts")
    assert Comment.objects.count() == 0
    page = soup_of(sent_back(client, response, article))
    assert page.find("textarea").get_text() == "My thoughts"
    assert "Please confirm your email address" in page.select_one("#comment-form").get_text()


def test_a_double_submit_stores_one_comment(reader_client, article):
    token = uuid.uuid4()
    first = post_form(reader_client, article, "Only once", token=token)
    second = post_form(reader_client, article, "Only once", token=token)
    assert Comment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_form_sent_again_with_other_text_is_refused_and_keeps_the_new_text(
    reader_client, article
):
    token = uuid.uuid4()
    post_form(reader_client, article, "The first text", token=token)
    again = post_form(reader_client, article, "A second thought", token=token)
    page = soup_of(sent_back(reader_client, again, article))
    assert "This form was already used for a different comment" in page.get_text()
    assert page.find("textarea").get_text() == "A second thought"
    assert list(Comment.objects.values_list("body", flat=True)) == ["The first text"]


def test_each_rendered_form_carries_its_own_token(reader_client, article):
    tokens = {
        soup_of(reader_client.get(article.get_absolute_url())).find(
            "input", attrs={"name": "token"}
        )["value"]
        for _ in range(2)
    }
    assert len(tokens) == 2


def test_posting_needs_a_csrf_token(reader, article):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)
    response = post_form(strict, article, "No token")
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_comments_on_an_unpublished_article_cannot_be_posted(reader_client):
    draft = ArticleFactory(status="draft", published_at=None)
    assert post_form(reader_client, draft, "Sneaky").status_code == 404


def test_closed_comments_replace_the_form_with_a_message(reader_client, article, make_comment):
    make_comment(article=article)
    article.comments_mode = article.CommentsMode.CLOSED
    article.save()
    page = soup_of(reader_client.get(article.get_absolute_url()))
    assert page.select_one(".comments-closed").get_text() == "Comments are closed on this article."
    assert page.select_one("form#comment-form") is None
    assert page.select_one(".comment-actions a[href*='reply']") is None
    assert page.find(id="comments-heading").get_text() == "Comments (1)"


def test_a_post_to_a_closed_article_is_refused_and_keeps_the_text(reader_client, article):
    article.comments_mode = article.CommentsMode.CLOSED
    article.save()
    response = post_form(reader_client, article, "Too late?")
    assert Comment.objects.count() == 0
    form = soup_of(sent_back(reader_client, response, article)).select_one("form#comment-form")
    assert "Comments are closed on this article." in form.get_text()
    assert form.find("textarea").get_text() == "Too late?"


def test_on_a_premoderated_article_the_author_alone_sees_the_comment_awaiting_moderation(
    trusted, client, reader, stranger, article
):
    article.comments_mode = article.CommentsMode.PREMODERATED
    article.save()
    client.force_login(reader)
    response = post_form(client, article, "Held for review")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.screening == [
        {
            "action": "hold",
            "reason": "article_premoderated",
            "message": "Comments on this article are reviewed by an editor before they appear.",
        }
    ]
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = soup_of(client.get(response["Location"]))
    mine = page.select_one(".comments-pending").find(id=f"comment-{comment.pk}")
    assert "Awaiting moderation" in mine.get_text()
    # The thank-you is beside the comment the page lands on.
    assert "will appear once an editor has approved it" in (
        mine.select_one(".comment-notice").get_text()
    )
    assert page.find(id="comments-heading").get_text() == "Comments (0)"
    assert page.select_one(".comment-list li.comment:not(.comment-pending)") is None

    client.force_login(stranger)
    other = soup_of(client.get(article.get_absolute_url()))
    assert other.find(id=f"comment-{comment.pk}") is None
    assert "Held for review" not in other.get_text()
    client.logout()
    assert "Held for review" not in client.get(article.get_absolute_url()).content.decode()
