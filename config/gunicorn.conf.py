"""Gunicorn settings: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Each worker loads the comment toxicity model as it starts (about a second), so the first reader
to post a comment does not wait for it.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))


def post_fork(server, worker):
    import django

    django.setup()
    from moderation.toxicity import warm_up

    warm_up()
