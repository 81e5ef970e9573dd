"""Requests refused before any view sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .views import bad_request

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
