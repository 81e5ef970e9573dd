"""Comment actions at /comments/ and readers' profile pages at /users/ (both mounted in config)."""

from django.urls import path

from . import notification_views, views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_pk>/", views.post, name="post"),
    path("<int:pk>/", views.permalink, name="permalink"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/report/", views.report, name="report"),
    path("preview/", views.preview, name="preview"),
    path("thread/<int:article_pk>/", views.thread_section, name="thread"),
    path("thread/<int:article_pk>/version/", views.thread_version, name="thread-version"),
    path("<int:pk>/helpful/", views.helpful, name="helpful"),
    path("follow/<int:article_pk>/", notification_views.follow, name="follow"),
]

# Included as "profiles" at /users/: me/ comes before <username>/, so "me" is never a username.
profile_urlpatterns = [
    path("me/", views.my_profile, name="me"),
    path("me/comments/", views.my_comments, name="my-comments"),
    path("me/data.json", views.my_data, name="my-data"),
    path("me/notifications/", notification_views.inbox, name="notifications"),
    path(
        "me/notifications/settings/",
        notification_views.email_settings,
        name="notification-settings",
    ),
    path(
        "me/notifications/unsubscribe/<str:token>/",
        notification_views.unsubscribe,
        name="unsubscribe",
    ),
    path("<str:username>/", views.profile, name="profile"),
]
