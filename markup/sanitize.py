"""Sanitisation: the one place where text typed by people becomes HTML that we serve.

Two policies share one mechanism:

* comments: what a reader typed (plain text with a small Markdown subset: emphasis, links, lists,
  quotations, code; and a little HTML) becomes HTML through Python-Markdown restricted to that
  subset, then bleach with a small allow-list; disallowed markup is escaped, not dropped, so
  readers still see their words; bare URLs are linkified in the same pass; blank lines become
  paragraphs and a single line break stays one.
* article bodies: Markdown written by editors, rendered by Python-Markdown, then cleaned with a
  wider allow-list (headings, images, tables, figures).

bleach stopped receiving security releases in 2026, so every output then passes a second,
maintained gate, nh3 (ammonia), with the same allow-list: nh3's output is what is stored and
served.

Cleaners are built once at import, not per call.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser

import bleach
import markdown
import nh3
from bleach.linkifier import LinkifyFilter
from html5lib.filters.base import Filter
from markdown import inlinepatterns

from .text import balance_bidi_controls

LINK_REL = "nofollow ugc noopener"
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


@dataclass(frozen=True)
class Policy:
    tags: frozenset[str]
    attributes: dict[str, frozenset[str]]
    schemes: frozenset[str]
    link_rel: str | None
    # Relative links ("/accounts/...", "//host/...") carry no scheme to check; readers' links must
    # name theirs, editors may link within the site.
    relative_links: bool = True


COMMENT_POLICY = Policy(
    tags=frozenset(
        {"p", "br", "strong", "b", "em", "i", "a", "blockquote", "code", "pre", "ul", "ol", "li"}
    ),
    attributes={"a": frozenset({"href", "title"})},
    schemes=ALLOWED_SCHEMES,
    link_rel=LINK_REL,
    relative_links=False,
)

ARTICLE_POLICY = Policy(
    tags=COMMENT_POLICY.tags
    | frozenset(
        {
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "hr",
            "img",
            "figure",
            "figcaption",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "sup",
            "sub",
            "dl",
            "dt",
            "dd",
        }
    ),
    attributes={
        "a": frozenset({"href", "title"}),
        "img": frozenset({"src", "alt", "title", "width", "height"}),
        "th": frozenset({"align"}),
        "td": frozenset({"align"}),
        "h2": frozenset({"id"}),
        "h3": frozenset({"id"}),
        "h4": frozenset({"id"}),
    },
    schemes=ALLOWED_SCHEMES,
    link_rel=None,
)

# C0/C1 control characters (other than tab and newline) have no place in text and have been used to
# smuggle schemes past URL checks ("java\x00script:").
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _set_rel(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _nh3_cleaner(policy: Policy):
    return partial(
        nh3.clean,
        tags=set(policy.tags),
        attributes={tag: set(names) for tag, names in policy.attributes.items()},
        url_schemes=set(policy.schemes),
        link_rel=policy.link_rel,
        strip_comments=True,
        url_relative=None if policy.relative_links else "deny",
    )


_HAS_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_SPACE = re.compile(r"\s")


def _bleach_attributes(policy: Policy):
    if policy.relative_links:
        return {tag: list(names) for tag, names in policy.attributes.items()}

    def allowed(tag: str, name: str, value: str) -> bool:
        # bleach checks a scheme against the allowed ones but lets scheme-less URLs through; an
        # address with spaces inside is no address (nh3 would drop it and leave a dead anchor).
        if name in ("href", "src"):
            value = value.strip()
            return bool(_HAS_SCHEME.match(value)) and not _SPACE.search(value)
        return name in policy.attributes.get(tag, ())

    return {tag: allowed for tag in policy.attributes}


class _UnwrapDeadLinks(Filter):
    """An anchor left without an address (its `javascript:` or relative href was removed) would
    look like a link and go nowhere: keep its words, drop the anchor."""

    def __iter__(self):
        open_anchors: list[bool] = []  # for each open <a>: was it kept?
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                kept = any(name == "href" and value for (_, name), value in token["data"].items())
                open_anchors.append(kept)
                if not kept:
                    continue
            elif (
                token["type"] == "EndTag"
                and token["name"] == "a"
                and open_anchors
                and not open_anchors.pop()
            ):
                continue
            yield token


_comment_bleach = bleach.Cleaner(
    tags=COMMENT_POLICY.tags,
    attributes=_bleach_attributes(COMMENT_POLICY),
    protocols=COMMENT_POLICY.schemes,
    strip=False,  # escape what is not allowed: the reader's words stay visible
    strip_comments=True,
    filters=[
        partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"}),
        _UnwrapDeadLinks,
    ],
)
comment_gate = _nh3_cleaner(COMMENT_POLICY)

_article_bleach = bleach.Cleaner(
    tags=ARTICLE_POLICY.tags,
    attributes=_bleach_attributes(ARTICLE_POLICY),
    protocols=ARTICLE_POLICY.schemes,
    strip=True,
    strip_comments=True,
    filters=[_UnwrapDeadLinks],
)
# Elements whose content is code or styling, never words: removed with everything in them before
# the allow-list strips the other unknown tags (which keeps their words).
_SCRIPTING = frozenset({"script", "style", "noscript", "template", "iframe", "object"})
_drop_scripting = partial(
    nh3.clean,
    tags=set(ARTICLE_POLICY.tags),
    clean_content_tags=set(_SCRIPTING),
    attributes={tag: set(names) for tag, names in ARTICLE_POLICY.attributes.items()},
    url_schemes=set(ARTICLE_POLICY.schemes),
    link_rel=None,
    strip_comments=True,
)
_article_gate = _nh3_cleaner(ARTICLE_POLICY)


def normalise_text(text: str) -> str:
    """Unify line endings and Unicode form, drop control characters and bidi controls left open
    (markup/text.py: they would reorder the page after the text); keeps the words."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    return balance_bidi_controls(_CONTROL_CHARS.sub("", text))


