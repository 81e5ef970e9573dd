"""Markdown in comments: a small subset, rendered once on save and passed through the sanitiser.

What a reader types is never shown as raw markup: each construct becomes its element, and anything
outside the subset stays the reader's words (escaped, never interpreted).
"""

import pytest
from bs4 import BeautifulSoup

from markup.sanitize import comment_first_pass, comment_gate, render_comment

REL = 'rel="nofollow ugc noopener"'


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("*soft* and _soft_", "<p><em>soft</em> and <em>soft</em></p>"),
        ("**loud** and __loud__", "<p><strong>loud</strong> and <strong>loud</strong></p>"),
        (
            "[the study](https://example.com/study)",
            f'<p><a href="https://example.com/study" {REL}>the study</a></p>',
        ),
        (
            "[a *fine* study](https://example.com/a_(b))",
            f'<p><a href="https://example.com/a_(b)" {REL}>a <em>fine</em> study</a></p>',
        ),
        ("- one\n- two", "<ul><li>one</li><li>two</li></ul>"),
        ("* one\n* two", "<ul><li>one</li><li>two</li></ul>"),
        ("1. first\n2. second", "<ol><li>first</li><li>second</li></ol>"),
        ("> quoted\n> on", "<blockquote><p>quoted<br>on</p></blockquote>"),
        ("> quoted\n\nmy answer", "<blockquote><p>quoted</p></blockquote><p>my answer</p>"),
        ("use `x < y` here", "<p>use <code>x &lt; y</code> here</p>"),
        ("```\nif a < b:\n\n    go()\n```", "<pre><code>if a &lt; b:\n\n    go()\n</code></pre>"),
        ("one\ntwo", "<p>one<br>two</p>"),
        ("one\n\ntwo", "<p>one</p><p>two</p>"),
        ("snake_case_name stays", "<p>snake_case_name stays</p>"),
        ("2 * 3 * 4", "<p>2 * 3 * 4</p>"),
        (r"\*not emphasis\*", "<p>*not emphasis*</p>"),
    ],
    ids=[
        "emphasis",
        "strong",
        "link",
        "link-with-emphasis-and-parentheses",
        "list",
        "list-stars",
        "ordered-list",
        "quote",
        "quote-then-paragraph",
        "inline-code-escapes",
        "fenced-code-escapes-and-keeps-lines",
        "line-break",
        "paragraphs",
        "underscores-inside-words",
        "lone-stars",
        "escaped-stars",
    ],
)
def test_each_construct_of_the_subset(typed, stored):
    assert render_comment(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # Outside the subset: the reader's words, as typed.
        ("# not a heading", "<p># not a heading</p>"),
        ("---", "<p>---</p>"),
        ("    four spaces", "<p>four spaces</p>"),
    ],
    ids=["heading", "rule", "indented-code"],
)
def test_what_is_outside_the_subset_stays_words(typed, stored):
    assert render_comment(typed) == stored


def test_a_markdown_link_is_one_whole_link():
    html = render_comment("See [the trial](https://example.com/trial?a=1&b=2) first.")
    links = BeautifulSoup(html, "html.parser").find_all("a")
    assert len(links) == 1
    assert links[0]["href"] == "https://example.com/trial?a=1&b=2"
    assert links[0].get_text() == "the trial"
    assert "[" not in html and "](" not in html


def test_an_image_is_a_link_to_it():
    assert render_comment("![a picture](https://example.com/x.png)") == (
        f'<p><a href="https://example.com/x.png" {REL}>a picture</a></p>'
    )


def test_bare_addresses_are_still_links():
    html = render_comment("go to https://example.com now, or [here](https://example.org)")
    hrefs = [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")]
    assert hrefs == ["https://example.com", "https://example.org"]


HOSTILE = {
    "javascript-link": "[click](javascript:alert(1))",
    "javascript-link-mixed-case": "[click](JaVaScRiPt:alert(1))",
    "javascript-link-entities": "[click](&#106;avascript:alert(1))",
    "javascript-link-control": "[click](java\x01script:alert(1))",
    "data-link": "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "vbscript-link": "[click](vbscript:msgbox(1))",
    "relative-link": "[click](/accounts/email/)",
    "protocol-relative-link": "[click](//evil.example/)",
    "quote-breaking-title": '[click](https://ok.example "a" onmouseover="alert(1))',
    "quote-breaking-url": '[click](https://ok.example/"onmouseover="alert(1))',
    "image-with-handler": "![x](https://x/y.png)<img src=x onerror=alert(1)>",
    "script-in-emphasis": "**<script>alert(1)</script>**",
    "script-in-list": "- <script>alert(1)</script>",
    "script-in-quote": "> <script>alert(1)</script>",
    "script-in-code": "`<script>alert(1)</script>`",
    "script-in-fence": "```\n<script>alert(1)</script>\n```",
    "html-block": "<div onclick=alert(1)>click</div>",
    "style-block": "<style>body{display:none}</style>",
    "autolink-javascript": "<javascript:alert(1)>",
    "nested-link": "[[inner](https://a.example)](https://b.example)",
    "reference-definition": "[x]: javascript:alert(1)\n[click][x]",
    "deep-nesting": "> " * 200 + "deep",
    "many-stars": "*" * 5000,
}


@pytest.mark.parametrize("typed", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_stays_inert(typed):
    html = render_comment(typed)
    assert comment_gate(html) == html  # the second gate finds nothing left to remove
    soup = BeautifulSoup(html, "html5lib")
    for tag in soup.find_all(True):
        assert tag.name in {
            "html", "head", "body", "p", "br", "strong", "b", "em", "i", "a",
            "blockquote", "code", "pre", "ul", "ol", "li",
        }  # fmt: skip
        assert not any(name.startswith("on") for name in tag.attrs)
        if tag.name == "a":
            assert tag["href"].startswith(("https://", "http://", "mailto:"))
            assert tag["rel"] == ["nofollow", "ugc", "noopener"]


@pytest.mark.parametrize("typed", ["**bold** [x](https://a.example)", "- a\n- b", "> q"])
def test_the_second_gate_changes_nothing_for_markdown(typed):
    first = comment_first_pass(typed)
    assert comment_gate(first) == first
