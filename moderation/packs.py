"""Rule packs: named lists of phrases that ship with the product and that editors edit.

A pack (moderation.models.RulePack) says what happens to a comment that uses one of its phrases:
hold it for an editor, nudge the reader (ask before posting), or refuse it. Phrases match as whole
words through the word filter's normaliser (moderation.wordfilter: case, accents, letter swaps
such as 0 for o, spaced-out letters, any punctuation between words).

One phrase per line, in a small notation so that a line can say what a reader may write many ways:

    [stop|quit|ditch] taking [your|my|the|] [insulin|statins]

* `[a|b|c]`: one of the alternatives; an alternative may be several words, or nothing (`[your|]`
  is an optional "your");
* `*` alone: any one word ("vaccines * autism");
* `...` alone: up to three words, or none, but never a negation ("hope ... [die|suffer]"
  matches "hope you die" and "hope you and yours suffer", not "hope you don't suffer");
* every word also matches its regular plural and verb forms ("idiot" matches "idiots", "cure"
  matches "cured" and "curing", "stop" matches "stopped"); a line starting with `=` matches only
  the words as written;
* a line starting with `~` matches only when written to dodge a filter: spaced out
  ("v i a g r a", "v.i.a.g.r.a") or with digits or symbols for letters ("v1agra");
* a line starting with `#` is a note for editors, not a phrase.

This module is pure (no database): it reads the notation and matches a pack's phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .textfold import fold
from .wordfilter import ANY_WORD, GAP_WORD, Phrase, Place, WordMatcher, matcher_for

COMMENT_PREFIX = "#"
DISGUISED_PREFIX = "~"
EXACT_PREFIX = "="
GAP = GAP_WORD
# How many words `...` stands for at most: enough for "hope you all die", few enough
# that the words it joins still belong to one clause.
GAP_WORDS = 3
_PART = re.compile(r"\[([^\[\]]*)\]|([^\[\]]+)")
_WORD = re.compile(r"(?:[^\W_]|[@$])+|(?<!\S)\*(?!\S)|(?<!\S)\.\.\.(?!\S)")
_GAP_SLOT = tuple((GAP_WORD,) * n for n in range(GAP_WORDS + 1))


class PhraseError(ValueError):
    """A line of a pack that cannot be read; the message says which and why."""


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


def parse(line: str) -> Phrase | None:
    """The phrase a line stands for (None for a blank line or a note)."""
    line = line.strip()
    if not line or line.startswith(COMMENT_PREFIX):
        return None
    disguised_only = line.startswith(DISGUISED_PREFIX)
    exact = line.startswith(EXACT_PREFIX)
    pattern = line[1:].strip() if disguised_only or exact else line
    if "".join(m.group() for m in _PART.finditer(pattern)) != pattern:
        raise PhraseError(f"“{line}”: every [ needs its ], and brackets cannot nest.")
    slots: list[tuple[tuple[str, ...], ...]] = []
    for match in _PART.finditer(pattern):
        group, plain = match.groups()
        if plain is not None:
            slots.extend(_GAP_SLOT if word == GAP else ((word,),) for word in _words(plain))
        else:
            alternatives = tuple(dict.fromkeys(_words(a) for a in group.split("|")))
            if alternatives != ((),):
                slots.append(alternatives)
    if any(GAP in alternative for slot in slots if slot != _GAP_SLOT for alternative in slot):
        raise PhraseError(f"“{line}”: ... stands alone, outside brackets.")
    if slots and slots[-1] == _GAP_SLOT:
        raise PhraseError(f"“{line}” cannot end with ...: end it with a word.")
    phrase = Phrase(line, tuple(slots), disguised_only=disguised_only, inflect=not exact)
    starts = phrase.first_words()
    if not starts:
        raise PhraseError(f"“{line}” has no words to match.")
    if ANY_WORD in starts or GAP in starts:
        raise PhraseError(f"“{line}” cannot start with * or ...: start it with a word.")
    return phrase


def phrases_of(text: str) -> tuple[Phrase, ...]:
    """The phrases of a pack's lines (lines that cannot be read are left out: see errors)."""
    found = []
    for line in text.splitlines():
        try:
            phrase = parse(line)
        except PhraseError:
            continue  # validated when saved; an old bad line must not stop screening
        if phrase is not None:
            found.append(phrase)
    return tuple(found)


