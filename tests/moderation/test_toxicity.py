"""The toxicity score: a local model, loaded once, never calling out."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from moderation import toxicity
from moderation.toxicity import toxicity_score, toxicity_scores

ROOT = Path(__file__).resolve().parents[2]

ABUSIVE = [
    "You are a fucking idiot and a worthless piece of shit.",
    "Shut up, you stupid moron. Nobody cares what you think, dumbass.",
    "Go to hell, you pathetic loser bitch.",
]

ORDINARY = [
    "I had the same twitches after starting a new medication; my GP checked my magnesium and "
    "potassium and they settled within two weeks.",
    "Thank you for this article. My daughter has epilepsy and the section on sleep hygiene was "
    "very helpful.",
    "The breast exam and the rectal exam were uncomfortable but quick.",
    "My doctor said the lump was benign, what a relief!",
]


@pytest.mark.parametrize("text", ABUSIVE)
def test_an_obviously_abusive_comment_scores_at_least_0_8(text):
    assert toxicity_score(text) >= 0.8


@pytest.mark.parametrize("text", ORDINARY)
def test_an_ordinary_medical_comment_scores_low(text):
    assert toxicity_score(text) < 0.2


def test_medical_words_that_are_also_insults_stay_below_the_hold_threshold():
    # "jerks" (the muscle kind) lifts the score to about 0.39: visible to editors, never held.
    text = "Is there any evidence that caffeine makes the jerks worse? I drink four cups a day."
    assert 0.0 < toxicity_score(text) < 0.8


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_blank_text_scores_zero(text):
    assert toxicity_score(text) == 0.0


def test_a_score_is_a_plain_float_in_the_unit_interval():
    for text in ABUSIVE + ORDINARY:
        score = toxicity_score(text)
        assert type(score) is float
        assert 0.0 <= score <= 1.0


def test_scoring_many_at_once_gives_each_its_own_score_in_order():
    texts = [ABUSIVE[0], "", ORDINARY[0], ABUSIVE[1]]
    assert toxicity_scores(texts) == [toxicity_score(text) for text in texts]
    assert toxicity_scores([]) == []


def test_the_model_is_loaded_once_however_many_threads_ask_first(monkeypatch):
    loads = []

    def slow_load():
        loads.append(threading.get_ident())
        time.sleep(0.05)  # long enough for every thread to arrive while the first is loading
        return lambda texts: [0.5 for _ in texts]

    monkeypatch.setattr(toxicity, "_predictor", None)
    monkeypatch.setattr(toxicity, "_load", slow_load)
    start = threading.Barrier(8)
    results = []

    def score():
        start.wait()
        results.append(toxicity_score("hello"))

    threads = [threading.Thread(target=score) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1
    assert results == [0.5] * 8


def test_threads_scoring_at_once_get_the_same_scores_as_one_at_a_time():
    texts = ABUSIVE + ORDINARY
    expected = [toxicity_score(text) for text in texts]
    results: dict[int, list[float]] = {}

    def score(n):
        results[n] = [toxicity_score(text) for text in texts]

    threads = [threading.Thread(target=score, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(scores == expected for scores in results.values())
    assert len(results) == 6


def test_importing_the_module_loads_no_model_and_scoring_opens_no_connection():
    # A fresh interpreter: nothing else has loaded the model there. Every way to open a network
    # connection raises, so a model that called out would fail this test.
    script = """
import socket, sys

def refuse(*args, **kwargs):
    raise AssertionError("network access attempted")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

import moderation.toxicity as toxicity
assert "profanity_check" not in sys.modules and "sklearn" not in sys.modules
assert toxicity.toxicity_score("You are a fucking idiot.") >= 0.8
assert "profanity_check" in sys.modules
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_scores_come_from_the_direct_path_and_equal_the_packages_own():
    from profanity_check import predict_prob

    from moderation import toxicity

    toxicity.warm_up()
    assert toxicity._predictor is not predict_prob  # the stacked weights, not the slow call
    texts = ["You utter fool", "Lovely article, thank you", "damn these twitches", "x" * 300]
    assert toxicity.toxicity_scores(texts) == pytest.approx(list(predict_prob(texts)), rel=1e-9)
