"""Many comments at once, for benchmarks and load tests: `manage.py seedbulk`.

Never on a live site: rows are written straight into the table (COPY on PostgreSQL, bulk_create
elsewhere) with ids chosen here, so nothing screens them and nothing may write comments meanwhile.
What a page reads as derived state is then made true in one go, as any change does: each thread's
counts and version (`bump_threads`, which also bumps the articles' versions).

Bodies are a small pool of realistic texts, each rendered once (`render_comment`) and reused, so a
million comments cost a million row writes and nothing more.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from articles.models import Article
from markup.sanitize import render_comment

from .models import Comment, top_rank
from .thread import bump_threads

# Written in the tone of the site's readers: a few sentences, sometimes a link, list or emphasis.
BODIES = [
    "This happened to me too after a long run. Magnesium in the evening helped, but only after "
    "a couple of weeks.",
    "Thank you for writing this. My GP said almost exactly the same thing, and it was reassuring "
    "to read it explained *properly*.",
    "Is there any evidence for the stretching advice? I found this review: "
    "https://example.org/review/2024/stretching and it seems mixed.",
    "I am a physiotherapist. Two things people often miss:\n\n- hydration the day before\n"
    "- how much caffeine they had after 4 pm",
    "It stopped for me once I cut coffee after lunch. Might be a coincidence, of course.",
    "Does this apply to children as well? My son (9) has had it for a month.",
    "Good article, but the section on supplements could say more about interactions with blood "
    "pressure medication.",
    "Same here. Every night for about three weeks, then it just went away.\n\n"
    "Stress, I think: it was exam season.",
    "> twitches are almost always harmless\n\nThat is a relief. I had read some frightening "
    "things on forums.",
    "I would add: see a doctor if it comes with weakness, or if it spreads. That is what my "
    "neurologist told me, anyway.",
    "My partner says I twitch all night and I never notice. Is that the same thing?",
    "Sleep hygiene made the biggest difference for me: no screens in bed, same time every night.",
    "Interesting. I have noticed it is worse after a day of heavy lifting at work.",
    "Has anyone tried the breathing exercise from https://example.com/breathe? It helps me fall "
    "asleep, though the twitches are still there.",
    "Thanks, **very** clear. Bookmarked for my mother.",
    "I had my electrolytes tested and everything was normal. Still twitching. Patience, I suppose.",
]


@dataclass(frozen=True)
class SeedResult:
    articles: list[int]
    comments: int
    pending: int


# The columns written, in this order (COPY and bulk_create alike).
_FIELDS = [
    "id",
    "article_id",
    "author_id",
    "parent_id",
    "root_id",
    "depth",
    "body",
    "body_html",
    "status",
    "created_at",
    "ip_hash",
    "screening",
    "reasons",
    "fingerprint",
    "priority",
    "open_reports",
    "report_weight",
    "version",
    "decision_reason",
    "helpful_count",
    "reply_count",
    "rank",
]
HELD = [{"action": "hold", "reason": "new_reader", "message": "A new reader's first comments."}]


def seed_readers(count: int, *, prefix: str = "reader") -> list[int]:
    """`count` readers named `<prefix>-<n>` with verified addresses (made where missing)."""
    User = get_user_model()
    names = [f"{prefix}-{n}" for n in range(count)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    joined = timezone.now() - dt.timedelta(days=400)
    unusable = make_password(None)  # they never sign in with a password
    User.objects.bulk_create(
        [
            User(username=name, email=f"{name}@example.com", password=unusable, date_joined=joined)
            for name in names
            if name not in existing
        ],
        batch_size=1000,
    )
    users = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(
                user_id=users[name], email=f"{name}@example.com", verified=True, primary=True
            )
            for name in names
            if name not in existing
        ],
        batch_size=1000,
    )
    return [users[name] for name in names]


def seed_articles(count: int) -> list[int]:
    """`count` new published articles, copies of the first published one in its section."""
    model = Article.objects.published().order_by("pk").first()
    if model is None:
        raise ValueError("No published article to copy: run the migrations first.")
    made = []
    start = Article.objects.filter(slug__startswith="bulk-").count()
    for n in range(start, start + count):
        made.append(
            Article.objects.create(
                section=model.section,
                author=model.author,
                title=f"{model.title} ({n + 2})",
                slug=f"bulk-{n}",
                summary=model.summary,
                body=model.body,
                status=Article.Status.PUBLISHED,
                published_at=model.published_at,
            ).pk
        )
    return made


def seed_comments(
    *,
    article_ids: Sequence[int],
    count: int,
    author_ids: Sequence[int],
    pending: float = 0.02,
    replies: float = 0.33,
    days: int = 90,
    batch_size: int = 5000,
    seed: int = 1,
    progress: Callable[[int], object] = lambda n: None,
) -> SeedResult:
    """`count` comments spread over these articles, by these authors, oldest first.

    A share `pending` wait for an editor (as a new reader's would, "new_reader"); of the others, a
    share `replies` answer an earlier approved comment of the same article (never deeper than
    COMMENTS_MAX_DEPTH); the rest are approved top-level comments. `progress(n)` is called after
    each batch of n rows.
    """
    if not article_ids or not author_ids:
        raise ValueError("Comments need at least one article and one author.")
    rng = random.Random(seed)
    pool = [(body, render_comment(body)) for body in BODIES]
    max_depth = settings.COMMENTS_MAX_DEPTH
    first_id = (Comment.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    now = timezone.now()
    start = now - dt.timedelta(days=days)
    step = (now - start) / max(count, 1)
    # Per article, recent approved comments a reply may answer: (id, root id, depth).
    answerable: dict[int, list[tuple[int, int | None, int]]] = {a: [] for a in article_ids}
    copy = connection.vendor == "postgresql"
    held = 0
    with transaction.atomic():
        for batch_start in range(0, count, batch_size):
            rows = []
            for n in range(batch_start, min(count, batch_start + batch_size)):
                pk = first_id + n
                article = article_ids[n % len(article_ids)]
                body, html = pool[rng.randrange(len(pool))]
                status = Comment.Status.APPROVED
                parent = root = None
                depth = 0
                if rng.random() < pending:
                    status = Comment.Status.PENDING
                    held += 1
                candidates = answerable[article]
                if candidates and rng.random() < replies:
                    parent, parent_root, parent_depth = rng.choice(candidates)
                    root = parent_root or parent
                    depth = parent_depth + 1
                if status == Comment.Status.APPROVED and depth < max_depth:
                    candidates.append((pk, root, depth))
                    if len(candidates) > 50:  # people answer what is recent
                        candidates.pop(0)
                pending_row = status == Comment.Status.PENDING
                rows.append(
                    (
                        pk,
                        article,
                        author_ids[rng.randrange(len(author_ids))],
                        parent,
                        root,
                        depth,
                        body,
                        html,
                        status,
                        start + step * n,
                        "",
                        HELD if pending_row else [],
                        " new_reader " if pending_row else "",
                        "",
                        rng.randrange(100) if pending_row else 0,
                        0,
                        0,
                        0,
                        "",
                        0,
                        0,  # replies are counted once at the end, with the threads
                        top_rank(created_at=start + step * n),
                    )
                )
            (_copy if copy else _insert)(rows)
            progress(len(rows))
        if copy:
            _reset_sequence()
        # One pass for every thread's counts and version (and the articles' versions).
        bump_threads(article_ids)
    if copy:
        # The planner's statistics, as a live table has them: right after COPY, PostgreSQL still
        # plans for an empty table until autovacuum gets round to it.
        with connection.cursor() as cursor:
            for model in (Comment, get_user_model(), EmailAddress):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return SeedResult(articles=list(article_ids), comments=count, pending=held)


_SCREENING = _FIELDS.index("screening")
_CREATED_AT = _FIELDS.index("created_at")


def _copy(rows: list[tuple]) -> None:
    """PostgreSQL's COPY: a few seconds for a hundred thousand rows, where INSERTs take minutes."""
    raw = connection.connection  # psycopg's own connection, inside Django's transaction
    statement = f"COPY {Comment._meta.db_table} ({', '.join(_FIELDS)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            values = list(row)
            values[_SCREENING] = json.dumps(values[_SCREENING])
            copy.write_row(values)


def _insert(rows: list[tuple]) -> None:
    """One prepared INSERT for the batch (bulk_create would overwrite created_at: auto_now_add)."""
    columns, marks = ", ".join(_FIELDS), ", ".join(["%s"] * len(_FIELDS))
    sql = f"INSERT INTO {Comment._meta.db_table} ({columns}) VALUES ({marks})"  # noqa: S608
    adapt = connection.ops.adapt_datetimefield_value
    params = []
    for row in rows:
        values = list(row)
        values[_SCREENING] = json.dumps(values[_SCREENING])
        values[_CREATED_AT] = adapt(values[_CREATED_AT])
        params.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _reset_sequence() -> None:
    """Ids were chosen here: the next comment posted must get one after them."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Comment]):
            cursor.execute(sql)
