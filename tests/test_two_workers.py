"""The embedded default under the production command: SQLite, no Redis, gunicorn with two workers.

A change made through one worker (or by a command run beside them) is seen at once through the
other: an editor's approval, a ban, a re-render of stored HTML, the API's comment limit and the
login lockout. Each check makes many requests, which the two workers share between them; before
the database held the versions and the counters were shared, about half of them disagreed.
"""

from __future__ import annotations

import json
import re

import pytest
import requests

from tests.servers import Site

ARTICLE = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"
PASSWORD = "correct horse battery staple"

SEED = f"""
import json
from allauth.account.models import EmailAddress
from accounts.models import User
from accounts.roles import make_editor
from articles.models import Article
from comments.models import Comment
from comments.services import post_comment
from comments.thread import bump_threads
from moderation.configuration import update_settings
from moderation.sanctions import sanction

editor = make_editor(User.objects.create_user("two-editor", "two-editor@example.com"))

def reader(name):
    user = User.objects.create_user(name, f"{{name}}@example.com", password="{PASSWORD}")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user

trusted, newcomer, writer = reader("trusted"), reader("newcomer"), reader("writer")
sanction(trusted, "trust", by=editor)
sanction(writer, "trust", by=editor)
# The API's own limit is under test here, not screening's.
update_settings(by=editor, max_per_minute=0, duplicate_minutes=0)
article = Article.objects.published().order_by("pk").first()
post_comment(author=trusted, article=article, body="Already published.")
held = post_comment(author=newcomer, article=article, body="Held until an editor approves it.")
old = post_comment(author=trusted, article=article, body="Fresh text after re-rendering.")
# HTML stored under an older sanitising policy, as the thread then showed it.
Comment.objects.filter(pk=old.pk).update(body_html="<p>OLD RENDERING</p>")
bump_threads([article.pk])
print(json.dumps({{
    "article": article.pk, "held": held.pk, "held_version": held.version, "trusted": trusted.pk,
}}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with Site(tmp_path_factory.mktemp("two-workers"), API_THROTTLE_COMMENTS="10/minute") as site:
        site.seed = json.loads(site.shell(SEED).strip().splitlines()[-1])
        site.tokens = {
            name: site.manage("create_api_token", name, "--name", "test", "--days", "1").strip()
            for name in ("two-editor", "trusted", "writer")
        }
        yield site


def pages(site, n: int) -> list[str]:
    return [requests.get(site.url + ARTICLE, timeout=60).text for _ in range(n)]


def api(site, who: str, method: str, path: str, body: dict) -> requests.Response:
    return requests.request(
        method,
        f"{site.url}/api{path}",
        json=body,
        headers={"Authorization": f"Token {site.tokens[who]}"},
        timeout=60,
    )


def test_an_approval_through_one_worker_is_on_every_page_at_once(site):
    assert not any("Held until" in page for page in pages(site, 20))  # both workers cache it
    decision = api(
        site,
        "two-editor",
        "POST",
        f"/moderation/comments/{site.seed['held']}/decision/",
        {"action": "approve", "version": site.seed["held_version"]},
    )
    assert decision.status_code == 200, decision.text
    seen = pages(site, 30)
    assert all("Held until an editor approves it." in page for page in seen)
    assert all("Comments (3)" in page for page in seen)


def test_a_ban_through_one_worker_refuses_every_later_post(site):
    article = site.seed["article"]
    before = api(site, "trusted", "POST", f"/articles/{article}/comments/", {"body": "Before."})
    assert before.status_code == 201, before.text
    ban = api(
        site,
        "two-editor",
        "POST",
        f"/moderation/users/{site.seed['trusted']}/sanctions/",
        {"kind": "ban", "reason": "Spam."},
    )
    assert ban.status_code == 201, ban.text
    # Eight more (nine writes in all stay under the API's limit of ten a minute).
    after = [
        api(site, "trusted", "POST", f"/articles/{article}/comments/", {"body": f"After {n}."})
        for n in range(8)
    ]
    assert [r.status_code for r in after] == [403] * 8


def test_a_rerender_by_a_command_is_served_by_every_worker_at_once(site):
    assert all("OLD RENDERING" in page for page in pages(site, 20))
    site.manage("rerender_comments", "--no-progress")
    seen = pages(site, 30)
    assert not any("OLD RENDERING" in page for page in seen)
    assert all("<p>Fresh text after re-rendering.</p>" in page for page in seen)


def test_the_api_comment_limit_counts_across_workers(site):
    article = site.seed["article"]
    statuses = [
        api(site, "writer", "POST", f"/articles/{article}/comments/", {"body": f"Note {n}."})
        for n in range(14)
    ]
    assert [s.status_code for s in statuses] == [201] * 10 + [429] * 4


def test_the_login_lockout_counts_failures_across_workers(site):
    browser = requests.Session()

    def log_in(password: str) -> requests.Response:
        form = browser.get(f"{site.url}/accounts/login/", timeout=60).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        return browser.post(
            f"{site.url}/accounts/login/",
            data={"login": "newcomer", "password": password, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=60,
        )

    for _ in range(5):
        assert log_in("wrong password").status_code == 200  # the form again, with its error
    refused = log_in(PASSWORD)  # from the same address: five failures are the limit
    assert refused.status_code != 302
    assert "Too many failed sign-in attempts from your address" in refused.text
