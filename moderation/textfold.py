"""Folding text for comparison: the one definition of "the same letters" that the word filter and
the duplicate check share.

Folding is for matching only, never for display: what a reader typed is stored as typed.
"""

from __future__ import annotations

import unicodedata

# Combining marks (accents once NFKD has split them off) and format characters (zero-width
# spaces and joiners, soft hyphens) carry no letters: "é" must compare as "e", and "ba\u200bd" as
# "bad", or a zero-width space would slip any word past the filter.
_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})


# Letters of other scripts that look like Latin ones, as spammers use them ("casino" written
# with a Cyrillic es, a and o). Folded to the Latin letter they pass for; matching only.
_LOOKALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "с": "c", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j",
        "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "ѕ": "s", "т": "t", "у": "y", "х": "x",
        "ԁ": "d", "ԛ": "q", "ԝ": "w", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k",
        "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    }
)  # fmt: skip


def fold(text: str) -> str:
    """Compatibility-decompose, drop accents and invisible characters, and casefold.

    NFKD also maps look-alike forms to their plain letters (fullwidth letters, ligatures, circled
    letters, mathematical bold), which people use to dodge filters; casefold (not lower) makes
    "ß" compare as "ss"; Cyrillic and Greek letters that pass for Latin ones become those.
    """
    # Casefold first: it can itself produce a combining mark ("İ" -> "i" + dot above) that the
    # decomposition and filter below then remove.
    # And again after: NFKD turns a mathematical bold capital E into a plain capital "E".
    decomposed = unicodedata.normalize("NFKD", text.casefold()).casefold().translate(_LOOKALIKES)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
