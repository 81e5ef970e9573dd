"""Cost of screening one comment: every rule, the packs, links, toxicity and the classifier.

    .venv/bin/python bench/screening.py [--runs 200] [--terms 1000]

Prints, over four typical comments, the median time (wall clock, and the CPU time of this process,
which a machine busy with other work inflates less) and the worst 95th percentile:

* the rule packs as shipped (each comment checked against every pack), the links rule, the
  toxicity model and the classifier, each alone;
* the whole of `screen()` over a prepared context (all the rules, as posting runs them);
* `context_for()` + `screen()`, as posting does it, on a throwaway SQLite database made by the
  migrations (settings, packs and the seed-trained classifier as a fresh install has them), with
  the classifier deciding (classifier_min_decisions=0): this is the figure to keep under 10 ms;
* the word filter with --terms editors' terms, as before.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COMMENTS = [
    "I had the same twitches after starting a new medication; my GP checked my magnesium and "
    "calcium and both were low. Supplements helped within a couple of weeks.",
    "Bloody hell, three nights in a row now. Does anyone know if caffeine makes hypnic jerks "
    "worse? The NHS page (https://www.nhs.uk/conditions/) says it might.",
    "Stop taking your statins, doctors don't want you to know the truth. Buy my cure at "
    "https://cheap-cure.example.shop/offer and use code SLEEP20 for 20% off.",
    "You are an absolute idiot and I know where you live.",
]


def timed(fn, runs: int) -> tuple[float, float, float]:
    """Median and 95th percentile wall-clock time, and median CPU time, in milliseconds."""
    walls, cpus = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - start_cpu)
        walls.append(time.perf_counter() - start)
    walls.sort()
    p95 = walls[int(0.95 * (len(walls) - 1))]
    return statistics.median(walls) * 1000, p95 * 1000, statistics.median(cpus) * 1000


def report(name: str, fn, runs: int) -> None:
    """One line for the typical comments: the median of their medians, the worst p95."""
    found = [timed(lambda body=body: fn(body), runs) for body in COMMENTS]
    median = statistics.median(f[0] for f in found)
    worst = max(f[1] for f in found)
    cpu = statistics.median(f[2] for f in found)
    print(f"{name:<52} median {median:6.2f} ms (CPU {cpu:6.2f} ms), worst p95 {worst:6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--terms", type=int, default=1000)
    args = parser.parse_args()

    database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"(a fresh database, migrated in {time.perf_counter() - start:.1f} s)")

    from accounts.models import User
    from articles.models import Article
    from articles.seed import SLUG
    from comments.models import Comment
    from markup.sanitize import render_comment
    from moderation import classifier, toxicity
    from moderation.context import context_for, enabled_packs, moderation_settings
    from moderation.links import domain_list, hosts_in, judge, phone_numbers
    from moderation.models import ModerationSettings
    from moderation.screening import screen
    from moderation.wordfilter import WordMatcher

    ModerationSettings.objects.filter(pk=1).update(classifier_min_decisions=0)
    settings = moderation_settings()
    article = Article.objects.get(slug=SLUG)
    author = User.objects.create(username="bench-reader")

    start = time.perf_counter()
    toxicity.warm_up()
    model = classifier.current_model(settings.classifier_version)
    packs = enabled_packs(settings)
    for pack in packs:
        pack.find("warm up")
    hosts_in("warm.up")
    print(f"(models, packs and the suffix list loaded in {time.perf_counter() - start:.2f} s)\n")

    trusted = domain_list(settings.trusted_domains)
    report(
        f"rule packs ({len(packs)} packs, as shipped)",
        lambda b: [p.find(b) for p in packs],
        args.runs,
    )
    report(
        "links and phone numbers",
        lambda b: (judge(hosts_in(b), trusted=trusted, blocked=()), phone_numbers(b)),
        args.runs,
    )
    report("toxicity model", toxicity.toxicity_score, args.runs)
    report("classifier", model.score, args.runs)

    def comment_for(body: str) -> Comment:
        return Comment(article=article, author=author, body=body, body_html=render_comment(body))

    comments = {body: comment_for(body) for body in COMMENTS}
    prepared = {body: (comments[body], context_for(comments[body])) for body in COMMENTS}
    report(
        "screen(): every rule, context prepared",
        lambda b: screen(prepared[b][0], context=prepared[b][1]),
        args.runs,
    )
    report(
        "context_for() + screen(), as posting does (SQLite)",
        lambda b: screen(comments[b]),
        args.runs,
    )

    terms = [f"term{n}word" for n in range(args.terms)] + ["kill yourself", "bad"]
    start = time.perf_counter()
    matcher = WordMatcher(terms)
    build = (time.perf_counter() - start) * 1000
    print(f"\nword filter, {len(terms)} terms: built in {build:.1f} ms")
    report("word filter check", matcher.find, args.runs)


if __name__ == "__main__":
    main()
