"""The task queue in the embedded default: tasks run inline after the commit, through the same
code a worker runs; failures are retried, then kept as dead letters that editors queue again.

(A real worker on Redis: tests/taskqueue/test_worker.py.)
"""

from __future__ import annotations

import pytest
from celery import current_app
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from kombu.exceptions import OperationalError

import taskqueue.queue
from accounts import tasks as account_tasks
from comments.models import Comment, Thread
from comments.tasks import recount_threads
from comments.thread import bump_threads
from moderation.configuration import save_pack, update_settings
from moderation.models import ModerationSettings
from taskqueue.models import DeadLetter
from taskqueue.queue import enqueue, task
from tests.accounts.conftest import sign_up
from tests.comments.conftest import CommentFactory

pytestmark = pytest.mark.django_db

CALLS: list[int] = []


@task()
def fails_first(times: int) -> str:
    """A test task: fails `times` times in a row (counted in CALLS), then succeeds."""
    CALLS.append(times)
    if len(CALLS) <= times:
        raise RuntimeError(f"failure number {len(CALLS)}")
    return "done"


@pytest.fixture(autouse=True)
def _fresh_calls():
    CALLS.clear()


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


# --- Inline, after the commit ----------------------------------------------------------------


def test_without_redis_tasks_run_inline():
    assert settings.CELERY_TASK_ALWAYS_EAGER
    enqueue(fails_first, 0)
    assert CALLS == [0]


