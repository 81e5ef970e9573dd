"""The site's URLs plus one view behind @editor_required, for the guard's own tests."""

from django.http import HttpResponse
from django.urls import include, path

from accounts.decorators import editor_required


@editor_required
def editor_only(request):
    return HttpResponse("editor desk")


urlpatterns = [
    path("editor-only/", editor_only, name="editor-only"),
    path("", include("config.urls")),
]
