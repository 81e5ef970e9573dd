"""Comments through the API: an article's public thread, and readers' own comments and reports.

Thin views over the rules the site's own views call (comments/services.py); a refusal there (a
`CommentError` with its sentence) becomes a problem+json answer here, with the field it concerns.
Reads use the same querysets and the same thread builder (comments/thread.py) as the site.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import editor_ids
from articles.models import Article
from comments.errors import CommentError, CommentNudge
from comments.http import client_ip
from comments.models import Comment, Report
from comments.services import (
    BLANK,
    REPORT_TEXT_MAX_LENGTH,
    delete_comment,
    edit_comment,
    editable_until,
    post_comment,
    react,
    report_comment,
    unreact,
)
from comments.thread import ORDERS, Node, ordered_roots, shown_roots, thread_nodes

from .pagination import DateCursorPagination
from .problems import PROBLEM_JSON, Conflict
from .schema import NudgeProblemSerializer, ProblemSerializer
from .serializers import (
    StrictBooleanField,
    StrictFieldsMixin,
    StrictUUIDField,
    TextField,
    request_rules,
)
from .throttles import CommentWritesThrottle

# --- Reading --------------------------------------------------------------------------------------


class CommentAuthorSerializer(serializers.Serializer):
    username = serializers.CharField()
    is_editor = serializers.BooleanField(help_text="Shown with an “Editor” badge on the site.")


def _author(comment: Comment, *, is_editor: bool) -> dict[str, Any] | None:
    if comment.author is None:  # the account was deleted: "deleted user" on the site
        return None
    return {"username": comment.author.username, "is_editor": is_editor}


_DATE_TIME = serializers.DateTimeField()  # ISO 8601, as every other date in the API


def _permalink(request: Request, comment: Comment) -> str:
    return request.build_absolute_uri(comment.get_absolute_url())


class ThreadCommentSerializer(serializers.Serializer):
    """A comment in an article's thread, with its visible replies.

    A comment that is no longer shown but still holds visible replies stays as a placeholder
    (`placeholder` true, no author, text or link), as on the site.
    """

    id = serializers.IntegerField()
    # Not Field.parent, as the stubs think: DRF's metaclass takes declared fields off the class.
    parent = serializers.IntegerField(  # type: ignore[assignment]
        allow_null=True, help_text="Null for a top-level comment."
    )
    depth = serializers.IntegerField(help_text="0 for a top-level comment.")
    placeholder = serializers.BooleanField(
        help_text="True for a removed comment kept only to hold its replies."
    )
    author = CommentAuthorSerializer(
        allow_null=True, help_text="Null for a placeholder and for a deleted account."
    )
    body_html = serializers.CharField(
        allow_null=True, help_text="The comment as sanitised HTML; null for a placeholder."
    )
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    url = serializers.URLField(
        allow_null=True, help_text="The comment on the article page; null for a placeholder."
    )
    helpful_count = serializers.IntegerField(
        help_text="Readers who found it helpful (0 for a placeholder)."
    )

    def get_fields(self):
        fields = super().get_fields()
        # Declared here, not on the class, because a reply is a thread comment too.
        fields["replies"] = ThreadCommentSerializer(many=True, help_text="Oldest first.")
        return fields

    def to_representation(self, node: Node) -> dict[str, Any]:
        return _thread_item(node, self.context["request"])


def _thread_item(node: Node, request: Request) -> dict[str, Any]:
    comment = node.comment
    shown = not node.placeholder
    return {
        "id": comment.pk,
        "parent": comment.parent_id,
        "depth": comment.depth,
        "placeholder": node.placeholder,
        "author": _author(comment, is_editor=node.by_editor) if shown else None,
        "body_html": comment.body_html if shown else None,
        "created_at": _DATE_TIME.to_representation(comment.created_at),
        "edited_at": _DATE_TIME.to_representation(comment.edited_at)
        if comment.edited_at and shown
        else None,
        "url": _permalink(request, comment) if shown else None,
        "helpful_count": comment.helpful_count if shown else 0,
        "replies": [_thread_item(child, request) for child in node.children],
    }


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable code, e.g. `article_premoderated`.")
    action = serializers.CharField(help_text="What the rule asked for: hold, reject, spam…")
    message = serializers.CharField(help_text="Why, in a sentence for the reader.")


class ModerationSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Comment.Status.choices)
    visible = serializers.BooleanField(help_text="Whether everyone sees it in the thread now.")
    message = serializers.CharField(help_text="What happens to the comment, for the reader.")
    reasons = ReasonSerializer(
        many=True, help_text="Every screening rule that fired, in order; empty when none did."
    )


OUTCOMES: dict[str, str] = {
    Comment.Status.APPROVED: "Your comment is published.",
    Comment.Status.PENDING: "Thank you: your comment will appear once an editor has approved it.",
    Comment.Status.REJECTED: "Your comment was not published.",
    Comment.Status.SPAM: "Your comment was not published.",
    Comment.Status.REMOVED: "Your comment was deleted.",
}


def moderation_of(comment: Comment) -> dict[str, Any]:
    """What became of a reader's comment and why: the reasons screening stored on it."""
    return {
        "status": comment.status,
        "visible": comment.is_visible,
        "message": OUTCOMES[comment.status],
        "reasons": [
            {
                "code": record.get("reason", ""),
                "action": record.get("action", ""),
                # The moderator's words for the author where it has them ("advice").
                "message": record.get("advice") or record.get("message", ""),
            }
            for record in comment.screening or []
        ],
    }


