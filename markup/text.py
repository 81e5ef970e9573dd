"""Plain-text rules shared by everything people type: what counts as visible, and bidi controls.

A comment of nothing but zero-width spaces, bidi controls or blank-looking letters is as empty as
one of spaces, so `has_visible_text` is what "blank" means. Explicit bidi controls (embeddings,
overrides, isolates) change the order in which the text *after* them is shown, so one left open
would reverse whatever follows the comment on the page: `balance_bidi_controls` keeps only those
closed within the text itself.
"""

from __future__ import annotations

import unicodedata

# Categories that draw nothing by themselves: control and format characters (bidi controls,
# zero-width space, joiners, word joiner, BOM, tags), separators, lone combining marks, surrogates,
# private-use and unassigned code points.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
# Letters and symbols that are drawn blank: Hangul fillers, the blank Braille pattern.
_BLANK_LOOKALIKES = frozenset("\u115f\u1160\u3164\uffa0\u2800")

_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO; closed by PDF
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI; closed by PDI
_PDF, _PDI = "\u202c", "\u2069"


def is_visible(char: str) -> bool:
    return char not in _BLANK_LOOKALIKES and (
        unicodedata.category(char) not in _INVISIBLE_CATEGORIES
    )


def has_visible_text(text: str) -> bool:
    """Whether anything in `text` would be seen: a letter, digit, punctuation mark or symbol."""
    return any(is_visible(char) for char in text)


def balance_bidi_controls(text: str) -> str:
    """`text` without the bidi controls that are not closed within it (or close nothing).

    As the Unicode bidirectional algorithm pairs them: PDF closes the latest open embedding or
    override, PDI the latest open isolate (and whatever was opened inside it). Marks (LRM, RLM,
    ALM) change no order beyond themselves and stay.
    """
    dropped: set[int] = set()
    open_: list[tuple[int, str]] = []  # (index, opener)
    for index, char in enumerate(text):
        if char in _EMBEDDINGS or char in _ISOLATES:
            open_.append((index, char))
        elif char == _PDF:
            if open_ and open_[-1][1] in _EMBEDDINGS:
                open_.pop()
            else:
                dropped.add(index)
        elif char == _PDI:
            if any(opener in _ISOLATES for _, opener in open_):
                while open_[-1][1] not in _ISOLATES:
                    dropped.add(open_.pop()[0])  # an embedding left open inside the isolate
                open_.pop()
            else:
                dropped.add(index)
    dropped.update(index for index, _ in open_)
    if not dropped:
        return text
    return "".join(char for index, char in enumerate(text) if index not in dropped)
