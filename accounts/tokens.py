"""Personal API tokens: create (the secret is shown once), list, revoke."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from .models import ApiToken, User


class TokenRefused(Exception):
    """A token cannot be created; the message says why, for the reader."""


def create_token(*, user: User, name: str, lifetime_days: int | None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret, which is never stored or shown again."""
    name = name.strip()
    if not name:
        raise TokenRefused("Give the token a name, so you know later what uses it.")
    with transaction.atomic():
        # Lock the reader's row so two concurrent requests cannot both pass the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if ApiToken.objects.filter(user=user).count() >= settings.API_TOKENS_PER_USER:
            raise TokenRefused(
                f"You have {settings.API_TOKENS_PER_USER} tokens already: revoke one first."
            )
        expiry = dt.timedelta(days=lifetime_days) if lifetime_days else None
        return ApiToken.objects.create(user=user, expiry=expiry, name=name)


def tokens_of(*, user: User):
    return ApiToken.objects.filter(user=user).order_by("-created")


def revoke_token(*, user: User, token_key: str) -> bool:
    """Revoke one of the reader's own tokens; False if they have none by that key."""
    deleted, _ = ApiToken.objects.filter(user=user, token_key=token_key).delete()
    return deleted > 0
