"""Posting limits: too fast, the same text again, too often rejected."""

from __future__ import annotations

import datetime as dt

import pytest

from moderation.ratelimits import (
    Limit,
    describe_ago,
    describe_wait,
    duplicate,
    fingerprint,
    often_rejected,
    too_fast,
)

NOW = dt.datetime(2026, 3, 14, 12, 0, 0, tzinfo=dt.UTC)


def seconds_ago(*seconds: float) -> list[dt.datetime]:
    return [NOW - dt.timedelta(seconds=s) for s in seconds]


# --- too fast ---------------------------------------------------------------------------------


def test_a_sixth_comment_within_a_minute_is_refused_with_the_time_to_wait():
    limit = too_fast(recent=seconds_ago(18, 25, 30, 40, 50), now=NOW)
    assert limit == Limit(
        code="too_fast",
        message="You are posting too fast. Please wait 10 seconds.",
        retry_after=dt.timedelta(seconds=10),
    )


def test_a_fifth_comment_within_a_minute_is_accepted():
    assert too_fast(recent=seconds_ago(10, 20, 30, 40), now=NOW) is None


def test_comments_older_than_the_window_do_not_count():
    assert too_fast(recent=seconds_ago(1, 2, 3, 4, 60, 61, 3600), now=NOW) is None


def test_the_wait_is_until_enough_comments_leave_the_window():
    # Eight in the last minute (a burst let through before a limit change, say): four must
    # leave before the next fits, so the wait runs until the fifth most recent is a minute old.
    limit = too_fast(recent=seconds_ago(1, 2, 3, 4, 5, 20, 30, 40), now=NOW)
    assert limit is not None
    assert limit.retry_after == dt.timedelta(seconds=55)
    assert limit.message == "You are posting too fast. Please wait 55 seconds."


def test_the_order_of_the_recent_times_does_not_matter():
    times = seconds_ago(50, 10, 40, 20, 30)
    assert too_fast(recent=times, now=NOW) == too_fast(recent=sorted(times), now=NOW)


def test_a_wait_of_a_fraction_of_a_second_reads_as_one_second():
    limit = too_fast(recent=seconds_ago(1, 2, 3, 4, 59.6), now=NOW)
    assert limit is not None
    assert limit.message == "You are posting too fast. Please wait 1 second."


@pytest.mark.parametrize(
    ("limit", "window", "recent", "refused"),
    [
        (2, dt.timedelta(seconds=10), (1, 9), True),
        (2, dt.timedelta(seconds=10), (1, 11), False),
        (10, dt.timedelta(minutes=1), tuple(range(1, 10)), False),
        (10, dt.timedelta(minutes=1), tuple(range(1, 11)), True),
    ],
)
def test_the_limit_and_window_are_adjustable(limit, window, recent, refused):
    result = too_fast(recent=seconds_ago(*recent), now=NOW, limit=limit, window=window)
    assert (result is not None) is refused


def test_a_wait_longer_than_two_minutes_is_told_in_minutes():
    limit = too_fast(recent=seconds_ago(60), now=NOW, limit=1, window=dt.timedelta(minutes=10))
    assert limit is not None
    assert limit.message == "You are posting too fast. Please wait 9 minutes."


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "1 second"),
        (0.2, "1 second"),
        (1, "1 second"),
        (42, "42 seconds"),
        (119, "119 seconds"),
        (120, "2 minutes"),
        (121, "3 minutes"),
        (3600, "60 minutes"),
    ],
)
def test_waits_are_rounded_up_in_words(seconds, words):
    assert describe_wait(dt.timedelta(seconds=seconds)) == words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(0, "just now"), (59, "just now"), (60, "1 minute ago"), (12 * 60 + 59, "12 minutes ago")],
)
def test_elapsed_times_are_rounded_down_in_words(seconds, words):
    assert describe_ago(dt.timedelta(seconds=seconds)) == words