class CommentSerializer(serializers.ModelSerializer):
    """One comment. Its author also gets its text as typed, its edit deadline and its moderation."""

    article = serializers.IntegerField(source="article_id")
    # Not Field.parent, as the stubs think: DRF's metaclass takes declared fields off the class.
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="parent_id", allow_null=True, help_text="Null for a top-level comment."
    )
    author = serializers.SerializerMethodField(help_text="Null for a deleted account.")
    body = serializers.SerializerMethodField(
        help_text="The text as typed: for its author only (null for anyone else)."
    )
    editable_until = serializers.SerializerMethodField(
        help_text="For its author: until when it can be edited (null for anyone else)."
    )
    url = serializers.SerializerMethodField(help_text="The comment on the article page.")
    moderation = serializers.SerializerMethodField(
        help_text="For its author: its status and the screening reasons (null for anyone else)."
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "article",
            "parent",
            "depth",
            "status",
            "author",
            "body_html",
            "body",
            "created_at",
            "edited_at",
            "editable_until",
            "url",
            "helpful_count",
            "moderation",
        ]
        read_only_fields = fields

    def _own(self, comment: Comment) -> bool:
        user = self.context["request"].user
        return user.is_authenticated and comment.author_id == user.pk

    @extend_schema_field(CommentAuthorSerializer(allow_null=True))
    def get_author(self, comment: Comment) -> dict[str, Any] | None:
        return _author(comment, is_editor=comment.author_id in editor_ids([comment.author_id]))

    def get_body(self, comment: Comment) -> str | None:
        return comment.body if self._own(comment) else None

    def get_editable_until(self, comment: Comment) -> dt.datetime | None:
        return editable_until(comment) if self._own(comment) else None

    def get_url(self, comment: Comment) -> str:
        return _permalink(self.context["request"], comment)

    @extend_schema_field(ModerationSerializer(allow_null=True))
    def get_moderation(self, comment: Comment) -> dict[str, Any] | None:
        return moderation_of(comment) if self._own(comment) else None


# --- Writing --------------------------------------------------------------------------------------

# At least one character that shows (not a space, control character or angle bracket) and no NUL:
# the schema's way of saying what `body_problem` and the sanitiser refuse.
VISIBLE_TEXT = r"^[^\x00]*[^\s\x00-\x1f\x7f-\x9f<>][^\x00]*$"
SOME_TEXT = r"^[^\x00]*[^\s\x00][^\x00]*$"  # not only spaces


class CommentBodyField(TextField):
    """A comment's text; its rules (not blank, not too long) are the service's, with its words."""

    default_error_messages = {"blank": BLANK}  # the service's sentence (it refuses "  " too)


