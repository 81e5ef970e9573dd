from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import pagecache
from .navigation import top_sections


def site(request):
    # Lazy: a page that never shows the navigation never reads it. On the section tree's pages the
    # middleware read the tree's version: the list is kept under it.
    page = pagecache.versions_of(request)

    def sections():
        if page is None:
            return top_sections()
        return pagecache.kept("nav", (page.navigation,), top_sections)

    return {"site_name": settings.SITE_NAME, "nav_sections": SimpleLazyObject(sections)}