# --- duplicates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Great article!", "great article"),
        ("Great article!", "  Great   article !!! "),
        ("Great article!", "GREAT\nARTICLE."),
        ("Great article!", "Great, article?"),
        ("Great article!", "Greatarticle"),
        ("Très bien", "tres bien"),
        ("Thanks\u200b!", "thanks"),
    ],
)
def test_texts_that_differ_only_in_case_spacing_or_punctuation_share_a_fingerprint(first, second):
    assert fingerprint(first) == fingerprint(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Great article!", "Great articles!"),
        ("Great article!", "Not a great article!"),
        ("I took 20 mg", "I took 200 mg"),
        ("ab cd", "ba dc"),
    ],
)
def test_texts_with_other_words_have_other_fingerprints(first, second):
    assert fingerprint(first) != fingerprint(second)


def test_a_fingerprint_is_a_fixed_length_hex_key():
    key = fingerprint("Some text " * 500)
    assert len(key) == 64
    assert int(key, 16) >= 0


def test_the_same_text_again_within_the_hour_is_refused_as_a_duplicate():
    mark = fingerprint("Great article!")
    recent = [
        (fingerprint("Something else"), NOW - dt.timedelta(minutes=1)),
        (mark, NOW - dt.timedelta(minutes=12, seconds=30)),
        (mark, NOW - dt.timedelta(minutes=40)),
    ]
    limit = duplicate(fingerprint=fingerprint("great article"), recent=recent, now=NOW)
    assert limit == Limit(
        code="duplicate",
        message="You already posted this comment 12 minutes ago. "
        "Please write something new rather than posting it again.",
        retry_after=dt.timedelta(minutes=47, seconds=30),
    )


def test_the_same_text_after_an_hour_is_accepted():
    mark = fingerprint("Great article!")
    assert (
        duplicate(fingerprint=mark, recent=[(mark, NOW - dt.timedelta(hours=1))], now=NOW) is None
    )
    recent = [(mark, NOW - dt.timedelta(minutes=59, seconds=59))]
    assert duplicate(fingerprint=mark, recent=recent, now=NOW) is not None


def test_a_different_text_within_the_hour_is_accepted():
    recent = [(fingerprint("Great article!"), NOW - dt.timedelta(minutes=1))]
    assert duplicate(fingerprint=fingerprint("Thanks!"), recent=recent, now=NOW) is None


def test_a_duplicate_posted_seconds_ago_says_just_now():
    mark = fingerprint("Great article!")
    limit = duplicate(fingerprint=mark, recent=[(mark, NOW - dt.timedelta(seconds=5))], now=NOW)
    assert limit is not None
    assert limit.message.startswith("You already posted this comment just now.")


# --- often rejected ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rejected", "decided", "held"),
    [
        (0, 0, False),
        (0, 10, False),
        (3, 10, False),  # exactly 30%: not more than 30%
        (4, 10, True),
        (30, 100, False),
        (31, 100, True),
        (1, 3, True),  # 33%
        (1, 4, False),  # 25%
        (1, 1, True),
        (6, 20, False),
    ],
)
def test_an_author_rejected_more_than_30_percent_of_the_time_is_held(rejected, decided, held):
    assert often_rejected(rejected=rejected, decided=decided) is held


def test_the_threshold_and_the_minimum_history_are_adjustable():
    assert often_rejected(rejected=1, decided=2, threshold=0.5) is False
    assert often_rejected(rejected=2, decided=3, threshold=0.5) is True
    assert often_rejected(rejected=2, decided=2, minimum_decided=5) is False
    assert often_rejected(rejected=5, decided=5, minimum_decided=5) is True


@pytest.mark.parametrize(("rejected", "decided"), [(-1, 3), (4, 3)])
def test_impossible_counts_are_an_error(rejected, decided):
    with pytest.raises(ValueError, match="rejected"):
        often_rejected(rejected=rejected, decided=decided)
