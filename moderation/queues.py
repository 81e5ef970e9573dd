"""Reads for the moderation pages: queues, author cards, a comment's history, the overview.

Every page costs a fixed number of queries whatever the number of rows: one for the page of
rows, then one each for their reports, their authors' counts, sanctions and notes.

Queues and the index each reads (Comment.Meta.indexes), for keyset pagination (a page starts
after the last row of the one before, never with OFFSET, so page 1,000 costs what page 1 does):

  queue     filter             oldest / newest first       worst first
  pending   status = pending   comment_status_queue_idx    comment_status_prio_idx
  spam      status = spam      (status, created_at, id)    (status, -priority, created_at, id)
  rejected  status = rejected
  approved  status = approved
  reported  open_reports > 0   comment_reported_idx        comment_reported_prio_idx
                               (created_at, id), partial   (-priority, created_at, id), partial

Filters narrow through other indexes: by article comment_thread_idx (article, status,
created_at), by author comment_author_idx (author, status, created_at), by date the created_at
range of the queue's own index. A rule filter scans the queue's rows (a substring of `reasons`).
Counts stop at COUNT_CAP, so a tab with a million approved comments stays cheap ("10,000+").
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from articles.models import Article
from comments.models import Comment, Report, max_length_of

from .context import rule_labels
from .decisions import allowed_decisions
from .models import ModerationEvent, ModeratorNote, Sanction

Status = Comment.Status


@dataclass(frozen=True)
class Queue:
    slug: str  # Comment.objects.in_queue(slug) holds its comments
    label: str
    default_order: str

    def comments(self) -> QuerySet:
        return Comment.objects.in_queue(self.slug)


QUEUES: dict[str, Queue] = {
    q.slug: q
    for q in (
        Queue("pending", "Pending", "oldest"),
        Queue("reported", "Reported", "oldest"),
        Queue("spam", "Spam", "newest"),
        Queue("rejected", "Rejected", "newest"),
        Queue("approved", "Approved", "newest"),
    )
}
ORDERS = {"oldest": "Oldest first", "newest": "Newest first", "priority": "Worst first"}
PAGE_SIZE = 25
COUNT_CAP = 10_000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MAX_ID = 2**63 - 1  # the largest key a database row can have (BigAutoField)
MAX_PRIORITY = 2**31 - 1  # Comment.priority is a PositiveIntegerField
# Days outside these bound no comment (and would overflow as date-times): such a bound is dropped.
_FIRST_DAY, _LAST_DAY = dt.date(1970, 1, 2), dt.date(9999, 12, 30)


# The counts' statement, per kind of database: built by the ORM once per process (compiling five
# capped counts cost more than running them), with constants for parameters.
_COUNTS_SQL: dict[str, tuple[str, tuple[Any, ...]]] = {}


def queue_counts() -> dict[str, int]:
    """Each queue's size, up to COUNT_CAP + 1 (shown as "10,000+"): one query for them all."""
    built = _COUNTS_SQL.get(connection.vendor)
    if built is None:
        parts: list[str] = []
        params: list[Any] = []
        for slug, queue in QUEUES.items():
            capped = queue.comments().values("pk").order_by()[: COUNT_CAP + 1]
            sql, more = capped.query.sql_with_params()
            # The ORM's own SQL and our slugs: nothing from outside.
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS {slug}_rows)")  # noqa: S608
            params += more
        built = _COUNTS_SQL[connection.vendor] = (f"SELECT {', '.join(parts)}", tuple(params))
    with connection.cursor() as cursor:
        cursor.execute(*built)
        row = cursor.fetchone()
    return dict(zip(QUEUES, row, strict=True))


