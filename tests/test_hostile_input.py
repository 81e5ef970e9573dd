"""No input is a server error: every route answers hostile values with a clear 4xx.

The walk covers every URL pattern of the site and the API (tests/routes.py), as an anonymous
visitor, a reader and an editor. Each route gets hostile values in its path parameters, in every
query parameter the site reads and in a form or JSON body: NUL bytes, lone surrogates, values far
longer than any field, numbers beyond any column, dates beyond the calendar. Nothing may answer
5xx, every error under /api/ is application/problem+json, and every answer carries the
Content-Security-Policy. Forged cursors, for the API's lists and the moderation queues, have their
own table below: the walk's hostile values would be refused before a cursor is looked at.
"""

from __future__ import annotations

import base64
import html
import json
import re
from urllib.parse import quote, urlencode

import pytest

from tests.routes import ROUTES, template_of, urls_for

pytestmark = pytest.mark.django_db

# Values a client can send, as text (the encoding keeps a lone surrogate as its UTF-8 bytes).
HOSTILE = {
    "nul": "a\x00b",
    "lone surrogate": "a\ud800b",
    "over-long": "é" * 3000,
    "huge number": "9" * 40,
    "negative number": "-1",
    "date beyond the calendar": "9999-12-31T23:59:59-23:59",
}
# Every query parameter the site and the API read (pages, search, threads, filters, cursors,
# the admin's lists and revision diffs, redirects).
QUERY_NAMES = [
    "q",
    "page",
    "comments_page",
    "order",
    "reply",
    "section",
    "cursor",
    "page_size",
    "article",
    "author",
    "rule",
    "since",
    "until",
    "from",
    "to",
    "next",
    "o",
    "p",
    "e",
    "status__exact",
    "_changelist_filters",
    "term",
    "app_label",
    "model_name",
    "field_name",
    "key",
    "format",
]
# Form and JSON fields the site's forms and the API's serializers take.
BODY_NAMES = [
    "body",
    "parent",
    "token",
    "reason",
    "note",
    "kind",
    "days",
    "duration",
    "decision",
    "action",
    "ids",
    "comments",
    "featured",
    "name",
    "next",
    "login",
    "password",
    "password1",
    "password2",
    "email",
    "username",
    "code",
    "key",
    "title",
    "slug",
    "summary",
    "section",
    "message",
    "confirm",
]
PERSONAS = ["anonymous", "reader", "editor"]


def encoded(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def query_with(value: str, names=QUERY_NAMES) -> str:
    return "&".join(f"{encoded(name)}={encoded(value)}" for name in names)


FIELD_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"")


def fields_of(response) -> list[str]:
    """The names of the fields in an HTML page's forms (whatever its own form asks for)."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    names = FIELD_NAME.findall(response.content.decode(errors="replace"))
    return [html.unescape(name) for name in names if name != "csrfmiddlewaretoken"]


def json_with(value) -> bytes:
    # ensure_ascii keeps a lone surrogate as the escape \ud800, which decodes back to it.
    return json.dumps(dict.fromkeys(BODY_NAMES, value)).encode()


JSON_BODIES = {
    **{name: json_with(value) for name, value in HOSTILE.items()},
    "huge integer": json_with(10**40),
    "huge float": json_with(1e308),
    "lone surrogate as a key": b'{"\\ud800": "x", "body": "Hello"}',
    "nested list": json_with([[["x"]]]),
}


def hostile_paths(chain, world) -> list[str]:
    """The route with each of its parameters replaced by each hostile value, the others real."""
    template, params = template_of(chain)
    plausible = urls_for(chain, world, limit=1)
    if not params or not plausible:
        return plausible
    from django.urls import resolve

    real = resolve(plausible[0]).kwargs
    paths = []
    for param in params:
        for value in HOSTILE.values():
            values = {p: encoded(str(real.get(p, "1"))) for p in params}
            values[param] = encoded(value)
            paths.append("/" + template % values)
    return plausible + paths


def sign_in(client, persona: str, users) -> None:
    client.logout()
    if persona != "anonymous":
        client.force_login(users[persona])


def assert_clear_answer(response, what: str) -> None:
    assert response.status_code < 500, f"{what} answered {response.status_code}"
    assert "Content-Security-Policy" in response, f"{what} answered without a CSP"
    if response.wsgi_request.path.startswith("/api/") and response.status_code >= 400:
        assert response["Content-Type"].startswith("application/problem+json"), (
            f"{what} answered {response.status_code} as {response['Content-Type']}"
        )


@pytest.fixture
def users(reader, editor):
    return {"reader": reader, "editor": editor}


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_no_hostile_value_anywhere_makes_a_server_error(client, route_world, users, name):
    chain = ROUTES[name]
    paths = hostile_paths(chain, route_world)
    assert paths, f"Could not build a URL for {name}: teach tests/routes.py its parameters."
    is_api = paths[0].startswith("/api/")
    for persona in PERSONAS:
        sign_in(client, persona, users)
        for path in paths:
            what = f"{persona} GET {path[:120]}"
            assert_clear_answer(client.get(path), what)
        plain = paths[0]
        # Every field of the page's own forms, and the names the site's forms and the API take.
        names = sorted({*BODY_NAMES, *fields_of(client.get(plain))})
        for label, value in HOSTILE.items():
            url = f"{plain}?{query_with(value)}"
            assert_clear_answer(client.get(url), f"{persona} GET {plain}?…{label}")
            form = query_with(value, names)
            response = client.post(plain, form, content_type="application/x-www-form-urlencoded")
            assert_clear_answer(response, f"{persona} POST {plain} form {label}")
        if is_api:
            for label, body in JSON_BODIES.items():
                for method in (client.post, client.put, client.patch):
                    response = method(plain, body, content_type="application/json")
                    assert_clear_answer(response, f"{persona} {method.__name__} {plain} {label}")


# --- Forged cursors -----------------------------------------------------------------------------


def api_cursor(position: str, *, reverse: bool = False) -> str:
    """A cursor as DRF's CursorPagination encodes one, with any position we like."""
    query = urlencode({"p": position, **({"r": "1"} if reverse else {})})
    return base64.b64encode(query.encode()).decode()


