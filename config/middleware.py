"""Site-wide middleware that belongs to no app: requests refused before any view sees them, the
site's own 404 in development, compression of pages without secrets."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

from .views import bad_request

logger = logging.getLogger("colloquy.not_found")


class SiteNotFoundMiddleware:
    """The site's own 404 page in development too (`make run`, DEBUG on).

    With DEBUG on, Django answers a missing page with its technical page (the URL patterns, the
    settings): not what a reader, or an editor trying the site, should see. The page is the one
    production shows (config.views.page_not_found: the site's, or problem+json under /api/); the
    detail goes to the console. Every page that can be missing raises Http404 in a view: the
    section tree's catch-all URL takes every other path.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not settings.DEBUG or not isinstance(exception, Http404):
            return None
        from .views import page_not_found

        logger.warning("Not found: %s (%s)", request.get_full_path(), exception or "no detail")
        return page_not_found(request, exception)


class PublicGZipMiddleware(GZipMiddleware):
    """Compress HTML (and other text) answers that carry no secret; leave the rest as they are.

    BREACH recovers a secret from a page by watching how its compressed size changes as an
    attacker's guesses, reflected into the same page, get closer to it. A page can only leak what
    is on it, so this compresses only answers that hold nothing worth guessing: none to a signed-in
    reader (their email address, their drafts, their tokens), none that used a CSRF token (every
    page with a form that posts), and none marked private or not to be stored. Those are a small
    share of the traffic; the public pages (home, sections, articles, search, profiles) are the
    bulk of it, are the same for everyone, and get compressed. Django's GZipMiddleware also pads
    every compressed answer with random bytes ("Heal the BREACH"), a second line of defence.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # Files (whitenoise's, already compressed where it pays) and images are left alone.
        if response.streaming or not _COMPRESSIBLE.search(response.get("Content-Type", "")):
            return response
        if carries_secrets(request, response):
            return response
        return super().process_response(request, response)


_COMPRESSIBLE = re.compile(r"^(text/|application/(?:[\w.+-]*\+)?(?:json|xml|javascript))")


def carries_secrets(request: HttpRequest, response: HttpResponseBase) -> bool:
    if settings.CSRF_COOKIE_NAME in response.cookies:
        return True  # a CSRF token was used: it is on the page (the cookie is sent with it)
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


# A NUL byte is never part of a real address or query, and PostgreSQL refuses it in any text it is
# asked to compare ("A string literal cannot contain NUL"), so a lookup would be a server error.
_NUL = ("\x00", "%00")


def refuse_nul_bytes(get_response: Callable[[HttpRequest], HttpResponse]):
    """400 (problem+json under /api/) for a NUL anywhere in the path or the query string."""

    def middleware(request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or any(nul in query.lower() for nul in _NUL):
            return bad_request(request, None)
        return get_response(request)

    return middleware
