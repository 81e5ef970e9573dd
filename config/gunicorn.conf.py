"""Gunicorn settings: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Each worker loads the comment toxicity model and the Public Suffix List as it starts (about a
second), so the first reader to post a comment does not wait for them. (The site's classifier and
the rule packs are read from the database at a worker's first comment, and again whenever editors
change them: a few milliseconds.)
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))


def post_fork(server, worker):
    import django

    django.setup()
    from moderation.links import registered_domain
    from moderation.toxicity import warm_up

    warm_up()
    registered_domain("www.example.com")
