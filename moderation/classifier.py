"""A classifier that learns from this site's editors: would they publish this comment?

A small local model: hashed word and character n-grams (scikit-learn's HashingVectorizer, which
keeps no vocabulary) and a logistic regression (fitted by stochastic gradient descent: a fraction
of a second for the seed corpus) of "published" against "rejected or spam". It is trained on the
seed corpus the project ships (moderation/data/seed_corpus.tsv, see its data card) plus every
comment an editor has approved, rejected or marked as spam, and retrained by
`manage.py retrain_classifier` (a plain function, `retrain()`, that a scheduled task can call).

What is stored is only numbers: the model's non-zero weights and their columns, as a NumPy
archive read back with `allow_pickle=False`, in a database row (`Classifier`). No pickle, so a
stored model can run no code, and a scikit-learn upgrade cannot make it unreadable; a change of
the features bumps FORMAT, and a model of another format is ignored until retrained.

Every worker uses the current model: the settings row names its version (`classifier_version`,
set in the transaction that stores a new model), screening reads that row anyway, and a worker
whose loaded model is older loads the new one (one query, a few milliseconds).

The score is the model's probability that editors would not publish the comment (reject or
spam), in [0, 1]. It is stored on each comment and shown to editors; it holds a comment only
from the editors' threshold on, and only once the model has learnt from enough of their own
decisions (ModerationSettings.classifier_min_decisions).
"""

from __future__ import annotations

import dataclasses
import io
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .textfold import fold

if TYPE_CHECKING:
    from .models import Classifier

FORMAT = 1
APPROVE, REJECT, SPAM = "approve", "reject", "spam"
CLASSES = (APPROVE, REJECT, SPAM)
SEED_CORPUS = Path(__file__).resolve().parent / "data" / "seed_corpus.tsv"
# The seed corpus's labels as editors' decisions: heated but fair comments are published.
SEED_DECISIONS = {
    "abuse": REJECT,
    "misinformation": REJECT,
    "spam": SPAM,
    "benign": APPROVE,
    "heated": APPROVE,
}
# Chosen by five-fold cross-validation on the seed corpus (docs/moderation.md).
WORD_FEATURES = 2**17
CHAR_FEATURES = 2**17
REGULARISATION = 1e-4  # SGD's alpha
EPOCHS = 50


@dataclass(frozen=True)
class Example:
    text: str
    decision: str  # approve, reject or spam


def read_labelled(path: Path | str) -> list[tuple[str, str]]:
    """(label, text) rows of a labelled TSV: a `label<TAB>text` header, `\\n` for a line break."""
    rows = []
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    if not lines or lines[0].split("\t") != ["label", "text"]:
        raise ValueError(f"{path}: the first line must be the header “label<TAB>text”.")
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        label, tab, text = line.partition("\t")
        if not tab or not text.strip():
            raise ValueError(f"{path}, line {number}: expected “label<TAB>text”.")
        rows.append((label.strip(), text.replace("\\n", "\n")))
    return rows


def seed_examples() -> list[Example]:
    return [Example(text, SEED_DECISIONS[label]) for label, text in read_labelled(SEED_CORPUS)]


def _vectorisers():
    from sklearn.feature_extraction.text import HashingVectorizer

    # Stateless: the same features on every machine, nothing to store but the weights. The
    # texts come folded (moderation.textfold), so the vectorisers change nothing more.
    words = HashingVectorizer(
        lowercase=False, ngram_range=(1, 2), n_features=WORD_FEATURES, alternate_sign=False
    )
    characters = HashingVectorizer(
        lowercase=False,
        analyzer="char_wb",
        ngram_range=(2, 5),
        n_features=CHAR_FEATURES,
        alternate_sign=False,
    )
    return words, characters


_vectoriser_lock = threading.Lock()
_shared_vectorisers: Any = None


def _features(texts: Sequence[str]):
    """Word n-gram columns, then character n-gram columns (WORD_FEATURES + CHAR_FEATURES)."""
    global _shared_vectorisers
    if _shared_vectorisers is None:
        with _vectoriser_lock:
            if _shared_vectorisers is None:
                _shared_vectorisers = _vectorisers()
    from scipy.sparse import hstack

    folded = [fold(text) for text in texts]
    words, characters = _shared_vectorisers
    return hstack([words.transform(folded), characters.transform(folded)], format="csr")


@dataclass(frozen=True)
class Model:
    """A trained model's weights: only the columns that some training text had."""

    columns: np.ndarray  # int64, the feature columns with a non-zero weight
    weights: np.ndarray  # float32, one weight for each of those columns
    intercept: float
    counts: dict[str, int] = field(default_factory=dict)  # training examples per decision
    decisions: int = 0  # how many of them were editors' decisions (set when loaded)

    @cached_property
    def _dense(self) -> np.ndarray:
        # Every column, so a comment's features need no look-up: a megabyte per process.
        dense = np.zeros(WORD_FEATURES + CHAR_FEATURES, dtype=np.float64)
        dense[self.columns] = self.weights
        return dense

    def scores(self, texts: Sequence[str]) -> list[float]:
        """For each text, the probability that editors would not publish it (reject or spam)."""
        if not texts:
            return []
        logits = _features(texts) @ self._dense + self.intercept
        return [round(float(p), 4) for p in 1.0 / (1.0 + np.exp(-logits))]

    def score(self, text: str) -> float:
        return self.scores([text])[0]

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            format=np.array([FORMAT]),
            columns=self.columns,
            weights=self.weights,
            intercept=np.array([self.intercept]),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Model:
        """Read stored weights; ValueError if they are of another format (retrain to fix)."""
        with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as archive:
            stored_format = int(archive["format"][0])
            if stored_format != FORMAT:
                raise ValueError(f"A model of format {stored_format}; this code reads {FORMAT}.")
            return cls(
                columns=archive["columns"],
                weights=archive["weights"],
                intercept=float(archive["intercept"][0]),
            )