_PRE = re.compile(r"(<pre\b[^>]*>.*?</pre\s*>)", re.IGNORECASE | re.DOTALL)
_BETWEEN_TAGS = re.compile(r">\n+<")
_AFTER_BREAK = re.compile(r"<br>\n")

# The Markdown a reader may use: emphasis, links ([text](url)), lists, quotations (> ), inline and
# fenced code, line breaks. Everything else Python-Markdown knows is switched off, so what it would
# have made (headings, rules, reference links, indented code) stays the reader's words.
_OFF_BLOCKS = ("hashheader", "setextheader", "hr", "code", "reference")
_OFF_INLINE = (
    "image_reference",
    "short_image_ref",
    "reference",
    "short_reference",
    "automail",
)
# Raw HTML is left to bleach (allowed tags kept, the rest escaped). Only the allowed block tags
# may stand as blocks; any other tag is read as inline, so it lands in a paragraph and shows,
# escaped, as typed.
_COMMENT_BLOCKS = ["p", "ul", "ol", "li", "blockquote", "pre"]
_markdowns = threading.local()  # a Markdown instance keeps state while converting: one per thread


def _comment_markdown() -> markdown.Markdown:
    md = getattr(_markdowns, "md", None)
    if md is None:
        md = markdown.Markdown(
            extensions=["nl2br", "sane_lists", "fenced_code"], output_format="html"
        )
        for name in _OFF_BLOCKS:
            md.parser.blockprocessors.deregister(name)
        for name in _OFF_INLINE:
            md.inlinePatterns.deregister(name)
        # An image is shown as a link to it, with its description as the words.
        md.inlinePatterns.register(
            inlinepatterns.LinkInlineProcessor(inlinepatterns.IMAGE_LINK_RE, md), "image_link", 150
        )
        md.block_level_elements = list(_COMMENT_BLOCKS)
        _markdowns.md = md
    return md


def _markdown_subset(text: str) -> str:
    """The reader's Markdown as HTML (not yet sanitised), written compactly: no new lines between
    blocks or after a line break, except inside preformatted text."""
    md = _comment_markdown()
    md.reset()
    html = md.convert(text.strip())
    out = []
    for chunk in _PRE.split(html):
        if _PRE.fullmatch(chunk):
            out.append(chunk)
        else:
            out.append(_AFTER_BREAK.sub("<br>", _BETWEEN_TAGS.sub("><", chunk)).strip("\n"))
    return "".join(out)


class _Reserialiser(HTMLParser):
    """Writes already-clean HTML the way nh3 (html5ever) does.

    bleach keeps character references as typed and leaves ">" unescaped in attribute values; nh3
    decodes references and escapes both. Writing bleach's output in nh3's spelling first means the
    gate changes nothing for ordinary input, so any change it does make is a real catch. This is
    serialisation only, never a sanitiser: nh3 still cleans what comes out of it.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    @staticmethod
    def _text(value: str) -> str:
        return (
            value.replace("&", "&amp;")
            .replace("\xa0", "&nbsp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
        )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        written = "".join(
            f' {name}="{self._text(value or "").replace(chr(34), "&quot;")}"'
            for name, value in attrs
        )
        self.parts.append(f"<{tag}{written}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID_TAGS:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(self._text(data))


_VOID_TAGS = frozenset({"br", "hr", "img"})


def _as_nh3_writes_it(html: str) -> str:
    writer = _Reserialiser()
    writer.feed(html)
    writer.close()
    return "".join(writer.parts)


def render_comment(text: str) -> str:
    """The HTML stored for a comment body: the Markdown subset, allow-listed markup, linkified
    URLs."""
    return comment_gate(comment_first_pass(text))


def comment_first_pass(text: str) -> str:
    """bleach's half of the comment policy, written as nh3 writes it (tests compare the two)."""
    return _as_nh3_writes_it(_comment_bleach.clean(_markdown_subset(normalise_text(text))))


_MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "toc"]
_MARKDOWN_CONFIG = {"toc": {"permalink": False}, "tables": {"use_align_attribute": True}}


def render_markdown(text: str) -> str:
    """The HTML stored for an article body, from the editor's Markdown."""
    html = markdown.markdown(
        normalise_text(text),
        extensions=_MARKDOWN_EXTENSIONS,
        extension_configs=_MARKDOWN_CONFIG,
        output_format="html",
    )
    return _article_gate(_as_nh3_writes_it(_article_bleach.clean(_drop_scripting(html))))
