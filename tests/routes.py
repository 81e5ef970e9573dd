"""Every route of the site, walked from the URL configuration, with real values for its parameters.

Shared by the tests that visit every route: the guard (tests/accounts/test_url_guard.py: editors'
pages refuse everyone else) and hostile input (tests/test_hostile_input.py: no input is a 5xx).
`ROUTES` maps each route's name ("namespace:name", or the pattern of an unnamed route) to its chain
of resolvers; `urls_for(chain, world)` builds concrete URLs that resolve to it, where `world` (the
`route_world` fixture, tests/conftest.py) holds one real object of each kind a route may name.
"""

from __future__ import annotations

import itertools
import uuid

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

from accounts.roles import EDITORS_GROUP
from articles.models import Article
from comments.models import Comment


def walk(patterns, chain=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, (*chain, entry))
        else:
            yield (*chain, entry)


def route_name(chain) -> str:
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


ROUTES = {route_name(chain): chain for chain in walk(get_resolver().url_patterns)}


def candidate_values(name: str, model, world) -> list[str]:
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


def template_of(chain) -> tuple[str, list[str]]:
    """The route as a %-format string ("/" not included) and the names of its parameters."""
    template, params = "", []
    for p in chain:
        fmt, names = normalize(p.pattern.regex.pattern)[0]
        template += fmt
        params += names
    return template, params


def resolves_to(url: str, chain) -> bool:
    try:
        match = resolve(url)
    except Resolver404:
        return False
    return name_of_match(match) == route_name(chain)


def urls_for(chain, world, limit: int = 3) -> list[str]:
    """Concrete URLs that resolve to this route, with plausible values for its parameters."""
    template, params = template_of(chain)
    prefix = "/" + template.split("%(")[0]
    model = _model_named_by(prefix)
    choices = [candidate_values(name, model, world) for name in params]
    urls = []
    for values in itertools.product(*choices):
        url = "/" + template % dict(zip(params, values, strict=True))
        if resolves_to(url, chain):
            urls.append(url)
            if len(urls) == limit:
                break
    if not urls and not params and chain[-1].pattern.regex.pattern == "^":
        # A catch-all (the API's "no such endpoint") owns only what nothing before it matches.
        urls = [url for url in ("/" + template + "no-such-thing/",) if resolves_to(url, chain)]
    return urls


def name_of_match(match) -> str:
    return match.view_name if match.url_name else match.route