class CommentBodyFieldExtension(OpenApiSerializerFieldExtension):
    target_class = CommentBodyField
    priority = 1  # before the general TextField's

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "string",
            "minLength": 1,
            "maxLength": settings.COMMENTS_MAX_LENGTH,
            "pattern": VISIBLE_TEXT,
            "description": "Plain text with a little Markdown-like formatting; links are made "
            "clickable. Sanitised once, when stored.",
        }


class NewCommentSerializer(StrictFieldsMixin, serializers.Serializer):
    """A new comment or reply."""

    body = CommentBodyField()
    idempotency_key = StrictUUIDField(
        required=False,
        help_text="A UUID you choose per comment: sending the same one again returns the comment "
        "it made the first time instead of posting twice.",
    )
    confirmed = StrictBooleanField(
        required=False,
        default=False,
        help_text="Post anyway after a nudge (a 409 with `code` `nudge`): the comment is then "
        "stored and waits for an editor.",
    )


class EditCommentSerializer(StrictFieldsMixin, serializers.Serializer):
    """The comment's new text."""

    body = CommentBodyField(required=False, help_text="The new text; leave out to change nothing.")


@request_rules(
    # The service's rule, stated in the schema: the reason `other` needs some text.
    {
        "anyOf": [
            {"properties": {"reason": {"not": {"enum": [Report.Reason.OTHER.value]}}}},
            {"required": ["text"], "properties": {"text": {"pattern": SOME_TEXT}}},
        ]
    }
)
class NewReportSerializer(StrictFieldsMixin, serializers.Serializer):
    """Why the comment breaks the rules."""

    reason = serializers.ChoiceField(
        choices=Report.Reason.choices,
        error_messages={"invalid_choice": "Please choose a reason for your report."},
    )
    text = TextField(
        required=False,
        allow_blank=True,
        max_length=REPORT_TEXT_MAX_LENGTH,
        help_text="What is wrong with the comment; required when the reason is `other`.",
    )


class ReportSerializer(serializers.ModelSerializer):
    comment = serializers.IntegerField(source="comment_id")
    message = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "comment", "reason", "text", "created_at", "message"]
        read_only_fields = fields

    def get_message(self, report: Report) -> str:
        return "Thank you: your report was received. An editor will look at this comment."


# Refusals about the request's relation to earlier ones, not about the reader: 409.
CONFLICT_CODES = {"duplicate", "already_reported", "idempotency_mismatch"}


def refusal(error: CommentError) -> exceptions.APIException:
    """The API's answer to a refusal from the comment services.

    With a field, 400 and the field's error; the same text again, or a report made already, 409;
    posting too fast, 429 with Retry-After; anything else (banned, suspended, warned, comments
    closed, not one's own comment) 403 with the service's sentence for the reader. A screening
    rule's code, when there is one, is the problem's `code`.
    """
    if error.errors:
        return exceptions.ValidationError({k: [v] for k, v in error.errors.items()})
    members = {"code": error.code} if error.code else {}
    if error.code in CONFLICT_CODES:
        return Conflict(error.message, **members)
    answer: exceptions.APIException
    if error.retry_after is not None:  # refusals that pass with time say how long to wait
        wait = error.retry_after
        seconds = wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
        answer = exceptions.Throttled(wait=max(seconds, 1))
        answer.detail = exceptions.ErrorDetail(error.message, code="throttled")
    else:
        answer = exceptions.PermissionDenied(error.message)
    # Extension members of the problem, like Conflict's: DRF's exceptions have no such attribute,
    # and api/problems.py reads it with getattr.
    answer.members = members  # type: ignore[union-attr]
    return answer


CONFIRM = 'Send the same request again with "confirmed": true to post it anyway.'


def nudge_problem(nudge: CommentNudge) -> Conflict:
    """Not refused and not saved: the reader is asked to look again, and may confirm."""
    return Conflict(
        nudge.message,
        code="nudge",
        reasons=[{"code": code, "message": message} for code, message in nudge.reasons],
        confirm=CONFIRM,
    )


def _validated(serializer_class, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _created(request: Request, comment: Comment) -> Response:
    data = CommentSerializer(comment, context={"request": request}).data
    location = request.build_absolute_uri(reverse("api:comment-detail", args=[comment.pk]))
    return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})


