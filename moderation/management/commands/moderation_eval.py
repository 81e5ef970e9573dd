"""manage.py moderation_eval FILE.tsv: how screening treats labelled comments (see
moderation.evaluation: a throwaway database, posted as a trusted and as a new reader)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from moderation.evaluation import evaluate_file, report


class Command(BaseCommand):
    help = (
        "Post each labelled row of a TSV file (header label<TAB>text) as a fresh trusted reader "
        "and as a new reader, through the site's own service, inside a transaction that is "
        "rolled back; print per label how many were published, nudged, held and refused, and "
        "the rules that fired."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="A labelled TSV file (label<TAB>text).")
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="Try a screening setting for this run only, e.g. --set toxicity_threshold=0.7 "
            "(repeatable; an empty value clears it).",
        )

    def handle(self, *args, file: Path, set: list[str], **options) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        settings = {}
        for item in set:
            name, equals, value = item.partition("=")
            if not equals:
                raise CommandError(f"--set {item}: expected NAME=VALUE.")
            settings[name.strip()] = value.strip()
        started = time.perf_counter()
        try:
            outcomes = evaluate_file(file, settings=settings)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if settings:
            tried = ", ".join(f"{k}={v}" for k, v in settings.items())
            self.stdout.write(f"With, for this run only: {tried}\n")
        self.stdout.write(report(outcomes))
        rows = len(outcomes) // 2
        took = time.perf_counter() - started
        self.stdout.write(
            f"{rows} rows from {file}, each posted twice, in {took:.1f} s; nothing was kept."
        )
