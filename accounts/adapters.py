"""The one place where Colloquy customises django-allauth (settings.ACCOUNT_ADAPTER)."""

from __future__ import annotations

import math
import time
from typing import Any, NamedTuple
from urllib.parse import urlencode

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django import forms
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from .returning import RETURN_TO_KEY, safe_next
from .tasks import queue_email
from .usernames import validate_username

LOGIN_FAILED = "login_failed"
TOO_MANY_LOGIN_ATTEMPTS = (
    "Too many failed sign-in attempts from your address. Please try again in {wait}, or reset "
    "your password."
)


class SiteIdentity(NamedTuple):
    """What emails call the site: its name, not the host it was reached at."""

    name: str
    domain: str


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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Rendered here, where the request is; sent by the task queue (accounts.tasks), so no
        # reader waits for the mail server. "Hello from Colloquy!", not from whatever host the
        # request came to.
        host = get_current_site(self.request).domain if self.request is not None else ""
        site = SiteIdentity(name=settings.SITE_NAME, domain=host)
        context = {"request": self.request, "email": email, "current_site": site, **context}
        queue_email(self.render_mail(template_prefix, email, context))

    # --- Back to where the reader was ------------------------------------------------------

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # Remembered for the confirmation of the address, which may come much later.
        if target := safe_next(request):
            request.session[RETURN_TO_KEY] = target
        return super().save_user(request, user, form, commit)

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        url = super().get_email_confirmation_url(request, emailconfirmation)
        target = safe_next(request) if request is not None else ""
        # The link carries it too, for a reader who opens the email on another device.
        return f"{url}?{urlencode({'next': target})}" if target else url

    def get_email_verification_redirect_url(self, email_address: Any) -> str:
        remembered = self.request.session.pop(RETURN_TO_KEY, "")
        return remembered or super().get_email_verification_redirect_url(email_address)


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
