"""Sanitising: what readers type becomes safe HTML once, on save, and hostile input stays inert.

The hostile table posts each input as a comment, renders the article page and parses it with
html5lib exactly as a browser would, then looks for anything that could run or leave the page.
"""

import re
import uuid

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment
from comments.services import NOTHING_VISIBLE, ONLY_MARKUP
from markup.sanitize import comment_first_pass, comment_gate, render_comment
from tests.comments.conftest import sent_back

ORDINARY = [
    "Hello world",
    "Thanks for this article. It helped me a lot!",
    'a & b < c > d "quoted" it\'s',
    "line one\nline two\n\nsecond paragraph",
    "I had the same <b>twitches</b> after <i>coffee</i>, <strong>really</strong>.",
    "See https://example.com/a?b=1&c=2 and www.example.org for more.",
    '<a href="https://example.com/page" title="A page">a link</a>',
    '<a href="mailto:someone@example.com">write to me</a>',
    "<blockquote>Quoted text</blockquote>\n\nMy answer.",
    "<ul><li>one</li><li>two</li></ul>",
    "<ol><li>first</li></ol>",
    "<pre>code\n\n  indented</pre>",
    "Use <code>x &lt; y</code> here",
    "café, naïve, “curly quotes” — and emoji 😀",
    "non\u00a0breaking space",
    "&copy; 2026 &amp; &#169;",
    '<a href="https://example.com/?q=<tag>">odd query</a>',
    "Unclosed <em>emphasis",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_the_second_gate_changes_nothing_for_ordinary_input(text):
    first = comment_first_pass(text)
    assert comment_gate(first) == first
    assert render_comment(text) == first


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("one\ntwo\n\nthree", "<p>one<br>two</p><p>three</p>"),
        ("\n\n\nspaced\n\n\n\nout\n\n", "<p>spaced</p><p>out</p>"),
        (
            "go to https://example.com now",
            '<p>go to <a href="https://example.com" rel="nofollow ugc noopener">'
            "https://example.com</a> now</p>",
        ),
        (
            '<a href="https://example.com" rel="opener" target="_blank">x</a>',
            '<p><a href="https://example.com" rel="nofollow ugc noopener">x</a></p>',
        ),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        # An anchor whose address is refused keeps its words, and is no "link" at all.
        ('<a href="javascript:alert(1)">x</a>', "<p>x</p>"),
        ('<a href="/accounts/email/">here</a>', "<p>here</p>"),
        ('<a href="//evil.example/">x</a>', "<p>x</p>"),
        (
            '<a href="https://ok.example/">ok</a>',
            '<p><a href="https://ok.example/" rel="nofollow ugc noopener">ok</a></p>',
        ),
        ("<h1>Shouting</h1>", "<p>&lt;h1&gt;Shouting&lt;/h1&gt;</p>"),
        ("<pre>keep\n\nlines</pre>", "<pre>keep\n\nlines</pre>"),
        ("<ul><li>a</li></ul>\n\nafter", "<ul><li>a</li></ul><p>after</p>"),
        ("tab\there, nul\x00gone", "<p>tab here, nulgone</p>"),  # Markdown expands tabs
        ("", ""),
    ],
    ids=[
        "line-breaks",
        "extra-blank-lines",
        "linkified",
        "rel-forced",
        "script-escaped",
        "javascript-href-dropped",
        "relative-link-dropped",
        "protocol-relative-link-dropped",
        "allowed-link-kept",
        "disallowed-tag-escaped",
        "pre-kept",
        "block-not-wrapped",
        "control-chars",
        "empty",
    ],
)
def test_the_comment_policy(typed, stored):
    assert render_comment(typed) == stored


