"""Who may do what: the one policy that views, admin, API and commands ask.

Readers are everyone signed in. Editors are the members of the `Editors` group (created by a
migration); each app adds the permissions it owns to that group in its own migrations, so the
dependency between apps stays one-way.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from .models import User

EDITORS_GROUP = "Editors"


def is_editor(user: User | AnonymousUser | None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_editor", None)
    if cached is None:
        cached = user.groups.filter(name=EDITORS_GROUP).exists()
        user._is_editor = cached
    return cached


def editor_ids(user_ids: Iterable[int]) -> set[int]:
    """Which of these users are editors, in one query (for badges in a thread)."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return set()
    return set(
        User.objects.filter(Q(groups__name=EDITORS_GROUP) | Q(is_superuser=True), pk__in=ids)
        .values_list("pk", flat=True)
        .distinct()
    )
