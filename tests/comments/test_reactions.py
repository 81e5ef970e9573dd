"""'Helpful': one reaction per reader per comment, counted on the cached thread, pressed for the
reader who gave it, and refused to whoever may not take part."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from comments.errors import CommentError
from comments.models import Comment, Reaction
from comments.services import react, unreact
from moderation.sanctions import sanction
from tests.comments.conftest import CommentFactory
from tests.comments.test_thread_cache import queries_for
from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html5lib")


def count_shown(page: BeautifulSoup, comment: Comment) -> str:
    shown = page.find(id=comment.anchor).select_one(".comment-helpful-count")
    return shown.get_text(" ", strip=True) if shown else ""


def button(page: BeautifulSoup, comment: Comment):
    return page.find(id=comment.anchor).select_one(".comment-helpful button")


def test_a_reader_finds_a_comment_helpful_once(reader, article):
    comment = CommentFactory(article=article)
    assert react(comment=comment, by=reader).helpful_count == 1
    assert react(comment=comment, by=reader).helpful_count == 1  # again: nothing changes
    comment.refresh_from_db()
    assert comment.helpful_count == 1
    assert Reaction.objects.filter(comment=comment).count() == 1


def test_the_database_refuses_a_second_reaction_from_the_same_reader(reader, article):
    comment = CommentFactory(article=article)
    Reaction.objects.create(comment=comment, reader=reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(comment=comment, reader=reader)


def test_a_reader_takes_it_back_and_others_count_too(reader, stranger, article):
    comment = CommentFactory(article=article)
    react(comment=comment, by=reader)
    react(comment=comment, by=stranger)
    assert unreact(comment=comment, by=reader).helpful_count == 1
    assert unreact(comment=comment, by=reader).helpful_count == 1  # none to take back
    assert list(Reaction.objects.values_list("reader__username", flat=True)) == ["stranger"]


def test_no_one_finds_their_own_comment_helpful(reader, article):
    mine = CommentFactory(article=article, author=reader)
    with pytest.raises(CommentError) as refused:
        react(comment=mine, by=reader)
    assert refused.value.code == "own_comment"
    assert not Reaction.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "unverified", "banned", "suspended"])
def test_whoever_may_not_post_may_not_react(article, editor, who):
    comment = CommentFactory(article=article)
    if who == "anonymous":
        user = AnonymousUser()
    else:
        user = UserFactory(verified=who != "unverified")
        if who == "banned":
            sanction(user, "ban", by=editor, reason="Abuse.")
        elif who == "suspended":
            sanction(user, "suspend", by=editor, reason="Abuse.", days=1)
    with pytest.raises(CommentError):
        react(comment=comment, by=user)
    assert not Reaction.objects.exists()


def test_no_reactions_on_closed_discussions_or_hidden_comments(reader, article):
    held = CommentFactory(article=article, status=Comment.Status.PENDING)
    with pytest.raises(CommentError):
        react(comment=held, by=reader)
    comment = CommentFactory(article=article)
    article.comments_mode = article.CommentsMode.CLOSED
    article.save()
    with pytest.raises(CommentError):
        react(comment=comment, by=reader)
    assert not Reaction.objects.exists()


def test_reacting_too_fast_is_refused_for_a_minute(reader, article, settings, monkeypatch):
    settings.COMMENTS_REACTIONS_PER_MINUTE = 2
    moment = timezone.now().replace(second=10)  # the three in one window, however slow the test
    monkeypatch.setattr("comments.services.timezone.now", lambda: moment)
    comments = CommentFactory.create_batch(3, article=article)
    react(comment=comments[0], by=reader)
    unreact(comment=comments[0], by=reader)
    with pytest.raises(CommentError) as refused:
        react(comment=comments[1], by=reader)
    assert refused.value.code == "throttled" and refused.value.retry_after is not None


def test_the_button_posts_without_javascript_and_comes_back_to_the_comment(client, reader, article):
    comment = CommentFactory(article=article)
    client.force_login(reader)
    page = soup(client.get(article.get_absolute_url()))
    form = page.find(id=comment.anchor).select_one("form.comment-helpful")
    data = {i["name"]: i["value"] for i in form.select("input[name]")}
    assert data["helpful"] == "on" and "stand-in" not in data["csrfmiddlewaretoken"]
    strict = client.__class__(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    response = strict.post(form["action"], data)
    assert response.status_code == 303
    assert response["Location"].endswith(f"#{comment.anchor}")
    page = soup(client.get(article.get_absolute_url()))
    assert button(page, comment)["aria-pressed"] == "true"
    assert count_shown(page, comment) == "1 reader found this helpful"
    form = page.find(id=comment.anchor).select_one("form.comment-helpful")
    assert form.select_one("input[name=helpful]")["value"] == "off"
    client.post(form["action"], {"helpful": "off"})
    page = soup(client.get(article.get_absolute_url()))
    assert button(page, comment)["aria-pressed"] == "false"
    assert count_shown(page, comment) == ""


def test_anonymous_readers_are_sent_to_log_in_and_nothing_is_counted(client, article):
    comment = CommentFactory(article=article)
    response = client.post(f"/comments/{comment.pk}/helpful/", {"helpful": "on"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Reaction.objects.exists()


def test_a_refusal_is_told_beside_the_comment(client, reader, article):
    mine = CommentFactory(article=article, author=reader)
    client.force_login(reader)
    client.post(f"/comments/{mine.pk}/helpful/", {"helpful": "on"})
    page = client.get(article.get_absolute_url()).content.decode()
    assert "You cannot mark your own comment as helpful." in page


def test_own_comments_and_readers_who_may_not_post_get_no_button(client, reader, article):
    mine = CommentFactory(article=article, author=reader)
    theirs = CommentFactory(article=article)
    client.force_login(reader)
    page = soup(client.get(article.get_absolute_url()))
    assert button(page, mine) is None and button(page, theirs) is not None
    client.logout()
    page = soup(client.get(article.get_absolute_url()))
    assert button(page, theirs) is None


def test_the_anonymous_cached_page_shows_the_new_count(client, reader, stranger, article):
    comment = CommentFactory(article=article)
    url = article.get_absolute_url()
    assert count_shown(soup(client.get(url)), comment) == ""
    assert count_shown(soup(client.get(url)), comment) == ""  # from the page cache
    react(comment=comment, by=reader)
    react(comment=comment, by=stranger)
    assert count_shown(soup(client.get(url)), comment) == "2 readers found this helpful"
    unreact(comment=comment, by=stranger)
    assert count_shown(soup(client.get(url)), comment) == "1 reader found this helpful"


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_the_page_costs_the_same_queries_whatever_the_number_of_reactions(
    client, reader, article, signed_in, settings
):
    settings.COMMENTS_REACTIONS_PER_MINUTE = 1000
    comments = CommentFactory.create_batch(30, article=article)
    if signed_in:
        client.force_login(reader)
    url = article.get_absolute_url()
    before = queries_for(client, url, warm=True)
    readers = UserFactory.create_batch(3)
    for comment in comments:
        for someone in [reader, *readers]:
            react(comment=comment, by=someone)
    assert queries_for(client, url, warm=True) == before
    cold = queries_for(client, url, warm=False)
    for comment in comments[:25]:
        unreact(comment=comment, by=reader)
    assert queries_for(client, url, warm=False) == cold


def test_only_the_reader_who_reacted_sees_the_button_pressed(client, reader, stranger, article):
    comment = CommentFactory(article=article)
    other = CommentFactory(article=article)
    react(comment=comment, by=reader)
    client.force_login(stranger)
    page = soup(client.get(article.get_absolute_url()))
    assert button(page, comment)["aria-pressed"] == "false"
    client.force_login(reader)
    page = soup(client.get(article.get_absolute_url()))
    assert button(page, comment)["aria-pressed"] == "true"
    assert button(page, other)["aria-pressed"] == "false"


def test_an_editor_who_reacted_keeps_their_tools(client, editor, article):
    comment = CommentFactory(article=article)
    react(comment=comment, by=editor)
    client.force_login(editor)
    page = soup(client.get(article.get_absolute_url()))
    assert button(page, comment)["aria-pressed"] == "true"
    assert page.find(id=comment.anchor).select_one(".comment-moderation") is not None


def test_a_deleted_account_takes_its_reactions_with_it(reader, stranger, article):
    comment = CommentFactory(article=article)
    react(comment=comment, by=reader)
    react(comment=comment, by=stranger)
    reader.delete()
    comment.refresh_from_db()
    assert comment.helpful_count == 1


def test_editors_see_the_count_in_the_queues(client, editor, reader, stranger, article):
    comment = CommentFactory(article=article, body="Worth a look.")
    react(comment=comment, by=reader)
    react(comment=comment, by=stranger)
    client.force_login(editor)
    page = soup(client.get("/moderation/queue/approved/"))
    row = page.find(id=f"row-{comment.pk}")
    assert row.select_one(".badge-helpful").get_text(strip=True) == "Helpful: 2"
