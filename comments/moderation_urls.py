"""The editors' moderation pages, mounted at /moderation/ (namespace "moderation")."""

from django.urls import path

from . import moderation_views as views

app_name = "moderation"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("queue/<slug:queue>/", views.queue, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    path("comments/<int:pk>/", views.comment_detail, name="comment"),
    path("comments/<int:pk>/feature/", views.feature, name="feature"),
    path("comments/<int:pk>/<slug:action>/", views.decide, name="decide"),
    path("users/<int:pk>/", views.user_card, name="user"),
    path("users/<int:pk>/sanction/", views.sanction, name="sanction"),
    path("users/<int:pk>/notes/", views.note, name="note"),
    path("sanctions/<int:pk>/lift/", views.lift, name="lift"),
    path("settings/", views.settings_page, name="settings"),
]
