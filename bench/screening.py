"""Cost of screening one comment: the word filter and the toxicity model.

    .venv/bin/python bench/screening.py [--terms 1000] [--runs 200]

Prints the time to build a word list of --terms entries, the time per check of a typical comment,
the toxicity model's load time and its time per score (one by one and in a batch).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COMMENT = (
    "I had the same twitches after starting a new medication; my GP checked my magnesium and "
    "calcium and both were low. Supplements helped within a couple of weeks. "
) * 3


def timed(fn, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return statistics.median(samples) * 1000, samples[int(0.95 * (len(samples) - 1))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terms", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    from moderation import toxicity
    from moderation.wordfilter import WordMatcher

    terms = [f"term{n}word" for n in range(args.terms)] + ["kill yourself", "bad"]
    start = time.perf_counter()
    matcher = WordMatcher(terms)
    build = (time.perf_counter() - start) * 1000
    median, p95 = timed(lambda: matcher.find(COMMENT), args.runs)
    print(
        f"word filter, {len(terms)} terms: build {build:.1f} ms; "
        f"check of a {len(COMMENT)}-character comment: median {median:.3f} ms, p95 {p95:.3f} ms"
    )

    start = time.perf_counter()
    toxicity.warm_up()
    print(f"toxicity model load: {(time.perf_counter() - start) * 1000:.0f} ms")
    median, p95 = timed(lambda: toxicity.toxicity_score(COMMENT), args.runs)
    print(f"toxicity score, one comment: median {median:.2f} ms, p95 {p95:.2f} ms")
    start = time.perf_counter()
    toxicity.toxicity_scores([COMMENT] * 100)
    print(f"toxicity scores, 100 in one batch: {(time.perf_counter() - start) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
