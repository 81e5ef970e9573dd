from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("delete/", views.delete_account_view, name="delete"),
    path("tokens/", views.api_tokens_view, name="tokens"),
]
