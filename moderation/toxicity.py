"""A toxicity score for a comment, from a model that ships with the code.

The model is alt-profanity-check's (a linear SVM over word and character n-grams, trained on
public abuse data): it runs in this process, on this machine, and never calls any outside service.
Loading it (importing scikit-learn and unpickling the model) takes about a second, so it happens
once, on first use, not at import: commands and tests that never score a comment never pay for it.
After that a score costs a few milliseconds.

The score is the model's probability that the text is abusive or profane, in [0, 1]. Moderation
holds a comment at or above a threshold (0.8 by default) and shows the score to editors.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

_Predictor = Callable[[Sequence[str]], Sequence[float]]

_predictor: _Predictor | None = None
_lock = threading.Lock()


def _load() -> _Predictor:
    # Imported here, not at the top: this import is the slow part, and it loads the model.
    from profanity_check import predict_prob

    return predict_prob


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
