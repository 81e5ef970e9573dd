"""Whole anonymous pages from the cache, keyed by versions the database holds.

A reader with no session (no cookie: nothing about them to show) gets the same home, section or
article page as every other such reader, so the whole response is kept in the page cache
(settings.CACHES["pages"]) under a key made of the address, the query parameters the page depends
on and the versions of what it shows (articles.versions), read in one small query before anything
else runs. A page from the cache costs that query and nothing more: the middleware answers before
sessions, authentication or the view are reached. A conditional GET whose ETag still matches
gets a 304.

Only what exists is stored: the views (and the template tags they render) report which value of
each parameter they showed (`rendered`); a request asking for something else (a page beyond the
last, an order that does not exist) is answered but not stored, so no request can fill the cache.

Signed-in readers' pages are never shared: they are rendered for them and marked private.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotModified,
    QueryDict,
)
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode

from . import versions
from .models import Article, Section, SiteVersion

T = TypeVar("T")

PAGE_CACHE = "pages"
# How long a shared cache (a CDN) may serve a page without asking, and serve it stale while it
# asks again: short, so a change reaches readers behind it within a minute.
SHARED_MAX_AGE = 30
STALE_WHILE_REVALIDATE = 60
# The query parameters each kind of page shows differently for.
PARAMS = {"home": (), "section": ("page",), "article": ("order", "comments_page")}
# Headers made again for each response, by this middleware or the ones around it: not stored.
NOT_STORED = {
    "set-cookie",
    "date",
    "content-length",
    "etag",
    "cache-control",
    "vary",
    "expires",
    "content-security-policy",
    "content-security-policy-report-only",
}


def rendered(request: HttpRequest, name: str, value: object) -> None:
    """Record the value of query parameter `name` that the page shows (see the module doc)."""
    if not hasattr(request, "_page_params"):
        request._page_params = {}  # type: ignore[attr-defined]
    request._page_params[name] = str(value)  # type: ignore[attr-defined]


def for_everyone(request: HttpRequest) -> bool:
    """A request that nothing personal can answer: a GET or HEAD with no session or messages."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


@dataclass(frozen=True)
class Page:
    kind: str  # "home", "section" or "article"
    versions: tuple
    navigation: int = 0  # the section tree's version, which every page's header shows


def versions_of(request: HttpRequest) -> Page | None:
    """The versions the middleware read for this request's page, if it is one."""
    return getattr(request, "page_versions", None)


def key_of(versions: tuple) -> str:
    """A short key for versions read from the database."""
    return hashlib.blake2b(repr(versions).encode(), digest_size=16).hexdigest()


