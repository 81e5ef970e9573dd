"""Links judged by where they go: registered domains through the Public Suffix List, bare domains
in the text, the editors' trusted and blocked lists, shorteners, phone numbers."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from comments.models import Comment
from comments.services import post_comment
from markup.sanitize import render_comment
from moderation.links import (
    DEFAULT_TRUSTED_DOMAINS,
    domain_list_errors,
    hosts_in,
    judge,
    normalise_domain,
    phone_numbers,
    registered_domain,
)
from moderation.models import ModerationSettings, Sanction
from moderation.rules import AuthorHistory, Context, Standing
from moderation.screening import screen
from tests.comments.conftest import CommentFactory, moderation_settings


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.example.co.uk", "example.co.uk"),
        ("shop.cheap-pills.com", "cheap-pills.com"),
        ("someone.blogspot.com", "someone.blogspot.com"),  # a site of its own
        ("www.nhs.uk", "www.nhs.uk"),  # nhs.uk is itself a public suffix
        ("nhs.uk", "nhs.uk"),
        ("report.pdf", None),  # no such suffix: a file name
        ("localhost", None),
    ],
)
def test_a_host_is_judged_by_its_registered_domain(host, domain):
    assert registered_domain(host) == domain


@pytest.mark.parametrize(
    ("body", "hosts"),
    [
        ("See https://www.Example.com/page?x=1 now", ("www.example.com",)),
        ("www.cheap-meds.biz/offer", ("www.cheap-meds.biz",)),
        ("visit cheapmeds.com today", ("cheapmeds.com",)),
        ("go to cheapmeds dot com", ("cheapmeds.com",)),
        ("cheapmeds (dot) com", ("cheapmeds.com",)),
        ("cheapmeds[.]com", ("cheapmeds.com",)),
        ("mail drx@gmail.com", ("gmail.com",)),
        ("𝐜𝐡𝐞𝐚𝐩𝐦𝐞𝐝𝐬.com", ("cheapmeds.com",)),  # mathematical bold
        # Not addresses: a missing space after a full stop, numbers, abbreviations, files.
        ("It works.So I kept on.", ()),
        ("Take 2.5 mg, e.g. at night.", ()),
        ("See the attached report.pdf", ()),
        ("I said no. Com on.", ()),
    ],
)
def test_every_address_in_a_comment_counts_typed_or_bare(body, hosts):
    assert hosts_in(body) == hosts


def test_an_anchor_the_sanitiser_made_counts_too():
    html = '<p><a href="https://evil.example.net/x" rel="nofollow">click</a></p>'
    assert hosts_in("click", html) == ("evil.example.net",)


def test_trusted_blocked_and_unknown_domains_are_told_apart():
    judged = judge(
        ["www.nhs.uk", "pubmed.ncbi.nlm.nih.gov", "cheap.example.com", "bit.ly", "spam.biz"],
        trusted=[*DEFAULT_TRUSTED_DOMAINS, "bit.ly"],
        blocked=["spam.biz"],
    )
    assert judged.trusted == ("www.nhs.uk", "nih.gov")
    assert judged.unknown == ("example.com", "bit.ly")  # a shortener is never trusted
    assert judged.blocked == ("spam.biz",)


@pytest.mark.parametrize(
    ("entry", "host"),
    [
        ("https://www.NHS.uk/conditions/", "nhs.uk"),
        ("cdc.gov", "cdc.gov"),
        (" who.int ", "who.int"),
    ],
)
def test_an_editors_entry_is_read_as_a_domain(entry, host):
    assert normalise_domain(entry) == host


def test_an_entry_that_is_not_a_domain_is_an_error_naming_it():
    assert domain_list_errors("nhs.uk\nnot a domain\n# a note\n10.0.0.1") == [
        "“not a domain” is not a domain name (for example: nhs.uk).",
        "“10.0.0.1” is not a domain name (for example: nhs.uk).",
    ]


@pytest.mark.parametrize(
    ("body", "numbers"),
    [
        ("WhatsApp +44 7700 900412 now", ("447700900412",)),
        ("call 1-800-555-0142", ("18005550142",)),
        ("Text only: +1 555-0173", ("15550173",)),
        ("Call the Samaritans on 116 123, or NHS 111.", ()),
        ("I take 1000 mg twice a day since 2019-03-04.", ()),
    ],
)
def test_phone_numbers_are_found_and_helplines_left_alone(body, numbers):
    assert phone_numbers(body) == numbers


@pytest.mark.django_db
def test_the_suffix_list_is_the_packaged_one_and_is_never_fetched(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the suffix list tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    code = (
        "import sys; from moderation.links import registered_domain;"
        "assert registered_domain('a.b.example.co.uk') == 'example.co.uk';"
        "assert 'publicsuffixlist.update' not in sys.modules; print('ok')"
    )
    # In a fresh process too, where nothing was loaded before.
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "ok"
    assert registered_domain("x.example.com") == "example.com"


NO_SANCTION = Standing()


def _screen(body, *, article, standing=NO_SANCTION, editor=False, **settings):
    comment = Comment(article=article, body=body, body_html=render_comment(body))
    context = Context(
        article=article,
        author=None,
        history=AuthorHistory(approved=5),
        standing=standing,
        author_is_editor=editor,
        settings=ModerationSettings(**settings),
    )
    return screen(comment, context=context)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "codes", "status"),
    [
        ("See https://www.nhs.uk/conditions/insomnia/", [], "approved"),
        ("Details at cheap-sleep.example.com", ["unknown_link"], "pending"),
        ("Short link: https://bit.ly/3xyz", ["unknown_link"], "pending"),
        ("Message me: +44 7700 900412", ["phone_number"], "pending"),
        ("Buy at blocked-pills.com", ["blocked_link"], "spam"),
    ],
)
def test_a_trusted_by_record_reader_is_held_for_unknown_links_and_blocked_is_spam(
    article, body, codes, status
):
    result = _screen(body, article=article, blocked_domains="blocked-pills.com")
    assert ([v.reason for v in result.fired], result.status) == (codes, status)


@pytest.mark.django_db
def test_readers_an_editor_trusted_and_editors_link_anywhere_but_never_to_a_blocked_site(
    article, reader
):
    trusted = Standing(sanctions=(Sanction(user=reader, kind=Sanction.Kind.TRUST),))
    for who in ({"standing": trusted}, {"editor": True}):
        assert _screen("See cheap-sleep.example.com", article=article, **who).fired == ()
        blocked = _screen(
            "blocked-pills.com", article=article, blocked_domains="blocked-pills.com", **who
        )
        assert blocked.status == "spam"


@pytest.fixture
def established(reader, article):
    """The reader, trusted by their record (an approved comment), not by an editor."""
    CommentFactory(author=reader, article=article)
    return reader


@pytest.mark.django_db
@pytest.mark.usefixtures("established")
def test_the_reader_is_told_the_link_is_why_it_waits(reader, article):
    comment = post_comment(author=reader, article=article, body="More at sleepy-tips.example.org")
    assert comment.status == Comment.Status.PENDING
    (why,) = comment.held_because
    assert "sleepy-tips.example.org" not in why and "example.org" in why
    assert "Without that link, your comment would not wait." in why


@pytest.mark.django_db
@pytest.mark.usefixtures("established")
def test_the_editors_trusted_list_is_seeded_and_theirs_to_change(reader, article):
    assert "who.int" in ModerationSettings.objects.get_or_create(pk=1)[0].trusted_domains
    body = "A good read: https://sleepfoundation.example.org/article"
    assert post_comment(author=reader, article=article, body=body).status == "pending"
    moderation_settings(trusted_domains="sleepfoundation.example.org")
    again = post_comment(author=reader, article=article, body=f"{body} (again)")
    assert again.status == "approved"
