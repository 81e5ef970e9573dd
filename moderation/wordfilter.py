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
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import groupby

from .textfold import fold

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

# A word is a run of letters or digits of any script, or of the symbols that stand for letters;
# underscores and all other characters separate words. Matching whole words is then matching
# whole tokens: "class" is one token, never "ass".
_WORDS = re.compile(r"(?:[^\W_]|[@$])+")
# What may stand between the letters of a spaced-out word ("b.a.d", "b a d", "b-a-d").
_SEPARATORS = re.compile(r"[\s.\-_*+~|/\\,:;'’·•]+")
# A match must hold a letter: "455" is a number, not "ass".
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


def _skeleton_map() -> dict[str, str]:
    """Each letter and substitute to one symbol for its family: a/4/@, e/3, i/l/1, o/0, s/5/$, t/7.

    i and l share a family because "1" may be either.
    """
    families: list[set[str]] = []
    for letter, substitutes in SUBSTITUTES.items():
        family = {letter, *substitutes}
        for other in [f for f in families if f & family]:
            family |= other
            families.remove(other)
        families.append(family)
    return {char: min(family) for family in families for char in family}


_FAMILY = _skeleton_map()


def _family(char: str) -> str:
    return _FAMILY.get(char, char)


def _skeleton(word: str) -> str:
    """The word with substitutes mapped to their family and repeated symbols collapsed.

    Every spelling a term's word accepts has that word's skeleton, so one dictionary lookup finds
    the few candidate terms for a word of the text; the word's pattern then decides. (The
    skeleton alone is too lenient: "as" and "ass" share one.)
    """
    symbols: list[str] = []
    for char in word:
        symbol = _family(char)
        if not symbols or symbols[-1] != symbol:
            symbols.append(symbol)
    return "".join(symbols)


@lru_cache(maxsize=4096)
def _word_pattern(word: str) -> re.Pattern[str]:
    # Compiled on first need: most terms never come close to matching, and compiling a pattern
    # for each of 500 terms up front took most of a second.
    return re.compile(_compact(word))


def _spells(words: tuple[str, ...], tokens: Sequence[str]) -> bool:
    """Whether the consecutive `tokens` of a text spell the term's `words`."""
    return (
        len(tokens) == len(words)
        and all(
            _word_pattern(word).fullmatch(token) for word, token in zip(words, tokens, strict=True)
        )
        and any(_HAS_LETTER.search(token) for token in tokens)
    )


class WordMatcher:
    """Finds which of a fixed list of terms occur in a text. Immutable; safe to share.

    The text is split into words; each word is looked up by its skeleton among the terms' first
    words, and only the candidates found are checked letter by letter. The cost grows with the
    length of the text and hardly with the length of the list.
    """

    __slots__ = ("_by_first_word", "_longest_single", "_single_prefixes", "terms")

    def __init__(self, terms: Iterable[str]) -> None:
        listed: dict[tuple[str, ...], str] = {}
        for term in terms:
            words = tuple(_WORDS.findall(fold(term)))
            # A term with no letters can match nothing; a repeated term is listed once.
            if words and words not in listed:
                listed[words] = term.strip()
        self.terms: tuple[str, ...] = tuple(listed.values())
        self._by_first_word: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for words, term in listed.items():
            self._by_first_word.setdefault(_skeleton(words[0]), []).append((term, words))
        # Spaced-out spellings are looked for only for single-word terms of two letters or more.
        singles = [words[0] for words in listed if len(words) == 1 and len(words[0]) > 1]
        self._single_prefixes = frozenset(
            _skeleton(word)[:end] for word in singles for end in range(1, len(word) + 1)
        )
        self._longest_single = max(map(len, singles), default=0)

    def find(self, text: str) -> tuple[str, ...]:
        """The terms (as listed) that occur in `text`, in the order of the list."""
        if not self.terms:
            return ()
        folded = fold(text)
        spans = [(match.group(), match.start(), match.end()) for match in _WORDS.finditer(folded)]
        tokens = [token for token, _, _ in spans]
        found: set[str] = set()
        for index, token in enumerate(tokens):
            for term, words in self._by_first_word.get(_skeleton(token), ()):
                if term not in found and _spells(words, tokens[index : index + len(words)]):
                    found.add(term)
        if self._single_prefixes:
            for letters in _spaced_runs(folded, spans):
                self._find_spaced(letters, found)
        return tuple(term for term in self.terms if term in found)

    def _find_spaced(self, letters: list[str], found: set[str]) -> None:
        """Single-word terms spelled by consecutive letters of a spaced-out run."""
        symbols = [_family(letter) for letter in letters]
        for start in range(len(letters)):
            skeleton = ""
            # Stops as soon as no term starts this way, and never goes further than the longest
            # term (with room for doubled letters): a long run costs time in proportion to it.
            for end in range(start, min(len(letters), start + self._longest_single + 8)):
                symbol = symbols[end]
                if not skeleton or skeleton[-1] != symbol:
                    skeleton += symbol
                if skeleton not in self._single_prefixes:
                    break
                if end == start:
                    continue
                for term, words in self._by_first_word.get(skeleton, ()):
                    word = "".join(letters[start : end + 1])
                    if len(words) == 1 and term not in found and _spells(words, [word]):
                        found.add(term)

    def __repr__(self) -> str:
        return f"WordMatcher({len(self.terms)} terms)"


def _spaced_runs(folded: str, spans: list[tuple[str, int, int]]) -> Iterable[list[str]]:
    """Runs of two or more single characters with only separators between them ("b . a . d")."""
    run: list[str] = []
    previous_end = 0
    for token, start, end in spans:
        if len(token) == 1 and run and _SEPARATORS.fullmatch(folded, previous_end, start):
            run.append(token)
        else:
            if len(run) > 1:
                yield run
            run = [token] if len(token) == 1 else []
        previous_end = end
    if len(run) > 1:
        yield run


def matcher_for(terms: Iterable[str]) -> WordMatcher:
    """The matcher for this list of terms, built once and reused while the list stays the same."""
    return _cached_matcher(tuple(terms))


@lru_cache(maxsize=32)
def _cached_matcher(terms: tuple[str, ...]) -> WordMatcher:
    return WordMatcher(terms)