FORGED_POSITIONS = {
    "hour 25": "2024-05-01T25:00:00+00:00",
    "a +99:00 offset": "2024-05-01T10:00:00+99:00",
    "year 9999, past the calendar in UTC": "9999-12-31T23:59:59-23:59",
    "year 1, before the calendar in UTC": "0001-01-01T00:00:00+23:59",
    "not a date": "yesterday",
    "NUL": "2024-05-01T10:00:00\x00",
    "huge number": "9" * 40,
}
API_LISTS = [
    "/api/articles/",
    "/api/articles/{article}/comments/",
    "/api/moderation/queues/pending/",
]


@pytest.mark.parametrize("position", FORGED_POSITIONS.values(), ids=FORGED_POSITIONS.keys())
@pytest.mark.parametrize("listing", API_LISTS)
def test_a_forged_api_cursor_is_a_clear_not_found(client, editor, article, listing, position):
    client.force_login(editor)
    url = listing.format(article=article.pk)
    for reverse in (False, True):
        cursor = encoded(api_cursor(position, reverse=reverse))
        response = client.get(f"{url}?cursor={cursor}")
        assert response.status_code in (400, 404), response.content
        assert response["Content-Type"] == "application/problem+json"


FORGED_QUEUE_CURSORS = {
    "a time past the calendar": f"0_{9 * 10**17}_1",
    "a negative time": f"0_{-(9 * 10**17)}_1",
    "huge numbers": "_".join(["9" * 40] * 3),
    "not numbers": "a_b_c",
    "lone surrogate": "0_1\ud800_1",
    "too many parts": "0_1_2_3",
}


@pytest.mark.parametrize("cursor", FORGED_QUEUE_CURSORS.values(), ids=FORGED_QUEUE_CURSORS.keys())
@pytest.mark.parametrize("order", ["oldest", "newest", "priority"])
def test_a_forged_moderation_queue_cursor_is_a_clear_error(client, editor, order, cursor):
    client.force_login(editor)
    query = f"order={order}&cursor={encoded(cursor)}"
    # The queue page leaves a bad filter out and says so where the editor is looking.
    site = client.get(f"/moderation/queue/pending/?{query}")
    assert site.status_code == 200
    assert "The “cursor” filter was left out" in site.content.decode()
    api = client.get(f"/api/moderation/queues/pending/?{query}")
    assert api.status_code in (400, 404)
    assert api["Content-Type"] == "application/problem+json"


# --- NUL bytes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/%00/",
        "/search/?q=%00",
        "/users/%00/",
        "/feeds/sections/%00/",
        "/more/health/?page=1%00",
        "/moderation/queue/pending/?cursor=0_1%00_1",
        "/accounts/password/reset/key/%00-set-password/",
    ],
)
def test_a_nul_byte_in_the_address_is_a_bad_request(client, editor, url):
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/api/articles/?section=%00", "/api/%00/", "/api/moderation/queues/pending/?author=a%00"],
)
def test_a_nul_byte_in_an_api_address_is_a_problem(client, editor, url):
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The request could not be understood."
