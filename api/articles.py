"""Public, read-only: the section tree and published articles."""

from __future__ import annotations

from django.db.models.functions import Coalesce
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from articles.models import Article, Section

from .pagination import DateCursorPagination
from .problems import FieldNotFound
from .serializers import AuthorSerializer, PageURLField


class SectionSerializer(serializers.ModelSerializer):
    """One node of the tree: `parent` and `children` are section ids, so clients can walk it."""

    # Not Field.parent, as the stubs think: DRF's metaclass takes declared fields off the class.
    parent = serializers.PrimaryKeyRelatedField[Section](  # type: ignore[assignment]
        read_only=True, allow_null=True
    )
    children = serializers.SerializerMethodField()
    depth = serializers.IntegerField(read_only=True)
    url = PageURLField()

    class Meta:
        model = Section
        fields = [
            "id",
            "name",
            "slug",
            "path",
            "depth",
            "parent",
            "children",
            "position",
            "description",
            "url",
        ]

    def get_children(self, obj: Section) -> list[int]:
        return self.context["children"].get(obj.pk, [])


class SectionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "name", "path"]


class ArticleSerializer(serializers.ModelSerializer):
    section = SectionBriefSerializer(read_only=True)
    author = AuthorSerializer(read_only=True)
    summary = serializers.CharField(source="description", read_only=True)
    comment_count = serializers.IntegerField(read_only=True)
    url = PageURLField()

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "slug",
            "section",
            "summary",
            "author",
            "published_at",
            "updated_at",
            "comment_count",
            "url",
        ]


class ArticleDetailSerializer(ArticleSerializer):
    comments_open = serializers.SerializerMethodField()

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body_html", "comments_mode", "comments_open"]

    def get_comments_open(self, obj: Article) -> bool:
        return not obj.comments_closed


class NewestFirst(DateCursorPagination):
    ordering = ("-published_at", "-id")


def _children_by_parent(sections) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for section in sections:
        if section.parent_id is not None:
            children.setdefault(section.parent_id, []).append(section.pk)
    return children


@extend_schema_view(
    list=extend_schema(summary="The section tree, root first, in display order"),
    retrieve=extend_schema(summary="One section"),
)
class SectionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SectionSerializer
    permission_classes = [AllowAny]
    pagination_class = None  # a tree is small and wanted whole
    queryset = Section.objects.order_by("path")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # One query for the whole tree, whichever endpoint asks.
        context["children"] = _children_by_parent(
            Section.objects.order_by("position", "name").only("pk", "parent_id")
        )
        return context


@extend_schema_view(
    list=extend_schema(
        summary="Published articles, newest first",
        parameters=[
            OpenApiParameter(
                "section",
                OpenApiTypes.STR,
                description="A section path, e.g. more/health: articles in it and below it.",
            )
        ],
    ),
    retrieve=extend_schema(summary="One published article with its rendered body"),
)
class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    pagination_class = NewestFirst

    def get_queryset(self):
        articles = (
            Article.objects.published()
            .select_related("section", "author")
            # The count each thread keeps (comments.models.Thread): no page view counts rows.
            .annotate(comment_count=Coalesce("thread__visible_count", 0))
        )
        path = self.request.query_params.get("section")
        if path:
            section = Section.objects.filter(path=path.strip("/")).first()
            if section is None:
                raise FieldNotFound("section", f"No section at “{path}”.")
            articles = articles.in_section_tree(section)
        return articles

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer
