"""The editors' endpoints: the same policy, rules and reads as the site's moderation pages."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import make_editor
from api.moderation import NEEDS_MFA, NO_SUCH_COMMENT
from comments.models import Comment, Report
from comments.services import edit_comment, post_comment
from moderation.decisions import decide
from moderation.models import ModerationEvent, ModeratorNote, Sanction
from moderation.sanctions import sanction
from tests.api.conftest import token_client
from tests.api.test_comments_writes import assert_problem
from tests.conftest import UserFactory, trust

pytestmark = pytest.mark.django_db

PENDING = Comment.Status.PENDING
APPROVED = Comment.Status.APPROVED


@pytest.fixture
def held(reader, article):
    """The reader's first comment: held by the new-reader rule, as on the site."""
    comment = post_comment(author=reader, article=article, body="My first comment.")
    assert comment.status == PENDING
    return comment


@pytest.fixture
def colleague(db):
    return make_editor(UserFactory(username="colleague", is_staff=True))


@pytest.fixture
def as_colleague(colleague):
    return token_client(colleague)


def url(name: str, **ids) -> str:
    return {
        "queues": "/api/moderation/queues/",
        "queue": "/api/moderation/queues/{queue}/",
        "review": "/api/moderation/comments/{comment}/",
        "decision": "/api/moderation/comments/{comment}/decision/",
        "history": "/api/moderation/comments/{comment}/history/",
        "feature": "/api/moderation/comments/{comment}/feature/",
        "bulk": "/api/moderation/decisions/",
        "user": "/api/moderation/users/{user}/",
        "sanctions": "/api/moderation/users/{user}/sanctions/",
        "notes": "/api/moderation/users/{user}/notes/",
        "lift": "/api/moderation/sanctions/{sanction}/lift/",
        "overview": "/api/moderation/overview/",
    }[name].format(**ids)


def decision(client, comment, action="approve", *, version=None, **extra):
    data = {"action": action, "version": comment.version if version is None else version}
    return client.post(url("decision", comment=comment.pk), {**data, **extra})


# --- Who may use them: every endpoint, for each persona ------------------------------------------

PERSONAS = ["anonymous", "reader", "stranger", "editor"]
# (endpoint, method, body); each answers an editor with the status given.
ENDPOINTS = [
    ("queues", "get", None, 200),
    ("queue", "get", None, 200),
    ("review", "get", None, 200),
    ("decision", "post", "decision", 200),
    ("history", "get", None, 200),
    ("feature", "post", None, 409),  # a held comment cannot be featured (the rule, not the guard)
    ("feature", "delete", None, 409),
    ("bulk", "post", "bulk", 200),
    ("user", "get", None, 200),
    ("sanctions", "get", None, 200),
    ("sanctions", "post", {"kind": "warn", "reason": "Stay on topic."}, 201),
    ("notes", "get", None, 200),
    ("notes", "post", {"text": "Asked twice about sources."}, 201),
    ("lift", "post", None, 200),
    ("overview", "get", None, 200),
]


@pytest.fixture
def clients(api, as_reader, as_stranger, as_editor):
    return {"anonymous": api, "reader": as_reader, "stranger": as_stranger, "editor": as_editor}


@pytest.mark.parametrize(
    ("persona", "name", "method", "body", "for_editor"),
    [
        pytest.param(persona, name, method, body, status, id=f"{name}-{method}-{persona}")
        for name, method, body, status in ENDPOINTS
        for persona in PERSONAS
    ],
)
def test_only_editors_reach_the_moderation_endpoints(
    clients, held, stranger, editor, persona, name, method, body, for_editor
):
    warning = sanction(stranger, "warn", by=editor, reason="Please stay on topic.")
    path = url(name, queue="pending", comment=held.pk, user=stranger.pk, sanction=warning.pk)
    if body == "decision":
        body = {"action": "approve", "version": held.version}
    elif body == "bulk":
        body = {"action": "approve", "comments": [{"id": held.pk, "version": held.version}]}
    response = getattr(clients[persona], method)(path, body)
    expected = {"anonymous": 401, "reader": 403, "stranger": 403, "editor": for_editor}[persona]
    assert response.status_code == expected, response.content
    if persona == "anonymous":
        assert response["WWW-Authenticate"].startswith("Token")
    if persona in ("reader", "stranger"):
        assert_problem(response, 403, detail="Only editors may use the moderation endpoints.")
        held.refresh_from_db()
        assert held.status == PENDING  # nothing happened
        assert Sanction.objects.filter(user=stranger).count() == 1
        assert not ModeratorNote.objects.exists()


