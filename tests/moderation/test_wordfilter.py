"""Banned and suspect words: whole words only, forgiving of case, accents and disguises."""

from __future__ import annotations

import time

import pytest

from moderation.textfold import fold
from moderation.wordfilter import WordMatcher, matcher_for

TERMS = ["ass", "bad", "hell", "kill yourself", "little", "Crème brûlée", "scam", "idiot"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The plain word, anywhere in a sentence, next to punctuation.
        ("bad", ("bad",)),
        ("That was a bad idea.", ("bad",)),
        ("(bad)", ("bad",)),
        ("bad's", ("bad",)),
        ("Bad, bad, BAD!", ("bad",)),
        # Case and accents.
        ("BAD", ("bad",)),
        ("bÄd", ("bad",)),
        ("ｂａｄ", ("bad",)),  # fullwidth letters
        ("creme brulee", ("Crème brûlée",)),
        ("CRÈME BRÛLÉE", ("Crème brûlée",)),
        # Letter substitutions.
        ("b4d", ("bad",)),
        ("b@d", ("bad",)),
        ("a$$", ("ass",)),
        ("@55", ("ass",)),
        ("h3ll", ("hell",)),
        ("he11", ("hell",)),
        ("l1tt1e", ("little",)),
        ("1i77le", ("little",)),
        ("5c4m", ("scam",)),
        ("1d10t", ("idiot",)),
        # Repeated letters.
        ("baaaaad", ("bad",)),
        ("bbaadd", ("bad",)),
        ("asssss", ("ass",)),
        ("heeeelllll", ("hell",)),
        ("b44@d", ("bad",)),
        # Separators inside a single word.
        ("b.a.d", ("bad",)),
        ("b a d", ("bad",)),
        ("b-a-d", ("bad",)),
        ("b . a . d", ("bad",)),
        ("b_a_d", ("bad",)),
        ("s*c*a*m", ("scam",)),
        ("b\u200bad", ("bad",)),  # a zero-width space
        ("x y b a d z", ("bad",)),  # spaced-out letters inside a longer run of them
        ("b. a. d. idea", ("bad",)),
        ("b\u00adad", ("bad",)),  # a soft hyphen
        # Phrases: any spacing or punctuation between the words, disguises within them.
        ("kill yourself", ("kill yourself",)),
        ("Just KILL   yourself", ("kill yourself",)),
        ("kill-yourself", ("kill yourself",)),
        ("kill\nyourself", ("kill yourself",)),
        ("k1ll y0urs3lf", ("kill yourself",)),
        ("kiiill yourself!!", ("kill yourself",)),
        # Several terms at once, reported in the order of the list.
        ("You idiot, that is a bad scam", ("bad", "scam", "idiot")),
    ],
)
def test_a_listed_term_is_found_however_it_is_disguised(text, expected):
    assert matcher_for(TERMS).find(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # The Scunthorpe problem: a term inside a longer word is not that word.
        "class",
        "assess the passage",
        "Massachusetts",
        "badge",
        "abad",
        "badass",
        "shell",
        "hello",
        "Michelle",
        "skill yourself",
        "scampi",
        "idiotic",
        # A doubled letter of a term must be at least doubled: "as" is not "ass".
        "as",
        "hel",
        "bd",
        # Numbers alone are not words: "455 mg" is a dose, not "ass".
        "take 455 mg twice a day",
        "call 8311 now",
        # A word is only spaced out when every letter is: "an al" is two words.
        "an al",
        "ba d",
        # Phrase words must be whole words and in order.
        "yourself kill",
        "kill yourselves",
        "kill",
        # Ordinary medical prose.
        "My doctor says the muscle twitches are benign; magnesium helped a lot.",
        "",
        "   ",
    ],
)
def test_an_innocent_text_matches_nothing(text):
    assert matcher_for(TERMS).find(text) == ()


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("Scunthorpe", "I live in Scunthorpe."),
        ("naïve", "so naive"),
        ("STRASSE", "die Straße"),
        ("день", "хороший ДЕНЬ"),  # other scripts work the same way
        ("$cam", "a scam"),  # a term written with a substitute means the letter
        ("idiot!", "what an idiot"),  # punctuation in a term is not part of the word
    ],
)
def test_terms_are_folded_the_same_way_as_the_text(term, text):
    assert matcher_for([term]).find(text) == (term,)


def test_terms_are_returned_as_listed_once_each():
    matcher = matcher_for(["  Bad ", "BAD", "bad"])
    assert matcher.terms == ("Bad",)
    assert matcher.find("bad bad bad") == ("Bad",)


def test_blank_and_letterless_terms_are_ignored():
    matcher = matcher_for(["", "   ", "!!!", "bad"])
    assert matcher.terms == ("bad",)


def test_two_terms_that_match_the_same_words_are_both_reported():
    assert matcher_for(["ass", "a$$", "bad", "bad idea"]).find("A$$! What a bad idea.") == (
        "ass",
        "a$$",
        "bad",
        "bad idea",
    )


def test_an_empty_list_matches_nothing():
    assert matcher_for([]).find("anything at all") == ()


def test_the_matcher_is_built_once_per_list():
    first = matcher_for(["bad", "worse"])
    assert matcher_for(("bad", "worse")) is first
    assert matcher_for(["bad", "worse", "worst"]) is not first


def test_matcher_for_finds_terms_and_is_cached_per_list():
    assert matcher_for(["bad"]).find("b4d idea") == ("bad",)
    assert matcher_for(["bad"]).find("good idea") == ()
    assert matcher_for(["bad"]) is matcher_for(("bad",))


def test_fold_drops_accents_invisible_characters_and_case():
    assert fold("Crème BRÛLÉE\u200b ﬁ İ") == "creme brulee fi i"


def test_a_long_list_finds_its_term_in_a_long_comment_and_nothing_else():
    # Its speed is measured by bench/screening.py.
    terms = [f"term{n}word" for n in range(1_000)] + ["kill yourself", "bad"]
    matcher = WordMatcher(terms)
    comment = "I had the same twitches after a new medication; my GP checked my magnesium. " * 25
    assert matcher.find(comment + "What a b.a.d idea") == ("bad",)
    assert matcher.find(comment) == ()


@pytest.mark.parametrize(
    "text",
    [
        "k" + "1" * 20_000 + "x",
        "l1" * 10_000,
        "a" + "$" * 20_000 + "x",
        "b " * 10_000,
        "b a " * 5_000,
        ("k" + "i" * 30 + "1" * 200 + "l ") * 80,
    ],
)
def test_hostile_input_is_matched_in_linear_time(text):
    matcher = WordMatcher(TERMS)
    # CPU time of this process, which other processes on the machine do not inflate: linear
    # matching takes tens of milliseconds on 20,000 characters; the quadratic backtracking this
    # guards against (a denial of service) took over a second on half as many, four on these.
    started = time.process_time()
    matcher.find(text)
    assert time.process_time() - started < 1.0