def train(examples: Iterable[Example]) -> Model:
    """Fit a model to labelled examples (there must be some of each: published and not)."""
    from sklearn.linear_model import SGDClassifier

    examples = list(examples)
    rejected = np.array([e.decision != APPROVE for e in examples])
    if rejected.all() or not rejected.any():
        raise ValueError("Training needs comments editors published and comments they did not.")
    fitted = SGDClassifier(
        loss="log_loss",
        alpha=REGULARISATION,
        class_weight="balanced",
        max_iter=EPOCHS,
        tol=None,
        random_state=0,
    ).fit(_features([e.text for e in examples]), rejected)
    coefficients = fitted.coef_[0]
    columns = np.flatnonzero(coefficients)
    decisions = [e.decision for e in examples]
    return Model(
        columns=columns.astype(np.int64),
        weights=coefficients[columns].astype(np.float32),
        intercept=float(fitted.intercept_[0]),
        counts={c: decisions.count(c) for c in CLASSES},
    )


def store_seed_model(classifier_model: Any) -> Any:
    """Train a model on the seed corpus alone and store it as a row of `classifier_model` (the
    Classifier model, or a migration's historical one); the caller makes it current."""
    examples = seed_examples()
    model = train(examples)
    return classifier_model.objects.create(
        format=FORMAT,
        weights=model.to_bytes(),
        examples=len(examples),
        decisions=0,
        seed_examples=len(examples),
        counts=model.counts,
    )


# --- Training on this site's decisions -----------------------------------------------------------

# How many trained models to keep (the newest is current; older ones for comparison).
KEEP_MODELS = 3


def decision_examples() -> list[Example]:
    """Every comment whose current status is an editor's approve, reject or spam decision."""
    from comments.models import Comment

    Status = Comment.Status
    decision_of = {Status.APPROVED: APPROVE, Status.REJECTED: REJECT, Status.SPAM: SPAM}
    rows = Comment.objects.filter(decided_at__isnull=False, status__in=list(decision_of))
    return [
        Example(body, decision_of[status])
        for body, status in rows.order_by("pk").values_list("body", "status").iterator()
    ]


def retrain(*, with_seed: bool = True, by: Any = None) -> Classifier:
    """Train a model on the editors' decisions (and the seed corpus) and make it the current one.

    The scheduled task and `manage.py retrain_classifier` both call this. Every worker picks the
    new model up at its next screening (the settings row names it).
    """
    from django.db import transaction
    from django.db.models import Q

    from .models import Classifier, ModerationSettings

    decisions = decision_examples()
    seed = seed_examples() if with_seed else []
    model = train([*seed, *decisions])
    with transaction.atomic():
        row = Classifier.objects.create(
            format=FORMAT,
            weights=model.to_bytes(),
            examples=len(seed) + len(decisions),
            decisions=len(decisions),
            seed_examples=len(seed),
            counts=model.counts,
            trained_by=by,
        )
        ModerationSettings.objects.get_or_create(pk=ModerationSettings.SINGLETON_PK)
        # Only ever forward: of two trainings at once, the later row stays current.
        ModerationSettings.objects.filter(
            Q(classifier_version__isnull=True) | Q(classifier_version__lt=row.pk),
            pk=ModerationSettings.SINGLETON_PK,
        ).update(classifier_version=row.pk)
        keep = Classifier.objects.order_by("-pk").values_list("pk", flat=True)[:KEEP_MODELS]
        Classifier.objects.exclude(pk__in=list(keep)).delete()
    return row


# --- The current model, per process ------------------------------------------------------------

_loaded: tuple[int, Model | None] | None = None
_load_lock = threading.Lock()


def current_model(version: int | None) -> Model | None:
    """The model of this version (the settings' `classifier_version`), loaded once per process."""
    global _loaded
    if version is None:
        return None
    loaded = _loaded
    if loaded is not None and loaded[0] == version:
        return loaded[1]
    with _load_lock:
        if _loaded is None or _loaded[0] != version:
            _loaded = (version, _load(version))
        return _loaded[1]


def _load(version: int) -> Model | None:
    from .models import Classifier

    row = Classifier.objects.filter(pk=version).only("weights", "decisions").first()
    if row is None:
        return None
    try:
        return dataclasses.replace(Model.from_bytes(bytes(row.weights)), decisions=row.decisions)
    except ValueError:
        return None  # made by another version of this code: ignored until retrained


def forget_loaded() -> None:
    """Drop this process's loaded model (tests; a new version is picked up by itself)."""
    global _loaded
    _loaded = None


def describe(row: Classifier) -> str:
    return (
        f"model {row.pk}: {row.examples} examples "
        f"({row.decisions} editors' decisions, {row.seed_examples} from the seed corpus)"
    )
