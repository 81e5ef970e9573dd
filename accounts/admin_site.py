"""The Django admin behind the workspace policy (accounts.roles.admin_access).

Only editors, superusers and staff (writers) get in, with two-factor authentication when
settings.EDITORS_REQUIRE_MFA asks for it. The admin's own password form is never used: logging in
goes through allauth (rate limits, the two-factor step), then back to the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .decorators import refuse_editor_access
from .roles import EditorAccess, admin_access


class EditorsAdminSite(admin.AdminSite):
    site_header = f"{settings.SITE_NAME} administration"
    site_title = f"{settings.SITE_NAME} admin"

    def has_permission(self, request: HttpRequest) -> bool:
        return admin_access(request.user) is EditorAccess.ALLOWED

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        access = admin_access(request.user)
        if access is EditorAccess.ALLOWED:
            return super().login(request, extra_context)
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        return refuse_editor_access(request, access, next_url=next_url)
