from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import top_sections


def site(request):
    # Lazy: a page that never shows the navigation never reads it.
    return {"site_name": settings.SITE_NAME, "nav_sections": SimpleLazyObject(top_sections)}
