"""Whole anonymous pages from the cache, keyed by versions the database holds.

A reader with no session (no cookie: nothing about them to show) gets the same page as every other
such reader, so the whole response is kept in the page cache (settings.CACHES["pages"]) under a key
made of the address, the query parameters the page depends on and the versions of what it shows,
read in the same query as the page's own row (articles.versions). The cost of a page from the
cache is that one query. A conditional GET whose ETag still matches gets a 304.

Only what exists is stored: the view (and the template tags it renders) report which value of each
parameter they showed (`rendered`); a request asking for something else (a page beyond the last,
an order that does not exist) is answered but not stored, so no request can fill the cache.

Signed-in readers' pages are never shared: they are rendered for them and marked private.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers

PAGE_CACHE = "pages"
# How long a shared cache (a CDN) may serve a page without asking, and serve it stale while it
# asks again: short, so a change reaches readers behind it within a minute.
SHARED_MAX_AGE = 30
STALE_WHILE_REVALIDATE = 60
# The response headers a cached page keeps (the rest are added again by the middleware).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link")


def for_everyone(request: HttpRequest) -> bool:
    """A request that nothing personal can answer: a GET or HEAD with no session or messages."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def rendered(request: HttpRequest, name: str, value: object) -> None:
    """Record the value of query parameter `name` that the page shows (see the module doc)."""
    if not hasattr(request, "_page_params"):
        request._page_params = {}  # type: ignore[attr-defined]
    request._page_params[name] = str(value)  # type: ignore[attr-defined]


def serve(
    request: HttpRequest,
    *,
    versions: Iterable[Hashable],
    params: Iterable[str] = (),
    render: Callable[[], HttpResponse],
) -> HttpResponse:
    """The page from the cache when the versions still match, else `render()` (and store it)."""
    if not for_everyone(request):
        response = render()
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
        return response
    asked = {name: request.GET[name] for name in params if request.GET.get(name, "")}
    key = _key(request, tuple(versions), asked)
    etag = f'"{key}"'
    if etag in _etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
        return _shared(HttpResponseNotModified(), etag)
    pages = caches[PAGE_CACHE]
    stored = pages.get(key)
    if stored is not None:
        content, headers = stored
        return _shared(HttpResponse(content, headers=headers), etag)
    response = render()
    shown = getattr(request, "_page_params", {})
    if (
        response.status_code == 200
        and not response.cookies
        and not response.streaming
        and all(shown.get(name) == value for name, value in asked.items())
    ):
        headers = {h: response[h] for h in KEPT_HEADERS if h in response}
        pages.set(key, (response.content, headers), timeout=None)
        return _shared(response, etag)
    return response


def _key(request: HttpRequest, versions: tuple, asked: dict[str, str]) -> str:
    parts = (request.scheme, request.get_host(), request.path, versions, sorted(asked.items()))
    return "page-" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def _shared(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=SHARED_MAX_AGE,
        stale_while_revalidate=STALE_WHILE_REVALIDATE,
    )
    patch_vary_headers(response, ["Cookie"])
    return response
