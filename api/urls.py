from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import articles, me

router = DefaultRouter()
router.register("sections", articles.SectionViewSet, basename="section")
router.register("articles", articles.ArticleViewSet, basename="article")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("me/", me.me, name="me"),
    path("", include(router.urls)),
]
