"""Every way into an account comes back to where the reader was.

Links to log in and sign up carry `next`: the page the reader is on, or, on the account pages
themselves (moving from "Log in" to "Sign up"), the `next` they already carry. allauth follows it
after logging in or signing up; the adapter keeps it for the confirmation of the email address.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme

RETURN_TO_KEY = "accounts:return-to"


def safe_next(request: HttpRequest) -> str:
    """The request's `next` (form or query), if it is a page of this site; else ""."""
    target = _posted_next(request) or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _posted_next(request: HttpRequest) -> str:
    # Error pages show the links too, and the request they answer may be one whose body cannot
    # be read (too large, malformed): then there is no `next` in it.
    if request.method != "POST":
        return ""
    try:
        return request.POST.get("next", "")
    except (SuspiciousOperation, BadRequest, MultiPartParserError, UnicodeDecodeError):
        return ""


def return_to(request: HttpRequest) -> str:
    """Where "Log in" and "Sign up" on this page should bring the reader back to."""
    if request.path.startswith("/accounts/"):
        return safe_next(request)
    return request.get_full_path()


def context(request: HttpRequest) -> dict:
    """Context processor: `return_to`, read only by pages that show the links."""
    return {"return_to": SimpleLazyObject(lambda: return_to(request))}
