"""Account pages allauth does not have. Thin: the rules are in accounts/services.py."""

from __future__ import annotations

from allauth.account.forms import ReauthenticateForm
from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .decorators import AuthenticatedHttpRequest
from .forms import ApiTokenForm
from .services import AccountDeletionRefused, delete_account, deletion_refusal
from .tokens import TokenRefused, create_token, revoke_token, tokens_of


@login_required
@require_http_methods(["GET", "POST"])
def delete_account_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The reader confirms with their password (allauth's reauthentication form), then goes."""
    refusal = deletion_refusal(user=request.user)
    form = ReauthenticateForm(data=request.POST or None, user=request.user)
    if request.method == "POST" and not refusal:
        # The same budget as allauth's other password confirmations (ACCOUNT_RATE_LIMITS).
        limited = consume_or_429(request, action="reauthenticate", user=request.user)
        if limited:
            return limited
        if form.is_valid():
            try:
                delete_account(user=request.user)
            except AccountDeletionRefused as exc:
                refusal = str(exc)
            else:
                logout(request)
                messages.success(request, "Your account has been deleted. Goodbye, and thank you.")
                return redirect("articles:home")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/delete.html", {"form": form, "refusal": refusal}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create, list and revoke personal API tokens; a new token's secret is shown this once."""
    form = ApiTokenForm(data=request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if "revoke" in request.POST:
            if revoke_token(user=request.user, token_key=request.POST["revoke"]):
                messages.success(request, "The token is revoked: nothing can use it any more.")
            else:
                messages.error(request, "No such token.")
            return redirect("accounts:tokens")
        if form.is_valid():
            try:
                _, secret = create_token(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    lifetime_days=form.lifetime_days(),
                )
            except TokenRefused as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                form = ApiTokenForm()
        else:
            status = 400
    context = {"form": form, "secret": secret, "tokens": tokens_of(user=request.user)}
    response = render(request, "accounts/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the secret must not linger in any cache
    return response