def test_editors_need_two_factor_authentication_when_the_site_requires_it(
    settings, as_editor, editor
):
    settings.EDITORS_REQUIRE_MFA = True
    assert_problem(as_editor.get(url("queues")), 403, detail=NEEDS_MFA)
    Authenticator.objects.create(
        user=editor, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    assert as_editor.get(url("queues")).status_code == 200


def test_a_signed_in_editor_may_use_the_session_with_its_csrf_token(editor, held):
    from rest_framework.test import APIClient

    session = APIClient(enforce_csrf_checks=True)
    session.force_login(editor)
    assert session.get(url("queue", queue="pending")).status_code == 200
    refused = session.post(
        url("decision", comment=held.pk), {"action": "approve", "version": 0}, format="json"
    )
    assert_problem(refused, 403)
    assert "CSRF" in refused.json()["detail"]


# --- Queues ---------------------------------------------------------------------------------------


def test_the_queues_list_says_how_many_comments_wait_in_each(as_editor, held, make_comment):
    make_comment(status=Comment.Status.SPAM)
    queues = {q["slug"]: q for q in as_editor.get(url("queues")).json()}
    assert list(queues) == ["pending", "reported", "spam", "rejected", "approved"]
    assert queues["pending"] == {
        "slug": "pending",
        "label": "Pending",
        "default_order": "oldest",
        "count": 1,
    }
    assert queues["spam"]["count"] == 1 and queues["approved"]["count"] == 0


def test_a_queue_row_has_what_an_editor_needs_to_decide(as_editor, held, reader, article):
    body = as_editor.get(url("queue", queue="pending")).json()
    assert body["queue"] == "pending" and body["order"] == "oldest" and body["next"] is None
    assert body["counts"] == {"pending": 1, "reported": 0, "spam": 0, "rejected": 0, "approved": 0}
    [row] = body["results"]
    assert row["id"] == held.pk and row["version"] == held.version and row["status"] == "pending"
    assert row["article"]["id"] == article.pk and row["article"]["title"] == article.title
    assert row["body"] == "My first comment." and row["body_html"] == held.body_html
    assert [r["code"] for r in row["reasons"]] == ["new_reader"]
    assert row["reasons"][0]["message"] == "The author has no approved comment yet."
    assert row["author"]["username"] == "reader"
    assert row["author"]["pending"] == 1 and row["author"]["approved"] == 0
    assert row["allowed_decisions"] == ["approve", "reject", "spam"]
    assert row["reports"] == [] and row["featured"] is False and row["in_reply_to"] is None


def test_the_reported_queue_shows_the_reports(as_editor, make_comment, stranger):
    comment = make_comment()
    Report.objects.create(comment=comment, reporter=stranger, reason="abuse", text="Rude.")
    Comment.objects.filter(pk=comment.pk).update(open_reports=1, report_weight=1)
    [row] = as_editor.get(url("queue", queue="reported")).json()["results"]
    assert row["id"] == comment.pk and row["open_reports"] == 1
    assert [(r["reason"], r["text"], r["reporter"]) for r in row["reports"]] == [
        ("abuse", "Rude.", "stranger")
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["old", "new", "other"]),
        ({"order": "newest"}, ["other", "new", "old"]),
        ({"author": "STRANGER"}, ["other"]),
        ({"author": "nobody"}, []),
        ({"rule": "suspect_words"}, ["new"]),
        ({"since": "2026-01-10"}, ["new", "other"]),
        ({"until": "2026-01-09"}, ["old"]),
        ({"since": "0001-01-01", "until": "9999-12-31"}, ["old", "new", "other"]),
        ({"article": "same"}, ["old", "new"]),
    ],
)
def test_a_queue_filters_and_orders_as_the_site_does(
    as_editor, make_comment, reader, stranger, article, query, expected
):
    def at(day):
        return timezone.make_aware(dt.datetime(2026, 1, day, 12))

    made = {
        "old": make_comment(article=article, author=reader, status=PENDING),
        "new": make_comment(
            article=article, author=reader, status=PENDING, reasons=" suspect_words "
        ),
        "other": make_comment(author=stranger, status=PENDING),
    }
    for day, name in enumerate(made, start=8):
        Comment.objects.filter(pk=made[name].pk).update(created_at=at(day + (name != "old")))
    if query.get("article") == "same":
        query = {"article": article.pk}
    results = as_editor.get(url("queue", queue="pending"), query).json()["results"]
    names = {c.pk: name for name, c in made.items()}
    assert [names[r["id"]] for r in results] == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"order": "random"}, "order"),
        ({"rule": "no_such_rule"}, "rule"),
        ({"article": "abc"}, "article"),
        ({"article": "0"}, "article"),
        ({"article": "1.0"}, "article"),
        ({"since": "yesterday"}, "since"),
        ({"until": "2026-02-30"}, "until"),
        ({"since": "20260101"}, "since"),
        ({"author": "x" * 151}, "author"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
    ],
)
def test_a_queue_refuses_a_bad_parameter_by_name(as_editor, query, field):
    response = as_editor.get(url("queue", queue="pending"), query)
    assert list(assert_problem(response, 400)["errors"]) == [field]


