"""How the screening does on labelled comments: `manage.py moderation_eval FILE.tsv`.

Each labelled row is posted twice through the service the site uses
(comments.services.post_comment), once by a fresh trusted reader (five approved comments, none
rejected: trusted by their record, not by an editor) and once by a fresh new reader, and what
became of it is counted per label: published, nudged (the reader was asked to look again, posted
anyway, and it was published), held (waits for an editor), refused (refused outright, or stored
as rejected or spam by a rule).

All of it happens on a throwaway database: inside one transaction that is rolled back at the end,
with a private local-memory cache in place of the site's, so nothing of it stays (no comment, no
reader, no cached page, no signal: signals wait for a commit that never comes). It runs against
the site's own rules as they stand (on a fresh install, the shipped defaults), or with some
settings changed for the run (`--set name=value`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from articles.models import Article
from articles.seed import SLUG as SEED_SLUG
from comments.errors import CommentError, CommentNudge
from comments.models import Comment
from comments.services import post_comment
from markup.sanitize import render_comment

from .classifier import forget_loaded, read_labelled
from .configuration import SETTINGS_FIELDS
from .context import forget_packs, moderation_settings
from .models import ModerationSettings

READERS = ("trusted", "new")
OUTCOMES = ("published", "nudged", "held", "refused")
TRUSTED_RECORD = 5  # approved comments of a trusted reader


def _private_caches() -> dict[str, dict[str, str]]:
    """Every cache the site has, as a local-memory cache of this run's own."""
    return {
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"moderation-eval-{alias}",
        }
        for alias in django_settings.CACHES
    }


@dataclass(frozen=True)
class Outcome:
    label: str
    reader: str  # "trusted" or "new"
    result: str  # one of OUTCOMES
    rules: tuple[str, ...]  # the reason codes that fired


@dataclass
class Tally:
    rows: int = 0
    results: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)

    @property
    def held_or_refused(self) -> int:
        return self.results["held"] + self.results["refused"]


class _Rollback(Exception):
    pass


def evaluate_file(
    path: Path | str, *, article: Article | None = None, settings: Mapping[str, str] | None = None
) -> list[Outcome]:
    return evaluate(read_labelled(path), article=article, settings=settings)


def evaluate(
    rows: Sequence[tuple[str, str]],
    *,
    article: Article | None = None,
    settings: Mapping[str, str] | None = None,
) -> list[Outcome]:
    """Post every (label, text) row as a trusted and as a new reader; nothing is kept.

    `settings` changes screening settings for this run only ({"toxicity_threshold": "0.7"}):
    ValueError if one is not a setting or not a valid value.
    """
    outcomes: list[Outcome] = []
    with override_settings(CACHES=_private_caches()):
        try:
            with transaction.atomic():
                if settings:
                    _try_settings(settings)
                target = article or _article()
                for number, (label, text) in enumerate(rows):
                    for reader in READERS:
                        author = _reader(number, reader, target)
                        outcomes.append(_post(label, reader, author, target, text))
                raise _Rollback
        except _Rollback:
            pass
        finally:
            # What this process derived from rows that are now gone.
            forget_packs()
            forget_loaded()
    return outcomes


def _try_settings(values: Mapping[str, str]) -> None:
    current = moderation_settings()
    for name, raw in values.items():
        if name not in SETTINGS_FIELDS:
            raise ValueError(f"“{name}” is not a screening setting ({', '.join(SETTINGS_FIELDS)}).")
        field_ = ModerationSettings._meta.get_field(name)
        assert isinstance(field_, models.Field)
        try:
            setattr(current, name, field_.to_python(raw) if raw != "" else None)
        except ValidationError as error:
            raise ValueError(f"{name}: {' '.join(error.messages)}") from None
    try:
        current.full_clean()
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    # Not a change editors made: the settings' version (the packs' key) stays as it is.
    current.save()


