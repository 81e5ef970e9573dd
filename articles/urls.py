from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    # "search", "preview" and "pages" are reserved section slugs, so these never shadow a section.
    path("search/", views.search, name="search"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("pages/<slug:slug>/", views.page_detail, name="page"),
    # Catch-all for the section tree: include this last in config/urls.py.
    path("<path:path>/", views.resolve, name="resolve"),
]
