"""Clients for the API tests: anonymous, and each persona signed in with a personal token."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.tokens import create_token
from tests.comments.conftest import CommentFactory


def json_client(**kwargs) -> APIClient:
    client = APIClient(**kwargs)
    client.default_format = "json"  # the API takes JSON only (multipart would be a 415)
    return client


def token_client(user) -> APIClient:
    _, secret = create_token(user=user, name="Tests", lifetime_days=None)
    client = json_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.fixture
def api() -> APIClient:
    return json_client()


@pytest.fixture
def as_reader(reader) -> APIClient:
    return token_client(reader)


@pytest.fixture
def as_stranger(stranger) -> APIClient:
    return token_client(stranger)


@pytest.fixture
def as_editor(editor) -> APIClient:
    return token_client(editor)


@pytest.fixture
def make_comment(db):
    return CommentFactory