@pytest.mark.parametrize(
    "cursor", ["nonsense", "1_2", "0_99999999999999999999999_1", "0_1_0", "-1_1_1"]
)
def test_a_cursor_that_points_nowhere_is_a_404(as_editor, cursor):
    response = as_editor.get(url("queue", queue="pending"), {"cursor": cursor})
    assert_problem(
        response, 404, detail="This cursor does not point to a page; start again without one."
    )


def test_an_unknown_queue_is_a_404(as_editor):
    assert_problem(as_editor.get(url("queue", queue="everything")), 404)


@pytest.mark.parametrize("order", ["oldest", "newest", "priority"])
def test_keyset_pages_walk_the_whole_queue_once_keeping_filters(
    as_editor, make_comment, article, order
):
    comments = [make_comment(article=article, status=PENDING, priority=i % 3) for i in range(7)]
    make_comment(status=PENDING)  # on another article: filtered out
    seen, page_url, pages = [], url("queue", queue="pending"), 0
    query = {"order": order, "page_size": 3, "article": article.pk}
    while page_url:
        body = as_editor.get(page_url, query).json()
        query = None  # the next link carries them
        seen += [r["id"] for r in body["results"]]
        page_url, pages = body["next"], pages + 1
    assert pages == 3 and sorted(seen) == sorted(c.pk for c in comments) and len(set(seen)) == 7
    if order == "oldest":
        assert seen == [c.pk for c in comments]


def test_the_queue_costs_the_same_queries_for_3_rows_or_12(as_editor, make_comment, stranger):
    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = as_editor.get(url("queue", queue="pending"), {"order": "priority"})
        assert response.status_code == 200
        return len(queries)

    def add(n):
        for _ in range(n):
            parent = make_comment()
            comment = make_comment(
                status=PENDING, author=UserFactory(), parent=parent, article=parent.article
            )
            Report.objects.create(comment=comment, reporter=stranger, reason="spam")
            Sanction.objects.create(user=comment.author, kind="premoderate")
            ModeratorNote.objects.create(user=comment.author, text="Watch.")

    add(3)
    page_queries()  # what the editor may do is remembered after the first request
    few = page_queries()
    add(9)
    assert page_queries() == few
    assert len(as_editor.get(url("queue", queue="pending")).json()["results"]) == 12


