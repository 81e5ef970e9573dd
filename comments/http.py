"""What the site and the API read from a request in the same way."""

from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from, as the server saw it.

    REMOTE_ADDR only: a forwarded header is whatever the client wants it to be unless a trusted
    proxy sets it, and the deployment decides that (the proxy or gunicorn sets REMOTE_ADDR).
    """
    return request.META.get("REMOTE_ADDR") or None
