"""Every route is public, for signed-in readers, or for editors only: nothing slips through.

The test walks the whole URL configuration (config.urls, recursively: tests/routes.py). A route
that is in neither allowlist below must refuse anonymous visitors and plain readers, by GET and
by POST, with parameters filled in by plausible values (the primary key of a real object of the
model the route names, a real section path, ...). Refused means 401, 403, 404 or 405, or a
redirect to the login page.

Adding a public page or a page for every signed-in reader means adding its URL name here, on
purpose; an editor page needs nothing but its guard (accounts.decorators.editor_required).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.routes import ROUTES, urls_for

pytestmark = pytest.mark.django_db

# Anyone may open these (URL names; "namespace:name" inside a namespace).
PUBLIC_ROUTES = frozenset(
    {
        # The site
        "articles:home",
        "articles:resolve",  # the section tree and its articles (catch-all)
        "articles:search",
        "feed",
        "section-feed",
        "sitemap",
        "robots-txt",
        "favicon",
        "healthz",
        # allauth's pages for visitors who are not (yet) signed in
        "account_login",
        "account_logout",
        "account_signup",
        "account_inactive",
        "account_email_verification_sent",
        "account_confirm_email",
        "account_confirm_login_code",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "mfa_authenticate",  # the second step of a login in progress
        # Comments: a permalink, and readers' public profiles
        "comments:permalink",
        "comments:thread",  # the discussion alone, and its version (live threads)
        "comments:thread-version",
        "profiles:profile",
        # Unsubscribing from an email: the signed token in the URL is the authority
        "profiles:unsubscribe",
        # The public API (its write endpoints check their own permissions: tests/api/)
        "api:api-root",
        "api:schema",
        "api:docs",
        "api:section-list",
        "api:section-detail",
        "api:article-list",
        "api:article-detail",
        "api:article-comments",
        "api:comment-detail",
        "api:comment-replies",
        "api:comment-report",
        "api:comment-helpful",
        "api:not-found",  # anything else under /api/: a problem+json 404
    }
)

# Every signed-in reader may open these; anonymous visitors must be refused.
SIGNED_IN_ROUTES = frozenset(
    {
        "account_email",
        "account_change_password",
        "account_set_password",
        "account_reauthenticate",
        # allauth 65.22: reauthenticating by a code sent by email (the same step, another way)
        "account_request_reauthentication_code",
        "account_confirm_reauthentication_code",
        "accounts:delete",
        "mfa_index",
        "mfa_reauthenticate",
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "accounts:tokens",
        "comments:post",
        "comments:edit",
        "comments:delete",
        "comments:report",
        "comments:preview",
        "comments:helpful",
        "standing:warnings",  # a reader acknowledges the editors' warning (moderation)
        "profiles:me",
        "profiles:my-comments",
        "profiles:my-data",
        "profiles:notifications",
        "profiles:notification-settings",
        "comments:follow",
        "api:me",
        "api:notifications",
        "api:notifications-read",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
    }
)

GUARDED_ROUTES = sorted(set(ROUTES) - PUBLIC_ROUTES - SIGNED_IN_ROUTES)
REFUSED_STATUSES = {401, 403, 404, 405}
LOGIN_PATH = "/accounts/login/"


def refused(client, method: str, url: str) -> bool:
    response = getattr(client, method)(url)
    for _ in range(5):
        if response.status_code in REFUSED_STATUSES:
            return True
        if response.status_code not in (301, 302, 303, 307, 308):
            return False
        target = urlsplit(response["Location"])
        if target.path == LOGIN_PATH:
            return True
        response = client.get(response["Location"])
    return False


@pytest.mark.parametrize("name", GUARDED_ROUTES)
def test_every_editor_route_refuses_anonymous_visitors_and_readers(
    client, route_world, reader, name
):
    urls = urls_for(ROUTES[name], route_world)
    assert urls, f"Could not build a URL for {name}: teach candidate_values its parameters."
    for url in urls:
        for method in ("get", "post"):
            client.logout()
            assert refused(client, method, url), f"anonymous {method.upper()} {url} was let in"
            client.force_login(reader)
            assert refused(client, method, url), f"reader {method.upper()} {url} was let in"


@pytest.mark.parametrize("name", sorted(SIGNED_IN_ROUTES))
def test_every_account_route_refuses_anonymous_visitors(client, route_world, name):
    urls = urls_for(ROUTES[name], route_world)
    assert urls
    for url in urls:
        for method in ("get", "post"):
            assert refused(client, method, url), f"anonymous {method.upper()} {url} was let in"


def test_the_allowlists_name_only_routes_that_exist():
    assert set(ROUTES) >= (PUBLIC_ROUTES | SIGNED_IN_ROUTES)
    assert not PUBLIC_ROUTES & SIGNED_IN_ROUTES


def test_the_walk_sees_the_editor_routes_it_is_meant_to_guard():
    # A sanity check on the walk itself: the admin and its models are among the guarded routes.
    assert {"admin:index", "admin:articles_article_change", "admin:app_list"} <= set(GUARDED_ROUTES)


def test_the_guard_check_would_catch_an_unguarded_route(client, route_world, settings):
    """The refusal check fails for a page that lets everyone in (so the walk can fail)."""
    assert not refused(client, "get", "/")