def phrase_errors(text: str) -> list[str]:
    """What is wrong with a pack's lines, one message per bad line (none: all is well)."""
    errors = []
    for line in text.splitlines():
        try:
            parse(line)
        except PhraseError as error:
            errors.append(str(error))
    return errors


def pack_code(slug: str) -> str:
    """The reason code a pack's verdicts carry (stored on comments, counted per pack)."""
    return f"pack:{slug}"


@dataclass(frozen=True)
class Pack:
    """What screening needs of an enabled RulePack (plain data, kept per process by version)."""

    slug: str
    name: str
    action: str  # "hold", "nudge" or "refuse"
    lines: str
    advice: str  # what the reader is told

    @property
    def code(self) -> str:
        return pack_code(self.slug)

    @cached_property
    def matcher(self) -> WordMatcher:
        return matcher_for(phrases_of(self.lines))

    def find(self, text: str) -> tuple[str, ...]:
        """The words of `text` that matched the pack's phrases, one for each phrase that did."""
        return tuple(dict.fromkeys(self.matcher.found_in(text, accept=asserted).values()))


# --- Said, or only mentioned? --------------------------------------------------------------------

_NEGATIONS = {("not",), ("never",), ("don", "t"), ("dont",), ("do", "not"), ("doesn", "t")}
# Verbs that report what someone else wrote: "a comment telling people to stop their insulin".
_REPORTING = frozenset(
    {
        "telling",
        "tells",
        "tell",
        "told",
        "saying",
        "said",
        "claiming",
        "claimed",
        "suggesting",
        "posting",
        "posted",
        "quoting",
        "says",
        "claims",
        "reckons",
        "insists",
        "insisting",
        "about",
    }
)
# Framing that presents a claim in order to reject it: "the myth that vaccines cause autism".
_FRAMING = frozenset({"idea", "myth", "notion", "claim", "belief", "rumour", "rumor", "lie"})
# What follows a claim that is being denied: "stopping your meds is NOT a good idea".
_DENIALS = (
    ("is", "not"),
    ("isn", "t"),
    ("are", "not"),
    ("aren", "t"),
    ("is", "a", "myth"),
    ("is", "false"),
    ("is", "nonsense"),
    ("is", "dangerous"),
    ("is", "wrong"),
    ("bad", "idea"),
    ("not", "true"),
    ("been", "debunked"),
    ("no", "evidence"),
)
_DENIAL_WINDOW = 6
# A reader asking about their own care, not telling others what to do: "should I stop taking my
# statins?", "is it safe to come off sertraline?" (a question, opened by one of these).
_OWN_QUESTIONS = (
    ("should", "i"),
    ("can", "i"),
    ("could", "i"),
    ("do", "i"),
    ("would", "i"),
    ("how", "do", "i"),
    ("how", "can", "i"),
    ("how", "should", "i"),
    ("when", "can", "i"),
    ("what", "if", "i"),
    ("is", "it", "safe"),
    ("is", "it", "ok"),
    ("is", "it", "okay"),
    ("is", "it", "dangerous"),
    ("is", "it", "bad"),
    ("is", "it", "normal"),
    ("is", "it", "true"),
    ("how", "to"),
    ("does", "anyone", "know"),
)
# Advice to decide with a professional: "talk to your GP before you stop taking your statins".
_CONSULT_VERBS = frozenset({"talk", "speak", "ask", "check", "discuss", "consult"})
_PROFESSIONALS = frozenset(
    {"doctor", "doctors", "gp", "pharmacist", "nurse", "prescriber", "consultant", "specialist"}
)
_SENTENCE_END = re.compile(r"[.!?\n]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


def _quoted(place: Place) -> bool:
    """Whether some of the matched words stand between quotation marks."""
    text = place.folded.translate(_QUOTES)
    closing = text.rfind('"')
    for _, start, _ in place.spans[place.start : place.end]:
        if text.count('"', 0, start) % 2 == 1 and closing > start:
            return True
    return False


def asserted(place: Place) -> bool:
    """Whether a matched phrase is said, rather than quoted, denied or reported.

    Readers who debunk a claim or report an abusive comment repeat its words: "please don't
    drink bleach", a claim in quotation marks, "the person telling people to stop their insulin
    is wrong", "the myth that ...", "stopping your meds is not a good idea". Readers ask about
    their own care ("should I stop taking my statins?") or send others to a professional ("talk
    to your GP before you stop taking them"). Those uses do not count against the comment.
    """
    if _quoted(place):
        return False
    last_two = tuple(place.words_before(2))
    if last_two[-1:] in _NEGATIONS or last_two in _NEGATIONS:
        return False
    before = place.words_before(4)
    if _REPORTING.intersection(before) or (_FRAMING.intersection(before) and "that" in before):
        return False
    wider = place.words_before(6)
    if "evidence" in wider and {"no", "any", "zero", "little"}.intersection(wider):
        return False
    return not (_denied_after(place) or _asked_or_referred(place))


def _asked_or_referred(place: Place) -> bool:
    """Whether the sentence of the match asks about the reader's own care, or sends the reader
    to a professional ("ask your pharmacist before you stop taking your meds")."""
    _, first, _ = place.spans[place.start]
    _, _, last = place.spans[place.end - 1]
    starts = [m.end() for m in _SENTENCE_END.finditer(place.folded, 0, first)]
    begin = starts[-1] if starts else 0
    stop = _SENTENCE_END.search(place.folded, last)
    end = stop.start() if stop else len(place.folded)
    words = [word for word, start, _ in place.spans if begin <= start < end]
    if stop and stop.group() == "?":
        opening = tuple(words[:3])
        if any(opening[: len(question)] == question for question in _OWN_QUESTIONS):
            return True
    return bool(_CONSULT_VERBS.intersection(words) and _PROFESSIONALS.intersection(words))


def _denied_after(place: Place) -> bool:
    after = [word for word, _, _ in place.spans[place.end : place.end + _DENIAL_WINDOW]]
    return any(
        tuple(after[i : i + len(denial)]) == denial
        for denial in _DENIALS
        for i in range(len(after) - len(denial) + 1)
    )


# --- The packs that ship with the product --------------------------------------------------------

SHIPPED_DIR = Path(__file__).resolve().parent / "data" / "packs"


@dataclass(frozen=True)
class ShippedPack:
    slug: str
    name: str
    action: str
    advice: str

    @property
    def phrases(self) -> str:
        return (SHIPPED_DIR / f"{self.slug}.txt").read_text(encoding="utf-8")


# Made by migration 0004 on install; editors change them from then on (the files are the
# product's defaults, not the site's state).
SHIPPED_PACKS = (
    ShippedPack(
        "threats",
        "Threats and self-harm incitement",
        "hold",
        "It reads as a threat, a wish of harm, or urging someone to hurt themselves, so an editor "
        "will read it first. If that is not what you meant, you can edit it.",
    ),
    ShippedPack(
        "groups",
        "Harassment of groups",
        "hold",
        "It reads as contempt for a group of people (for their age, health, body, sex, "
        "sexuality, race, religion or origin), so an editor will read it first.",
    ),
    ShippedPack(
        "insults",
        "Personal insults",
        "hold",
        "It reads as an insult to another person, so an editor will read it first. Criticise "
        "the argument rather than the person, and it will not wait.",
    ),
    ShippedPack(
        "spam",
        "Spam offers",
        "hold",
        "It reads like an advertisement or an offer (medicines, money, dating, followers, "
        "links to buy), so an editor will read it first.",
    ),
    ShippedPack(
        "misinformation",
        "Health misinformation claims",
        "hold",
        "It makes a health claim our editors check before publishing (such as stopping "
        "prescribed medicine, a cure, or advice not to see a doctor). An editor will read it; "
        "a link to a trusted source helps.",
    ),
)
