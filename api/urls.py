from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import articles, comments, me, problems

router = DefaultRouter()
router.register("sections", articles.SectionViewSet, basename="section")
router.register("articles", articles.ArticleViewSet, basename="article")
router.register("comments", comments.CommentViewSet, basename="comment")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("me/", me.me, name="me"),
    path(
        "articles/<int:article_id>/comments/",
        comments.ArticleCommentsView.as_view(),
        name="article-comments",
    ),
    path("", include(router.urls)),
    # Anything else under /api/ is a problem+json 404, whatever the method: never a site page.
    re_path(r"^", problems.no_such_endpoint, name="not-found"),
]