def _article() -> Article:
    """The seed article of a fresh install (what the seed corpus talks about), else a new one."""
    found = Article.objects.published().filter(slug=SEED_SLUG).first()
    if found is not None:
        return found
    from articles.models import Section

    section = Section.objects.create(name="Evaluation", slug=f"evaluation-{uuid.uuid4().hex[:8]}")
    author = User.objects.create(username=f"eval-author-{uuid.uuid4().hex[:8]}")
    return Article.objects.create(
        section=section,
        title="Evaluation",
        slug="evaluation",
        body="An article to comment on.",
        author=author,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - dt.timedelta(days=30),
    )


def _reader(number: int, kind: str, article: Article) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create(username=f"eval-{uuid.uuid4().hex[:10]}-{kind}-{number}")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=f"{user.username}@example.invalid", verified=True)
    if kind == "trusted":
        earlier = timezone.now() - dt.timedelta(days=3)
        made = Comment.objects.bulk_create(
            Comment(
                article=article,
                author=user,
                body=f"An earlier comment, number {n}.",
                body_html=render_comment(f"An earlier comment, number {n}."),
                status=Comment.Status.APPROVED,
            )
            for n in range(TRUSTED_RECORD)
        )
        Comment.objects.filter(pk__in=[c.pk for c in made]).update(created_at=earlier)
    return user


def _post(label: str, reader: str, author: User, article: Article, text: str) -> Outcome:
    def post(confirmed: bool) -> Comment:
        return post_comment(author=author, article=article, body=text, confirmed=confirmed)

    nudged: tuple[str, ...] = ()
    try:
        try:
            comment = post(confirmed=False)
        except CommentNudge as nudge:
            nudged = tuple(code for code, _ in nudge.reasons)
            comment = post(confirmed=True)
    except CommentError as error:
        return Outcome(label, reader, "refused", (*nudged, error.code or "refused"))
    rules = tuple(dict.fromkeys((*nudged, *comment.reason_codes)))
    if comment.status == Comment.Status.APPROVED:
        result = "nudged" if nudged else "published"
    elif comment.status == Comment.Status.PENDING:
        result = "held"
    else:
        result = "refused"
    return Outcome(label, reader, result, rules)


def tally(outcomes: Iterable[Outcome]) -> dict[str, dict[str, Tally]]:
    """{reader: {label: Tally}}, labels in the order first met."""
    found: dict[str, dict[str, Tally]] = {reader: {} for reader in READERS}
    for outcome in outcomes:
        entry = found[outcome.reader].setdefault(outcome.label, Tally())
        entry.rows += 1
        entry.results[outcome.result] += 1
        entry.rules.update(outcome.rules)
    return found


READER_TITLES = {
    "trusted": f"Trusted reader ({TRUSTED_RECORD} approved comments, none rejected)",
    "new": "New reader (no comment yet)",
}


def report(outcomes: Iterable[Outcome]) -> str:
    """The tables: per reader, per label, how many rows were published, nudged, held, refused."""
    lines = []
    for reader, labels in tally(outcomes).items():
        if not labels:
            continue
        lines.append(READER_TITLES[reader])
        header = f"{'label':<16}{'rows':>6}" + "".join(f"{o:>11}" for o in OUTCOMES)
        lines.append(header + f"{'held or refused':>18}")
        for label, entry in labels.items():
            counts = "".join(f"{entry.results[o]:>11}" for o in OUTCOMES)
            share = entry.held_or_refused / entry.rows
            lines.append(
                f"{label:<16}{entry.rows:>6}{counts}{f'{entry.held_or_refused} ({share:.0%})':>18}"
            )
        lines.append("rules that fired:")
        for label, entry in labels.items():
            fired = ", ".join(f"{code} {n}" for code, n in entry.rules.most_common()) or "none"
            lines.append(f"  {label}: {fired}")
        lines.append("")
    return "\n".join(lines)
