"""After a post the reader is back on the article, at the right place, told what happened:
post/redirect/get, the draft that survives a refusal, and notices beside the comment."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment
from tests.comments.conftest import moderation_settings, post_form, sent_back

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html5lib")


def test_a_refused_post_is_a_redirect_so_a_reload_never_sends_it_again(reader_client, article):
    response = post_form(reader_client, article, "y" * 5001)
    assert response.status_code == 303  # the browser fetches the article with GET
    assert response["Location"] == f"{article.get_absolute_url()}#comment-form"


def test_the_draft_survives_a_reload_and_the_error_shows_once(reader_client, article):
    post_form(reader_client, article, "My long thoughts", parent=None)
    # Refused by a rule the form cannot see: the article closed meanwhile.
    article.comments_mode = article.CommentsMode.CLOSED
    article.save()
    response = post_form(reader_client, article, "Too late, but mine")
    first = soup_of(sent_back(reader_client, response, article))
    form = first.select_one("form#comment-form")
    assert "Comments are closed on this article." in form.select_one(".form-errors").get_text()
    assert form.find("textarea").has_attr("autofocus")
    assert form.find("textarea")["aria-describedby"].startswith("comment-form-errors")

    again = soup_of(reader_client.get(article.get_absolute_url())).select_one("form#comment-form")
    assert again.find("textarea").get_text() == "Too late, but mine"  # the words stay
    assert again.select_one(".form-errors") is None  # said once
    assert not again.find("textarea").has_attr("autofocus")


def test_a_posted_comment_clears_the_draft(trusted, reader_client, article):
    post_form(reader_client, article, "")
    post_form(reader_client, article, "Now with words")
    page = soup_of(reader_client.get(article.get_absolute_url()))
    assert page.select_one("form#comment-form textarea").get_text() == ""
    assert Comment.objects.get().body == "Now with words"


def test_a_draft_stays_with_its_article_and_its_reader(trusted, client, reader, stranger, article):
    from tests.conftest import ArticleFactory

    other = ArticleFactory()
    client.force_login(reader)
    post_form(client, article, "x" * 5001)
    assert "x" * 5001 not in client.get(other.get_absolute_url()).content.decode()
    client.force_login(stranger)
    assert "x" * 5001 not in client.get(article.get_absolute_url()).content.decode()


def test_the_nudge_comes_back_focused_and_posting_anyway_holds_the_comment(
    trusted, reader_client, article
):
    moderation_settings(suspect_terms="miracle")
    response = post_form(reader_client, article, "A miracle cure")
    form = soup_of(sent_back(reader_client, response, article)).select_one("form#comment-form")
    nudge = form.select_one("#comment-nudge")
    assert nudge.get_text().startswith("Before you post:")
    textarea = form.find("textarea")
    assert textarea.has_attr("autofocus") and "comment-nudge" in textarea["aria-describedby"]
    data = {
        "body": textarea.get_text(),
        "token": form.find("input", attrs={"name": "token"})["value"],
        "confirmed": "1",
    }
    posted = reader_client.post(f"/comments/post/{article.pk}/", data)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    page = soup_of(reader_client.get(posted["Location"]))
    notice = page.find(id=f"comment-{comment.pk}").select_one(".comment-notice")
    assert "will appear once an editor has approved it" in notice.get_text()


def test_the_notice_is_for_the_author_only_and_only_once(
    trusted, client, reader, stranger, article
):
    client.force_login(reader)
    response = post_form(client, article, "Hello all")
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    landed = soup_of(client.get(response["Location"]))
    assert landed.find(id=f"comment-{comment.pk}").select_one(".comment-notice") is not None
    assert soup_of(client.get(article.get_absolute_url())).select_one(".comment-notice") is None
    client.force_login(stranger)
    assert soup_of(client.get(article.get_absolute_url())).select_one(".comment-notice") is None


def test_the_form_links_to_the_discussion_rules_and_the_comment_policy(reader_client, article):
    form = soup_of(reader_client.get(article.get_absolute_url())).select_one("form#comment-form")
    links = {a.get_text(): a["href"] for a in form.select(".comment-rules a")}
    assert links == {
        "discussion rules": "/pages/discussion-rules/",
        "comment policy": "/pages/comment-policy/",
    }
    assert form.find("textarea")["data-max-length"] == "5000"


@pytest.mark.parametrize(
    "body", ["<b></b>", "<div></div>", "<p><span></span></p>\n\n<br>"], ids=["b", "div", "many"]
)
def test_a_comment_made_only_of_tags_is_refused_and_kept(reader_client, article, body):
    from comments.services import ONLY_MARKUP

    response = post_form(reader_client, article, body)
    assert not Comment.objects.exists()
    form = soup_of(sent_back(reader_client, response, article)).select_one("form#comment-form")
    assert form.select_one(".errorlist").get_text() == ONLY_MARKUP
    assert form.find("textarea").get_text() == body
