"""Comment actions at /comments/ and readers' profile pages at /users/ (both mounted in config)."""

from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_pk>/", views.post, name="post"),
    path("<int:pk>/", views.permalink, name="permalink"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/helpful/", views.helpful, name="helpful"),
]

# Included as "profiles" at /users/: me/ comes before <username>/, so "me" is never a username.
profile_urlpatterns = [
    path("me/", views.my_profile, name="me"),
    path("me/comments/", views.my_comments, name="my-comments"),
    path("me/data.json", views.my_data, name="my-data"),
    path("<str:username>/", views.profile, name="profile"),
]
