"""Moderation queues with a million comments: time per page and the index each query uses.

Run against a scratch PostgreSQL database (never a real one):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/colloquy_bench
    createdb colloquy_bench && DEBUG=1 SECRET_KEY=x python manage.py migrate
    psql colloquy_bench -f bench/moderation_queues.sql        # 20,000 readers, 1,000,000 comments
    DEBUG=1 SECRET_KEY=x python manage.py shell < bench/moderation_queues.py

Measured (2 cores, PostgreSQL 15): every queue, every order, page 1 and page 21: 12-17 ms for the
whole page (rows, reports, author cards) through Django; each row query is an index scan under
0.1 ms; the five capped counts together 25 ms.
"""

import time

from django.db import connection

from comments.models import Comment
from moderation.queues import (
    ORDER_BY,
    QUEUES,
    Filters,
    _after,
    parse_cursor,
    queue_counts,
    queue_page,
)


def timed(label, fn, n=5):
    fn()
    start = time.perf_counter()
    for _ in range(n):
        result = fn()
    print(f"{label}: {(time.perf_counter() - start) / n * 1000:.1f} ms")
    return result


print("comments:", Comment.objects.count())
for slug in QUEUES:
    for order in ("oldest", "newest", "priority"):
        page = timed(f"{slug:9} {order:8} page 1", lambda s=slug, o=order: queue_page(s, order=o))
        cursor = page.next_cursor
        for _ in range(20):
            cursor = queue_page(slug, order=order, after=cursor).next_cursor
        timed(
            f"{slug:9} {order:8} page 21",
            lambda s=slug, o=order, c=cursor: queue_page(s, order=o, after=c),
        )
timed("the five counts (capped)", queue_counts)
timed("pending, author filter", lambda: queue_page("pending", filters=Filters(author="bench7")))
timed("pending, rule filter", lambda: queue_page("pending", filters=Filters(rule="new_reader")))
with connection.cursor() as db:
    for slug in QUEUES:
        for order in ("oldest", "priority"):
            qs = QUEUES[slug].comments().order_by(*ORDER_BY[order])
            cursor = parse_cursor(queue_page(slug, order=order).next_cursor)
            sql, params = _after(qs, order, cursor)[:26].query.sql_with_params()
            db.execute("EXPLAIN ANALYZE " + sql, params)
            plan = [row[0].strip() for row in db.fetchall()]
            print(slug, order, "|", " / ".join(p for p in plan if "Index" in p or "Execution" in p))
