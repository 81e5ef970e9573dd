from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    # Catch-all for the section tree: include this last in config/urls.py.
    path("<path:path>/", views.resolve, name="resolve"),
]
