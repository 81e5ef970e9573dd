"""Account pages allauth does not have. Thin: the rules are in accounts/services.py."""

from __future__ import annotations

from allauth.account.forms import ReauthenticateForm
from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .services import AccountDeletionRefused, delete_account, deletion_refusal


@login_required
@require_http_methods(["GET", "POST"])
def delete_account_view(request: HttpRequest) -> HttpResponse:
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
