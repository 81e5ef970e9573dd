"""Fill a throwaway database with many comments, for benchmarks: never on a live site.

    manage.py seedbulk --articles 10 --comments 1000000 [--on SLUG] [--authors 2000]

--articles new published articles (copies of the first one), plus each --on article, share the
comments; see comments/seeding.py for what the comments look like.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.models import Article
from comments.seeding import seed_articles, seed_comments, seed_readers


class Command(BaseCommand):
    help = "Many comments at once on new (and given) articles, for benchmarks. Not for live sites."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--articles", type=int, default=0, help="New articles to make.")
        parser.add_argument("--comments", type=int, required=True)
        parser.add_argument(
            "--on", action="append", default=[], metavar="SLUG", help="An existing article too."
        )
        parser.add_argument("--authors", type=int, help="Readers (default: a comment in 50).")
        parser.add_argument("--pending", type=float, default=0.02, help="Share held for editors.")
        parser.add_argument("--replies", type=float, default=0.33, help="Share of replies.")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1, help="Random seed.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options) -> None:
        count = options["comments"]
        if count < 0 or options["articles"] < 0:
            raise CommandError("Counts cannot be negative.")
        started = time.monotonic()
        article_ids = []
        for slug in options["on"]:
            article = Article.objects.filter(slug=slug).first()
            if article is None:
                raise CommandError(f"No article with the slug {slug!r}.")
            article_ids.append(article.pk)
        article_ids += seed_articles(options["articles"])
        if not article_ids:
            raise CommandError("Give --articles N or --on SLUG: the comments need articles.")
        authors = seed_readers(options["authors"] or max(20, min(count // 50, 20000)))
        with tqdm(
            total=count,
            desc="comments",
            unit=" rows",
            unit_scale=True,
            file=self.stderr,
            disable=options["no_progress"],
        ) as bar:
            result = seed_comments(
                article_ids=article_ids,
                count=count,
                author_ids=authors,
                pending=options["pending"],
                replies=options["replies"],
                batch_size=options["batch_size"],
                seed=options["seed"],
                progress=bar.update,
            )
        self.stdout.write(
            f"{result.comments} comments ({result.pending} pending) on {len(article_ids)} "
            f"articles by {len(authors)} readers in {time.monotonic() - started:.1f} s."
        )
