"""A reader deletes their own account at /accounts/delete/, confirming with their password."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from accounts.models import User
from accounts.services import AccountDeletionRefused, delete_account
from comments.models import Comment
from tests.conftest import ArticleFactory

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/accounts/delete/"


def test_deletion_asks_anonymous_visitors_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/delete/")


def test_the_deletion_page_asks_for_the_password(client, reader):
    client.force_login(reader)
    html = client.get(URL).content.decode()
    assert 'type="password"' in html
    assert "Delete my account" in html


def test_a_reader_deletes_their_account_with_their_password(client, reader):
    client.force_login(reader)
    Authenticator.objects.create(user=reader, type=Authenticator.Type.TOTP, data={})

    response = client.post(URL, {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert "Your account has been deleted." in response.content.decode()
    assert not User.objects.filter(pk=reader.pk).exists()
    assert not EmailAddress.objects.filter(email="reader@example.com").exists()
    assert not Authenticator.objects.filter(user_id=reader.pk).exists()
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_deletes_nothing(client, reader):
    client.force_login(reader)

    response = client.post(URL, {"password": "not it"})

    assert response.status_code == 400
    assert "Incorrect password." in response.content.decode()
    assert User.objects.filter(pk=reader.pk).exists()


def test_deletion_by_get_deletes_nothing(client, reader):
    client.force_login(reader)
    client.get(URL, {"password": PASSWORD})
    assert User.objects.filter(pk=reader.pk).exists()


def test_password_guesses_on_the_deletion_form_are_rate_limited(client, reader):
    client.force_login(reader)
    for _ in range(10):
        client.post(URL, {"password": "guess"})

    response = client.post(URL, {"password": PASSWORD})

    assert response.status_code == 429
    assert User.objects.filter(pk=reader.pk).exists()


def test_the_articles_and_other_readers_are_untouched(client, reader, stranger, article):
    client.force_login(reader)
    mine = Comment.objects.create(
        article=article, author=reader, body="Mine", body_html="<p>Mine</p>"
    )
    theirs = Comment.objects.create(
        article=article, author=stranger, body="Theirs", body_html="<p>Theirs</p>"
    )

    client.post(URL, {"password": PASSWORD})

    assert not User.objects.filter(pk=reader.pk).exists()
    article.refresh_from_db()
    theirs.refresh_from_db()
    assert theirs.author == stranger
    # What happens to the reader's own comments is the comments app's policy; the thread stays.
    assert Comment.objects.filter(pk=theirs.pk).exists()
    assert not Comment.objects.filter(pk=mine.pk, author_id=reader.pk).exists()


def test_an_author_of_articles_is_told_why_their_account_cannot_be_deleted(client, reader):
    ArticleFactory(author=reader)
    client.force_login(reader)

    page = client.get(URL).content.decode()
    response = client.post(URL, {"password": PASSWORD})

    assert "author of published or draft articles" in page
    assert response.status_code == 400
    assert "author of published or draft articles" in response.content.decode()
    assert User.objects.filter(pk=reader.pk).exists()


def test_an_editor_cannot_delete_their_own_account(client, editor):
    client.force_login(editor)

    response = client.post(URL, {"password": PASSWORD})

    assert response.status_code == 400
    assert "Editor and staff accounts cannot be deleted here." in response.content.decode()
    assert User.objects.filter(pk=editor.pk).exists()


def test_the_service_refuses_an_author_without_touching_anything(reader):
    ArticleFactory(author=reader)
    with pytest.raises(AccountDeletionRefused):
        delete_account(user=reader)
    assert User.objects.filter(pk=reader.pk).exists()