def test_the_queue_costs_the_same_queries_for_a_page_of_2_or_of_100_by_as_many_authors(
    as_editor, make_comment, stranger
):
    """Fixed whatever the page size and the number of authors (one query per kind of thing)."""
    for n in range(30):
        parent = make_comment()
        author = UserFactory() if n % 2 else stranger  # authors with one comment and with many
        comment = make_comment(status=PENDING, author=author, parent=parent, article=parent.article)
        Report.objects.create(comment=comment, reporter=UserFactory(), reason="spam")
        Sanction.objects.create(user=author, kind="premoderate")
        ModeratorNote.objects.create(user=author, text="Watch.")

    def page_queries(size: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = as_editor.get(url("queue", queue="pending"), {"page_size": size})
        assert response.status_code == 200 and len(response.json()["results"]) == min(size, 30)
        return len(queries)

    page_queries(2)  # what the editor may do is remembered after the first request
    assert page_queries(2) == page_queries(100) <= 14


def test_a_queue_page_reads_as_the_serializer_describes_it(
    as_editor, editor, make_comment, stranger, reader, rf
):
    """The queue's rows are built without DRF's serializers, for speed: the same data exactly."""
    from rest_framework.request import Request

    from api.moderation import ModerationCommentSerializer, queue_rows
    from moderation import queues

    parent = make_comment(author=None)
    reply = make_comment(
        status=PENDING,
        author=reader,
        parent=parent,
        article=parent.article,
        toxicity=0.75,
        classifier_score=0.5,
        priority=7,
        screening=[{"action": "hold", "reason": "new_reader", "message": "New."}],
        edited_at=timezone.now(),
    )
    Report.objects.create(comment=reply, reporter=stranger, reason="spam", text="Ads.")
    Report.objects.create(comment=reply, reporter=None, reason="abuse")
    sanction(user=reader, kind=Sanction.Kind.SUSPEND, by=editor, days=3, reason="Rude.")
    ModeratorNote.objects.create(user=reader, text="Watch.")
    make_comment(status=PENDING, author=None)
    decided = make_comment(status=PENDING, author=stranger)
    decide(decided, "approve", by=editor)
    Comment.objects.filter(pk=decided.pk).update(featured_at=timezone.now(), open_reports=1)

    request = Request(rf.get("/api/moderation/queues/pending/"))
    for slug in ("pending", "approved"):
        rows = queues.queue_page(slug).rows
        assert rows
        expected = ModerationCommentSerializer(rows, many=True, context={"request": request}).data
        assert queue_rows(rows, request=request) == [dict(row) for row in expected]


# --- One comment: review, decisions, history, picks -------------------------------------------


def test_the_review_of_a_comment_shows_its_earlier_versions_and_reports(
    as_editor, trusted, reader, stranger, article
):
    comment = post_comment(author=reader, article=article, body="First words.")
    comment = edit_comment(comment=comment, by=reader, body="Better words.")
    Report.objects.create(comment=comment, reporter=stranger, reason="off_topic")
    body = as_editor.get(url("review", comment=comment.pk)).json()
    assert body["body"] == "Better words." and body["version"] == comment.version
    assert [r["body"] for r in body["revisions"]] == ["First words."]
    assert [r["reason"] for r in body["reports"]] == ["off_topic"]
    assert body["url"] == f"http://testserver/comments/{comment.pk}/"


def test_an_unknown_comment_is_a_404_everywhere(as_editor):
    for name in ("review", "history"):
        assert_problem(as_editor.get(url(name, comment=999999)), 404)
    assert_problem(decision(as_editor, Comment(pk=999999, version=0)), 404)


def test_an_editor_approves_a_held_comment_and_readers_then_see_it(as_editor, api, held, article):
    response = decision(as_editor, held)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved" and body["version"] == held.version + 1
    assert body["decided_by"] == "editor" and body["allowed_decisions"] == ["reject", "spam"]
    thread = api.get(f"/api/articles/{article.pk}/comments/").json()["results"]
    assert [c["id"] for c in thread] == [held.pk]


def test_a_rejection_carries_the_reason_its_author_reads(as_editor, as_reader, held):
    response = decision(as_editor, held, "reject", reason="Medical claims need a source.")
    assert response.json()["decision_reason"] == "Medical claims need a source."
    assert Comment.objects.get(pk=held.pk).status == Comment.Status.REJECTED


def test_of_two_editors_deciding_on_the_same_version_the_second_hears_who_was_first(
    as_editor, as_colleague, held
):
    seen = held.version
    assert decision(as_colleague, held, "reject", version=seen).status_code == 200
    response = decision(as_editor, held, "approve", version=seen)
    body = assert_problem(response, 409)
    event = ModerationEvent.objects.filter(comment=held, kind="decided").get()
    assert body["code"] == "already_decided" and body["change"] == "decided"
    assert body["decided_by"] == "colleague"
    assert body["decided_at"] == event.created_at.isoformat().replace("+00:00", "Z")
    assert body["current_status"] == "rejected" and body["current_version"] == seen + 1
    assert body["detail"].startswith("colleague rejected this comment on ")
    assert body["detail"].endswith("It is now “Rejected”.")
    assert Comment.objects.get(pk=held.pk).status == Comment.Status.REJECTED


def test_a_decision_on_a_comment_its_author_edited_since_names_the_edit(as_editor, held, reader):
    seen = held.version
    edit_comment(comment=held, by=reader, body="Second thoughts.")
    body = assert_problem(decision(as_editor, held, version=seen), 409)
    assert body["detail"].startswith("Its author edited this comment on ")
    assert (body["decided_by"], body["change"]) == ("reader", "rescreened")


@pytest.mark.parametrize(
    ("status", "action", "detail", "code"),
    [
        (APPROVED, "approve", "This comment is already “Published”.", "already_so"),
        (PENDING, "restore", "This comment is already “Awaiting moderation”.", "already_so"),
        (
            Comment.Status.REMOVED,
            "approve",
            "Its author deleted this comment; it can no longer be moderated.",
            "withdrawn",
        ),
    ],
)
def test_a_decision_that_does_not_apply_is_a_409_saying_why_with_a_code(
    as_editor, make_comment, status, action, detail, code
):
    comment = make_comment(status=status)
    body = assert_problem(decision(as_editor, comment, action), 409, detail=detail)
    assert body["code"] == code


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"action": "delete", "version": 0}, "action"),
        ({"action": "approve"}, "version"),
        ({"action": "approve", "version": "0"}, "version"),
        ({"action": "approve", "version": True}, "version"),
        ({"action": "approve", "version": -1}, "version"),
        ({"action": "approve", "version": 0, "reason": "x" * 501}, "reason"),
        ({"action": "approve", "version": 0, "note": "?"}, "note"),
    ],
)
def test_a_malformed_decision_is_a_400_by_field(as_editor, held, data, field):
    response = as_editor.post(url("decision", comment=held.pk), data)
    assert list(assert_problem(response, 400)["errors"]) == [field]
    assert Comment.objects.get(pk=held.pk).status == PENDING


