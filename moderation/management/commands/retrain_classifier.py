"""manage.py retrain_classifier: train the site's classifier again on the editors' decisions.

The work is moderation.classifier.retrain(), a plain function: the nightly task
(moderation.tasks.retrain_classifier, CELERY_BEAT_SCHEDULE) calls the same function. Every worker
uses the new model from its next comment on.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from moderation.classifier import describe, retrain
from moderation.models import ModerationSettings


class Command(BaseCommand):
    help = (
        "Train the moderation classifier on the seed corpus and every comment editors approved, "
        "rejected or marked as spam, and make it the one every worker uses."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--without-seed",
            action="store_true",
            help="Learn from the editors' decisions only, not from the seed corpus.",
        )

    def handle(self, *args, without_seed: bool, **options) -> None:
        started = time.perf_counter()
        try:
            row = retrain(with_seed=not without_seed)
        except ValueError as error:
            raise CommandError(str(error)) from None
        took = time.perf_counter() - started
        self.stdout.write(f"Trained {describe(row)} in {took:.1f} s; every worker now uses it.")
        settings = ModerationSettings.objects.get(pk=ModerationSettings.SINGLETON_PK)
        if row.decisions < settings.classifier_min_decisions:
            self.stdout.write(
                f"It holds no comment yet: it has learnt from {row.decisions} of your editors' "
                f"decisions, and holds comments from {settings.classifier_min_decisions} on "
                "(its score is shown to editors meanwhile)."
            )
