"""A reader's notifications through the API: the inbox, and marking them read.

Thin views over comments/notifications.py, the same rules the site's inbox follows.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from comments import notifications
from comments.models import Notification

from .pagination import DateCursorPagination
from .serializers import StrictFieldsMixin


class NewestFirst(DateCursorPagination):
    ordering = ("-created_at", "-id")


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    read = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()
    comment_url = serializers.SerializerMethodField()
    comment_visible = serializers.SerializerMethodField()
    article_title = serializers.CharField(source="comment.article.title", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "created_at",
            "read",
            "actor",
            "comment",
            "comment_url",
            "comment_visible",
            "article_title",
            "reason",
        ]
        read_only_fields = fields

    def get_read(self, obj: Notification) -> bool:
        return obj.read_at is not None

    def get_actor(self, obj: Notification) -> str | None:
        return obj.actor.username if obj.actor else None

    def get_comment_url(self, obj: Notification) -> str:
        return self.context["request"].build_absolute_uri(obj.comment.get_absolute_url())

    def get_comment_visible(self, obj: Notification) -> bool:
        return obj.comment.is_visible


@extend_schema(summary="Your notifications, newest first")
class NotificationListView(ListAPIView):
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = NewestFirst

    def get_queryset(self):
        return notifications.inbox(self.request.user)


class MarkReadSerializer(StrictFieldsMixin, serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=500,
        help_text="The notifications to mark read; all of them when left out.",
    )


class MarkReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Mark notifications read",
        request=MarkReadSerializer,
        responses=inline_serializer(
            "MarkedRead",
            {"marked": serializers.IntegerField(), "unread": serializers.IntegerField()},
        ),
    )
    def post(self, request: Request) -> Response:
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reader = request.user
        assert isinstance(reader, User)  # IsAuthenticated
        marked = notifications.mark_read(reader=reader, ids=data.validated_data.get("ids"))
        reader.refresh_from_db(fields=["unread_notifications"])
        return Response({"marked": marked, "unread": reader.unread_notifications})