def test_the_history_tells_each_event_in_a_sentence(as_editor, held):
    decision(as_editor, held, "reject", reason="Off topic.")
    events = as_editor.get(url("history", comment=held.pk)).json()
    assert [(e["kind"], e["from_status"], e["to_status"]) for e in events] == [
        ("screened", "", "pending"),
        ("decided", "pending", "rejected"),
    ]
    assert events[0]["by"] == "Screening rules" and events[0]["reasons"] == ["new_reader"]
    assert events[1]["by"] == "editor" and events[1]["note"] == "Off topic."
    assert events[1]["text"].startswith("editor rejected this comment on ")
    assert events[1]["waited"] >= 0


def test_an_editor_features_a_published_comment_and_stops(as_editor, api, make_comment, article):
    comment = make_comment(article=article)
    feature = url("feature", comment=comment.pk)
    assert as_editor.post(feature).json()["featured"] is True
    assert_problem(as_editor.post(feature), 409, detail="This comment is already featured.")
    assert as_editor.delete(feature).json()["featured"] is False
    assert_problem(as_editor.delete(feature), 409, detail="This comment is not featured.")
    kinds = [e["kind"] for e in as_editor.get(url("history", comment=comment.pk)).json()]
    assert kinds == ["featured", "unfeatured"]


def test_a_held_comment_cannot_be_featured(as_editor, held):
    response = as_editor.post(url("feature", comment=held.pk))
    assert_problem(response, 409, detail="Only a published comment can be featured.")


# --- Bulk decisions ----------------------------------------------------------------------------