def test_a_task_queued_in_a_transaction_runs_only_once_it_commits(
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue(fails_first, 0)
        assert CALLS == []
    assert CALLS == [0]


def test_a_rolled_back_transaction_queues_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                enqueue(fails_first, 0)
                raise ValueError
        except ValueError:
            pass
    assert CALLS == []


def test_an_unreachable_broker_runs_the_task_inline_rather_than_lose_it(monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(fails_first, "apply_async", broker_down)
    enqueue(fails_first, 0)
    assert CALLS == [0]


# --- Retries, then a dead letter -------------------------------------------------------------


def test_a_failing_task_is_retried_and_succeeds_without_a_dead_letter():
    enqueue(fails_first, 2)
    assert len(CALLS) == 3
    assert not DeadLetter.objects.exists()


def test_a_task_failing_after_its_last_retry_is_a_dead_letter():
    enqueue(fails_first, 99)
    assert len(CALLS) == 1 + settings.TASKS_MAX_RETRIES
    letter = DeadLetter.objects.get()
    assert letter.task_name == "tests.taskqueue.test_task_queue.fails_first"
    assert letter.args == [99]
    assert letter.retries == settings.TASKS_MAX_RETRIES
    assert letter.exception == f"RuntimeError: failure number {len(CALLS)}"
    assert "RuntimeError" in letter.traceback
    assert letter.requeued_at is None


def test_retries_back_off_exponentially_with_jitter_up_to_ten_minutes():
    options = current_app.tasks[fails_first.name]
    assert options.retry_backoff is True and options.retry_jitter is True
    assert options.retry_backoff_max == 600
    assert options.max_retries == settings.TASKS_MAX_RETRIES


# --- Emails ------------------------------------------------------------------------------------


def test_a_verification_email_is_rendered_in_the_request_and_sent_by_a_task(client, monkeypatch):
    queued = []
    monkeypatch.setattr(taskqueue.queue, "send", lambda t, args, kwargs: queued.append((t, args)))
    assert sign_up(client).status_code == 302
    assert mail.outbox == []  # queued, not sent by the request
    [(queued_task, [message])] = queued
    assert queued_task is account_tasks.send_email
    assert message["to"] == ["newreader@example.com"]
    assert "confirm-email" in message["body"]

    queued_task.apply([message])  # what the worker does with it
    assert mail.outbox[0].subject == message["subject"]
    assert mail.outbox[0].alternatives == [tuple(a) for a in message["alternatives"]]


def test_a_mail_server_down_is_no_error_for_the_reader_and_the_email_is_kept(client, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    response = sign_up(client)
    assert response.status_code == 302  # signed up, the failure inline notwithstanding
    letter = DeadLetter.objects.get()
    assert letter.task_name == "accounts.tasks.send_email"
    assert letter.args[0]["to"] == ["newreader@example.com"]
    assert letter.exception == "ConnectionRefusedError: the mail server is down"


# --- Editors queue dead letters again ----------------------------------------------------------


@pytest.fixture
def requeue_in_admin(client, django_capture_on_commit_callbacks):
    def post(*letters):
        # The tasks are queued once the action's transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/admin/taskqueue/deadletter/",
                {"action": "requeue_selected", "_selected_action": [x.pk for x in letters]},
                follow=True,
            )

    return post


def test_an_editor_sees_the_dead_letters_in_the_admin(client, editor):
    enqueue(fails_first, 99)
    client.force_login(editor)
    page = client.get("/admin/taskqueue/deadletter/")
    assert page.status_code == 200
    assert "tests.taskqueue.test_task_queue.fails_first" in page.content.decode()
    letter = DeadLetter.objects.get()
    assert client.get(f"/admin/taskqueue/deadletter/{letter.pk}/change/").status_code == 200


def test_an_editor_queues_a_dead_letter_again_and_it_runs(
    client, editor, settings, requeue_in_admin
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    sign_up(client)
    letter = DeadLetter.objects.get()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back

    client.force_login(editor)
    page = requeue_in_admin(letter)
    assert "1 queued again." in page.content.decode()
    assert mail.outbox[0].to == ["newreader@example.com"]
    letter.refresh_from_db()
    assert letter.requeued_by == editor and letter.requeued_at is not None
    assert DeadLetter.objects.count() == 1  # it succeeded: no new dead letter


def test_a_dead_letter_is_queued_again_once(client, editor, requeue_in_admin):
    enqueue(fails_first, 99)
    letter = DeadLetter.objects.get()
    client.force_login(editor)
    requeue_in_admin(letter)
    CALLS.clear()
    page = requeue_in_admin(letter)
    assert "1 left as they were" in page.content.decode()
    assert CALLS == []


def test_a_task_that_fails_again_after_requeueing_is_a_new_dead_letter(
    client, editor, requeue_in_admin
):
    enqueue(fails_first, 99)
    client.force_login(editor)
    requeue_in_admin(DeadLetter.objects.get())
    assert DeadLetter.objects.filter(requeued_at__isnull=True).count() == 1
    assert DeadLetter.objects.count() == 2


def test_a_reader_cannot_see_or_requeue_dead_letters(client, reader, requeue_in_admin):
    enqueue(fails_first, 99)
    client.force_login(reader)
    assert client.get("/admin/taskqueue/deadletter/").status_code in (302, 403)
    CALLS.clear()
    requeue_in_admin(DeadLetter.objects.get())
    assert CALLS == []


# --- The periodic tasks ------------------------------------------------------------------------


def test_the_schedule_names_tasks_that_exist():
    current_app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in current_app.tasks


def test_the_recount_corrects_drifted_thread_counts_and_bumps_only_those(article):
    from tests.conftest import ArticleFactory

    other = ArticleFactory()
    for target in (article, article, other):
        CommentFactory(article=target)
    bump_threads([article.pk, other.pk])
    Thread.objects.filter(article=article).update(visible_count=7)  # written behind our back
    before = dict(Thread.objects.values_list("article_id", "version"))

    assert recount_threads.delay().get() == 1
    after = Thread.objects.get(article=article)
    assert (after.visible_count, after.version) == (2, before[article.pk] + 1)
    assert Thread.objects.get(article=other).version == before[other.pk]


# --- Re-screening after a rule change ----------------------------------------------------------


def test_a_new_rule_pack_re_screens_the_pending_queue_and_leaves_it_pending(
    editor, article, django_capture_on_commit_callbacks
):
    held = CommentFactory(article=article, body="Buy tart cherry pills now", status="pending")
    published = CommentFactory(article=article, body="Buy tart cherry pills too")
    with django_capture_on_commit_callbacks(execute=True):
        pack = save_pack(
            None, by=editor, name="Cherry", action="hold", phrases="cherry pills", advice="No."
        )
    held.refresh_from_db()
    assert f" pack:{pack.slug} " in held.reasons
    assert held.status == Comment.Status.PENDING
    assert f"pack:{pack.slug}" not in Comment.objects.get(pk=published.pk).reasons


def test_a_re_screen_overtaken_by_a_newer_rule_change_leaves_the_work_to_it(editor, article):
    from moderation.tasks import rescreen_pending

    CommentFactory(article=article, status="pending")
    update_settings(by=editor, max_links=3)
    version = ModerationSettings.objects.get().version
    assert rescreen_pending.apply([version - 1]).get() is None
    assert rescreen_pending.apply([version]).get() == 1
    assert rescreen_pending.apply([version]).get() == 0  # nothing left to change


def test_the_nightly_retraining_makes_a_new_model_the_current_one():
    from moderation.models import Classifier
    from moderation.tasks import retrain_classifier

    before = ModerationSettings.objects.get_or_create(pk=ModerationSettings.SINGLETON_PK)[0]
    new_id = retrain_classifier.delay().get()
    assert new_id == Classifier.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert new_id != before.classifier_version
    assert ModerationSettings.objects.get().classifier_version == new_id


def test_a_letter_whose_task_no_longer_exists_is_left_as_it_was(client, editor, requeue_in_admin):
    letter = DeadLetter.objects.create(task_name="comments.tasks.gone", exception="x")
    client.force_login(editor)
    page = requeue_in_admin(letter)
    assert "1 left as they were" in page.content.decode()
    letter.refresh_from_db()
    assert letter.requeued_at is None


def test_with_redis_down_a_site_process_runs_its_tasks_inline_instead(tmp_path):
    """A real process with REDIS_URL set to where nothing listens: the email still goes out."""
    from tests.servers import Site, free_port

    site = Site(tmp_path, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    site.manage("migrate", "--noinput")
    printed = site.shell(
        "from django.conf import settings; print('eager', settings.CELERY_TASK_ALWAYS_EAGER)\n"
        "from django.core.mail import EmailMessage\n"
        "from accounts.tasks import queue_email\n"
        "queue_email(EmailMessage('Redis is down', 'Sent anyway.', to=['a@example.com']))\n"
    )
    assert "eager False" in printed
    assert "Subject: Redis is down" in printed  # the console backend: sent, inline