HOSTILE = {
    "script": "<script>alert(1)</script>",
    "script-src-uppercase": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "body-onload": "<body onload=alert(1)>",
    "div-onclick": "<div onclick=alert(1)>click</div>",
    "details-ontoggle": "<details open ontoggle=alert(1)>x</details>",
    "input-autofocus": "<input onfocus=alert(1) autofocus>",
    "allowed-tag-with-handler": '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    "javascript-href": '<a href="javascript:alert(1)">x</a>',
    "javascript-mixed-case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "javascript-decimal-entities": '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;'
    '&#112;&#116;&#58;alert(1)">x</a>',
    "javascript-hex-entities": '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;'
    '&#x70;&#x74;&#x3A;alert(1)">x</a>',
    "javascript-padded-entities-no-semicolons": '<a href="&#0000106&#0000097&#0000118&#0000097'
    '&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
    "javascript-named-colon": '<a href="javascript&colon;alert(1)">x</a>',
    "javascript-tab-entity": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "javascript-newline-entity": '<a href="java&NewLine;script:alert(1)">x</a>',
    "javascript-raw-tab": '<a href="jav\tascript:alert(1)">x</a>',
    "javascript-raw-newline": '<a href="jav\nascript:alert(1)">x</a>',
    "javascript-vertical-tab": '<a href="java\x0bscript:alert(1)">x</a>',
    "javascript-leading-control": '<a href=" \x01\x0ejavascript:alert(1)">x</a>',
    "javascript-leading-space-entity": '<a href="&#x20;&#14;javascript:alert(1)">x</a>',
    "javascript-unicode-separator": '<a href="\u2028javascript:alert(1)">x</a>',
    "data-html-base64": '<a href="data:text/html;base64,'
    'PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "data-uppercase": '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    "vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "svg-onload": "<svg onload=alert(1)>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "svg-xlink": '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "svg-animate": "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "svg-use-data": "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/"
    "svg'><image href='1' onerror='alert(1)' /></svg>#x\"></use></svg>",
    "mathml-mglyph-style": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "mathml-href": '<math href="javascript:alert(1)">x</math>',
    "mathml-maction": '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">'
    "x</maction></math>",
    "style-element": "<style>body{background:url(javascript:alert(1))}</style>",
    "style-attribute": '<b style="background:url(javascript:alert(1))">x</b>',
    "style-overlay": '<p style="position:fixed;inset:0">overlay</p>',
    "noscript-mutation": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "template-script": "<template><script>alert(1)</script></template>",
    "comment-hidden-img": "<!--<img src=x onerror=alert(1)>-->",
    "comment-early-close": "<!--><img src=x onerror=alert(1)>-->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "xmp-rawtext": "<xmp><script>alert(1)</script></xmp>",
    "listing-mutation": "<listing>&lt;img src=x onerror=alert(1)&gt;</listing>",
    "select-style-mutation": "<select><style></select><img src=x onerror=alert(1)>",
    "title-breakout": "<a title='\"><script>alert(1)</script>'>x</a>",
    "attribute-no-space": '<a href="https://ok.example/"onclick="alert(1)">x</a>',
    "unquoted-attribute-handler": "<a href=https://ok.example/ onfocus=alert(1) autofocus>x</a>",
    "malformed-nested-tag": "<b <script>alert(1)</script>>",
    "unclosed-attribute": '<img src="x onerror=alert(1)',
    "unclosed-tag": '<a href="javascript:alert(1)"',
    "unclosed-nesting-then-script": "<p><b><i>unclosed <script>alert(1)",
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "form-action": '<form action="javascript:alert(1)"><button>go</button></form>',
    "button-formaction": '<button formaction="javascript:alert(1)">x</button>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base-href": '<base href="javascript:alert(1)//">',
    "link-stylesheet": '<link rel=stylesheet href="javascript:alert(1)">',
    "blockquote-cite": '<blockquote cite="javascript:alert(1)">q</blockquote>',
    "linkify-quote-breakout": 'https://example.com/"onmouseover="alert(1)',
    "linkify-bare-javascript": "javascript:alert(1)",
    "linkify-script-in-path": "www.example.com/<script>alert(1)</script>",
    "isindex": "<isindex type=image src=1 onerror=alert(1)>",
}

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "cite",
    "poster",
    "background",
    "srcset",
    "ping",
    "xlink:href",
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
NEVER_ON_THE_PAGE = ["iframe", "object", "embed", "svg", "math", "base", "template", "noscript"]
COMMENT_TAGS = {"p", "br", "strong", "b", "em", "i", "a", "blockquote", "code", "pre", "ul", "ol"}
COMMENT_TAGS |= {"li"}


C0_AND_SPACE = "".join(map(chr, range(0x21)))


def scheme_of(url: str) -> str | None:
    """The scheme a browser would see: the URL parser drops tabs, newlines and edge controls."""
    url = re.sub(r"[\t\n\r]", "", url).strip(C0_AND_SPACE)
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return match.group(1).lower() if match else None


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_posted_as_a_comment_renders_inert(reader_client, article, hostile):
    response = reader_client.post(
        f"/comments/post/{article.pk}/", {"body": hostile, "token": str(uuid.uuid4())}
    )
    assert response.status_code == 303
    if not Comment.objects.exists():
        # Refused because nothing of it would be visible (or it is markup alone): the page shows
        # the text in the form.
        page = BeautifulSoup(sent_back(reader_client, response, article).content, "html5lib")
        assert page.select_one("#comment-form .errorlist").get_text() in (
            NOTHING_VISIBLE,
            ONLY_MARKUP,
        )
        assert page.find("textarea").get_text() == hostile
    else:
        comment = Comment.objects.get()
        assert comment.body == hostile  # kept exactly as typed
        page = BeautifulSoup(reader_client.get(article.get_absolute_url()).content, "html5lib")
        body = page.find(id=f"comment-{comment.pk}").select_one(".comment-body")
        assert {el.name for el in body.find_all(True)} <= COMMENT_TAGS
        for link in body.find_all("a", href=True):
            assert scheme_of(link["href"]) in ALLOWED_SCHEMES, link
    for script in page.find_all("script"):
        # The article's structured data, and the site's own scripts, as files.
        assert script.get("type") == "application/ld+json" or script["src"].startswith(
            "/static/js/"
        ), script
        assert "alert" not in script.get_text()
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), element
            assert name.lower() != "style", element
            if name.lower() in URL_ATTRIBUTES:
                values = value if isinstance(value, list) else [value]
                for url in values:
                    assert scheme_of(url) in ALLOWED_SCHEMES | {None}, element
    for tag in [*NEVER_ON_THE_PAGE, "style", "meta[http-equiv]", "link[rel=stylesheet]"]:
        found = page.select(tag)
        if tag == "link[rel=stylesheet]":  # the site's own stylesheet, and nothing else
            assert [link["href"] for link in found] == ["/static/css/site.css"]
        else:
            assert found == [], tag


@pytest.mark.parametrize(
    "hostile", ["<script>alert(1)</script>", "<iframe src=x>", "<h1>Big</h1>", "<img src=x>"]
)
def test_disallowed_markup_stays_visible_as_words(hostile):
    html = render_comment(hostile)
    text = BeautifulSoup(html, "html5lib").get_text()
    assert text == hostile


def test_there_are_at_least_forty_distinct_hostile_inputs():
    assert len(set(HOSTILE.values())) >= 40


@pytest.mark.django_db
def test_a_null_character_is_refused_with_a_reason_and_the_rest_kept(reader_client, article):
    response = reader_client.post(
        f"/comments/post/{article.pk}/", {"body": "a\x00b", "token": str(uuid.uuid4())}
    )
    page = sent_back(reader_client, response, article)
    assert "Null characters are not allowed." in page.content.decode()
    assert Comment.objects.count() == 0
