"""A cached thread shows names and editors' badges: it is replaced when those change."""

import pytest
from bs4 import BeautifulSoup

from accounts.roles import make_editor

pytestmark = pytest.mark.django_db


def badges(client, article) -> list[str]:
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html5lib")
    return [b.get_text(strip=True) for b in soup.select("#comments .badge")]


def names(client, article) -> list[str]:
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html5lib")
    return [a.get_text(strip=True) for a in soup.select("#comments .comment-author")]


def test_a_reader_made_editor_gets_the_badge_on_the_cached_thread(
    client, article, stranger, make_comment
):
    make_comment(article=article, author=stranger)
    assert "Editor" not in badges(client, article)  # now cached
    make_editor(stranger)
    assert "Editor" in badges(client, article)


def test_a_renamed_reader_shows_under_the_new_name_on_the_cached_thread(
    client, article, stranger, make_comment
):
    make_comment(article=article, author=stranger)
    assert "stranger" in names(client, article)
    stranger.username = "renamed"
    stranger.save()
    assert names(client, article) == ["renamed"]


def test_logging_in_does_not_replace_cached_threads(
    client, article, stranger, make_comment, django_assert_max_num_queries
):
    make_comment(article=article, author=stranger)
    client.get(article.get_absolute_url())
    from django.contrib.auth.models import update_last_login

    with django_assert_max_num_queries(1):  # the UPDATE, no look-up of their comments
        update_last_login(None, stranger)
