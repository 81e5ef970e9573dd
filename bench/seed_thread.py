"""Run by bench/pages.py: comments on the seed article, a session, and the page's query counts."""

import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from allauth.account.models import EmailAddress
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from articles.models import Article
from comments.models import Comment
from markup.sanitize import render_comment

n = int(os.environ["BENCH_COMMENTS"])
PAGE = sys.argv[1]
article = Article.objects.get(slug="sudden-muscle-twitches-during-sleep")
readers = []
for i in range(20):
    u, _ = User.objects.get_or_create(
        username=f"bench{i}", defaults={"email": f"bench{i}@example.com"}
    )
    EmailAddress.objects.get_or_create(
        user=u, email=u.email, defaults={"verified": True, "primary": True}
    )
    readers.append(u)
random.seed(1)
made = []
for i in range(n):
    parent = random.choice(made) if made and i % 3 == 0 else None
    while parent is not None and parent.depth >= 3:
        parent = parent.parent
    body = (
        f"Comment {i}: this happened to me too after https://example.org/{i}, *really*.\n\n"
        "A second paragraph."
    )
    c = Comment(
        article=article,
        author=random.choice(readers),
        parent=parent,
        body=body,
        body_html=render_comment(body),
        status=Comment.Status.APPROVED,
    )
    if parent is not None:
        c.root_id = parent.root_id or parent.pk
        c.depth = parent.depth + 1
    c.save()
    made.append(c)

reader = readers[0]
session = SessionStore()
session[SESSION_KEY] = str(reader.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = reader.get_session_auth_hash()
session.create()

queries = {}
for label, cookie in [("anonymous", None), ("signed in", session.session_key)]:
    client = Client()
    if cookie:
        client.cookies["sessionid"] = cookie
    client.get(PAGE)  # warm the cache as a running site has it
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(PAGE).status_code == 200
    queries[label] = len(ctx)
print(json.dumps({"session": session.session_key, "queries": queries}))
