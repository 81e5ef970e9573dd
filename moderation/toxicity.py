"""A toxicity score for a comment, from a model that ships with the code.

The model is alt-profanity-check's (a linear SVM over word and character n-grams, trained on
public abuse data): it runs in this process, on this machine, and never calls any outside service.
Loading it (importing scikit-learn and unpickling the model) takes about a second, so it happens
once, on first use, not at import: commands and tests that never score a comment never pay for it.
After that a score costs a few milliseconds.

The score is the model's probability that the text is abusive or profane, in [0, 1]. Moderation
nudges the reader, or holds the comment, at or above the editors' thresholds (measured on the seed
corpus: docs/moderation.md) and shows the score to editors. The article's own subject words are
taken out of the text first (`without_subject`), so a question about hypnic jerks is not an insult.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence

from .textfold import fold

_Predictor = Callable[[Sequence[str]], Sequence[float]]

_predictor: _Predictor | None = None
_lock = threading.Lock()


_PROBES = ("You are an idiot", "Thanks for the article", "what the hell", "Magnesium helped.")


def _load() -> _Predictor:
    # Imported here, not at the top: this import is the slow part, and it loads the model.
    from profanity_check import predict_prob

    fast = _direct(predict_prob)
    return fast or predict_prob


def _direct(predict_prob: _Predictor) -> _Predictor | None:
    """The same probabilities as the package's `predict_prob`, five times faster.

    Its model is a calibrated ensemble of linear SVMs: scikit-learn spends most of a call
    checking its input. Here the ensemble's weights are stacked once, and a score is one sparse
    product, the sigmoid calibration and a mean. Used only if it gives the package's own
    numbers on probe texts (else, say after an upgrade changed the model, the package's call).
    """
    try:
        import numpy as np
        from profanity_check import profanity_check as package
        from scipy.special import expit

        members = package.model.calibrated_classifiers_
        weights = np.vstack([m.estimator.coef_[0] for m in members])
        intercepts = np.array([m.estimator.intercept_[0] for m in members])
        slopes = np.array([m.calibrators[0].a_ for m in members])
        offsets = np.array([m.calibrators[0].b_ for m in members])
        vectorizer = package.vectorizer

        def predict(texts: Sequence[str]) -> Sequence[float]:
            margins = vectorizer.transform(texts) @ weights.T + intercepts
            return expit(-(slopes * margins + offsets)).mean(axis=1)

        if np.allclose(predict(_PROBES), predict_prob(_PROBES), rtol=1e-9, atol=1e-12):
            return predict
    except (AttributeError, IndexError, TypeError, ValueError):
        pass
    return None


def _model() -> _Predictor:
    """The loaded model; the first caller loads it while any others wait for that one load."""
    global _predictor
    predictor = _predictor
    if predictor is None:
        with _lock:
            if _predictor is None:
                _predictor = _load()
            predictor = _predictor
    return predictor


def warm_up() -> None:
    """Load the model now (for a worker to call at start-up, before the first comment arrives)."""
    _model()


def toxicity_scores(texts: Sequence[str]) -> list[float]:
    """Scores for many texts in one pass through the model (cheaper than one call each)."""
    if not texts:
        return []
    # Blank text is not abusive; the model would still give it a small non-zero score.
    to_score = [text for text in texts if text.strip()]
    scores = iter(_model()(to_score)) if to_score else iter(())
    return [min(1.0, max(0.0, float(next(scores)))) if text.strip() else 0.0 for text in texts]


def toxicity_score(text: str) -> float:
    """The probability, in [0, 1], that `text` is abusive or profane."""
    return toxicity_scores([text])[0]


# --- The article's own subject ---------------------------------------------------------------

# Words too common to be anyone's subject: a title's "what you should know" must not take "you"
# out of "you idiot".
_COMMON_WORDS_TEXT = """
    a about after again against all also an and any are as at be because been before being
    between both but by can could did do does doing during each few for from further had has have
    having he her here hers him his how i if in into is it its just me more most my no nor not now
    of off on once only or other our out over own same she should so some such than that the their
    them then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours"""
_COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())
_SUBJECT_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’][^\W\d_]+)?")


def _stem(word: str) -> str:
    """A crude English stem, the same for both sides: "jerks", "jerked", "jerking" -> "jerk"."""
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def subject_words(*texts: str) -> frozenset[str]:
    """The stems of the words of an article's title, tags and the editors' own list."""
    return frozenset(
        _stem(word)
        for text in texts
        for word in _SUBJECT_WORD.findall(fold(text))
        if len(word) > 2 and word not in _COMMON_WORDS
    )


def without_subject(text: str, words: frozenset[str]) -> str:
    """The text with the article's subject words taken out, for the toxicity model.

    "What causes a hypnic jerk?" under an article about hypnic jerks is a question, not an
    insult: the model (which knows "jerk" as an insult) never sees the subject's own words.
    """
    if not words:
        return text
    return _SUBJECT_WORD.sub(lambda m: " " if _stem(fold(m.group())) in words else m.group(), text)


# Words that aim a comment at someone: the reader addressed, a person or people spoken of.
_ADDRESSED = re.compile(
    r"\b(?:you|your|yours|yourself|yourselves|u|ur|ya|youre|he|she|him|her|his|hers|they|them|"
    r"their|author|writer|doctor|doc|doctors|nurse|nurses|gp|mod|mods|moderator|editor|editors|"
    r"people|folk|lot|men|women|man|woman|commenters|readers|everyone|anyone|somebody|someone)\b"
    r"|@\w"
)


def aimed_at_someone(text: str) -> bool:
    """Whether the text speaks to or of someone ("you", "the author", "@name", "people").

    Swearing at the day ("bloody hell, what a night") is heated but fair; the same score aimed
    at a person is abuse. Screening holds a toxic comment only when it is aimed at someone.
    """
    return bool(_ADDRESSED.search(fold(text)))