def test_a_bulk_decision_reports_each_comments_outcome(as_editor, colleague, make_comment):
    fresh, stale, twice = (make_comment(status=PENDING) for _ in range(3))
    seen = stale.version
    decide(stale, "spam", by=colleague)
    response = as_editor.post(
        url("bulk"),
        {
            "action": "reject",
            "reason": "Not civil.",
            "comments": [
                {"id": fresh.pk, "version": fresh.version},
                {"id": stale.pk, "version": seen},
                {"id": 999999, "version": 0},
                {"id": twice.pk, "version": twice.version},
                {"id": twice.pk, "version": 7},
            ],
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["action"], body["decided"], body["refused"]) == ("reject", 2, 2)
    results = {r["id"]: r for r in body["results"]}
    assert list(results) == [fresh.pk, stale.pk, 999999, twice.pk]
    assert results[fresh.pk] == {
        "id": fresh.pk,
        "outcome": "decided",
        "message": None,
        "status": "rejected",
        "version": fresh.version + 1,
    }
    assert results[stale.pk]["outcome"] == "refused"
    assert results[stale.pk]["message"].startswith("colleague marked as spam this comment on")
    assert results[stale.pk]["status"] == "spam"
    assert results[999999] == {
        "id": 999999,
        "outcome": "refused",
        "message": NO_SUCH_COMMENT,
        "status": None,
        "version": None,
    }
    assert results[twice.pk]["outcome"] == "decided"
    assert Comment.objects.get(pk=fresh.pk).decision_reason == "Not civil."


@pytest.mark.parametrize(
    ("comments", "field"),
    [
        ([], "comments"),
        ([{"id": n, "version": 0} for n in range(1, 102)], "comments"),
        ([{"id": 1}], "comments"),
        ([{"id": "1", "version": 0}], "comments"),
    ],
)
def test_a_malformed_bulk_decision_is_a_400(as_editor, comments, field):
    response = as_editor.post(url("bulk"), {"action": "approve", "comments": comments})
    assert list(assert_problem(response, 400)["errors"]) == [field]


# --- Sanctions and notes ------------------------------------------------------------------------


def post_comment_through_the_api(client, article, body="Let me say this."):
    return client.post(f"/api/articles/{article.pk}/comments/", {"body": body})


def test_a_banned_reader_then_gets_a_403_posting_through_the_api(
    as_editor, as_reader, reader, article
):
    response = as_editor.post(
        url("sanctions", user=reader.pk), {"kind": "ban", "reason": "Repeated abuse."}
    )
    assert response.status_code == 201
    made = response.json()
    assert (made["kind"], made["reason"], made["in_force"]) == ("ban", "Repeated abuse.", True)
    assert made["created_by"] == "editor" and made["user"] == reader.pk
    refused = post_comment_through_the_api(as_reader, article)
    body = assert_problem(
        refused,
        403,
        detail="Your account may no longer take part in discussions. "
        "The editors' reason: Repeated abuse.",
    )
    assert body["code"] == "author_banned"
    assert not Comment.objects.filter(author=reader).exists()


def test_a_ban_may_reject_the_readers_waiting_comments(as_editor, held, reader):
    data = {"kind": "ban", "reason": "Spam account.", "reject_pending": True}
    assert as_editor.post(url("sanctions", user=reader.pk), data).status_code == 201
    held.refresh_from_db()
    assert held.status == Comment.Status.REJECTED and held.decision_reason == "Spam account."


def test_a_suspension_lasts_its_days_and_the_reader_is_told_until_when(
    as_editor, as_reader, reader, article
):
    data = {"kind": "suspend", "reason": "Cool off.", "days": 3}
    made = as_editor.post(url("sanctions", user=reader.pk), data).json()
    ends = dt.datetime.fromisoformat(made["ends_at"])
    assert abs(ends - (timezone.now() + dt.timedelta(days=3))) < dt.timedelta(minutes=1)
    body = assert_problem(post_comment_through_the_api(as_reader, article), 403)
    assert body["detail"].startswith("Your account is suspended from commenting until ")
    assert body["code"] == "author_suspended"


def test_lifting_a_sanction_lets_the_reader_comment_again(as_editor, as_reader, reader, article):
    trust(reader)
    made = as_editor.post(url("sanctions", user=reader.pk), {"kind": "ban", "reason": "Oops."})
    lift = url("lift", sanction=made.json()["id"])
    lifted = as_editor.post(lift).json()
    assert lifted["in_force"] is False and lifted["lifted_by"] == "editor"
    assert_problem(as_editor.post(lift), 409, detail="This sanction was already lifted.")
    assert post_comment_through_the_api(as_reader, article).status_code == 201
    listed = as_editor.get(url("sanctions", user=reader.pk)).json()
    assert [(s["kind"], s["in_force"]) for s in listed] == [("ban", False), ("trust", True)]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "warn"}, "reason"),
        ({"kind": "ban", "reason": "   "}, "reason"),
        ({"kind": "suspend", "reason": "Cool off."}, "days"),
        ({"kind": "suspend", "reason": "Cool off.", "days": 0}, "days"),
        ({"kind": "suspend", "reason": "Cool off.", "days": 3651}, "days"),
        ({"kind": "suspend", "reason": "Cool off.", "days": "3"}, "days"),
        ({"kind": "ban", "reason": "Out.", "days": 3}, "days"),
        ({"kind": "warn", "reason": "Careful.", "reject_pending": True}, "reject_pending"),
        ({"kind": "ban", "reason": "Out.", "reject_pending": "yes"}, "reject_pending"),
        ({"kind": "exile", "reason": "Out."}, "kind"),
    ],
)
def test_a_malformed_sanction_is_a_400_by_field_and_nothing_is_recorded(
    as_editor, reader, data, field
):
    response = as_editor.post(url("sanctions", user=reader.pk), data)
    assert list(assert_problem(response, 400)["errors"]) == [field]
    assert not Sanction.objects.exists()


