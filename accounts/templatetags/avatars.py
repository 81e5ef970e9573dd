"""`{% avatar user %}`: a reader's generated avatar (accounts/avatars.py)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from accounts.avatars import avatar_svg

register = template.Library()


@register.simple_tag
def avatar(user: Any, size: int = 32) -> SafeString:
    """The avatar of this user, or of a deleted account when there is none."""
    return avatar_svg(getattr(user, "username", None) or None, size=size)
