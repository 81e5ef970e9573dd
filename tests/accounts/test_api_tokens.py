"""Personal API tokens: made and named by the reader, shown once, kept as hashes, revocable."""

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tokens import TokenRefused, create_token

pytestmark = pytest.mark.django_db


def create_on_the_page(client, name="My app", lifetime="90"):
    response = client.post("/accounts/tokens/", {"name": name, "lifetime": lifetime})
    code = BeautifulSoup(response.content, "html5lib").find(id="new-token")
    return response, code.get_text() if code else None


def as_token(secret: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return api


def test_a_reader_creates_a_named_token_and_sees_its_secret_once(client, reader):
    client.force_login(reader)
    response, secret = create_on_the_page(client)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert re.fullmatch(r"colloquy_[0-9a-f]{64}", secret)
    listing = client.get("/accounts/tokens/").content.decode()
    assert "My app" in listing
    assert secret not in listing
    assert secret[:15] in listing  # the visible prefix, to tell tokens apart


def test_only_a_hash_of_the_token_is_stored(reader):
    token, secret = create_token(user=reader, name="CLI", lifetime_days=None)
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in {str(v) for v in stored.values()}


def test_the_token_authenticates_the_api_as_its_reader(reader):
    _, secret = create_token(user=reader, name="CLI", lifetime_days=30)
    response = as_token(secret).get("/api/me/")
    assert response.status_code == 200
    assert response.json() == {
        "username": "reader",
        "is_editor": False,
        "email_verified": True,
        "unread_notifications": 0,
    }


def test_a_revoked_token_no_longer_works(client, reader):
    token, secret = create_token(user=reader, name="Old", lifetime_days=30)
    client.force_login(reader)
    client.post("/accounts/tokens/", {"revoke": token.token_key})
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert as_token(secret).get("/api/me/").status_code == 401


def test_a_reader_cannot_revoke_someone_elses_token(client, reader, stranger):
    token, secret = create_token(user=stranger, name="Theirs", lifetime_days=30)
    client.force_login(reader)
    client.post("/accounts/tokens/", {"revoke": token.token_key})
    assert as_token(secret).get("/api/me/").status_code == 200


def test_an_expired_token_is_refused(reader):
    token, secret = create_token(user=reader, name="Brief", lifetime_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    response = as_token(secret).get("/api/me/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_token_needs_a_name_and_the_form_says_so(client, reader):
    client.force_login(reader)
    response, secret = create_on_the_page(client, name="   ")
    assert response.status_code == 400 and secret is None
    assert "This field is required." in response.content.decode()


def test_there_is_a_limit_on_tokens_per_reader(reader, settings):
    settings.API_TOKENS_PER_USER = 2
    create_token(user=reader, name="a", lifetime_days=None)
    create_token(user=reader, name="b", lifetime_days=None)
    with pytest.raises(TokenRefused, match="revoke one first"):
        create_token(user=reader, name="c", lifetime_days=None)


def test_anonymous_visitors_cannot_use_the_me_endpoint():
    response = APIClient().get("/api/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"] == "application/problem+json"
