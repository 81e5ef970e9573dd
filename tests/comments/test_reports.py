"""Reporting another reader's comment, once, with a reason."""

import pytest
from bs4 import BeautifulSoup
from django.db import IntegrityError, transaction

from comments.errors import CommentError
from comments.models import Comment, Report
from comments.services import report_comment

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html5lib")


@pytest.fixture
def theirs(article, stranger, make_comment):
    return make_comment(article=article, author=stranger, body="Buy pills at example.com")


def test_a_reader_reports_a_comment_and_sees_it_was_received(reader_client, reader, theirs):
    page = soup(reader_client.get(theirs.article.get_absolute_url()))
    link = page.find(id=f"comment-{theirs.pk}").find("a", string="Report")
    form = soup(reader_client.get(link["href"])).select_one("form.report-form")
    reasons = [i["value"] for i in form.find_all("input", attrs={"name": "reason"})]
    assert reasons == ["spam", "abuse", "misinformation", "off_topic", "other"]

    response = reader_client.post(link["href"], {"reason": "spam"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.comment, report.reporter, report.reason) == (theirs, reader, "spam")
    landed = soup(reader_client.get(response["Location"]))
    beside = landed.find(id=f"comment-{theirs.pk}").select_one(".comment-notice")
    assert "your report was received" in beside.get_text()
    again = soup(reader_client.get(link["href"]))
    assert "You have already reported this comment" in again.get_text()


def test_a_comment_can_be_reported_only_once_by_the_same_reader(reader_client, reader, theirs):
    reader_client.post(f"/comments/{theirs.pk}/report/", {"reason": "spam"})
    response = reader_client.post(f"/comments/{theirs.pk}/report/", {"reason": "abuse"})
    assert response.status_code == 400
    assert "already reported" in response.content.decode()
    assert Report.objects.count() == 1
    with pytest.raises(CommentError, match="already reported"):
        report_comment(comment=theirs, by=reader, reason="abuse")


def test_the_database_allows_one_report_per_reader_per_comment(reader, theirs):
    Report.objects.create(comment=theirs, reporter=reader, reason="spam")
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(comment=theirs, reporter=reader, reason="abuse")


def test_other_readers_may_each_report_the_same_comment(reader, editor, theirs):
    report_comment(comment=theirs, by=reader, reason="spam")
    report_comment(comment=theirs, by=editor, reason="misinformation")
    assert theirs.reports.count() == 2


def test_a_reader_cannot_report_their_own_comment(reader_client, reader, article, make_comment):
    mine = make_comment(article=article, author=reader)
    page = soup(reader_client.get(article.get_absolute_url()))
    assert page.find(id=f"comment-{mine.pk}").find("a", string="Report") is None
    assert (
        "cannot report your own"
        in soup(reader_client.get(f"/comments/{mine.pk}/report/")).get_text()
    )
    response = reader_client.post(f"/comments/{mine.pk}/report/", {"reason": "spam"})
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_the_reason_other_needs_a_few_words(reader_client, reader, theirs):
    response = reader_client.post(
        f"/comments/{theirs.pk}/report/", {"reason": "other", "text": " "}
    )
    assert response.status_code == 400
    assert "Please tell us what is wrong with this comment." in response.content.decode()
    assert Report.objects.count() == 0
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(comment=theirs, reporter=reader, reason="other", text="")
    reader_client.post(f"/comments/{theirs.pk}/report/", {"reason": "other", "text": "Wrong dose"})
    assert Report.objects.get().text == "Wrong dose"


def test_a_report_needs_a_reason(reader_client, theirs):
    response = reader_client.post(f"/comments/{theirs.pk}/report/", {})
    assert response.status_code == 400
    assert "Please choose a reason for your report." in response.content.decode()


def test_hidden_comments_cannot_be_reported(reader_client, theirs):
    Comment.objects.filter(pk=theirs.pk).update(status=Comment.Status.REMOVED)
    assert reader_client.get(f"/comments/{theirs.pk}/report/").status_code == 404


def test_reporting_needs_a_signed_in_reader(client, theirs):
    response = client.post(f"/comments/{theirs.pk}/report/", {"reason": "spam"})
    assert response["Location"].startswith("/accounts/login/")
    assert Report.objects.count() == 0
