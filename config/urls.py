from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.feeds import LatestArticlesFeed, SectionFeed
from articles.sitemaps import sitemaps
from comments.urls import profile_urlpatterns
from moderation.urls import reader_urlpatterns as standing_urlpatterns

from . import views

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("feeds/latest/", LatestArticlesFeed(), name="feed"),
    path("feeds/sections/<path:path>/", SectionFeed(), name="section-feed"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/", include("api.urls")),
    # --- Comments: actions, and readers' profile pages ---
    path("comments/", include("comments.urls")),
    path("comments/", include((standing_urlpatterns, "standing"))),
    path("users/", include((profile_urlpatterns, "profiles"))),
    # --- Moderation: the editors' queues, sanctions and overview ---
    path("moderation/", include("moderation.urls")),
    # The section tree owns every other path: keep it last.
    path("", include("articles.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
