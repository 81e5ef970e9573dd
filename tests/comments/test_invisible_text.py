"""Text that shows nothing is no comment, and bidi controls stay inside the comment they are in."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment
from comments.services import BLANK, NOTHING_VISIBLE, body_problem
from markup.sanitize import render_comment
from markup.text import balance_bidi_controls, has_visible_text
from tests.api.conftest import token_client
from tests.comments.conftest import post_form

pytestmark = pytest.mark.django_db

INVISIBLE = {
    "zero-width spaces": "\u200b\u200b\u200b",
    "joiners and a word joiner": "\u200d\u200c\u2060",
    "a byte-order mark": "\ufeff",
    "bidi overrides": "\u202e\u202d\u202c",
    "bidi isolates": "\u2067\u2066\u2069",
    "bidi marks": "\u200e\u200f\u061c",
    "a soft hyphen": "\u00ad",
    "a Mongolian vowel separator": "\u180e",
    "ideographic and thin spaces": "\u3000\u2009\u00a0",
    "line and paragraph separators": "\u2028\u2029",
    "Hangul fillers": "\u3164\u115f\u1160\uffa0",
    "the blank Braille pattern": "\u2800\u2800",
    "tag characters": "\U000e0041\U000e007f",
    "a lone combining mark": "\u034f",
    "a mixture": "\u200b \u202e\u3164 \u2800\u2069",
}


@pytest.mark.parametrize("body", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_a_comment_of_only_invisible_characters_is_refused_as_blank(body):
    assert body_problem(body) == BLANK


@pytest.mark.parametrize(
    "body",
    ["Hi", "👩\u200d💻", "\u05e9\u05dc\u05d5\u05dd", "\u2067\u05e9\u05dc\u05d5\u05dd\u2069", "…"],
    ids=["words", "an emoji sequence with a joiner", "Hebrew", "isolated Hebrew", "an ellipsis"],
)
def test_text_with_anything_visible_is_a_comment(body):
    assert has_visible_text(body)
    assert body_problem(body) is None


@pytest.mark.parametrize("body", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_the_site_refuses_it_at_the_form_and_keeps_the_text(client, reader, article, body):
    client.force_login(reader)
    response = post_form(client, article, body)
    assert response.status_code == 400
    assert Comment.objects.count() == 0
    form = BeautifulSoup(response.content, "html5lib").find(id="comment-form")
    assert BLANK in form.get_text()
    assert form.find("textarea").get_text() == body


@pytest.mark.parametrize("body", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_the_api_refuses_it_as_a_field_error(reader, article, body):
    response = token_client(reader).post(f"/api/articles/{article.pk}/comments/", {"body": body})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {"body": [BLANK]}


def test_markup_around_invisible_characters_is_refused_as_showing_nothing(reader, article):
    body = "<b>\u200b</b> <i>\u3164</i>"
    response = token_client(reader).post(f"/api/articles/{article.pk}/comments/", {"body": body})
    assert response.status_code == 400
    assert response.json()["errors"] == {"body": [NOTHING_VISIBLE]}


# --- Bidi controls --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("\u202eevil", "evil"),  # a right-to-left override left open
        ("a\u2067b", "ab"),  # an isolate left open
        ("a\u202cb\u2069c", "abc"),  # closers with nothing to close
        ("\u202bx\u202c", "\u202bx\u202c"),  # a closed embedding stays
        ("\u2067\u05e9\u2069", "\u2067\u05e9\u2069"),  # a closed isolate stays
        ("\u2066\u202ex\u2069", "\u2066x\u2069"),  # an override left open inside an isolate
        ("\u200fmarks\u200e", "\u200fmarks\u200e"),  # marks reorder nothing beyond themselves
    ],
)
def test_bidi_controls_left_open_are_dropped_and_closed_pairs_kept(typed, kept):
    assert balance_bidi_controls(typed) == kept


def test_a_stored_comment_never_holds_an_open_override():
    html = render_comment("Nice \u202earticle\n\nSecond \u2067paragraph")
    assert "\u202e" not in html and "\u2067" not in html
    assert html == "<p>Nice article</p><p>Second paragraph</p>"


def test_every_comment_body_on_the_page_is_its_own_bidi_isolate(client, trusted, reader, article):
    client.force_login(reader)
    post_form(client, article, "\u202eReversed?")
    comment = Comment.objects.get()
    assert comment.body == "\u202eReversed?"  # kept as typed; only the HTML is balanced
    assert comment.body_html == "<p>Reversed?</p>"
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html5lib")
    body = page.find(id=f"comment-{comment.pk}").select_one(".comment-body")
    assert body["dir"] == "auto"
