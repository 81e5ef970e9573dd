"""What editors see and change: the packs on the settings page, in the admin, the domain lists,
the classifier's score in the queue, the review page and the API; what readers are told."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment
from comments.services import post_comment
from moderation.models import ModerationSettings, Refusal, RulePack
from tests.comments.conftest import CommentFactory, post_form
from tests.moderation.conftest import settings_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_the_settings_page_shows_each_pack_with_how_often_it_fired(editor_client, article):
    CommentFactory(article=article, reasons=" pack:threats toxicity ", status="pending")
    CommentFactory(article=article, reasons=" pack:threats ", status="rejected")
    CommentFactory(article=article, reasons=" pack:spam ", status="pending")
    Refusal.objects.create(article=article, reasons=" pack:spam ")
    page = soup(editor_client.get("/moderation/settings/"))
    rows = {
        row.th.get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in row("td")]
        for row in page.select(".settings-packs tbody tr")
    }
    assert rows["Threats and self-harm incitement"][0] == "Hold for an editor"
    assert rows["Threats and self-harm incitement"][2:] == ["2", "2"]
    assert rows["Spam offers"][2:] == ["2", "2"]  # a comment held and a refusal
    assert rows["Personal insults"][2:] == ["0", "0"]
    assert "know where [you|u|he|she|they] [live" in page.select_one(".pack-phrases").get_text()


def test_an_editor_edits_a_pack_and_bad_lines_are_shown_not_saved(editor_client, editor):
    spam = RulePack.objects.get(slug="spam")
    url = f"/moderation/settings/packs/{spam.pk}/"
    assert editor_client.get(url).status_code == 200
    data = {
        "name": spam.name,
        "slug": spam.slug,
        "action": "refuse",
        "enabled": "on",
        "phrases": "cheap [pills|meds",
        "advice": "No adverts, please.",
        "position": "3",
    }
    bad = editor_client.post(url, data)
    assert bad.status_code == 400
    assert "every [ needs its ]" in soup(bad).select_one("[role=alert]").get_text()
    assert RulePack.objects.get(pk=spam.pk).action == "hold"
    good = editor_client.post(url, {**data, "phrases": "cheap [pills|meds]"})
    assert good.status_code == 303
    spam.refresh_from_db()
    assert (spam.action, spam.phrases, spam.updated_by) == ("refuse", "cheap [pills|meds]", editor)


def test_an_editor_adds_a_pack_and_deletes_it(editor_client):
    data = {"name": "Diet scams", "slug": "", "action": "nudge", "enabled": "on"}
    data |= {"phrases": "lose [10|20] kg", "advice": "Please check this claim.", "position": "9"}
    assert editor_client.post("/moderation/settings/packs/new/", data).status_code == 303
    made = RulePack.objects.get(name="Diet scams")
    assert made.slug == "diet-scams"
    response = editor_client.post(f"/moderation/settings/packs/{made.pk}/", {"delete": "1"})
    assert response.status_code == 303
    assert not RulePack.objects.filter(pk=made.pk).exists()


def test_domain_lists_and_subject_words_are_settings_and_are_checked(editor_client):
    data = settings_form_data(blocked_domains="cheap-pills.example.com\nnot a domain")
    bad = editor_client.post("/moderation/settings/", data)
    assert bad.status_code == 400
    assert "“not a domain” is not a domain name" in bad.content.decode()
    data = settings_form_data(blocked_domains="cheap-pills.example.com", subject_words="jerk")
    assert editor_client.post("/moderation/settings/", data).status_code == 303
    current = ModerationSettings.objects.get(pk=1)
    assert (current.blocked_domains, current.subject_words) == ("cheap-pills.example.com", "jerk")


def test_a_nudge_threshold_above_the_hold_threshold_is_refused(editor_client):
    data = settings_form_data(toxicity_threshold="0.6", toxicity_nudge_threshold="0.7")
    response = editor_client.post("/moderation/settings/", data)
    assert response.status_code == 400
    assert "lower than the hold threshold" in response.content.decode()


def test_packs_are_edited_in_the_admin_through_save_pack(editor_client, editor, article):
    CommentFactory(article=article, reasons=" pack:insults ", status="pending")
    listing = editor_client.get("/admin/moderation/rulepack/")
    assert listing.status_code == 200
    row = next(
        tr for tr in soup(listing).select("#result_list tbody tr") if "Personal insults" in tr.text
    )
    assert row.select_one(".field-fired_in_all").get_text() == "1"
    insults = RulePack.objects.get(slug="insults")
    before = ModerationSettings.objects.get_or_create(pk=1)[0].version
    form = {
        "name": insults.name,
        "slug": insults.slug,
        "action": "nudge",
        "enabled": "on",
        "phrases": "you [idiot|moron]",
        "advice": insults.advice,
        "position": "2",
    }
    response = editor_client.post(f"/admin/moderation/rulepack/{insults.pk}/change/", form)
    assert response.status_code == 302
    insults.refresh_from_db()
    assert (insults.action, insults.updated_by) == ("nudge", editor)
    assert ModerationSettings.objects.get(pk=1).version == before + 1
    bad = editor_client.post(
        f"/admin/moderation/rulepack/{insults.pk}/change/", {**form, "phrases": "* idiot"}
    )
    assert bad.status_code == 200 and "cannot start with *" in bad.content.decode()


def test_the_classifier_score_is_shown_in_the_queue_the_review_page_and_the_api(
    editor_client, article, stranger
):
    comment = CommentFactory(
        article=article, author=stranger, status=Comment.Status.PENDING, classifier_score=0.93
    )
    queue = soup(editor_client.get("/moderation/queue/pending/"))
    assert queue.select_one(".badge-classifier.is-high").get_text() == "Classifier 0.93"
    review = soup(editor_client.get(f"/moderation/comments/{comment.pk}/"))
    assert review.select_one(".badge-classifier").get_text() == "Classifier 0.93"
    api = editor_client.get(f"/api/moderation/comments/{comment.pk}/").json()
    assert api["classifier_score"] == 0.93


@pytest.mark.usefixtures("no_rate_limit")
def test_a_held_comment_tells_its_author_which_rule_held_it(client, reader, article):
    client.force_login(reader)
    response = post_form(client, article, "Hello, first time here.")
    page = client.get(response["Location"])
    text = soup(page).get_text(" ", strip=True)
    thanks = "Thank you: your comment will appear once an editor has approved it."
    first = "An editor reads a reader's first comment before it appears"
    assert f"{thanks} {first}" in text  # the message after posting
    assert f"Why it waits: {first}" in text  # beside the comment, under the thread


def test_an_editors_own_comment_is_never_held_as_a_new_readers(editor, article):
    comment = post_comment(author=editor, article=article, body="A note from the editors.")
    assert (comment.status, comment.reason_codes) == (Comment.Status.APPROVED, [])


def test_the_readers_api_says_why_in_the_readers_words(reader, article):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(reader)
    response = api.post(f"/api/articles/{article.pk}/comments/", {"body": "First!"}, format="json")
    (reason,) = response.json()["moderation"]["reasons"]
    assert reason["code"] == "new_reader"
    assert reason["message"].startswith("An editor reads a reader's first comment")
