"""Where to set the toxicity and classifier thresholds: measured on the seed corpus only.

    .venv/bin/python bench/thresholds.py [--corpus moderation/data/seed_corpus.tsv]

For each labelled row of the seed corpus (never the development set: that one only measures),
prints, per candidate threshold, the share of each label that would be nudged or held:

* the toxicity score, with the seed article's subject words taken out (as screening does);
* the classifier's score, out of fold (five folds: each row scored by a model that never saw
  it), so the figures are not those of a model grading its own training data;
* and what the shipped rule packs and the link rule already hold (for a trusted reader), so
  a threshold is judged by what it adds.

docs/moderation.md ("Thresholds") records the run that set the defaults in moderation/models.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

import numpy as np

from articles.seed import TAGS, TITLE
from moderation import classifier
from moderation.links import DEFAULT_TRUSTED_DOMAINS, hosts_in, judge
from moderation.packs import SHIPPED_PACKS, Pack
from moderation.toxicity import subject_words, toxicity_scores, without_subject

ACCEPTABLE = ("benign", "heated")


def out_of_fold(rows: list[tuple[str, str]], folds: int = 5) -> list[float]:
    """Each row's classifier score from a model trained on the other folds (stratified)."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for index, (label, _) in enumerate(rows):
        by_label[label].append(index)
    fold_of = {}
    for indices in by_label.values():
        for position, index in enumerate(indices):
            fold_of[index] = position % folds
    scores = [0.0] * len(rows)
    for fold in range(folds):
        training = [
            classifier.Example(text, classifier.SEED_DECISIONS[label])
            for index, (label, text) in enumerate(rows)
            if fold_of[index] != fold
        ]
        model = classifier.train(training)
        held_out = [index for index in range(len(rows)) if fold_of[index] == fold]
        for index, score in zip(
            held_out, model.scores([rows[i][1] for i in held_out]), strict=True
        ):
            scores[index] = score
    return scores


def share_table(
    title: str, labels: list[str], rows_by_label, flagged_by_threshold: dict[float, list[bool]]
) -> None:
    print(title)
    print(f"{'from':>6}" + "".join(f"{label:>16}" for label in labels))
    for threshold, flagged in flagged_by_threshold.items():
        cells = []
        for label in labels:
            indices = rows_by_label[label]
            hits = sum(flagged[i] for i in indices)
            cells.append(f"{hits:>4}/{len(indices):<4}{hits / len(indices):>6.0%}")
        print(f"{threshold:>6.2f}" + "".join(f"{cell:>16}" for cell in cells))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(classifier.SEED_CORPUS))
    args = parser.parse_args()

    rows = classifier.read_labelled(args.corpus)
    labels = list(dict.fromkeys(label for label, _ in rows))
    rows_by_label = {
        label: [i for i, (lb, _) in enumerate(rows) if lb == label] for label in labels
    }

    packs = [Pack(p.slug, p.name, p.action, p.phrases, p.advice) for p in SHIPPED_PACKS]
    by_rules = []
    for _, text in rows:
        packed = any(pack.find(text) for pack in packs)
        linked = bool(judge(hosts_in(text), trusted=DEFAULT_TRUSTED_DOMAINS, blocked=()).unknown)
        by_rules.append(packed or linked)
    share_table(
        "Held by the shipped packs or the link rule (trusted reader)",
        labels,
        rows_by_label,
        {0.0: by_rules},
    )

    subject = subject_words(TITLE, TAGS)
    toxicity = toxicity_scores([without_subject(text, subject) for _, text in rows])
    thresholds = [0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]
    share_table(
        "Toxicity at or above (subject words taken out)",
        labels,
        rows_by_label,
        {t: [s >= t for s in toxicity] for t in thresholds},
    )
    share_table(
        "Toxicity at or above, and not already held by packs or links",
        labels,
        rows_by_label,
        {
            t: [s >= t and not r for s, r in zip(toxicity, by_rules, strict=True)]
            for t in thresholds
        },
    )

    scores = out_of_fold(rows)
    share_table(
        "Classifier (out of fold) at or above",
        labels,
        rows_by_label,
        {t: [s >= t for s in scores] for t in thresholds},
    )
    share_table(
        "Classifier (out of fold) at or above, and not already held by packs or links",
        labels,
        rows_by_label,
        {t: [s >= t and not r for s, r in zip(scores, by_rules, strict=True)] for t in thresholds},
    )
    acceptable = [i for label in ACCEPTABLE if label in rows_by_label for i in rows_by_label[label]]
    print(
        "acceptable rows (benign and heated):",
        len(acceptable),
        "| median toxicity",
        f"{np.median([toxicity[i] for i in acceptable]):.2f}",
    )


if __name__ == "__main__":
    main()
