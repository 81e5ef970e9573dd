"""The one guard for editor-only views: `@editor_required`.

Anonymous visitors are sent to log in (and back), readers get the 403 page, and an editor who must
turn on two-factor authentication first (settings.EDITORS_REQUIRE_MFA) is sent to set it up with a
message saying why. The admin site applies the same policy (accounts/admin_site.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .models import User
from .roles import EditorAccess, editor_access


class AuthenticatedHttpRequest(HttpRequest):
    """For type checkers only: the request of a view behind `login_required` (or the admin).

    Its user is signed in, so it is a `User`, never an `AnonymousUser`. Requests are never
    instances of this class; annotate a guarded view's `request` with it.
    """

    user: User


MFA_REQUIRED_MESSAGE = (
    "Editors must turn on two-factor authentication before they can open editor pages. "
    "Set up an authenticator app below, then go back to the page you wanted."
)


def refuse_editor_access(request: HttpRequest, access: EditorAccess, *, next_url: str):
    """The response for a user the editors' policy turns away (or PermissionDenied, for a 403)."""
    if access is EditorAccess.ANONYMOUS:
        return redirect_to_login(next_url, settings.LOGIN_URL)
    if access is EditorAccess.NEEDS_MFA:
        messages.warning(request, MFA_REQUIRED_MESSAGE)
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
    raise PermissionDenied("Editors only.")


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let only editors (with two-factor authentication, when required) reach `view`.

    For class-based views: `method_decorator(editor_required, name="dispatch")`.
    """

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        access = editor_access(request.user)
        if access is not EditorAccess.ALLOWED:
            return refuse_editor_access(request, access, next_url=request.get_full_path())
        return view(request, *args, **kwargs)

    return guarded