def _post(request: Request, *, article: Article, parent: Comment | None) -> Response:
    data = _validated(NewCommentSerializer, request)
    key = data.get("idempotency_key")
    try:
        comment = post_comment(
            author=request.user,
            article=article,
            body=data["body"],
            parent=parent,
            token=key,
            ip_address=client_ip(request),
            confirmed=data.get("confirmed", False),
        )
    except CommentNudge as nudge:
        raise nudge_problem(nudge) from None
    except CommentError as error:
        raise refusal(error) from None
    return _created(request, comment)


if TYPE_CHECKING:
    # What the mixin is mixed into, for the type checker (at run time it stays a plain mixin).
    _APIView = GenericAPIView
else:
    _APIView = object


class CommentWritesThrottled(_APIView):
    """Writes (posting, editing, deleting, reporting) count against the comment-writing rate too."""

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.request.method not in SAFE_METHODS:
            throttles.append(CommentWritesThrottle())
        return throttles


POSTED = {
    201: CommentSerializer,
    (409, PROBLEM_JSON): OpenApiResponse(
        NudgeProblemSerializer,
        description="Nothing was stored. `code` `nudge`: the only objections to the text are its "
        "toxicity score or words editors check (`reasons`); revise it, or send it again with "
        "`confirmed: true` to post it anyway (it then waits for an editor). `code` `duplicate`: "
        "you posted the same text recently. `code` `idempotency_mismatch`: the idempotency key "
        "was used before, for a different comment.",
    ),
}
VISIBILITY = (
    "The answer says whether the comment is visible or held for an editor, and why "
    "(`moderation`). A verified email address is required, as on the site. Refusals: 403 for a "
    "banned, suspended or warned reader or closed comments (`detail` says which), 429 with "
    "Retry-After when posting too fast."
)


class HelpfulSerializer(serializers.Serializer):
    helpful_count = serializers.IntegerField(help_text="Readers who found it helpful, now.")
    helpful = serializers.BooleanField(help_text="Whether you found it helpful, now.")


# --- Views ----------------------------------------------------------------------------------------


class ThreadPagination(DateCursorPagination):
    """Pages of top-level comments (each with all its replies), oldest or newest first."""

    @property
    def default_page_size(self) -> int:
        return min(settings.COMMENTS_PER_PAGE, self.max_page_size)

    def get_ordering(self, request, queryset, view):
        # The same orders as the site's thread (comments.thread.ordered_roots).
        return tuple(ordered_roots(queryset, view.order).query.order_by)

    def valid_position(self, position: str) -> bool:
        if self.ordering[0] == "-rank":  # "top": the rank, a number
            try:
                return math.isfinite(float(position))
            except ValueError:
                return False
        return super().valid_position(position)


ORDER = OpenApiParameter(
    "order",
    OpenApiTypes.STR,
    enum=list(ORDERS),
    default="oldest",
    description="Top-level comments oldest or newest first, or `top`: helpful, recent comments "
    "with replies first (see the site's docs, comments.md); replies are always oldest first.",
)