@dataclass(frozen=True)
class Filters:
    article: int | None = None
    title: str = ""  # words of the article's title, for editors who do not know its id
    author: str = ""
    rule: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def as_query(self) -> dict[str, str]:
        values = {
            "article": self.article or "",
            "title": self.title,
            "author": self.author,
            "rule": self.rule,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {k: str(v) for k, v in values.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.as_query())


MAX_PAGE_SIZE = 100
AUTHOR_MAX_LENGTH = max_length_of(User, "username")
TITLE_MAX_LENGTH = max_length_of(Article, "title")
_DIGITS = re.compile(r"[0-9]{1,19}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class QueueQuery:
    """A queue's order, filters, cursor and page size as a query string asked for them.

    `errors` names each parameter that could not be read, with why; what could be read is kept
    (the site shows the errors above the queue, the API answers 400 with them).
    """

    order: str | None = None
    filters: Filters = field(default_factory=Filters)
    cursor: str | None = None
    size: int = PAGE_SIZE
    errors: dict[str, str] = field(default_factory=dict)


def parse_queue_query(params: Any) -> QueueQuery:
    """Read a queue's parameters (from the site's or the API's query string), each checked once.

    Empty values count as absent (a form submits every field). A cursor that names no row a
    queue could hold is an error like any other.
    """
    errors: dict[str, str] = {}

    def raw(name: str) -> str | None:
        value = params.get(name)
        return value if value not in (None, "") else None

    def number(name: str, low: int, high: int) -> int | None:
        value = raw(name)
        if value is None:
            return None
        if not _DIGITS.fullmatch(value) or not low <= int(value) <= high:
            errors[name] = f"Enter a whole number from {low} to {high}."
            return None
        return int(value)

    def day(name: str) -> dt.date | None:
        value = raw(name)
        if value is None:
            return None
        try:
            if not _DAY.fullmatch(value):
                raise ValueError
            found = dt.date.fromisoformat(value)
        except ValueError:
            errors[name] = "Enter a date as YYYY-MM-DD."
            return None
        return found

    def choice(name: str, choices: Iterable[str]) -> str | None:
        value = raw(name)
        if value is not None and value not in choices:
            errors[name] = f"Choose one of: {', '.join(choices)}."
            return None
        return value

    order = choice("order", ORDERS)
    rule = choice("rule", rule_labels())
    author = raw("author")
    if author is not None and (len(author) > AUTHOR_MAX_LENGTH or "\x00" in author):
        errors["author"] = f"Enter a username (at most {AUTHOR_MAX_LENGTH} characters)."
        author = None
    title = raw("title")
    if title is not None and (len(title) > TITLE_MAX_LENGTH or "\x00" in title):
        errors["title"] = f"Enter words of a title (at most {TITLE_MAX_LENGTH} characters)."
        title = None
    filters = Filters(
        article=number("article", 1, MAX_ID),
        title=" ".join((title or "").split()),
        author=(author or "").strip(),
        rule=rule or "",
        since=day("since"),
        until=day("until"),
    )
    size = number("page_size", 1, MAX_PAGE_SIZE) or PAGE_SIZE
    cursor = raw("cursor")
    if cursor is not None and parse_cursor(cursor) is None:
        errors["cursor"] = "This cursor does not point to a page; start again without one."
        cursor = None
    return QueueQuery(order=order, filters=filters, cursor=cursor, size=size, errors=errors)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered(qs: QuerySet, filters: Filters) -> QuerySet:
    if filters.article:
        qs = qs.filter(article_id=filters.article)
    if filters.title:
        # Every word somewhere in the title, any case (through the article: its primary key).
        for word in filters.title.split()[:8]:
            qs = qs.filter(article__title__icontains=word)
    if filters.author:
        author_id = (
            User.objects.filter(username__iexact=filters.author)
            .values_list("pk", flat=True)
            .first()
        )
        qs = qs.filter(author_id=author_id) if author_id else qs.none()
    if filters.rule:
        qs = qs.filter(reasons__contains=f" {filters.rule} ")
    if filters.since and filters.since >= _FIRST_DAY:
        qs = qs.filter(created_at__gte=_day_start(filters.since))
    if filters.until and filters.until <= _LAST_DAY:
        qs = qs.filter(created_at__lt=_day_start(filters.until + dt.timedelta(days=1)))
    return qs


# --- Keyset pagination -----------------------------------------------------------------------


def cursor_of(comment: Comment) -> str:
    """Where the next page starts: after this row (priority, time in µs, id)."""
    micros = (comment.created_at - _EPOCH) // dt.timedelta(microseconds=1)
    return f"{comment.priority}_{micros}_{comment.pk}"


def parse_cursor(token: str | None) -> tuple[int, dt.datetime, int] | None:
    """The row a `cursor_of` token names, or None when it names no row a queue could hold."""
    try:
        priority, micros, pk = (int(part) for part in (token or "").split("_"))
        at = _EPOCH + dt.timedelta(microseconds=micros)
    except (ValueError, OverflowError):  # not three numbers, or a time beyond any calendar
        return None
    if not (0 <= priority <= MAX_PRIORITY and 0 < pk <= MAX_ID) or at.year >= 9999:
        return None
    return priority, at, pk


def _after(qs: QuerySet, order: str, cursor: tuple[int, dt.datetime, int]) -> QuerySet:
    priority, at, pk = cursor
    if order == "newest":
        # The redundant bound lets the database start its index scan at the cursor.
        return qs.filter(created_at__lte=at).filter(
            Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk)
        )
    if order == "priority":
        return qs.filter(priority__lte=priority).filter(
            Q(priority__lt=priority)
            | Q(priority=priority, created_at__gt=at)
            | Q(priority=priority, created_at=at, pk__gt=pk)
        )
    return qs.filter(created_at__gte=at).filter(Q(created_at__gt=at) | Q(created_at=at, pk__gt=pk))


ORDER_BY = {
    "oldest": ("created_at", "pk"),
    "newest": ("-created_at", "-pk"),
    "priority": ("-priority", "created_at", "pk"),
}


@dataclass
class AuthorCard:
    """What editors see of an author beside each of their comments."""

    user: Any
    approved: int = 0
    rejected: int = 0
    pending: int = 0
    sanctions: list[Sanction] = field(default_factory=list)  # in force
    notes: int = 0


@dataclass
class QueuePage:
    queue: Queue
    order: str
    filters: Filters
    rows: list[Comment]
    next_cursor: str | None
    is_first: bool


# What no row shows: the article's texts (kilobytes each, read again for every row) and the
# parent's source (its HTML is shown).
_ARTICLE_TEXTS = [f"article__{name}" for name in ("summary", "body", "body_html", "body_text")]
_PARENT_UNSHOWN = ["body", "screening", "ip_hash", "fingerprint"]


def rows_with_context(qs: QuerySet) -> QuerySet:
    """Comments with what a queue row shows, in a fixed number of queries (its reports too).

    The parent comes in a query of its own: joining the comments table to itself made
    PostgreSQL's planner take several milliseconds (more than running the query) on every page.
    """
    parents = Comment.objects.select_related("author").defer(*_PARENT_UNSHOWN)
    return (
        qs.select_related("article__section", "author", "decided_by")
        .defer(*_ARTICLE_TEXTS)
        .prefetch_related(
            Prefetch("parent", queryset=parents),
            Prefetch("reports", queryset=Report.objects.select_related("reporter")),
        )
    )


def queue_page(
    slug: str,
    *,
    order: str | None = None,
    filters: Filters | None = None,
    after: str | None = None,
    size: int = PAGE_SIZE,
) -> QueuePage:
    """One page of a queue, its rows ready to show (reports, author cards attached)."""
    queue = QUEUES[slug]
    order = order if order in ORDERS else queue.default_order
    filters = filters or Filters()
    qs = _filtered(queue.comments(), filters)
    cursor = parse_cursor(after)
    if cursor is not None:
        qs = _after(qs, order, cursor)
    rows = list(rows_with_context(qs.order_by(*ORDER_BY[order]))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    attach_author_cards(rows)
    return QueuePage(
        queue=queue,
        order=order,
        filters=filters,
        rows=rows,
        next_cursor=cursor_of(rows[-1]) if more else None,
        is_first=cursor is None,
    )


def author_cards(users: list[Any]) -> dict[int, AuthorCard]:
    """Cards for these authors in three queries (counts, sanctions in force, notes)."""
    cards = {u.pk: AuthorCard(user=u) for u in users if u is not None}
    if not cards:
        return cards
    counts = (
        Comment.objects.filter(author_id__in=cards)
        .values("author_id")
        # Counting `status` (never null), not the id: comment_author_idx (author, status, ...)
        # holds everything asked, so PostgreSQL answers from the index alone (an author's rows
        # are scattered over the table).
        .annotate(
            approved=Count("status", filter=Q(status=Status.APPROVED)),
            rejected=Count("status", filter=Q(status__in=[Status.REJECTED, Status.SPAM])),
            pending=Count("status", filter=Q(status=Status.PENDING)),
        )
        .order_by()
    )
    for row in counts:
        card = cards[row["author_id"]]
        card.approved, card.rejected, card.pending = (
            row["approved"],
            row["rejected"],
            row["pending"],
        )
    for sanction in Sanction.objects.in_force().filter(user_id__in=cards):
        cards[sanction.user_id].sanctions.append(sanction)
    notes = (
        ModeratorNote.objects.filter(user_id__in=cards)
        .values("user_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in notes:
        cards[row["user_id"]].notes = row["n"]
    return cards


def attach_author_cards(rows: list[Comment]) -> None:
    """Each row gets its author's card and the decisions open to it (no query per row)."""
    cards = author_cards([c.author for c in rows])
    for comment in rows:
        comment.card = cards.get(comment.author_id) if comment.author_id is not None else None
        comment.allowed = allowed_decisions(comment)


def history_of(comment: Comment) -> list[ModerationEvent]:
    """The comment's audit trail, oldest first."""
    return list(ModerationEvent.objects.filter(comment_id=comment.pk).order_by("created_at", "pk"))


# --- The overview ----------------------------------------------------------------------------

OVERVIEW_DAYS = 14


@dataclass
class Overview:
    counts: dict[str, int]
    median_wait: dt.timedelta | None
    decisions_per_day: dict[dt.date, int]
    # (rule code, comments it held or rejected: posted in the period, or still waiting), most first
    rule_hits: list[tuple[str, int]]
    end: dt.date


def median_wait(*, since: dt.datetime) -> dt.timedelta | None:
    """The median time from posting to an editor's first decision, over decisions since then.

    Two queries whatever the number of decisions: how many, then the middle one(s) by index.
    """
    waits = ModerationEvent.objects.filter(
        kind=ModerationEvent.Kind.DECIDED, created_at__gte=since, waited__isnull=False
    ).order_by("waited")
    total = waits.count()
    if not total:
        return None
    middle = list(waits.values_list("waited", flat=True)[(total - 1) // 2 : total // 2 + 1])
    return sum(middle, dt.timedelta()) / len(middle)


def overview(*, now: dt.datetime | None = None) -> Overview:
    now = now or timezone.now()
    end = timezone.localdate(now)
    since = _day_start(end - dt.timedelta(days=OVERVIEW_DAYS - 1))
    per_day = (
        ModerationEvent.objects.filter(kind=ModerationEvent.Kind.DECIDED, created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # Every comment a rule held or rejected lately, and every one still waiting however old: a
    # held comment counts until an editor decides it (and for the period after).
    codes = list(rule_labels())
    hits = Comment.objects.filter(Q(created_at__gte=since) | Q(status=Status.PENDING)).aggregate(
        **{
            f"c{i}": Count("pk", filter=Q(reasons__contains=f" {code} "))
            for i, code in enumerate(codes)
        }
    )
    hits = {codes[int(key[1:])]: n for key, n in hits.items()}
    ranked = Counter({code: n for code, n in hits.items() if n})
    return Overview(
        counts=queue_counts(),
        median_wait=median_wait(since=since),
        decisions_per_day={row["day"]: row["n"] for row in per_day},
        rule_hits=ranked.most_common(),
        end=end,
    )
