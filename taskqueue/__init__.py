"""The task queue's own part: how apps queue work (`enqueue`, `task`) and the dead letters.

A leaf below every app (as `markup` is): accounts, articles, comments and moderation each keep
their tasks in their own `tasks.py` and queue them through `taskqueue.enqueue`. Celery itself is
configured in `config/celery.py` and settings (inline without REDIS_URL, on a worker with it).
"""
