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
* phrases: words of a term may be separated by any spaces or punctuation ("kill - yourself");
  a phrase may also list alternatives for each of its words (`Phrase`, which moderation.packs
  makes from the rule packs' notation);
* inflections, for phrases that ask for them (the rule packs do; editors' own word lists match
  as listed): a word of three letters or more also matches its regular plural and verb forms
  ("idiot" matches "idiots", "hope" matches "hoped" and "hoping", "stop" matches "stopped",
  "bury" matches "buried"), so a pack need not list every form.

A match made only of digits never counts, so "455 mg" is not "ass".

Build a matcher once per list with `matcher_for(terms)` (cached by the list) and call
`.find(text)`, which returns the terms that matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
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


# A phrase is a sequence of slots; a slot lists its alternatives; an alternative is a tuple of
# folded words (empty: the slot may be left out; ANY_WORD: any one word).
Slots = tuple[tuple[tuple[str, ...], ...], ...]
ANY_WORD = "*"
# Any one word but a negation: what a gap between a phrase's words stands for, so that "hope ...
# suffer" matches "hope you all suffer" and never "hope you don't suffer".
GAP_WORD = "..."
_NOT_IN_A_GAP = frozenset({"not", "no", "never", "t", "dont", "nobody", "nothing", "neither"})


@dataclass(frozen=True)
class Phrase:
    """A term to look for: `text` as listed, and the words it matches (see Slots).

    A plain term ("kill yourself") has one alternative per slot; moderation.packs reads a
    notation with alternatives ("[stop|quit] taking [your|] insulin") into the same shape.
    """

    text: str
    slots: Slots
    # Only when written to dodge a filter: spaced out ("v i a g r a"), or with symbols or digits
    # for letters ("v1agra"). "Viagra" as such may be a reader's own prescription.
    disguised_only: bool = False
    # Whether its words also match their regular plural and verb forms (see _ENDINGS).
    inflect: bool = False

    @classmethod
    def of(cls, term: str) -> Phrase:
        return cls(term.strip(), tuple(((word,),) for word in _WORDS.findall(fold(term))))

    def first_words(self) -> set[str]:
        """The words a match can start with (a slot that may be left out lets the next one in)."""
        found: set[str] = set()
        for slot in self.slots:
            found |= {alternative[0] for alternative in slot if alternative}
            if () not in slot:
                break
        return found

    @cached_property
    def _indexes(self) -> tuple[_SlotIndex | None, ...]:
        return tuple(
            _slot_index(slot) if len(slot) >= _INDEXED_FROM else None for slot in self.slots
        )

    def alternatives_for(self, slot: int, token: str) -> Sequence[tuple[str, ...]]:
        """The alternatives of a slot that may start at `token`, in the slot's order: a slot of
        a hundred alternatives is looked up by the token's skeletons, not tried one by one."""
        alternatives = self.slots[slot]
        index = self._indexes[slot]
        if index is None:
            return alternatives
        positions = set(index.always)
        if token:
            for key in _token_keys(token):
                positions.update(index.by_key.get(key, ()))
        return [alternatives[position] for position in sorted(positions)]

    def single_words(self) -> list[str]:
        """For a one-slot phrase, its one-word alternatives (looked for spaced out, too)."""
        if len(self.slots) != 1:
            return []
        return [alternative[0] for alternative in self.slots[0] if len(alternative) == 1]


@dataclass(frozen=True)
class Place:
    """Where a phrase matched: the folded text, its words' spans, and the match's word range."""

    folded: str
    spans: list[tuple[str, int, int]]  # (word, start, end) in `folded`
    start: int  # the index of the first matched word
    end: int  # one past the last

    def words_before(self, count: int) -> list[str]:
        return [word for word, _, _ in self.spans[max(0, self.start - count) : self.start]]


Accept = Callable[[Place], bool]


_PLAIN_WORD = re.compile(r"[^\W\d_]+")


def _disguised(tokens: Sequence[str]) -> bool:
    return any(not _PLAIN_WORD.fullmatch(token) for token in tokens)


# Regular English endings: (ending of the text's word, what the stem may end with instead).
# "cures" -> "cure", "hoping" -> "hop(e)", "buried" -> "bur(y)"; a doubled final consonant
# ("stopped") is already a stretched run of the stem's last letter.
_ENDINGS: tuple[tuple[str, str], ...] = (
    ("ies", "y"),
    ("ied", "y"),
    ("ing", "e"),
    ("ing", ""),
    ("es", ""),
    ("ed", "e"),
    ("ed", ""),
    ("s", ""),
    ("d", ""),
)
# Only words this long inflect: "as" must not match "ass", nor "u" "us".
_INFLECTS_FROM = 3


def _stems(token: str) -> Iterable[tuple[str, str]]:
    """(stem, what the term's word may end with beyond it) for each regular ending of `token`."""
    for ending, restored in _ENDINGS:
        if token.endswith(ending) and len(token) - len(ending) >= 2:
            yield token[: -len(ending)], restored


@lru_cache(maxsize=65536)
def _inflectable(word: str) -> bool:
    return len(word) >= _INFLECTS_FROM and word.isalpha()


def _spells(word: str, token: str, *, inflect: bool = False) -> bool:
    if word == GAP_WORD:
        return token not in _NOT_IN_A_GAP
    if word == ANY_WORD:
        return True
    # Skeletons first (a set look-up): a spelling of a word always has the word's skeleton, so
    # most alternatives are ruled out without running their pattern.
    keys = _token_keys(token) if inflect else (_cached_skeleton(token),)
    if _cached_skeleton(word) == keys[0] and _word_pattern(word).fullmatch(token):
        return True
    if not inflect or not _inflectable(word) or len(keys) == 1:
        return False
    if not _base_keys(word).intersection(keys[1:]):
        return False
    for stem, restored in _token_stems(token):
        if restored and not word.endswith(restored):
            continue
        base = word[: -len(restored)] if restored else word
        if base and _cached_skeleton(base) in keys and _word_pattern(base).fullmatch(stem):
            # "d" and "ed" after a stem ending in "e" are one ending ("cured", not "cureed").
            return True
    return False


@lru_cache(maxsize=65536)
def _cached_skeleton(word: str) -> str:
    return _skeleton(word)


@lru_cache(maxsize=65536)
def _token_stems(token: str) -> tuple[tuple[str, str], ...]:
    return tuple(_stems(token))


@lru_cache(maxsize=65536)
def _token_keys(token: str) -> tuple[str, ...]:
    """The token's skeleton, then those of its stems (what an inflected word may match)."""
    own = _cached_skeleton(token)
    return (own, *dict.fromkeys(_skeleton(stem) for stem, _ in _token_stems(token)))


@lru_cache(maxsize=65536)
def _base_keys(word: str) -> frozenset[str]:
    """The skeletons a stem of an inflected form of `word` may have ("hope": hope, hop)."""
    bases = {word} | {word[: -len(e)] for e in ("e", "y") if word.endswith(e) and len(word) > 2}
    return frozenset(map(_skeleton, bases))


def _match(
    phrase: Phrase,
    tokens: Sequence[str],
    start: int,
    *,
    breaks: frozenset[int] = frozenset(),
    slot: int = 0,
) -> int | None:
    """Where a match of the phrase's slots from `slot` on, starting at tokens[start], ends
    (exclusive), or None.

    `breaks`: the indices of tokens that follow a clause break (, ; : . ! ? or a new line); a gap
    never spans one ("I hope your dad recovers quickly, strokes are frightening" is no wish).
    """
    if slot == len(phrase.slots):
        return start
    inflect = phrase.inflect
    token = tokens[start] if start < len(tokens) else ""
    for alternative in phrase.alternatives_for(slot, token):
        end = start + len(alternative)
        if end > len(tokens):
            continue
        if (
            alternative
            and alternative[0] == GAP_WORD
            and breaks.intersection(range(start, end + 1))
        ):
            continue
        if all(
            _spells(word, tokens[start + i], inflect=inflect) for i, word in enumerate(alternative)
        ):
            found = _match(phrase, tokens, end, breaks=breaks, slot=slot + 1)
            if found is not None:
                return found
    return None


@dataclass(frozen=True)
class _SlotIndex:
    by_key: dict[str, tuple[int, ...]]  # skeleton -> positions of the alternatives it may start
    always: tuple[int, ...]  # positions of alternatives that may start with any word, or none


def _slot_index(slot: tuple[tuple[str, ...], ...]) -> _SlotIndex:
    by_key: dict[str, list[int]] = {}
    always = []
    for position, alternative in enumerate(slot):
        if not alternative or alternative[0] in (ANY_WORD, GAP_WORD):
            always.append(position)
            continue
        first = alternative[0]
        keys = {_cached_skeleton(first)}
        if _inflectable(first):
            keys |= _base_keys(first)
        for key in keys:
            by_key.setdefault(key, []).append(position)
    return _SlotIndex({k: tuple(v) for k, v in by_key.items()}, tuple(always))


# A slot with fewer alternatives is tried one by one; a longer one is looked up by skeleton.
_INDEXED_FROM = 4


_CLAUSE_BREAK = re.compile(r"[,;:.!?\n]")


def _breaks(folded: str, spans: Sequence[tuple[str, int, int]]) -> frozenset[int]:
    return frozenset(
        index
        for index in range(1, len(spans))
        if _CLAUSE_BREAK.search(folded, spans[index - 1][2], spans[index][1])
    )


class WordMatcher:
    """Finds which of a fixed list of terms occur in a text. Immutable; safe to share.

    The text is split into words; each word is looked up by its skeleton among the terms' first
    words, and only the candidates found are checked letter by letter. The cost grows with the
    length of the text and hardly with the length of the list.
    """

    __slots__ = (
        "_by_first_word",
        "_gaps",
        "_longest_single",
        "_single_prefixes",
        "_singles",
        "terms",
    )

    def __init__(self, terms: Iterable[str | Phrase]) -> None:
        listed: dict[Slots, Phrase] = {}
        for term in terms:
            phrase = term if isinstance(term, Phrase) else Phrase.of(term)
            # A term with no letters can match nothing; a repeated term is listed once.
            if phrase.slots and phrase.first_words() and phrase.slots not in listed:
                listed[phrase.slots] = phrase
        self.terms: tuple[str, ...] = tuple(p.text for p in listed.values())
        self._gaps = any(
            GAP_WORD in alternative
            for phrase in listed.values()
            for slot in phrase.slots
            for alternative in slot
        )
        self._by_first_word: dict[str, list[Phrase]] = {}
        for phrase in listed.values():
            for skeleton in {_skeleton(word) for word in phrase.first_words()}:
                self._by_first_word.setdefault(skeleton, []).append(phrase)
            if phrase.inflect:
                # Looked up by a word's stem as well ("hoping" by "hop"): the stem of a term's
                # word without its restored ending ("hope" by "hop").
                for word in phrase.first_words():
                    if _inflectable(word):
                        for ending in ("e", "y"):
                            if word.endswith(ending) and len(word) > len(ending) + 1:
                                stem = _skeleton(word[: -len(ending)])
                                self._by_first_word.setdefault(stem, []).append(phrase)
        # Spaced-out spellings are looked for only for single words of two letters or more.
        self._singles: dict[str, list[Phrase]] = {}
        for phrase in listed.values():
            for word in phrase.single_words():
                if len(word) > 1:
                    self._singles.setdefault(_skeleton(word), []).append(phrase)
        singles = [w for p in listed.values() for w in p.single_words() if len(w) > 1]
        self._single_prefixes = frozenset(
            _skeleton(word)[:end] for word in singles for end in range(1, len(word) + 1)
        )
        self._longest_single = max(map(len, singles), default=0)

    def find(self, text: str) -> tuple[str, ...]:
        """The terms (as listed) that occur in `text`, in the order of the list."""
        return tuple(self.found_in(text))

    def found_in(self, text: str, *, accept: Accept | None = None) -> dict[str, str]:
        """{term as listed: the words of the text that matched it}, in the order of the list.

        `accept`, if given, is asked about each match in its place (moderation.packs leaves out
        a phrase quoted or denied: "don't drink bleach").
        """
        if not self.terms:
            return {}
        folded = fold(text)
        spans = [(match.group(), match.start(), match.end()) for match in _WORDS.finditer(folded)]
        tokens = [token for token, _, _ in spans]
        breaks = _breaks(folded, spans) if self._gaps else frozenset()
        found: dict[str, str] = {}
        for index, token in enumerate(tokens):
            for phrase in self._candidates(token):
                if phrase.text in found:
                    continue
                end = _match(phrase, tokens, index, breaks=breaks)
                if (
                    end is not None
                    and any(_HAS_LETTER.search(t) for t in tokens[index:end])
                    and (not phrase.disguised_only or _disguised(tokens[index:end]))
                    and (accept is None or accept(Place(folded, spans, index, end)))
                ):
                    found[phrase.text] = " ".join(tokens[index:end])
        if self._single_prefixes:
            for letters in _spaced_runs(folded, spans):
                self._find_spaced(letters, found)
        return {term: found[term] for term in self.terms if term in found}

    def _candidates(self, token: str) -> list[Phrase]:
        """The phrases whose first word may be `token`, or an inflected form of it."""
        own, *stems = _token_keys(token)
        candidates = self._by_first_word.get(own, [])
        if not stems:
            return candidates
        more = [
            phrase
            for stem in stems
            for phrase in self._by_first_word.get(stem, ())
            if phrase.inflect
        ]
        return list(dict.fromkeys([*candidates, *more])) if more else candidates

    def _find_spaced(self, letters: list[str], found: dict[str, str]) -> None:
        """Single words spelled by consecutive letters of a spaced-out run."""
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
                word = "".join(letters[start : end + 1])
                for phrase in self._singles.get(skeleton, ()):
                    if phrase.text not in found and any(
                        _spells(single, word) for single in phrase.single_words()
                    ):
                        found[phrase.text] = word

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


def matcher_for(terms: Iterable[str | Phrase]) -> WordMatcher:
    """The matcher for this list of terms, built once and reused while the list stays the same."""
    return _cached_matcher(tuple(terms))


@lru_cache(maxsize=32)
def _cached_matcher(terms: tuple[str | Phrase, ...]) -> WordMatcher:
    return WordMatcher(terms)