def kept(name: str, versions: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the page cache under `versions` read from the database (so for as
    long as the database says nothing it depends on has changed)."""
    key = f"kept-{name}-{key_of(versions)}"
    pages = caches[PAGE_CACHE]
    found = pages.get(key)
    if found is None:
        found = (compute(),)
        pages.set(key, found, timeout=None)
    return found[0]


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        kind = page_kind(request.path_info)
        if kind is None:
            return self.get_response(request)
        page = page_versions(request.path_info, kind)
        # The views keep what they derive (the article's row, page fragments) under these too.
        request.page_versions = page  # type: ignore[attr-defined]
        if not for_everyone(request):
            response = self.get_response(request)
            if response.status_code == 200:
                patch_cache_control(response, private=True, no_cache=True)
                patch_vary_headers(response, ["Cookie"])
            return response
        if page is None:  # no such page (or a moved one): the view says so
            return self.get_response(request)
        asked = {name: request.GET[name] for name in PARAMS[page.kind] if request.GET.get(name)}
        if len(asked) != len(request.GET):
            # The page shows nothing of other parameters (a campaign's tags, a stray ?reply=):
            # it is rendered without them, so what is stored is the page everyone gets.
            request.GET = QueryDict(urlencode(asked))
            request.META["QUERY_STRING"] = request.GET.urlencode()
        key = _key(request, page, asked)
        etag = f'"{key}"'
        if etag in _etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
            return _shared(HttpResponseNotModified(), etag)
        pages = caches[PAGE_CACHE]
        stored = pages.get(key)
        if stored is not None:
            content, headers = stored
            return _shared(HttpResponse(content, headers=headers), etag)
        response = self.get_response(request)
        shown = getattr(request, "_page_params", {})
        if (
            isinstance(response, HttpResponse)
            and response.status_code == 200
            and not response.cookies
            and all(shown.get(name) == value for name, value in asked.items())
        ):
            headers = {k: v for k, v in response.items() if k.lower() not in NOT_STORED}
            pages.set(key, (response.content, headers), timeout=None)
            return _shared(response, etag)
        return response


def page_kind(path: str) -> str | None:
    """ "home" or "tree" (a section or an article) for the section tree's addresses, else None."""
    if path == "/":
        return "home"
    first = path.strip("/").split("/", 1)[0]
    if not path.endswith("/") or not first or first in settings.RESERVED_SECTION_SLUGS:
        return None
    return "tree"


def page_versions(path: str, kind: str) -> Page | None:
    """The page at `path` and the versions of what it shows, in one query (see the module doc)."""
    now = timezone.now()
    if kind == "home":
        row = _fetch(_HOME, [_db_time(now)])
        if row is None or row[2]:  # no row yet, or a scheduled article went live: lists change
            versions.schedule_changed(now=now)
            row = _fetch(_HOME, [_db_time(now)])
        return Page("home", (row[0], row[1]), navigation=row[0]) if row else None
    tree_path = path.strip("/")
    section_path, _, slug = tree_path.rpartition("/")
    moment = _db_time(now)
    params = [moment, section_path, slug, Article.Status.PUBLISHED, moment, moment, tree_path]
    row = _fetch(_TREE, params)
    if row is None:
        return None
    if row[8]:
        versions.schedule_changed(now=now)
        row = _fetch(_TREE, params)
        if row is None:
            return None
    which, pk, version, mode, published_at, close_after_days, navigation, listing, _ = row
    if which == 2:
        return Page("section", (pk, navigation, listing), navigation=navigation)
    closed = mode == Article.CommentsMode.CLOSED or _closed_by_time(
        published_at, close_after_days, now
    )
    return Page("article", (pk, version, navigation, closed), navigation=navigation)


# --- The one query -----------------------------------------------------------------------------
# Written out, not built with the ORM: building this statement with subqueries cost more than all
# the rest of a page from the cache. Standard SQL, the same on SQLite and PostgreSQL; the table
# and column names come from the models.

_A, _S, _V = (m._meta.db_table for m in (Article, Section, SiteVersion))
_SITE = f"INNER JOIN {_V} v ON v.id = {SiteVersion.SINGLETON_PK}"
_DUE = "CASE WHEN v.next_publication_at <= %s THEN 1 ELSE 0 END"
# Only the models' own names go into the text; every value is a parameter.
_HOME = f"SELECT v.navigation, v.listing, {_DUE} FROM {_V} v WHERE v.id = 1"  # noqa: S608
_TREE = f"""
SELECT 1, a.id, a.version, a.comments_mode, a.published_at, a.comments_close_after_days,
       v.navigation, v.listing, {_DUE}
  FROM {_A} a INNER JOIN {_S} s ON s.id = a.section_id {_SITE}
 WHERE s.path = %s AND a.slug = %s AND a.status = %s AND a.published_at <= %s
UNION ALL
SELECT 2, s.id, 0, NULL, NULL, NULL, v.navigation, v.listing, {_DUE}
  FROM {_S} s {_SITE}
 WHERE s.path = %s
ORDER BY 1
LIMIT 1
"""  # noqa: S608


def _fetch(sql: str, params: list) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _db_time(moment: dt.datetime) -> object:
    return connection.ops.adapt_datetimefield_value(moment)


def _closed_by_time(published_at: object, days: int | None, now: dt.datetime) -> bool:
    """Whether the discussion closed by itself (Article.comments_closed, from the raw row)."""
    if days is None or published_at is None:
        return False
    if isinstance(published_at, str):  # SQLite keeps UTC times as text
        published_at = dt.datetime.fromisoformat(published_at).replace(tzinfo=dt.UTC)
    assert isinstance(published_at, dt.datetime)
    return published_at + dt.timedelta(days=days) <= now


# --- Keys and headers --------------------------------------------------------------------------


def _key(request: HttpRequest, page: Page, asked: dict[str, str]) -> str:
    parts = (
        request.scheme,
        request.get_host(),
        request.path,
        page.kind,
        page.versions,
        sorted(asked.items()),
        "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""),  # stored as it was sent
    )
    return "page-" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def _shared(response: HttpResponseBase, etag: str) -> HttpResponseBase:
    response["ETag"] = etag
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=SHARED_MAX_AGE,
        stale_while_revalidate=STALE_WHILE_REVALIDATE,
    )
    patch_vary_headers(response, ["Cookie", "Accept-Encoding"])
    return response
