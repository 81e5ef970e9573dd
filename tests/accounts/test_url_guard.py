"""Every route is public, for signed-in readers, or for editors only: nothing slips through.

The test walks the whole URL configuration (config.urls, recursively). A route that is in neither
allowlist below must refuse anonymous visitors and plain readers, by GET and by POST, with
parameters filled in by plausible values (the primary key of a real object of the model the route
names, a real section path, ...). Refused means 401, 403, 404 or 405, or a redirect to the login
page.

Adding a public page or a page for every signed-in reader means adding its URL name here, on
purpose; an editor page needs nothing but its guard (accounts.decorators.editor_required).
"""

from __future__ import annotations

import itertools
import uuid
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

from accounts.roles import EDITORS_GROUP
from articles.models import Article
from comments.models import Comment

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
        "profiles:profile",
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
        "standing:warnings",  # a reader acknowledges the editors' warning (moderation)
        "profiles:me",
        "profiles:my-comments",
        "api:me",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
    }
)

REFUSED_STATUSES = {401, 403, 404, 405}
LOGIN_PATH = "/accounts/login/"


def _walk(patterns, chain=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, (*chain, entry))
        else:
            yield (*chain, entry)


def _name(chain) -> str:
    namespaces = [p.namespace for p in chain[:-1] if isinstance(p, URLResolver) and p.namespace]
    leaf: URLPattern = chain[-1]
    if leaf.name:
        return ":".join([*namespaces, leaf.name])
    # Unnamed routes are known by their pattern, the way Django reports them (ResolverMatch.route).
    route = ""
    for p in chain:
        piece = str(p.pattern)
        route = route + piece.removeprefix("^") if route else piece
    return route


ROUTES = {_name(chain): chain for chain in _walk(get_resolver().url_patterns)}
GUARDED_ROUTES = sorted(set(ROUTES) - PUBLIC_ROUTES - SIGNED_IN_ROUTES)


@pytest.fixture
def world(reader, stranger, editor, article):
    """One real object of every kind a route may name, so parameters can be real keys."""
    Comment.objects.create(article=article, author=stranger, body="Hi", body_html="<p>Hi</p>")
    Authenticator.objects.create(user=reader, type=Authenticator.Type.TOTP, data={"secret": "A"})
    return {"article": article, "section": article.section}


def _candidate_values(name: str, model, world) -> list[str]:
    if name in {"object_id", "id", "pk"} and model is not None:
        obj = model._default_manager.order_by("pk").first()
        return [str(obj.pk)] if obj else ["1"]
    if name in {"object_id", "id", "pk"} or name.endswith("_id"):
        if name == "content_type_id":
            return [str(ContentType.objects.get_for_model(Article).pk)]
        keys = {
            world["article"].pk,
            world["section"].pk,
            Comment.objects.first().pk,
            EmailAddress.objects.first().pk,
            Group.objects.get(name=EDITORS_GROUP).pk,
        }
        return [str(k) for k in sorted(keys)]
    if name == "app_label":
        return [c.label for c in apps.get_app_configs()]
    if name == "path":
        return [world["section"].path, f"{world['section'].path}/{world['article'].slug}"]
    if name == "slug":
        return [world["article"].slug]
    if name in {"username", "user"}:
        return ["reader"]
    if name == "uuid":
        return [str(uuid.uuid4())]
    return ["reader", "1", world["article"].slug]


def _model_named_by(url: str):
    """The model an admin-style URL is about: /admin/<app_label>/<model_name>/..."""
    parts = [p for p in url.split("/") if p]
    for app_label, model_name in itertools.pairwise(parts):
        try:
            return apps.get_model(app_label, model_name)
        except (LookupError, ValueError):
            continue
    return None


def urls_for(chain, world, limit: int = 3) -> list[str]:
    """Concrete URLs that resolve to this route, with plausible values for its parameters."""
    template, params = "", []
    for p in chain:
        fmt, names = normalize(p.pattern.regex.pattern)[0]
        template += fmt
        params += names
    prefix = "/" + template.split("%(")[0]
    model = _model_named_by(prefix)
    choices = [_candidate_values(name, model, world) for name in params]
    urls = []
    for values in itertools.product(*choices):
        url = "/" + template % dict(zip(params, values, strict=True))
        try:
            match = resolve(url)
        except Resolver404:
            continue
        if _name_of_match(match) == _name(chain):
            urls.append(url)
            if len(urls) == limit:
                break
    return urls


def _name_of_match(match) -> str:
    return match.view_name if match.url_name else match.route


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
def test_every_editor_route_refuses_anonymous_visitors_and_readers(client, world, reader, name):
    urls = urls_for(ROUTES[name], world)
    assert urls, f"Could not build a URL for {name}: teach _candidate_values its parameters."
    for url in urls:
        for method in ("get", "post"):
            client.logout()
            assert refused(client, method, url), f"anonymous {method.upper()} {url} was let in"
            client.force_login(reader)
            assert refused(client, method, url), f"reader {method.upper()} {url} was let in"


@pytest.mark.parametrize("name", sorted(SIGNED_IN_ROUTES))
def test_every_account_route_refuses_anonymous_visitors(client, world, name):
    urls = urls_for(ROUTES[name], world)
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


def test_the_guard_check_would_catch_an_unguarded_route(client, world, settings):
    """The refusal check fails for a page that lets everyone in (so the walk can fail)."""
    assert not refused(client, "get", "/")
