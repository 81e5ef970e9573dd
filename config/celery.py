"""The task queue: Celery, with Redis as its broker when REDIS_URL is set.

Work nobody should wait for (emails, re-rendering, re-screening, retraining) is a task in an app's
`tasks.py`, queued with `taskqueue.enqueue()` once the transaction that asked for it commits
(retries, then a dead letter: taskqueue/, docs/tasks.md). In the embedded
default (no REDIS_URL) the same tasks run inline, through the same code path, in the process that
queued them (CELERY_TASK_ALWAYS_EAGER), so `make run` needs no worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("colloquy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
