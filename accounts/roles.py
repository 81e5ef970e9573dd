"""Who may do what: the one policy that views, admin, API and commands ask.

Readers are everyone signed in. Editors are the members of the `Editors` group (created by a
migration); each app adds the permissions it owns to that group in its own migrations, so the
dependency between apps stays one-way.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from .models import User
from .readers import remembered

if TYPE_CHECKING:
    from django.apps.registry import Apps

EDITORS_GROUP = "Editors"


def grant_to_editors(apps: Apps, permissions: Iterable[str]) -> None:
    """For data migrations: make sure the Editors group exists and holds these permissions.

    `permissions` are "app_label.codename" strings. Permissions are normally created after all
    migrations have run, so they are created here first if missing.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # A migration's app configs have no models module; create_permissions skips an app
        # without one, and asks no more than whether it is set.
        app_config.models_module = True  # type: ignore[assignment]
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    for dotted in permissions:
        app_label, codename = dotted.split(".", 1)
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def editor_permissions() -> list[str]:
    """Every permission the apps grant to editors (their AppConfig.editor_permissions)."""
    from django.apps import apps

    return [
        p for config in apps.get_app_configs() for p in getattr(config, "editor_permissions", [])
    ]


def make_editor(user: User) -> User:
    """Put a user in the Editors role (the group is made if missing)."""
    from django.apps import apps

    grant_to_editors(apps, editor_permissions())
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


def is_editor(user: User | AnonymousUser | None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_editor", None)
    if cached is None:
        cached = remembered(user, "editor", lambda: user.groups.filter(name=EDITORS_GROUP).exists())
        user._is_editor = cached
    return cached


def editor_ids(user_ids: Iterable[int | None]) -> set[int]:
    """Which of these users are editors, in one query (for badges in a thread)."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return set()
    return set(
        User.objects.filter(Q(groups__name=EDITORS_GROUP) | Q(is_superuser=True), pk__in=ids)
        .values_list("pk", flat=True)
        .distinct()
    )


class EditorAccess(enum.Enum):
    """The answer of the editors' policy for one user, so each refusal can be explained."""

    ALLOWED = "allowed"
    ANONYMOUS = "anonymous"
    NOT_EDITOR = "not_editor"
    NEEDS_MFA = "needs_mfa"


def editor_access(user: User | AnonymousUser | None) -> EditorAccess:
    """May this user reach editor-only pages (moderation)?

    Editors (and superusers) may, once they have two-factor authentication on when
    settings.EDITORS_REQUIRE_MFA asks for it. Every editor-only guard
    (accounts.decorators.editor_required) asks this one function.
    """
    if user is None or not user.is_authenticated:
        return EditorAccess.ANONYMOUS
    if not is_editor(user):
        return EditorAccess.NOT_EDITOR
    return _second_factor(user)


def admin_access(user: User | AnonymousUser | None) -> EditorAccess:
    """May this user reach the admin (the editors' workspace)?

    Editors, and staff such as writers who draft but may not publish: the admin's own model
    permissions then limit what each sees. The same two-factor requirement applies.
    """
    if user is None or not user.is_authenticated:
        return EditorAccess.ANONYMOUS
    if not (user.is_active and (user.is_staff or is_editor(user))):
        return EditorAccess.NOT_EDITOR
    return _second_factor(user)


def _second_factor(user: User) -> EditorAccess:
    if settings.EDITORS_REQUIRE_MFA:
        from allauth.mfa.utils import is_mfa_enabled

        if not is_mfa_enabled(user):
            return EditorAccess.NEEDS_MFA
    return EditorAccess.ALLOWED
