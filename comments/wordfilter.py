"""Matching banned and suspect words or phrases in a comment.

Editors keep lists of terms (single words or phrases). A term matches only as a whole word: "class"
never matches "ass", "Scunthorpe" never matches anything in it. Around that, matching is forgiving
of the tricks people use to slip a word past a filter:

* case and accents: "BÄD" matches "bad" (text and terms are folded the same way, see textfold);
* letter substitutions: 0->o, 1->i or l, 3->e, 4->a, 5->s, 7->t, @->a, $->s ("b4d", "a$$");
* repeated letters: "baaaad" matches "bad" (but "as" does not match "ass": a doubled letter in a
  term must be at least doubled in the text);
* separators inside a single word: "b.a.d", "b a d", "b-a-d" (each letter separated; "an al" is
  not "anal");
* phrases: words of a term may be separated by any spaces or punctuation ("kill - yourself").

A match made only of digits never counts, so "455 mg" is not "ass".

Build a matcher once per list with `matcher_for(terms)` (cached by the list) and call
`.find(text)`, which returns the terms that matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import groupby

from comments.textfold import fold

# What each folded letter may be written as. A substitute character stands for every letter that
# lists it ("1" is i or l).
SUBSTITUTES: dict[str, str] = {
    "a": "4@",
    "e": "3",
    "i": "1",
    "l": "1",
    "o": "0",
    "s": "5$",
    "t": "7",
}
_LETTERS_FOR: dict[str, str] = {}
for _letter, _subs in SUBSTITUTES.items():
    for _sub in _subs:
        _LETTERS_FOR[_sub] = _LETTERS_FOR.get(_sub, "") + _letter

# A "word character" is a letter or digit of any script, or one of the symbols that stand for
# letters; underscores count as separators.
_WORD_CHAR = r"(?:[^\W_]|[@$])"
_TERM_WORDS = re.compile(rf"{_WORD_CHAR}+")
_BEFORE = r"(?<![^\W_])(?<![@$])"
_AFTER = r"(?![^\W_])(?![@$])"
# Between the words of a phrase: anything that is not a word character.
_GAP = r"(?:[^\w@$]|_)++"
# Between the letters of a spaced-out single word ("b.a.d", "b a d").
_SEPARATOR = r"[\s.\-_*+~|/\\,:;'’·•]++"
_HAS_LETTER = re.compile(r"[^\W\d_]|[@$]")


def _ways_to_write(char: str) -> frozenset[str]:
    """Every character that may stand for one folded character of a term."""
    letters = _LETTERS_FOR.get(char, char)
    options = set(letters) | {char}
    for letter in letters:
        options |= set(SUBSTITUTES.get(letter, ""))
    return frozenset(options)


def _char_class(options: frozenset[str]) -> str:
    if len(options) == 1:
        return re.escape(next(iter(options)))
    return "[" + "".join(re.escape(option) for option in sorted(options)) + "]"


# How much longer than in the term a run may be when its end is ambiguous (see _compact).
_STRETCH = 20


def _compact(word: str) -> str:
    """A word written without separators, each run of a letter possibly stretched ("baaad").

    Runs are possessive (++ and {n,}+: they never give back what they took), so matching stays
    linear: with ordinary quantifiers a long run of "1" between an i-run and an l-run backtracked
    in quadratic time (a 10,000-character comment took over a second). Only a run whose last
    character might belong to the next run ("1" in "k1ll" or "l1tt1e": i or l) must be able to
    give it back, so that run alone is greedy but bounded, which keeps the cost linear.
    """
    runs = [(options, len(list(run))) for options, run in groupby(map(_ways_to_write, word))]
    parts = []
    for index, (options, count) in enumerate(runs):
        following = runs[index + 1][0] if index + 1 < len(runs) else frozenset()
        if options & following:
            quantifier = f"{{{count},{count + _STRETCH}}}"
        else:
            quantifier = "++" if count == 1 else f"{{{count},}}+"
        parts.append(_char_class(options) + quantifier)
    return "".join(parts)


def _spaced(word: str) -> str:
    """A word written with a separator between every two letters ("b.a.d")."""
    return _SEPARATOR.join(_char_class(_ways_to_write(char)) for char in word)


def _term_pattern(words: list[str]) -> str:
    if len(words) == 1 and len(words[0]) > 1:
        body = f"(?:{_compact(words[0])}|{_spaced(words[0])})"
    else:
        body = _GAP.join(_compact(word) for word in words)
    return f"{_BEFORE}{body}{_AFTER}"


class WordMatcher:
    """Finds which of a fixed list of terms occur in a text. Immutable; safe to share."""

    __slots__ = ("_any", "_patterns", "terms")

    def __init__(self, terms: Iterable[str]) -> None:
        patterns: dict[str, tuple[str, re.Pattern[str]]] = {}
        for term in terms:
            words = _TERM_WORDS.findall(fold(term))
            key = " ".join(words)
            # A term with no letters can match nothing; a repeated term is listed once.
            if words and key not in patterns:
                patterns[key] = (term.strip(), re.compile(_term_pattern(words)))
        self._patterns: tuple[tuple[str, re.Pattern[str]], ...] = tuple(patterns.values())
        self.terms: tuple[str, ...] = tuple(term for term, _ in self._patterns)
        # Most comments match nothing: one pass over the text with every term at once answers
        # that, and only a hit pays for asking each term in turn.
        self._any: re.Pattern[str] | None = (
            re.compile("|".join(pattern.pattern for _, pattern in self._patterns))
            if self._patterns
            else None
        )

    def find(self, text: str) -> tuple[str, ...]:
        """The terms (as listed) that occur in `text`, in the order of the list."""
        if self._any is None:
            return ()
        folded = fold(text)
        if not self._any.search(folded):
            return ()
        return tuple(
            term
            for term, pattern in self._patterns
            if any(_HAS_LETTER.search(match.group()) for match in pattern.finditer(folded))
        )

    def __repr__(self) -> str:
        return f"WordMatcher({len(self.terms)} terms)"


def matcher_for(terms: Iterable[str]) -> WordMatcher:
    """The matcher for this list of terms, built once and reused while the list stays the same."""
    return _cached_matcher(tuple(terms))


@lru_cache(maxsize=32)
def _cached_matcher(terms: tuple[str, ...]) -> WordMatcher:
    return WordMatcher(terms)


def find_terms(text: str, terms: Iterable[str]) -> tuple[str, ...]:
    """Shortcut: the terms of `terms` that occur in `text`."""
    return matcher_for(terms).find(text)
