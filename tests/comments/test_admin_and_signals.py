"""Editors read comments, versions and reports in the admin; services signal after commit."""

import uuid

import pytest
from django.db import IntegrityError, transaction

from comments import signals
from comments.models import Comment
from comments.services import delete_comment, edit_comment, post_comment, report_comment

pytestmark = pytest.mark.django_db


def test_an_editor_filters_comments_by_status_and_reads_one_with_its_versions(
    client, editor, reader, article, make_comment
):
    comment = make_comment(article=article, author=reader, body="First words")
    edit_comment(comment=comment, by=reader, body="Second words")
    make_comment(article=article, status=Comment.Status.PENDING, body="Waiting words")
    client.force_login(editor)
    listing = client.get("/admin/comments/comment/?status__exact=pending")
    assert listing.status_code == 200
    assert "Waiting words" not in listing.content.decode()  # the list shows ids, not bodies
    assert listing.context["cl"].result_count == 1
    detail = client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()
    assert "First words" in detail and "Second words" in detail
    assert client.get("/admin/comments/report/").status_code == 200
    assert client.get("/admin/comments/commentrevision/").status_code == 200


def test_an_editor_cannot_add_comments_or_reports_in_the_admin(client, editor):
    client.force_login(editor)
    assert client.get("/admin/comments/comment/add/").status_code == 403
    assert client.get("/admin/comments/report/add/").status_code == 403


def test_a_reader_has_no_admin(client, reader):
    client.force_login(reader)
    assert client.get("/admin/comments/comment/")["Location"].startswith("/admin/login/")


def test_the_database_keeps_one_comment_per_form_token(reader, article, make_comment):
    token = uuid.uuid4()
    make_comment(article=article, author=reader, token=token)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_comment(article=article, author=reader, token=token)


def test_the_database_keeps_the_tree_consistent(article, make_comment):
    top = make_comment(article=article)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_comment(article=article, parent=top, root=None, depth=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_comment(article=article, parent=None, root=None, depth=2)


def test_each_service_signals_once_its_change_is_committed(
    trusted, django_capture_on_commit_callbacks, reader, stranger, article
):
    heard = []

    def listen(signal):
        def receiver(sender, **kwargs):
            heard.append((signal, sorted(kwargs.keys() - {"signal"})))

        signal.connect(receiver, weak=False)
        return receiver

    receivers = {
        s: listen(s)
        for s in (
            signals.comment_posted,
            signals.comment_edited,
            signals.comment_deleted,
            signals.comment_reported,
        )
    }
    try:
        with django_capture_on_commit_callbacks(execute=True):
            comment = post_comment(author=reader, article=article, body="One")
            assert heard == []  # nothing before the commit
        with django_capture_on_commit_callbacks(execute=True):
            comment = edit_comment(comment=comment, by=reader, body="Two")
            report_comment(comment=comment, by=stranger, reason="spam")
            delete_comment(comment=comment, by=reader)
    finally:
        for signal, receiver in receivers.items():
            signal.disconnect(receiver)
    assert heard == [
        (signals.comment_posted, ["comment"]),
        (signals.comment_edited, ["comment", "revision"]),
        (signals.comment_reported, ["comment", "report"]),
        (signals.comment_deleted, ["comment"]),
    ]
