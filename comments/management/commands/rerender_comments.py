"""Re-render stored HTML after the sanitising policy changes: every comment, and with --articles
every article body. Works in batches by primary key, so it runs in bounded memory on any size."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from articles.models import Article
from comments.models import Comment
from comments.services import render_body
from comments.thread import bump_threads
from markup.sanitize import render_markdown


class Command(BaseCommand):
    help = "Re-render the stored HTML of every comment (and, with --articles, article bodies)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--articles", action="store_true", help="Article bodies too.")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, articles: bool, batch_size: int, no_progress: bool, **options) -> None:
        self.batch_size = batch_size
        self.no_progress = no_progress
        changed, touched = self._rerender(Comment, render_body, "comments")
        # New versions of those threads: every worker's cached pages of them miss from now on.
        bump_threads(touched)
        self.stdout.write(f"Comments: {changed} re-rendered HTML changed.")
        if articles:
            changed, _ = self._rerender(Article, render_markdown, "articles")
            self.stdout.write(f"Articles: {changed} re-rendered HTML changed.")

    def _rerender(self, model, render, label: str) -> tuple[int, set[int]]:
        """Write body_html again where it differs; returns how many changed and their articles."""
        rows = model.objects.order_by("pk")
        changed, touched, last_pk = 0, set(), 0
        with tqdm(
            total=rows.count(), desc=label, unit=" rows", file=self.stderr, disable=self.no_progress
        ) as bar:
            while batch := list(
                rows.filter(pk__gt=last_pk).only("pk", "body", "body_html")[: self.batch_size]
            ):
                stale = []
                for row in batch:
                    html = render(row.body)
                    if html != row.body_html:
                        row.body_html = html
                        stale.append(row)
                with transaction.atomic():
                    # bulk_update writes body_html only: no save() side effects, no signals.
                    model.objects.bulk_update(stale, ["body_html"])
                if model is Comment and stale:
                    touched |= set(
                        Comment.objects.filter(pk__in=[r.pk for r in stale]).values_list(
                            "article_id", flat=True
                        )
                    )
                changed += len(stale)
                last_pk = batch[-1].pk
                bar.update(len(batch))
        return changed, touched
