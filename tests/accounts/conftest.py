"""Helpers for the account tests: allauth's real views, driven with the Django test client."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

PASSWORD = "correct horse battery staple"  # the UserFactory's password
NEW_PASSWORD = "a brand new passphrase 42"


def link_in_mail(message: mail.EmailMessage, path_fragment: str) -> str:
    """The path of the first link in the email whose path contains `path_fragment`."""
    for url in re.findall(r"https?://\S+", message.body):
        path = urlsplit(url).path
        if path_fragment in path:
            return path
    raise AssertionError(f"No link containing {path_fragment!r} in:\n{message.body}")


def sign_up(client, *, username="newreader", email="newreader@example.com", password=NEW_PASSWORD):
    return client.post(
        "/accounts/signup/",
        {"username": username, "email": email, "password1": password, "password2": password},
    )


@pytest.fixture
def signed_in(client, reader):
    client.force_login(reader)
    return client
