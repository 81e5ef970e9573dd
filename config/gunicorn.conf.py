"""Gunicorn settings: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Each worker loads the comment toxicity model and the Public Suffix List as it starts (about a
second), so the first reader to post a comment does not wait for them. (The site's classifier and
the rule packs are read from the database at a worker's first comment, and again whenever editors
change them: a few milliseconds.)

Safe by default: gunicorn listens on loopback only (a proxy on the same machine forwards to it;
GUNICORN_BIND opens it wider), and believes X-Forwarded-Proto and the other forwarding headers only
from the addresses in FORWARDED_ALLOW_IPS (loopback unless set): from any other client they are
ignored, so nobody can pass a plain-HTTP request off as HTTPS.

Forking is safe for the database: the master never loads the application (no preload_app) and
opens no connection; each worker's PostgreSQL pool (config/databases.py) is opened by that
worker's first query, after the fork, so no two processes ever share a connection.
"""

import os

# The settings module is named here, before any worker starts: post_fork sets Django up, and
# config.wsgi (which names it too) is imported only after that.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def post_fork(server, worker):
    import django

    django.setup()
    from moderation.links import registered_domain
    from moderation.toxicity import warm_up

    warm_up()
    registered_domain("www.example.com")
