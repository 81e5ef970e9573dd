"""The read replica (config/routers.py): only anonymous readers' GETs read from it.

The rule, case by case, then for real: the production command with DATABASE_REPLICA_URL naming a
copy of the database taken before a change (a replica infinitely behind), so whichever database
answered shows in the page.
"""

from __future__ import annotations

import sqlite3

import pytest
import requests
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from comments.models import Comment
from config.routers import ReplicaRouter, replica_reads
from tests.servers import Site

router = ReplicaRouter()


def read_from(request, *, write: bool = False, atomic: bool = False) -> str:
    """The database a read of the view serving `request` goes to."""

    def view(request):
        if write:
            router.db_for_write(Comment)
        if atomic:
            with transaction.atomic():
                return HttpResponse(router.db_for_read(Comment))
        return HttpResponse(router.db_for_read(Comment))

    return replica_reads(view)(request).content.decode()


factory = RequestFactory()


def test_an_anonymous_get_reads_the_replica():
    assert read_from(factory.get("/")) == "replica"
    assert read_from(factory.head("/api/articles/")) == "replica"


@pytest.mark.parametrize(
    "request_",
    [
        factory.post("/comments/post/1/"),
        factory.get("/", HTTP_COOKIE="sessionid=abc"),  # a signed-in reader, or an editor
        factory.get("/", HTTP_COOKIE="messages=abc"),  # a notice to show: just did something
        factory.get("/api/moderation/queue/pending/", HTTP_AUTHORIZATION="Token colloquy_x"),
    ],
    ids=["post", "session", "messages", "api-token"],
)
def test_every_other_request_reads_the_primary(request_):
    assert read_from(request_) == "default"


def test_a_request_that_wrote_reads_the_primary_from_then_on():
    assert read_from(factory.get("/"), write=True) == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary():
    assert read_from(factory.get("/"), atomic=True) == "default"


def test_outside_a_request_everything_reads_the_primary():
    # Commands, tasks, the shell.
    assert router.db_for_read(Comment) == "default"
    assert router.db_for_write(Comment) == "default"


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "comments")
    assert not router.allow_migrate("replica", "comments")


# --- Under gunicorn -------------------------------------------------------------------------------

ARTICLE = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"


@pytest.fixture(scope="module")
def behind(tmp_path_factory):
    """The site with a replica that stopped replicating before the seed article was renamed."""
    folder = tmp_path_factory.mktemp("replica")
    site = Site(folder, DATABASE_REPLICA_URL=f"sqlite:///{folder / 'replica.sqlite3'}")
    site.manage("migrate", "--noinput")
    site.article, site.token = site.reader_with_token("replicated")
    with (
        sqlite3.connect(folder / "db.sqlite3") as primary,
        sqlite3.connect(folder / "replica.sqlite3") as replica,
    ):
        primary.backup(replica)
    site.shell(
        "from articles.models import Article\n"
        f"Article.objects.filter(pk={site.article}).update(title='Renamed on the primary')\n"
    )
    with site:
        yield site


def test_anonymous_readers_are_served_from_the_replica(behind):
    page = requests.get(behind.url + ARTICLE, timeout=30).text
    assert "Renamed on the primary" not in page
    api = requests.get(f"{behind.url}/api/articles/{behind.article}/", timeout=30).json()
    assert api["title"] != "Renamed on the primary"


def test_a_reader_with_a_token_reads_the_primary_and_writes_there(behind):
    headers = {"Authorization": f"Token {behind.token}"}
    api = requests.get(f"{behind.url}/api/articles/{behind.article}/", headers=headers, timeout=30)
    assert api.json()["title"] == "Renamed on the primary"
    posted = requests.post(
        f"{behind.url}/api/articles/{behind.article}/comments/",
        json={"body": "Written to the primary."},
        headers=headers,
        timeout=30,
    )
    assert posted.status_code == 201, posted.text
