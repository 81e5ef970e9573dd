"""Factories and personas shared by the whole suite.

Personas: `reader` (a verified reader), `stranger` (another verified reader), `editor` (in the
Editors role), `article` (a published article in its own section).
"""

from __future__ import annotations

import datetime as dt

import factory
import pytest
from django.core.cache import caches
from django.utils import timezone

from accounts.models import User
from accounts.roles import make_editor
from articles.models import Article, Section


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Verified email unless verified=False is passed."""
        if not create or extracted is False:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    parent = None


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    section = factory.SubFactory(SectionFactory)
    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A short summary."
    body = "An opening paragraph.\n\n## A heading\n\nMore text."
    author = factory.SubFactory(UserFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))


def _forget_cache() -> None:
    # django-redis's clear() flushes the whole database, under every parallel worker; deleting our
    # own prefix leaves the others alone.
    shared = caches["default"]
    if hasattr(shared, "delete_pattern"):
        shared.delete_pattern("*")
    else:
        shared.clear()
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _clear_cache():
    _forget_cache()
    _forget_derived()
    yield
    _forget_cache()
    _forget_derived()


@pytest.fixture(autouse=True)
def _tasks_queued_as_if_committed(monkeypatch):
    """Tasks queue once their transaction commits (taskqueue.enqueue). A test runs inside
    transactions of its own that never commit, so where only those are open the task is queued
    at once, as it would be outside any transaction on a site; inside a transaction the code
    opened, it waits for that one (`django_capture_on_commit_callbacks` runs it)."""
    from django.db import connection, transaction

    import taskqueue.queue

    def on_commit(func, robust=False):
        if all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
            return func()
        return transaction.on_commit(func, robust=robust)

    monkeypatch.setattr(taskqueue.queue, "on_commit", on_commit)


def _forget_derived() -> None:
    # What a process keeps under a version read from the database: rolling a test back takes
    # the version back too, which a running site never does.
    from moderation.classifier import forget_loaded
    from moderation.context import forget_packs

    forget_packs()
    forget_loaded()


@pytest.fixture
def reader(db) -> User:
    return UserFactory(username="reader")


@pytest.fixture
def stranger(db) -> User:
    return UserFactory(username="stranger")


@pytest.fixture
def editor(db) -> User:
    return make_editor(UserFactory(username="editor", is_staff=True))


@pytest.fixture
def article(db) -> Article:
    return ArticleFactory()


@pytest.fixture
def seed_article(db) -> Article:
    """The source page, as the data migration creates it.

    Made again if missing: a transactional test (the browser tests) empties every table after it.
    """
    from django.apps import apps

    from articles.seed import seed_source_article

    pk = seed_source_article(apps).pk
    return Article.objects.select_related("section", "author").get(pk=pk)


@pytest.fixture
def site_pages(db):
    """The pages the site links to (comment policy, discussion rules), as the migration makes
    them; made again if missing, as for `seed_article`."""
    from django.apps import apps

    from articles.models import Page
    from articles.seed import seed_pages

    seed_pages(apps)
    return {page.slug: page for page in Page.objects.all()}


def trust(*users) -> None:
    """Readers whose comments publish at once: trusted by an editor (moderation's new-reader
    rule holds a reader's comments until one is approved)."""
    from moderation.models import Sanction

    for user in users:
        Sanction.objects.create(user=user, kind=Sanction.Kind.TRUST)


@pytest.fixture
def trusted(reader, stranger):
    """The `reader` and `stranger` personas, trusted: their comments are published at once."""
    trust(reader, stranger)


@pytest.fixture
def route_world(reader, stranger, editor, article):
    """One real object of every kind a route may name, so parameters can be real keys
    (tests/routes.py)."""
    from allauth.mfa.models import Authenticator

    from comments.models import Comment

    Comment.objects.create(article=article, author=stranger, body="Hi", body_html="<p>Hi</p>")
    totp = {"secret": "JBSWY3DPEHPK3PXP"}  # any base32 secret: the walk sends wrong codes
    Authenticator.objects.create(user=reader, type=Authenticator.Type.TOTP, data=totp)
    return {"article": article, "section": article.section}


def get_counted(client, url, **headers):
    """A GET by the test client, with the number of SQL queries it cost as `response.queries`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    response.queries = len(queries)
    return response
