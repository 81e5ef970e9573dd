"""Site-wide endpoints that belong to no app, and the error handlers."""

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from api import problems

from .cache import cache_reachable


@require_safe
@cache_control(no_store=True)
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers (the site works without its cache: "degraded"), else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", whatever its class
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    if not cache_reachable():
        return JsonResponse({"status": "degraded", "database": "ok", "cache": "unreachable"})
    return JsonResponse({"status": "ok", "database": "ok", "cache": "ok"})


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /moderation/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to the real one."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def _api_or_site(api_handler: Callable, site_handler: Callable) -> Callable:
    """An error handler: problem+json under /api/, the site's page everywhere else."""

    def handler(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        chosen = api_handler if request.path.startswith("/api/") else site_handler
        return chosen(request, *args, **kwargs)

    return handler


bad_request = _api_or_site(problems.bad_request, defaults.bad_request)
permission_denied = _api_or_site(problems.forbidden, defaults.permission_denied)
page_not_found = _api_or_site(problems.not_found, defaults.page_not_found)
server_error = _api_or_site(problems.server_error, defaults.server_error)