class ArticleCommentsView(CommentWritesThrottled, GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = ThreadPagination
    serializer_class = NewCommentSerializer  # what OPTIONS describes for POST
    order = "oldest"

    def _article(self, article_id: int) -> Article:
        article = Article.objects.published().filter(pk=article_id).first()
        if article is None:
            raise exceptions.NotFound("No published article has this id.")
        return article

    @extend_schema(
        summary="An article's visible comments, threaded",
        description="Pages of top-level comments, each with its visible replies nested; a removed "
        "comment that still holds visible replies stays as a placeholder.",
        parameters=[ORDER],
        responses=ThreadCommentSerializer(many=True),
        tags=["comments"],
    )
    def get(self, request: Request, article_id: int) -> Response:
        order = request.query_params.get("order", "oldest")
        if order not in ORDERS:
            raise exceptions.ValidationError({"order": ["Choose “oldest”, “newest” or “top”."]})
        self.order = order
        article = self._article(article_id)
        roots = self.paginate_queryset(shown_roots(article))
        assert roots is not None  # pagination_class is set
        _, nodes = thread_nodes([root.pk for root in roots])
        data = ThreadCommentSerializer(nodes, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Post a comment on an article",
        description=VISIBILITY,
        request=NewCommentSerializer,
        responses=POSTED,
        tags=["comments"],
    )
    def post(self, request: Request, article_id: int) -> Response:
        return _post(request, article=self._article(article_id), parent=None)


class CommentViewSet(CommentWritesThrottled, viewsets.GenericViewSet):
    """One comment: read it; its author edits or deletes it; other readers reply or report it."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    queryset = Comment.objects.all()
    serializer_class = CommentSerializer

    def get_queryset(self):
        # Everyone sees visible comments; a signed-in reader also sees their own awaiting review.
        return (
            Comment.objects.visible_to(self.request.user)
            .on_public_articles()
            .select_related("article", "author")
        )

    @extend_schema(summary="One visible comment (or your own awaiting review)", tags=["comments"])
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(CommentSerializer(self.get_object(), context={"request": request}).data)

    @extend_schema(
        summary="Edit your comment (within the edit window)",
        description="It is screened again, like a new comment. " + VISIBILITY.split(". ")[0] + ".",
        request=EditCommentSerializer,
        responses={200: CommentSerializer},
        tags=["comments"],
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        comment = self.get_object()
        data = _validated(EditCommentSerializer, request)
        try:
            # Without a body nothing changes, but the service still says whether it could.
            body = data.get("body", comment.body)
            comment = edit_comment(comment=comment, by=request.user, body=body)
        except CommentError as error:
            raise refusal(error) from None
        return Response(CommentSerializer(comment, context={"request": request}).data)

    @extend_schema(
        summary="Delete your comment",
        description="Its replies stay, under a placeholder.",
        responses={204: None},
        tags=["comments"],
    )
    def destroy(self, request: Request, pk: str) -> Response:
        try:
            delete_comment(comment=self.get_object(), by=request.user)
        except CommentError as error:
            raise refusal(error) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Reply to a comment",
        description=VISIBILITY + " Replies deeper than the thread allows attach beside the "
        "comment they answer.",
        request=NewCommentSerializer,
        responses=POSTED,
        tags=["comments"],
    )
    @action(detail=True, methods=["post"])
    def replies(self, request: Request, pk: str) -> Response:
        parent = self.get_object()
        return _post(request, article=parent.article, parent=parent)

    @extend_schema(
        summary="Report another reader's comment to the editors",
        description="Once per comment; the reason `other` needs a `text`.",
        request=NewReportSerializer,
        responses={
            201: ReportSerializer,
            (409, PROBLEM_JSON): OpenApiResponse(
                ProblemSerializer, description="You have reported this comment already."
            ),
        },
        tags=["comments"],
    )
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str) -> Response:
        comment = self.get_object()
        data = _validated(NewReportSerializer, request)
        try:
            report = report_comment(
                comment=comment, by=request.user, reason=data["reason"], text=data.get("text", "")
            )
        except CommentError as error:
            raise refusal(error) from None
        data = ReportSerializer(report, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Find another reader's comment helpful, or take it back",
        description="POST: you found it helpful (again: nothing changes); DELETE: you take it "
        "back. Once per reader per comment, never on your own; a verified email address is "
        "required, as on the site. Refusals: 403 for your own comment, a banned, suspended or "
        "warned reader, or closed comments (`detail` says which); 429 with Retry-After when "
        "marking too fast.",
        request=None,
        responses={200: HelpfulSerializer},
        tags=["comments"],
    )
    @action(detail=True, methods=["post", "delete"])
    def helpful(self, request: Request, pk: str) -> Response:
        comment = self.get_object()
        if not comment.is_visible:  # one's own awaiting review
            raise exceptions.NotFound("No visible comment has this id.")
        change = react if request.method == "POST" else unreact
        try:
            comment = change(comment=comment, by=request.user)
        except CommentError as error:
            raise refusal(error) from None
        return Response(
            {"helpful_count": comment.helpful_count, "helpful": request.method == "POST"}
        )
