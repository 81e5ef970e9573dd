"""The editors' moderation pages: guarded, constant in queries, filtered, paginated by keyset."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from moderation.decisions import decide
from moderation.models import ModerationEvent, ModeratorNote, RulePack, Sanction
from moderation.queues import PAGE_SIZE, queue_page
from tests.comments.conftest import CommentFactory
from tests.conftest import ArticleFactory, UserFactory
from tests.moderation.conftest import settings_form_data

pytestmark = pytest.mark.django_db

S = Comment.Status


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def moderation_urls(comment, user, sanction):
    return [
        ("get", reverse("moderation:overview")),
        *[("get", reverse("moderation:queue", args=[q])) for q in ("pending", "reported", "spam")],
        ("get", reverse("moderation:comment", args=[comment.pk])),
        ("get", reverse("moderation:user", args=[user.pk])),
        ("get", reverse("moderation:settings")),
        ("post", reverse("moderation:settings")),
        ("post", reverse("moderation:decide", args=[comment.pk, "approve"])),
        ("post", reverse("moderation:feature", args=[comment.pk])),
        ("post", reverse("moderation:bulk")),
        ("post", reverse("moderation:sanction", args=[user.pk])),
        ("post", reverse("moderation:note", args=[user.pk])),
        ("post", reverse("moderation:lift", args=[sanction.pk])),
        ("get", reverse("moderation:pack-new")),
        ("post", reverse("moderation:pack-new")),
        ("post", reverse("moderation:pack", args=[RulePack.objects.first().pk])),
    ]


def test_readers_and_anonymous_visitors_are_refused_on_every_moderation_url(
    client, reader, stranger, article
):
    comment = CommentFactory(article=article, author=stranger, status=S.PENDING)
    sanction = Sanction.objects.create(user=stranger, kind=Sanction.Kind.TRUST)
    for method, url in moderation_urls(comment, stranger, sanction):
        client.logout()
        response = getattr(client, method)(url, {"version": 0})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        client.force_login(reader)
        assert getattr(client, method)(url, {"version": 0}).status_code == 403, url
    assert Comment.objects.get(pk=comment.pk).status == S.PENDING
    assert not ModerationEvent.objects.exists()
    assert Sanction.objects.get(pk=sanction.pk).lifted_at is None
    assert RulePack.objects.count() == 5


def test_editors_must_have_two_factor_authentication_when_required(
    editor_client, settings, article
):
    settings.EDITORS_REQUIRE_MFA = True
    response = editor_client.get("/moderation/queue/pending/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_the_pending_queue_shows_what_an_editor_needs_to_decide(editor_client, reader, article):
    CommentFactory(author=reader, article=article)
    comment = CommentFactory(
        author=reader,
        article=article,
        status=S.PENDING,
        body="Is this a cure?",
        reasons=" suspect_words toxicity ",
        screening=[{"action": "hold", "reason": "suspect_words", "message": "Uses “cure”."}],
        toxicity=0.91,
    )
    Sanction.objects.create(user=reader, kind=Sanction.Kind.PREMODERATE)
    page = editor_client.get("/moderation/queue/pending/").content.decode()
    assert f'data-comment-id="{comment.pk}"' in page
    assert "Is this a cure?" in page and article.title in page
    assert "Suspect words" in page and 'title="Uses “cure”."' in page
    assert "badge-toxicity is-high" in page and "Toxicity 0.91" in page
    assert "<dt>Approved</dt><dd>1</dd>" in page and "Always pre-moderate" in page
    assert f'value="{comment.pk}:0" form="bulk"' in page
    assert 'Pending <span class="queue-count">(1)</span>' in page
    assert "js/moderation.js" in page


def test_each_queue_holds_its_own_comments(article, reader):
    by_status = {s: CommentFactory(article=article, status=s) for s in (S.PENDING, S.SPAM)}
    rejected = CommentFactory(article=article, status=S.REJECTED)
    approved = CommentFactory(article=article)
    reported = CommentFactory(article=article, open_reports=1, report_weight=2)
    assert queue_page("pending").rows == [by_status[S.PENDING]]
    assert queue_page("spam").rows == [by_status[S.SPAM]]
    assert queue_page("rejected").rows == [rejected]
    assert queue_page("approved").rows == [reported, approved]  # newest first
    assert queue_page("reported").rows == [reported]


def test_a_queue_pages_by_keyset_in_each_order(article):
    start = timezone.now() - dt.timedelta(hours=1)
    comments = []
    for n in range(PAGE_SIZE + 5):
        c = CommentFactory(article=article, status=S.PENDING, priority=n % 3)
        Comment.objects.filter(pk=c.pk).update(created_at=start + dt.timedelta(seconds=n // 2))
        comments.append(Comment.objects.get(pk=c.pk))
    for order, key in [
        ("oldest", lambda c: (c.created_at, c.pk)),
        ("newest", lambda c: (-c.created_at.timestamp(), -c.pk)),
        ("priority", lambda c: (-c.priority, c.created_at, c.pk)),
    ]:
        first = queue_page("pending", order=order)
        second = queue_page("pending", order=order, after=first.next_cursor)
        assert len(first.rows) == PAGE_SIZE and len(second.rows) == 5
        assert second.next_cursor is None
        assert first.rows + second.rows == sorted(comments, key=key), order


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("article", "on_other"),
        ("author", "by_stranger"),
        ("rule", "toxic"),
        ("since", "recent"),
        ("until", "old"),
    ],
)
def test_a_queue_filters_by_article_author_rule_and_date(
    editor_client, article, stranger, query, expected
):
    other = ArticleFactory()
    old = CommentFactory(article=article, status=S.PENDING)
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=10))
    made = {
        "old": old,
        "on_other": CommentFactory(article=other, status=S.PENDING),
        "by_stranger": CommentFactory(article=article, author=stranger, status=S.PENDING),
        "toxic": CommentFactory(article=article, status=S.PENDING, reasons=" toxicity "),
    }
    made["recent"] = made["toxic"]
    params = {
        "article": other.pk,
        "author": "STRANGER",
        "rule": "toxicity",
        "since": timezone.localdate().isoformat(),
        "until": (timezone.localdate() - dt.timedelta(days=5)).isoformat(),
    }
    response = editor_client.get("/moderation/queue/pending/", {query: params[query]})
    rows = response.context["page"].rows
    if query == "since":
        assert made["old"] not in rows and made["toxic"] in rows
    else:
        assert rows == [made[expected]]


@pytest.mark.parametrize(
    "query",
    [
        {"cursor": "0_99999999999999999999999_1"},
        {"cursor": "0_1_99999999999999999999"},
        {"article": "99999999999999999999"},
        {"since": "0001-01-01", "until": "9999-12-31"},
    ],
)
def test_a_queue_shrugs_off_values_beyond_any_row_or_calendar(editor_client, query):
    # Out of range, such values would overflow a date or an integer column: they bound nothing.
    comment = CommentFactory(status=S.PENDING)
    response = editor_client.get("/moderation/queue/pending/", query)
    assert response.status_code == 200
    assert list(response.context["page"].rows) == [comment]


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("queue", ["pending", "reported", "approved"])
def test_a_queue_page_costs_the_same_queries_for_1_and_25_rows(editor_client, article, queue):
    def add(n):
        for _ in range(n):
            author = UserFactory()
            comment = CommentFactory(
                article=ArticleFactory(),
                author=author,
                status=S.APPROVED if queue != "pending" else S.PENDING,
                open_reports=1 if queue == "reported" else 0,
            )
            Sanction.objects.create(user=author, kind=Sanction.Kind.PREMODERATE)
            ModeratorNote.objects.create(user=author, text="Watch")
            from comments.models import Report

            Report.objects.create(comment=comment, reporter=UserFactory(), reason="spam")

    add(1)
    url = f"/moderation/queue/{queue}/"
    one = queries_for(editor_client, url)
    add(PAGE_SIZE)
    assert queries_for(editor_client, url) == one


def test_the_comment_page_shows_its_history_and_context(editor_client, article, editor, reader):
    parent = CommentFactory(article=article, body="The question")
    comment = CommentFactory(article=article, parent=parent, author=reader, status=S.PENDING)
    decide(comment, "reject", by=editor, reason="Personal attack")
    page = editor_client.get(f"/moderation/comments/{comment.pk}/").content.decode()
    assert "The question" in page
    # In words: who did what (not "Decision by an editor by editor"), and no comment ids.
    assert "<strong>Rejected by editor</strong>" in page and "pending → rejected" in page
    assert "Personal attack" in page
    assert f"Comment {comment.pk}" not in page
    assert "<h1>A comment by reader</h1>" in page


def test_an_editor_decides_from_the_queue_and_returns_to_it(editor_client, article):
    comment = CommentFactory(article=article, status=S.PENDING)
    back = "/moderation/queue/pending/?rule=toxicity&order=priority"
    response = editor_client.post(
        f"/moderation/comments/{comment.pk}/reject/",
        {"version": 0, "reason": "Please stay on topic", "next": back},
    )
    assert response.status_code == 303 and response["Location"] == back
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.status, stored.decision_reason) == (S.REJECTED, "Please stay on topic")


def test_a_late_editor_is_told_on_the_page_who_decided(editor_client, article, editor):
    from accounts.roles import make_editor

    comment = CommentFactory(article=article, status=S.PENDING)
    decide(comment, "spam", by=make_editor(UserFactory(username="first")))
    response = editor_client.post(
        f"/moderation/comments/{comment.pk}/approve/", {"version": 0}, follow=True
    )
    assert "first marked as spam this comment on" in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == S.SPAM


def test_the_next_address_never_leaves_the_site(editor_client, article):
    comment = CommentFactory(article=article, status=S.PENDING)
    response = editor_client.post(
        f"/moderation/comments/{comment.pk}/approve/",
        {"version": 0, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/moderation/queue/pending/"


def test_bulk_actions_decide_every_selected_comment_once(editor_client, article):
    chosen = CommentFactory.create_batch(3, article=article, status=S.PENDING)
    left = CommentFactory(article=article, status=S.PENDING)
    response = editor_client.post(
        "/moderation/bulk/",
        {"action": "approve", "ids": [f"{c.pk}:0" for c in chosen], "next": "/moderation/"},
        follow=True,
    )
    assert "3 comments approved." in response.content.decode()
    assert set(Comment.objects.filter(status=S.APPROVED)) == set(chosen)
    assert Comment.objects.get(pk=left.pk).status == S.PENDING


def test_a_bulk_action_without_a_selection_says_so(editor_client):
    response = editor_client.post("/moderation/bulk/", {"action": "approve"}, follow=True)
    assert "Select at least one comment first." in response.content.decode()


def test_an_editor_features_a_comment_from_its_page(editor_client, article):
    comment = CommentFactory(article=article)
    editor_client.post(f"/moderation/comments/{comment.pk}/feature/", {"featured": "1"})
    assert Comment.objects.get(pk=comment.pk).is_featured


def test_sanctions_and_notes_from_the_authors_card(editor_client, article, reader):
    CommentFactory.create_batch(2, article=article, author=reader, status=S.PENDING)
    url = f"/moderation/users/{reader.pk}/"
    response = editor_client.post(
        f"{url}sanction/",
        {"kind": "ban", "reason": "Spam account", "reject_pending": "on", "next": url},
    )
    assert response.status_code == 303
    assert set(Comment.objects.values_list("status", flat=True)) == {S.REJECTED}
    editor_client.post(f"{url}notes/", {"text": "Opened three accounts."})
    page = editor_client.get(url).content.decode()
    assert "Spam account" in page and "Opened three accounts." in page
    ban = Sanction.objects.get(user=reader)
    editor_client.post(f"/moderation/sanctions/{ban.pk}/lift/", {})
    assert Sanction.objects.get(pk=ban.pk).lifted_at is not None


def test_a_sanction_without_its_reason_is_refused_with_the_form(editor_client, reader):
    response = editor_client.post(
        f"/moderation/users/{reader.pk}/sanction/", {"kind": "suspend", "days": "3"}
    )
    assert response.status_code == 400
    assert "Please give a reason: the reader will see it." in response.content.decode()
    assert not Sanction.objects.exists()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"kind": "warn", "reason": "Stay on topic.", "days": "3"}, "Only a suspension lasts"),
        (
            {"kind": "suspend", "reason": "Cool off.", "days": "3", "reject_pending": "on"},
            "Only a ban can reject the reader",
        ),
    ],
)
def test_the_sanction_form_asks_the_same_rules_as_the_api(editor_client, reader, data, problem):
    response = editor_client.post(f"/moderation/users/{reader.pk}/sanction/", data)
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not Sanction.objects.exists()


def test_a_queue_says_which_filter_it_could_not_read_and_applies_the_rest(editor_client, article):
    on_article = CommentFactory(article=article, status=S.PENDING)
    CommentFactory(status=S.PENDING)
    response = editor_client.get(
        "/moderation/queue/pending/", {"article": article.pk, "since": "yesterday"}
    )
    assert response.status_code == 200
    assert response.context["page"].rows == [on_article]
    assert "The “since” filter was left out: Enter a date as YYYY-MM-DD." in (
        response.content.decode()
    )


def test_editors_change_the_rules_on_the_settings_page(editor_client, editor):
    data = settings_form_data(
        banned_terms="scam\nfake cure", max_links="4", hold_new_readers="", toxicity_threshold="0.9"
    )
    response = editor_client.post("/moderation/settings/", data)
    assert response.status_code == 303
    from moderation.context import moderation_settings

    current = moderation_settings()
    assert (current.max_links, current.hold_new_readers, current.updated_by) == (4, False, editor)
    bad = editor_client.post("/moderation/settings/", {**data, "toxicity_threshold": "1.5"})
    assert bad.status_code == 400
    assert moderation_settings().toxicity_threshold == 0.9


def test_the_overview_shows_sizes_median_time_decisions_per_day_and_rules(
    editor_client, article, editor
):
    for hours in (1, 3, 5):
        comment = CommentFactory(article=article, status=S.PENDING, reasons=" new_reader ")
        Comment.objects.filter(pk=comment.pk).update(
            created_at=timezone.now() - dt.timedelta(hours=hours)
        )
        decide(Comment.objects.get(pk=comment.pk), "approve", by=editor)
    CommentFactory(article=article, status=S.PENDING, reasons=" toxicity new_reader ")
    response = editor_client.get("/moderation/")
    overview = response.context["overview"]
    assert overview.counts["pending"] == 1
    assert dt.timedelta(hours=3) <= overview.median_wait < dt.timedelta(hours=3, minutes=1)
    assert overview.decisions_per_day == {timezone.localdate(): 3}
    assert overview.rule_hits == [("new_reader", 4), ("toxicity", 1)]
    page = response.content.decode()
    assert page.count("<svg") == 2 and "3.0 h" in page


def test_the_rules_chart_counts_every_comment_still_waiting_however_old(
    editor_client, article, editor
):
    for days in (1, 20, 40):
        held = CommentFactory(article=article, status=S.PENDING, reasons=" new_reader ")
        Comment.objects.filter(pk=held.pk).update(
            created_at=timezone.now() - dt.timedelta(days=days)
        )
    old_decided = CommentFactory(article=article, status=S.PENDING, reasons=" toxicity ")
    Comment.objects.filter(pk=old_decided.pk).update(
        created_at=timezone.now() - dt.timedelta(days=30)
    )
    decide(Comment.objects.get(pk=old_decided.pk), "reject", by=editor)
    overview = editor_client.get("/moderation/").context["overview"]
    assert overview.counts["pending"] == 3
    assert overview.rule_hits == [("new_reader", 3)]


def test_the_overview_costs_the_same_queries_whatever_the_history(editor_client, article, editor):
    url = "/moderation/"
    decide(CommentFactory(article=article, status=S.PENDING), "approve", by=editor)
    before = queries_for(editor_client, url)
    for _ in range(10):
        decide(CommentFactory(article=article, status=S.PENDING), "approve", by=editor)
    assert queries_for(editor_client, url) == before
