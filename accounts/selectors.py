"""Reads about accounts that other apps need."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser

from .models import User
from .readers import remembered


def has_verified_email(user: User | AnonymousUser | None) -> bool:
    """A reader may comment only once they have confirmed an email address."""
    if user is None or not user.is_authenticated:
        return False
    return remembered(
        user, "verified", lambda: EmailAddress.objects.filter(user=user, verified=True).exists()
    )
