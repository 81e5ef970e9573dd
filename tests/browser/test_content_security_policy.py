"""In a real browser: every kind of page works under the Content-Security-Policy, with no violation.

Chromium reports each thing the policy refuses (an inline script or style without the nonce, a
style attribute, a resource from elsewhere) on the console; any such report fails the test. Each
response must carry the policy, without 'unsafe-inline' for scripts or styles.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.roles import make_editor
from articles.models import Article
from comments.models import Comment
from tests.comments.conftest import CommentFactory
from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


class PolicyWatch:
    """Collects the console's CSP reports for a page, and checks each response's header."""

    def __init__(self, page) -> None:
        self.page = page
        self.violations: list[str] = []
        page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append(f"{self.page.url}: {message.text}")

    def visit(self, path: str):
        response = self.page.goto(path)
        assert response is not None
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy, f"{path}: {policy!r}"
        assert "style-src 'self'" in policy, f"{path}: {policy!r}"
        assert "unsafe-inline" not in policy
        self.page.wait_for_load_state("load")
        return response

    def assert_none(self) -> None:
        assert not self.violations, "\n".join(self.violations)


def test_the_public_pages_run_under_the_policy(page, seed_article):
    watch = PolicyWatch(page)
    article = seed_article.get_absolute_url()
    for path in [
        "/",
        article,
        f"/{seed_article.section.path}/",
        "/search/?q=sleep",
        "/users/nobody-at-all/",  # the 404 page
        "/%00/",  # the 400 page
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ]:
        watch.visit(path)
    # The article page is shared by every anonymous reader from the page cache, so it holds no
    # nonce (one nonce served to everyone would be worth nothing): its JSON-LD blocks are data,
    # which the policy does not govern, and they load without a report.
    page.goto(article)
    nonces = page.eval_on_selector_all(
        'script[type="application/ld+json"]', "blocks => blocks.map(b => b.nonce)"
    )
    assert nonces == ["", ""]
    watch.assert_none()


def test_a_readers_pages_run_under_the_policy(page_as, seed_article):
    reader = UserFactory(username="rita")
    # A change of address waiting for confirmation: allauth's page then holds a hidden form.
    EmailAddress.objects.create(user=reader, email="rita.new@example.com", verified=False)
    CommentFactory(article=seed_article, author=reader, body="Mine")
    page = page_as(reader)
    watch = PolicyWatch(page)
    for path in [
        seed_article.get_absolute_url(),
        "/users/me/",
        "/users/me/comments/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/tokens/",
        "/accounts/delete/",
    ]:
        watch.visit(path)
    watch.assert_none()


def test_the_editors_pages_the_admin_and_the_api_docs_run_under_the_policy(page_as, seed_article):
    editor = make_editor(UserFactory(username="eve", is_staff=True))
    held = CommentFactory(article=seed_article, status=Comment.Status.PENDING, body="Held")
    page = page_as(editor)
    watch = PolicyWatch(page)
    for path in [
        "/moderation/",
        "/moderation/queue/pending/",
        f"/moderation/comments/{held.pk}/",
        f"/moderation/users/{held.author.pk}/",
        "/moderation/settings/",
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{seed_article.pk}/history/",
        "/admin/articles/section/",
        f"/admin/articles/section/{seed_article.section.pk}/change/",
        "/admin/articles/article/add/",
        "/admin/comments/comment/",
        f"/admin/comments/comment/{held.pk}/change/",
        "/admin/moderation/sanction/add/",
        "/admin/accounts/user/",
        f"/preview/{seed_article.pk}/",
    ]:
        watch.visit(path)

    # The article editor with its live Markdown preview, which fetches and shows rendered HTML.
    article = Article.objects.get(pk=seed_article.pk)
    watch.visit(f"/admin/articles/article/{article.pk}/change/")
    page.fill("#id_body", "## A heading\n\nSome *words*.")
    expect(page.locator(".markdown-preview-output h2").first).to_have_text("A heading")

    # Swagger UI, drawn from its own files and its init script served as a file.
    watch.visit("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Colloquy API")
    expect(page.locator(".opblock").first).to_be_visible()
    watch.assert_none()
