"""Moderation's pages: the editors' at /moderation/ (namespace "moderation"), and a reader's
warnings at /comments/warnings/ (namespace "standing"; both mounted in config/urls.py)."""

from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("queue/<slug:queue>/", views.queue, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    path("comments/<int:pk>/", views.comment_detail, name="comment"),
    path("comments/<int:pk>/feature/", views.feature, name="feature"),
    path("comments/<int:pk>/<slug:action>/", views.decide, name="decide"),
    path("users/<int:pk>/", views.user_card, name="user"),
    path("users/<int:pk>/sanction/", views.sanction_reader, name="sanction"),
    path("users/<int:pk>/notes/", views.note, name="note"),
    path("sanctions/<int:pk>/lift/", views.lift, name="lift"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/packs/new/", views.pack_page, name="pack-new"),
    path("settings/packs/<int:pk>/", views.pack_page, name="pack"),
]

reader_urlpatterns = [
    path("warnings/", views.warnings, name="warnings"),
]