def test_editors_and_oneself_cannot_be_sanctioned(as_editor, editor, colleague):
    data = {"kind": "warn", "reason": "Hm."}
    assert_problem(
        as_editor.post(url("sanctions", user=editor.pk), data),
        409,
        detail="You cannot sanction yourself.",
    )
    assert_problem(
        as_editor.post(url("sanctions", user=colleague.pk), data),
        409,
        detail="Editors cannot be sanctioned here; change their role instead.",
    )


def test_an_unknown_user_or_sanction_is_a_404(as_editor):
    for name in ("user", "sanctions", "notes"):
        assert_problem(as_editor.get(url(name, user=999999)), 404)
    assert_problem(as_editor.post(url("lift", sanction=999999)), 404)


def test_editors_keep_private_notes_on_a_reader(as_editor, as_colleague, reader):
    as_editor.post(url("notes", user=reader.pk), {"text": "First warning given by phone."})
    made = as_colleague.post(url("notes", user=reader.pk), {"text": "  Asked for sources.  "})
    assert made.status_code == 201 and made.json()["text"] == "Asked for sources."
    notes = as_editor.get(url("notes", user=reader.pk)).json()
    assert [(n["text"], n["created_by"]) for n in notes] == [
        ("Asked for sources.", "colleague"),
        ("First warning given by phone.", "editor"),
    ]
    assert as_editor.get(url("user", user=reader.pk)).json()["notes"] == 2


@pytest.mark.parametrize("text", ["   ", "", "x" * 2001, 42])
def test_a_blank_or_overlong_note_is_a_400(as_editor, reader, text):
    response = as_editor.post(url("notes", user=reader.pk), {"text": text})
    assert list(assert_problem(response, 400)["errors"]) == ["text"]
    assert not ModeratorNote.objects.exists()


def test_a_readers_card_counts_their_comments_and_sanctions(as_editor, reader, editor, held):
    sanction(reader, "premoderate", by=editor)
    card = as_editor.get(url("user", user=reader.pk)).json()
    assert (card["id"], card["username"]) == (reader.pk, "reader")
    assert (card["approved"], card["rejected"], card["pending"], card["notes"]) == (0, 0, 1, 0)
    assert [s["kind"] for s in card["sanctions"]] == ["premoderate"]


# --- The overview -----------------------------------------------------------------------------


def test_the_overview_gives_the_editors_figures(as_editor, held, make_comment):
    decision(as_editor, held)
    make_comment(status=PENDING)
    body = as_editor.get(url("overview")).json()
    assert body["counts"]["pending"] == 1 and body["counts"]["approved"] == 1
    assert body["days"] == 14 and len(body["decisions_per_day"]) == 14
    assert body["decisions_per_day"][-1] == {
        "date": timezone.localdate().isoformat(),
        "decisions": 1,
    }
    assert body["median_wait_seconds"] >= 0
    assert {"rule": "new_reader", "label": "New reader", "comments": 1} in body["rule_hits"]


def test_an_empty_overview_has_no_median_and_no_rule_hits(as_editor):
    body = as_editor.get(url("overview")).json()
    assert body["median_wait_seconds"] is None and body["rule_hits"] == []
    assert sum(d["decisions"] for d in body["decisions_per_day"]) == 0


def test_a_queue_filters_by_words_of_the_articles_title(as_editor, make_comment, article):
    from tests.conftest import ArticleFactory

    other = ArticleFactory(title="Sleep and magnesium")
    make_comment(article=article, status=PENDING)
    wanted = make_comment(article=other, status=PENDING)
    body = as_editor.get(url("queue", queue="pending"), {"title": "magnesium SLEEP"}).json()
    assert [r["id"] for r in body["results"]] == [wanted.pk]
    assert body["filters"]["title"] == "magnesium SLEEP"
