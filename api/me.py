"""Who the client is acting as."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import is_editor
from accounts.selectors import has_verified_email


@extend_schema(
    summary="The signed-in user",
    responses=inline_serializer(
        "Me",
        {
            "username": serializers.CharField(),
            "is_editor": serializers.BooleanField(),
            "email_verified": serializers.BooleanField(),
            "unread_notifications": serializers.IntegerField(),
        },
    ),
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def me(request: Request) -> Response:
    user = request.user
    return Response(
        {
            "username": user.username,
            "is_editor": is_editor(user),
            "email_verified": has_verified_email(user),
            "unread_notifications": getattr(user, "unread_notifications", 0),
        }
    )
