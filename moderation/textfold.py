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


def fold(text: str) -> str:
    """Compatibility-decompose, drop accents and invisible characters, and casefold.

    NFKD also maps look-alike forms to their plain letters (fullwidth letters, ligatures, circled
    letters), which people use to dodge filters; casefold (not lower) makes "ß" compare as "ss".
    """
    # Casefold first: it can itself produce a combining mark ("İ" -> "i" + dot above) that the
    # decomposition and filter below then remove.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
