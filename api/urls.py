from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import articles, comments, me, moderation, notifications, problems

# JSON is the only format, so no ".json" twin of every address (DRF's format suffixes reach views
# that take no `format` argument: a server error).
router = DefaultRouter()
router.include_format_suffixes = False
router.register("sections", articles.SectionViewSet, basename="section")
router.register("articles", articles.ArticleViewSet, basename="article")
router.register("comments", comments.CommentViewSet, basename="comment")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its init script as a file, for the Content-Security-Policy.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("me/", me.me, name="me"),
    path(
        "me/notifications/",
        notifications.NotificationListView.as_view(),
        name="notifications",
    ),
    path(
        "me/notifications/read/",
        notifications.MarkReadView.as_view(),
        name="notifications-read",
    ),
    path(
        "articles/<int:article_id>/comments/",
        comments.ArticleCommentsView.as_view(),
        name="article-comments",
    ),
    # The editors' endpoints (api/moderation.py).
    path("moderation/queues/", moderation.QueuesView.as_view(), name="moderation-queues"),
    path(
        "moderation/queues/<str:queue>/",
        moderation.QueueView.as_view(),
        name="moderation-queue",
    ),
    path(
        "moderation/comments/<int:pk>/",
        moderation.CommentReviewView.as_view(),
        name="moderation-comment",
    ),
    path(
        "moderation/comments/<int:pk>/decision/",
        moderation.DecisionView.as_view(),
        name="moderation-decision",
    ),
    path(
        "moderation/comments/<int:pk>/history/",
        moderation.HistoryView.as_view(),
        name="moderation-history",
    ),
    path(
        "moderation/comments/<int:pk>/feature/",
        moderation.FeatureView.as_view(),
        name="moderation-feature",
    ),
    path("moderation/decisions/", moderation.BulkDecisionView.as_view(), name="moderation-bulk"),
    path("moderation/users/<int:pk>/", moderation.UserCardView.as_view(), name="moderation-user"),
    path(
        "moderation/users/<int:pk>/sanctions/",
        moderation.SanctionsView.as_view(),
        name="moderation-sanctions",
    ),
    path(
        "moderation/users/<int:pk>/notes/",
        moderation.NotesView.as_view(),
        name="moderation-notes",
    ),
    path(
        "moderation/sanctions/<int:pk>/lift/",
        moderation.LiftView.as_view(),
        name="moderation-lift",
    ),
    path("moderation/overview/", moderation.OverviewView.as_view(), name="moderation-overview"),
    path("", include(router.urls)),
    # Anything else under /api/ is a problem+json 404, whatever the method: never a site page.
    re_path(r"^", problems.no_such_endpoint, name="not-found"),
]
