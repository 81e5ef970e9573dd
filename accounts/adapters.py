"""The one place where Colloquy customises django-allauth (settings.ACCOUNT_ADAPTER)."""

from __future__ import annotations

import math
import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django import forms
from django.http import HttpRequest

from .usernames import validate_username

LOGIN_FAILED = "login_failed"
TOO_MANY_LOGIN_ATTEMPTS = (
    "Too many failed sign-in attempts from your address. Please try again in {wait}, or reset "
    "your password."
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Usernames are unique whatever their case (a database constraint on Lower(username)), so
        # say so rather than leave "Alice" wondering why "alice" is taken.
        "username_taken": (
            "That username is already taken (capitals do not count: “Alice” and “alice” are "
            "the same name). Please choose another."
        ),
    }

    def clean_username(self, username: str, shallow: bool = False) -> str:
        # Our rules first: length, characters, reserved names. allauth then runs the model's
        # validators and the case-insensitive uniqueness check (unless shallow).
        validate_username(username)
        return super().clean_username(username, shallow=shallow)

    # --- Failed logins ------------------------------------------------------------------------
    # settings.ACCOUNT_RATE_LIMITS["login_failed"] counts per address ("ip") and per "key".
    # allauth's key is the account alone, so five wrong passwords from anywhere would lock its
    # owner out everywhere. Here the key is the account *and* the address: a stranger's guesses
    # use up only their own allowance, and the owner still signs in from theirs. The refusal says
    # how long to wait.

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError as refused:
            wait = login_wait_seconds(
                request, self._get_login_attempts_cache_key(request, **credentials)
            )
            message = TOO_MANY_LOGIN_ATTEMPTS.format(wait=_duration(wait))
            raise forms.ValidationError(message, code="too_many_login_attempts") from refused


def login_wait_seconds(request: HttpRequest, key: str) -> float:
    """How long until a failed login would be counted again for this key (and this address)."""
    now, wait = time.time(), 0.0
    for rate in ratelimit.parse_rates(account_settings.RATE_LIMITS.get(LOGIN_FAILED)):
        cache_key = ratelimit.get_cache_key(
            request, app="allauth.account", action=LOGIN_FAILED, rate=rate, key=key
        )
        # Newest first, as allauth keeps them: the limit lifts when the amount-th newest expires.
        history = [ts for ts in ratelimit.cache.get(cache_key, []) if ts > now - rate.duration]
        if len(history) >= rate.amount:
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return wait


def _duration(seconds: float) -> str:
    if seconds <= 60:
        whole = max(1, math.ceil(seconds))
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"
