"""Reads about accounts that other apps need."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser

from .models import ApiToken, User
from .readers import remembered


def has_verified_email(user: User | AnonymousUser | None) -> bool:
    """A reader may comment only once they have confirmed an email address."""
    if user is None or not user.is_authenticated:
        return False
    return remembered(
        user, "verified", lambda: EmailAddress.objects.filter(user=user, verified=True).exists()
    )


def account_data(user: User) -> dict[str, Any]:
    """What the site holds about this account, for the reader's own download: never a secret
    (no password hash, no token beyond the few characters the reader is shown)."""
    return {
        "username": user.username,
        "email": user.email,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "starts_with": t.token_key,
                "created": t.created.isoformat(),
                "expiry": t.expiry.isoformat() if t.expiry else None,
            }
            for t in ApiToken.objects.filter(user=user)
        ],
    }
