"""Every reader's avatar is drawn locally from their name: same name, same face."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from accounts.avatars import PALETTE, avatar_svg, colour, initials
from tests.comments.conftest import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "letters"),
    [("jane_doe", "JD"), ("reader", "R"), ("émile.zola", "ÉZ"), ("___", "?"), ("x9", "X")],
)
def test_initials_come_from_the_first_two_words(name, letters):
    assert initials(name) == letters


def test_the_colour_is_the_same_for_a_name_on_every_machine_and_white_text_reads_on_it():
    assert colour("reader") == colour("Reader") in PALETTE
    assert len({colour(f"reader{n}") for n in range(100)}) > 6

    def luminance(hex_colour: str) -> float:
        def channel(c: int) -> float:
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)

    for fill in PALETTE:
        assert (1.05) / (luminance(fill) + 0.05) >= 4.5, fill


def test_the_avatar_is_inline_svg_hidden_from_screen_readers_and_escaped():
    svg = avatar_svg("<b>x", size=32)
    assert svg.startswith("<svg") and 'aria-hidden="true"' in svg
    assert "<b>" not in svg and "href" not in svg and "style" not in svg


def test_the_thread_and_the_profile_show_it(client, reader, article):
    CommentFactory(article=article, author=reader)
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html5lib")
    assert page.select_one(".comment-meta svg.avatar text").get_text() == "R"
    profile = BeautifulSoup(client.get("/users/reader/").content, "html5lib")
    assert profile.select_one(".profile-name svg.avatar") is not None
