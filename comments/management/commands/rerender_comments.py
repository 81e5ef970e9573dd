"""Re-render stored HTML after the sanitising policy changes: every comment, and with --articles
every article body. Queues the work in batches by primary key (comments.tasks, articles.tasks): a
worker does it with Redis, the command itself without (the tasks run inline). Each batch bumps the
versions of the threads and articles it changed, so cached pages are replaced as it goes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import QuerySet
from tqdm import tqdm

from articles.models import Article
from articles.tasks import rerender_articles
from comments.models import Comment
from comments.tasks import rerender_comments
from taskqueue.queue import enqueue


class Command(BaseCommand):
    help = "Re-render the stored HTML of every comment (and, with --articles, article bodies)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--articles", action="store_true", help="Article bodies too.")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, articles: bool, batch_size: int, no_progress: bool, **options) -> None:
        self.batch_size = batch_size
        self.no_progress = no_progress
        where = "done inline" if settings.CELERY_TASK_ALWAYS_EAGER else "queued for the workers"
        rows, batches = self._queue(Comment.objects.all(), rerender_comments, "comments")
        self.stdout.write(f"Comments: {rows} in {batches} batches, {where}.")
        if articles:
            rows, batches = self._queue(Article.objects.all(), rerender_articles, "articles")
            self.stdout.write(f"Articles: {rows} in {batches} batches, {where}.")

    def _queue(self, rows: QuerySet[Any], task: Any, label: str) -> tuple[int, int]:
        """One task per batch of primary keys; returns how many rows and batches."""
        keys = rows.order_by("pk").values_list("pk", flat=True)
        total, batches, last_pk = 0, 0, 0
        with tqdm(
            total=keys.count(), desc=label, unit=" rows", file=self.stderr, disable=self.no_progress
        ) as bar:
            while batch := list(keys.filter(pk__gt=last_pk)[: self.batch_size]):
                enqueue(task, batch[0], batch[-1])
                total, batches, last_pk = total + len(batch), batches + 1, batch[-1]
                bar.update(len(batch))
        return total, batches
