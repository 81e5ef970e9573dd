"""Rate limits: anonymous clients, signed-in readers, and writes to comments.

DRF's throttles read their rates once, when rest_framework.throttling is imported; these read them
from the settings on each request, so a deployment's environment and a test's settings override
both take effect. Each answers 429 problem+json with a Retry-After header (api/problems.py).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class _RateFromSettings(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        rates = api_settings.DEFAULT_THROTTLE_RATES
        if self.scope not in rates:
            raise ImproperlyConfigured(f"No rate in DEFAULT_THROTTLE_RATES for {self.scope!r}.")
        # The stubs type these rates as numbers; DRF's are strings such as "60/min".
        return rates[self.scope]  # type: ignore[return-value]


class AnonymousThrottle(_RateFromSettings):
    """Clients that are not signed in, per IP address."""

    scope = "anon"

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ReaderThrottle(_RateFromSettings):
    """Signed-in readers (and editors), per account, whichever way they authenticate."""

    scope = "user"

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class CommentWritesThrottle(ReaderThrottle):
    """Posting, editing, deleting and reporting comments, per account; views add it to writes."""

    scope = "comments"
