"""The editors' endpoints: queues, one comment's review, decisions, history, picks, sanctions,
notes and the overview, under /api/moderation/.

Thin views over the moderation app's functions (decisions, sanctions) and reads (queues), the
ones the site's moderation pages call, guarded by the same policy as those pages
(accounts.roles.editor_access, two-factor included when EDITORS_REQUIRE_MFA asks for it). A
refusal from those functions becomes a problem+json answer in `moderation_refusal`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.roles import EditorAccess, editor_access
from comments.errors import CommentError
from comments.models import Comment, CommentRevision
from moderation import queues
from moderation.context import rule_labels
from moderation.decisions import (
    REASON_MAX_LENGTH,
    AlreadyDecided,
    Decision,
    allowed_decisions,
    decide,
    decide_many,
    describe_event,
    feature,
)
from moderation.models import ModerationEvent, ModeratorNote, Sanction
from moderation.rules import RULE_LABELS
from moderation.sanctions import (
    MAX_SUSPENSION_DAYS,
    NOTE_MAX_LENGTH,
    add_note,
    lift_sanction,
    sanction,
)
from moderation.sanctions import REASON_MAX_LENGTH as SANCTION_REASON_MAX_LENGTH

from .comments import SOME_TEXT, _validated
from .problems import PROBLEM_JSON, Conflict
from .schema import AlreadyDecidedProblemSerializer, ProblemSerializer
from .serializers import (
    PageURLField,
    StrictBooleanField,
    StrictFieldsMixin,
    StrictIntegerField,
    TextField,
    request_rules,
)

User = get_user_model()
NO_SUCH_COMMENT = "There is no comment with this id."
# Choice sets, each named once in the schema (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
DECISIONS = [d.value for d in Decision]
QUEUE_SLUGS = list(queues.QUEUES)
QUEUE_ORDERS = list(queues.ORDERS)

# --- Who may use these endpoints -----------------------------------------------------------------

NEEDS_MFA = (
    "Editors must turn on two-factor authentication (on the site, under Account) before they can "
    "use the editors' endpoints."
)


class IsEditor(BasePermission):
    """The editors' policy of the site's moderation pages: 401 signed out, 403 for anyone else."""

    def has_permission(self, request: Request, view: Any) -> bool:
        access = editor_access(request.user)
        if access is EditorAccess.ANONYMOUS:
            raise exceptions.NotAuthenticated()
        if access is EditorAccess.NEEDS_MFA:
            raise exceptions.PermissionDenied(NEEDS_MFA)
        if access is not EditorAccess.ALLOWED:
            raise exceptions.PermissionDenied("Only editors may use the moderation endpoints.")
        return True


class EditorsView(APIView):
    permission_classes = [IsEditor]


def moderation_refusal(error: CommentError) -> exceptions.APIException:
    """A refusal from the moderation app: field errors are a 400, anything else a 409.

    Every other refusal there is about the state of things (already decided, already lifted, not
    published, an editor or oneself as the target of a sanction), so it is a conflict. When
    another editor decided first, the answer names them, when, and the comment's status and
    version now, so the client can show it and decide again on what is there.
    """
    if error.errors:
        return exceptions.ValidationError({k: [v] for k, v in error.errors.items()})
    if isinstance(error, AlreadyDecided):
        event = error.event
        current = None
        if event is not None:
            current = Comment.objects.select_related("author").filter(pk=event.comment_id).first()
        return Conflict(
            error.message,
            code="already_decided",
            change=event.kind if event else None,
            decided_by=_who(event, current) if event else None,
            decided_at=serializers.DateTimeField().to_representation(event.created_at)
            if event
            else None,
            current_status=current.status if current else None,
            current_version=current.version if current else None,
        )
    return Conflict(error.message, **({"code": error.code} if error.code else {}))


def _who(event: ModerationEvent, comment: Comment | None) -> str:
    """Who made a change: the editor or author who acted, else what did (rules, reports)."""
    if event.actor_name:
        return event.actor_name
    if event.kind == ModerationEvent.Kind.RESCREENED and comment and comment.author:
        return comment.author.username  # an edit is screened again, by no one in particular
    if event.kind == ModerationEvent.Kind.REPORTED:
        return "Readers' reports"
    return event.by


# --- What editors see of a comment -----------------------------------------------------------


class SanctionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sanction
        fields = ["id", "kind", "reason", "created_at", "ends_at"]


class AuthorCardSerializer(serializers.Serializer):
    """The author's record beside their comment, as on the moderation pages."""

    id = serializers.IntegerField(source="user.pk")
    username = serializers.CharField(source="user.username")
    date_joined = serializers.DateTimeField(source="user.date_joined")
    approved = serializers.IntegerField()
    rejected = serializers.IntegerField(help_text="Rejected or spam.")
    pending = serializers.IntegerField(help_text="Awaiting moderation.")
    notes = serializers.IntegerField(help_text="Editors' private notes about them.")
    sanctions = SanctionBriefSerializer(many=True, help_text="In force now.")


class ArticleBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = PageURLField()


class InReplyToSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(source="author.username", allow_null=True, default=None)
    status = serializers.ChoiceField(choices=Comment.Status.choices)
    body_html = serializers.CharField()


class ScreeningReasonSerializer(serializers.Serializer):
    code = serializers.CharField(source="reason", help_text="e.g. `new_reader`, `toxicity`.")
    action = serializers.CharField(help_text="What the rule asked for: hold, reject, spam…")
    message = serializers.CharField()


class QueueReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()
    text = serializers.CharField()
    reporter = serializers.CharField(
        source="reporter.username", allow_null=True, default=None, help_text="Null if deleted."
    )
    created_at = serializers.DateTimeField()


class ModerationCommentSerializer(serializers.ModelSerializer):
    """A comment as editors review it: its text, why it was held, its reports, its author."""

    article = ArticleBriefSerializer()
    in_reply_to = InReplyToSerializer(source="parent", allow_null=True)
    author = serializers.SerializerMethodField(help_text="Null for a deleted account.")
    reasons = ScreeningReasonSerializer(
        source="screening", many=True, help_text="Every screening rule that fired, in order."
    )
    reports = QueueReportSerializer(many=True, help_text="Newest first.")
    featured = serializers.BooleanField(source="is_featured")
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    allowed_decisions = serializers.SerializerMethodField(
        help_text="The decisions open to it as it stands."
    )
    url = serializers.SerializerMethodField(help_text="The comment on the article page.")

    class Meta:
        model = Comment
        fields = [
            "id",
            "version",
            "status",
            "article",
            "in_reply_to",
            "depth",
            "author",
            "body",
            "body_html",
            "created_at",
            "edited_at",
            "reasons",
            "toxicity",
            "classifier_score",
            "priority",
            "open_reports",
            "report_weight",
            "helpful_count",
            "reports",
            "featured",
            "decided_at",
            "decided_by",
            "decision_reason",
            "allowed_decisions",
            "url",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "version": {"help_text": "Send it with a decision: it applies only to this version."},
            "toxicity": {"help_text": "The local model's score (0 to 1), when computed."},
            "classifier_score": {
                "help_text": "The site's classifier: how likely editors would reject it or mark "
                "it as spam (0 to 1), when computed."
            },
            "priority": {"help_text": "Higher is worse (the queues' worst-first order)."},
            "helpful_count": {"help_text": "Readers who found it helpful (a signal, not a vote)."},
        }

    @extend_schema_field(AuthorCardSerializer(allow_null=True))
    def get_author(self, comment: Comment) -> dict[str, Any] | None:
        card = getattr(comment, "card", None)
        return AuthorCardSerializer(card).data if card is not None else None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(DECISIONS)))
    def get_allowed_decisions(self, comment: Comment) -> list[str]:
        return sorted(allowed_decisions(comment))

    def get_url(self, comment: Comment) -> str:
        return self.context["request"].build_absolute_uri(comment.get_absolute_url())


# The queue's read path: plain dicts, the same as ModerationCommentSerializer gives (a test holds
# them equal; the serializer stays the schema's description). Walking DRF's nested serializers
# cost more than everything else in a page of 25 rows (field copies, attribute lookups per field).
_DATETIME = serializers.DateTimeField()
_STATUS = serializers.ChoiceField(choices=Comment.Status.choices)
_SANCTION_KIND = serializers.ChoiceField(choices=Sanction.Kind.choices)


def _when(value: dt.datetime | None) -> str | None:
    return None if value is None else _DATETIME.to_representation(value)


def _card_data(card: queues.AuthorCard) -> dict[str, Any]:
    user = card.user
    return {
        "id": user.pk,
        "username": user.username,
        "date_joined": _when(user.date_joined),
        "approved": card.approved,
        "rejected": card.rejected,
        "pending": card.pending,
        "notes": card.notes,
        "sanctions": [
            {
                "id": s.pk,
                "kind": _SANCTION_KIND.to_representation(s.kind),
                "reason": s.reason,
                "created_at": _when(s.created_at),
                "ends_at": _when(s.ends_at),
            }
            for s in card.sanctions
        ],
    }


def queue_rows(rows: list[Comment], *, request: Request) -> list[dict[str, Any]]:
    """A queue page's rows as ModerationCommentSerializer(rows, many=True).data has them.

    The rows come from queues.queue_page (related rows, reports and author cards attached);
    articles are looked up once per page, not once per row.
    """
    absolute = request.build_absolute_uri
    articles: dict[int, dict[str, Any]] = {}
    results = []
    for c in rows:
        article = articles.get(c.article_id)
        if article is None:
            a = c.article
            article = articles[c.article_id] = {
                "id": a.pk,
                "title": a.title,
                "url": absolute(a.get_absolute_url()),
            }
        parent = c.parent
        card = getattr(c, "card", None)
        allowed = getattr(c, "allowed", None)
        if allowed is None:
            allowed = allowed_decisions(c)
        results.append(
            {
                "id": c.pk,
                "version": c.version,
                "status": _STATUS.to_representation(c.status),
                "article": dict(article),
                "in_reply_to": None
                if parent is None
                else {
                    "id": parent.pk,
                    "author": parent.author.username if parent.author else None,
                    "status": _STATUS.to_representation(parent.status),
                    "body_html": parent.body_html,
                },
                "depth": c.depth,
                "author": _card_data(card) if card is not None else None,
                "body": c.body,
                "body_html": c.body_html,
                "created_at": _when(c.created_at),
                "edited_at": _when(c.edited_at),
                "reasons": [
                    {"code": r["reason"], "action": r["action"], "message": r["message"]}
                    for r in c.screening
                ],
                "toxicity": c.toxicity,
                "classifier_score": c.classifier_score,
                "priority": c.priority,
                "open_reports": c.open_reports,
                "report_weight": c.report_weight,
                "helpful_count": c.helpful_count,
                "reports": [
                    {
                        "id": r.pk,
                        "reason": r.reason,
                        "text": r.text,
                        "reporter": r.reporter.username if r.reporter else None,
                        "created_at": _when(r.created_at),
                    }
                    for r in c.reports.all()
                ],
                "featured": c.is_featured,
                "decided_at": _when(c.decided_at),
                "decided_by": c.decided_by.username if c.decided_by else None,
                "decision_reason": c.decision_reason,
                "allowed_decisions": sorted(allowed),
                "url": absolute(c.get_absolute_url()),
            }
        )
    return results


class RevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommentRevision
        fields = ["body", "written_at", "replaced_at"]


class ModerationCommentDetailSerializer(ModerationCommentSerializer):
    """One comment's review, with its earlier versions when its author edited it."""

    revisions = RevisionSerializer(many=True, help_text="Earlier versions, oldest first.")

    class Meta(ModerationCommentSerializer.Meta):
        fields = [*ModerationCommentSerializer.Meta.fields, "revisions"]
        read_only_fields = fields


def _comment(pk: int) -> Comment:
    """Any comment, whatever its status or article (editors see them all), or a 404."""
    comment = Comment.objects.filter(pk=pk).first()
    if comment is None:
        raise exceptions.NotFound(NO_SUCH_COMMENT)
    return comment


def _review(request: Request, pk: int) -> Response:
    """The comment as editors review it (as it is now), in a fixed number of queries."""
    revisions = CommentRevision.objects.order_by("written_at", "pk")
    comment = (
        queues.rows_with_context(Comment.objects.all())
        .prefetch_related(Prefetch("revisions", queryset=revisions))
        .filter(pk=pk)
        .first()
    )
    if comment is None:
        raise exceptions.NotFound(NO_SUCH_COMMENT)
    queues.attach_author_cards([comment])
    context = {"request": request}
    return Response(ModerationCommentDetailSerializer(comment, context=context).data)


# --- Queues ----------------------------------------------------------------------------------


class QueueCountsSerializer(serializers.Serializer):
    """Each queue's size now; counting stops past 10,000 (10001 means "more than 10,000")."""

    pending = serializers.IntegerField()
    reported = serializers.IntegerField()
    spam = serializers.IntegerField()
    rejected = serializers.IntegerField()
    approved = serializers.IntegerField()


class QueueSerializer(serializers.Serializer):
    slug = serializers.ChoiceField(choices=QUEUE_SLUGS)
    # Not Field.label, as the stubs think: DRF's metaclass takes declared fields off the class.
    label = serializers.CharField()  # type: ignore[assignment]
    default_order = serializers.ChoiceField(choices=QUEUE_ORDERS)
    count = serializers.IntegerField(help_text="Comments in it now (stops at 10001).")


class QueueFiltersSerializer(serializers.Serializer):
    article = serializers.IntegerField(allow_null=True)
    title = serializers.CharField(allow_blank=True)
    author = serializers.CharField(allow_blank=True)
    rule = serializers.CharField(allow_blank=True)
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)


class QueuePageSerializer(serializers.Serializer):
    queue = serializers.ChoiceField(choices=QUEUE_SLUGS)
    order = serializers.ChoiceField(choices=QUEUE_ORDERS)
    filters = QueueFiltersSerializer(help_text="The filters applied (empty ones: none).")
    counts = QueueCountsSerializer(help_text="Every queue's size now, for the tabs.")
    next = serializers.URLField(
        allow_null=True, help_text="The next page (same filters and order); null on the last."
    )
    results = ModerationCommentSerializer(many=True)


QUEUE_PARAMETER = OpenApiParameter(
    "queue", OpenApiTypes.STR, OpenApiParameter.PATH, enum=QUEUE_SLUGS
)
MAX_PAGE_SIZE = queues.MAX_PAGE_SIZE
QUEUE_FILTERS = [
    OpenApiParameter(
        "order",
        OpenApiTypes.STR,
        enum=QUEUE_ORDERS,
        description="oldest or newest first, or worst first (reports, toxicity, the author's "
        "history). Default: oldest first for pending and reported, newest first for the others.",
    ),
    OpenApiParameter(
        "article",
        {"type": "integer", "minimum": 1, "maximum": queues.MAX_ID},
        description="Only comments on this article (by id).",
    ),
    OpenApiParameter(
        "title",
        {
            "type": "string",
            "minLength": 1,
            "maxLength": queues.TITLE_MAX_LENGTH,
            "pattern": r"^[^\x00]*$",
        },
        description="Only comments on articles whose title has all these words (any case).",
    ),
    OpenApiParameter(
        "author",
        {
            "type": "string",
            "minLength": 1,
            "maxLength": queues.AUTHOR_MAX_LENGTH,
            "pattern": r"^[^\x00]*$",
        },
        description="Only comments by this username (any case).",
    ),
    OpenApiParameter(
        "rule",
        OpenApiTypes.STR,  # its choices, packs included, come from the database: see rule_choices
        description="Only comments this screening rule (or readers' reports) held: "
        f"{', '.join(f'`{code}`' for code in RULE_LABELS)}, or a rule pack's `pack:<slug>`.",
    ),
    OpenApiParameter("since", OpenApiTypes.DATE, description="Posted on or after this day."),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Posted on or before this day."),
    OpenApiParameter(
        "cursor",
        {"type": "string", "minLength": 1, "pattern": r"^[^\x00]*$"},
        description="Where the page starts: the `next` link's cursor.",
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": queues.PAGE_SIZE},
        description=f"How many comments per page (1 to {MAX_PAGE_SIZE}).",
    ),
]


QUEUE_FILTER_NAMES = frozenset(parameter.name for parameter in QUEUE_FILTERS)


def _queue_query(params) -> queues.QueueQuery:
    """The queue's parameters (queues.parse_queue_query): a bad value is a 400, a bad cursor 404.

    The site's filter form submits every field, so the parser reads an empty value as absent; a
    client of the API that sends one (`?until=`) has sent something the schema does not allow.
    """
    asked = queues.parse_queue_query(params)
    errors = {name: [problem] for name, problem in asked.errors.items() if name != "cursor"}
    for name in sorted(QUEUE_FILTER_NAMES & set(params)):
        if params.get(name) == "":
            errors.setdefault(name, ["This field may not be blank."])
    if errors:
        raise exceptions.ValidationError(errors)
    if "cursor" in asked.errors:
        raise exceptions.NotFound(asked.errors["cursor"])
    return asked


def _counts() -> dict[str, int]:
    return queues.queue_counts()


class QueuesView(EditorsView):
    @extend_schema(
        summary="The moderation queues and how many comments each holds now",
        responses=QueueSerializer(many=True),
        tags=["moderation"],
    )
    def get(self, request: Request) -> Response:
        counts = _counts()
        return Response(
            [
                {
                    "slug": q.slug,
                    "label": q.label,
                    "default_order": q.default_order,
                    "count": counts[q.slug],
                }
                for q in queues.QUEUES.values()
            ]
        )


class QueueView(EditorsView):
    @extend_schema(
        summary="One page of a moderation queue",
        description="The site's filters and orders; keyset pages (follow `next`), so every page "
        "costs the same. `pending`: awaiting a decision; `reported`: with readers' reports no "
        "editor has looked at yet, whatever their status; `spam`, `rejected`, `approved`: "
        "decided. Each comment comes with its screening reasons, reports and author card, and "
        "the live counts of every queue come along.",
        parameters=[QUEUE_PARAMETER, *QUEUE_FILTERS],
        responses=QueuePageSerializer,
        tags=["moderation"],
    )
    def get(self, request: Request, queue: str) -> Response:
        if queue not in queues.QUEUES:
            raise exceptions.NotFound(f"No such queue; choose one of: {', '.join(queues.QUEUES)}.")
        asked = _queue_query(request.query_params)
        filters, size = asked.filters, asked.size
        page = queues.queue_page(
            queue, order=asked.order, filters=filters, after=asked.cursor, size=size
        )
        next_url = None
        if page.next_cursor:
            query = filters.as_query()
            query["order"] = page.order
            query["cursor"] = page.next_cursor
            if size != queues.PAGE_SIZE:
                query["page_size"] = str(size)
            base = reverse("api:moderation-queue", args=[queue], request=request)
            next_url = f"{base}?{urlencode(query)}"
        return Response(
            {
                "queue": queue,
                "order": page.order,
                "filters": {
                    "article": filters.article,
                    "title": filters.title,
                    "author": filters.author,
                    "rule": filters.rule,
                    "since": filters.since.isoformat() if filters.since else None,
                    "until": filters.until.isoformat() if filters.until else None,
                },
                "counts": _counts(),
                "next": next_url,
                "results": queue_rows(page.rows, request=request),
            }
        )


# --- One comment: its review, decisions, history, picks -----------------------------------------


class CommentReviewView(EditorsView):
    @extend_schema(
        summary="One comment as editors review it",
        description="Any comment, whatever its status: its text and earlier versions, the "
        "screening reasons and toxicity score, its reports, its author's card, the decisions "
        "open to it and its `version` (send it with a decision).",
        responses=ModerationCommentDetailSerializer,
        tags=["moderation"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return _review(request, pk)


class DecisionSerializer(StrictFieldsMixin, serializers.Serializer):
    action = serializers.ChoiceField(
        choices=DECISIONS,
        help_text="approve, reject, spam, or restore (a rejected or spam comment back to "
        "pending). Approving a published comment dismisses its reports.",
    )
    version = StrictIntegerField(
        min_value=0,
        max_value=queues.MAX_PRIORITY,
        help_text="The comment's `version` you saw: if it changed since, nothing is done (409).",
    )
    reason = TextField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX_LENGTH,
        help_text="For a rejection or spam: shown to the author.",
    )


ALREADY_DECIDED = OpenApiResponse(
    AlreadyDecidedProblemSerializer,
    description="Nothing was done. `code` `already_decided`: someone changed the comment after "
    "the version you sent (`decided_by`, `decided_at`, `current_status`, `current_version`); "
    "otherwise the decision does not apply to it as it stands (`detail` says why).",
)
CONFLICT = OpenApiResponse(
    ProblemSerializer, description="Nothing was done: `detail` says why (e.g. already so)."
)


class DecisionView(EditorsView):
    @extend_schema(
        summary="Decide on one comment",
        description="Applies only to the version you saw: when another editor (or the author, "
        "by editing or deleting it) changed it first, the answer is a 409 naming who and when. "
        "Every decision closes the comment's open reports.",
        request=DecisionSerializer,
        responses={200: ModerationCommentDetailSerializer, (409, PROBLEM_JSON): ALREADY_DECIDED},
        tags=["moderation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        comment = _comment(pk)
        data = _validated(DecisionSerializer, request)
        try:
            decide(
                comment,
                data["action"],
                by=request.user,
                reason=data.get("reason", ""),
                version=data["version"],
            )
        except CommentError as error:
            raise moderation_refusal(error) from None
        return _review(request, comment.pk)


class BulkItemSerializer(StrictFieldsMixin, serializers.Serializer):
    id = StrictIntegerField(min_value=1, max_value=queues.MAX_ID)
    version = StrictIntegerField(
        min_value=0, max_value=queues.MAX_PRIORITY, help_text="The version you saw."
    )


MAX_BULK = 100


# The list's bounds, which spectacular leaves out of a ListField's schema.
@request_rules({"properties": {"comments": {"minItems": 1, "maxItems": MAX_BULK}}})
class BulkDecisionSerializer(StrictFieldsMixin, serializers.Serializer):
    action = serializers.ChoiceField(choices=DECISIONS)
    comments = serializers.ListField(
        child=BulkItemSerializer(),
        min_length=1,
        max_length=MAX_BULK,
        help_text=f"1 to {MAX_BULK} comments, each with the version you saw; an id listed twice "
        "counts once (its first version).",
    )
    reason = TextField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX_LENGTH,
        help_text="For a rejection or spam: shown to each author.",
    )


class BulkResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=["decided", "refused"])
    message = serializers.CharField(
        allow_null=True, help_text="For a refused one: why it was left as it was."
    )
    status = serializers.ChoiceField(
        choices=Comment.Status.choices, allow_null=True, help_text="Null if there is no comment."
    )
    version = serializers.IntegerField(allow_null=True)


class BulkOutcomeSerializer(serializers.Serializer):
    action = serializers.CharField()
    decided = serializers.IntegerField(help_text="How many were decided.")
    refused = serializers.IntegerField(help_text="How many were left as they were.")
    results = BulkResultSerializer(many=True, help_text="One per comment, in the order sent.")


class BulkDecisionView(EditorsView):
    @extend_schema(
        summary="One decision for many comments",
        description="Each comment is decided or refused on its own, as with one decision (the "
        "version you saw, who decided first): the answer lists each outcome.",
        request=BulkDecisionSerializer,
        responses=BulkOutcomeSerializer,
        tags=["moderation"],
    )
    def post(self, request: Request) -> Response:
        data = _validated(BulkDecisionSerializer, request)
        seen: dict[int, int] = {}
        for item in data["comments"]:
            seen.setdefault(item["id"], item["version"])
        found = {c.pk: c for c in Comment.objects.filter(pk__in=seen)}
        outcome = decide_many(
            [found[pk] for pk in seen if pk in found],
            data["action"],
            by=request.user,
            reason=data.get("reason", ""),
            versions=seen,
        )
        refused = {c.pk: message for c, message in outcome.refused}
        results = []
        for pk in seen:
            comment = found.get(pk)
            message = NO_SUCH_COMMENT if comment is None else refused.get(pk)
            results.append(
                {
                    "id": pk,
                    "outcome": "refused" if message else "decided",
                    "message": message,
                    "status": comment.status if comment else None,
                    "version": comment.version if comment else None,
                }
            )
        return Response(
            {
                "action": data["action"],
                "decided": len(outcome.decided),
                "refused": len(results) - len(outcome.decided),
                "results": results,
            }
        )


class EventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(help_text="The editor or author, or “Screening rules”.")
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Rules' codes, or the editor's action."
    )
    waited = serializers.SerializerMethodField(
        help_text="For a decision on a waiting comment: seconds since it was posted."
    )
    text = serializers.SerializerMethodField(help_text="The event in a sentence.")

    class Meta:
        model = ModerationEvent
        fields = [
            "id",
            "kind",
            "from_status",
            "to_status",
            "reasons",
            "note",
            "by",
            "waited",
            "created_at",
            "text",
        ]
        read_only_fields = fields

    def get_waited(self, event: ModerationEvent) -> float | None:
        return event.waited.total_seconds() if event.waited is not None else None

    def get_text(self, event: ModerationEvent) -> str:
        return describe_event(event)


class HistoryView(EditorsView):
    @extend_schema(
        summary="A comment's history: every screening, decision, report and edit, oldest first",
        responses=EventSerializer(many=True),
        tags=["moderation"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(EventSerializer(queues.history_of(_comment(pk)), many=True).data)


class FeatureView(EditorsView):
    @extend_schema(
        summary="Make a published comment an editors' pick (shown first, with a badge)",
        request=None,
        responses={200: ModerationCommentDetailSerializer, (409, PROBLEM_JSON): CONFLICT},
        tags=["moderation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        return self._feature(request, pk, featured=True)

    @extend_schema(
        summary="Stop featuring a comment",
        responses={200: ModerationCommentDetailSerializer, (409, PROBLEM_JSON): CONFLICT},
        tags=["moderation"],
    )
    def delete(self, request: Request, pk: int) -> Response:
        return self._feature(request, pk, featured=False)

    def _feature(self, request: Request, pk: int, *, featured: bool) -> Response:
        comment = _comment(pk)
        try:
            feature(comment, by=request.user, featured=featured)
        except CommentError as error:
            raise moderation_refusal(error) from None
        return _review(request, comment.pk)


# --- Readers: their card, sanctions and notes ---------------------------------------------------


def _person(pk: int):
    person = User.objects.filter(pk=pk).first()
    if person is None:
        raise exceptions.NotFound("There is no user with this id.")
    return person


class UserCardView(EditorsView):
    @extend_schema(
        summary="A reader's card: their comments' counts, sanctions in force, notes",
        responses=AuthorCardSerializer,
        tags=["moderation"],
    )
    def get(self, request: Request, pk: int) -> Response:
        person = _person(pk)
        return Response(AuthorCardSerializer(queues.author_cards([person])[person.pk]).data)


class SanctionSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id")
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    lifted_by = serializers.CharField(source="lifted_by.username", allow_null=True, default=None)
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = Sanction
        fields = [
            "id",
            "user",
            "kind",
            "reason",
            "created_at",
            "created_by",
            "ends_at",
            "acknowledged_at",
            "lifted_at",
            "lifted_by",
            "in_force",
        ]
        read_only_fields = fields

    def get_in_force(self, sanction: Sanction) -> bool:
        return sanction.in_force()


def _sanction_kind(value: str) -> dict:
    # Each one-value enum wrapped in allOf, so the schema's enum hook leaves it alone (and
    # OpenAPI 3.0 has no `const`).
    return {"kind": {"allOf": [{"enum": [value]}]}}


_NO_DAYS = {"not": {"required": ["days"]}}
_KEEP_PENDING = {"reject_pending": {"allOf": [{"enum": [False]}]}}
_REASON = {"reason": {"pattern": SOME_TEXT}}


# The service's rules (moderation.sanctions.sanction_problems), stated in the schema: which
# kinds need a reason, a number of days, or may reject the waiting comments.
@request_rules(
    {
        "anyOf": [
            {"properties": {**_sanction_kind("premoderate"), **_KEEP_PENDING}, **_NO_DAYS},
            {"properties": {**_sanction_kind("trust"), **_KEEP_PENDING}, **_NO_DAYS},
            {
                "required": ["reason"],
                "properties": {**_sanction_kind("warn"), **_REASON, **_KEEP_PENDING},
                **_NO_DAYS,
            },
            {
                "required": ["reason", "days"],
                "properties": {**_sanction_kind("suspend"), **_REASON, **_KEEP_PENDING},
            },
            {
                "required": ["reason"],
                "properties": {**_sanction_kind("ban"), **_REASON},
                **_NO_DAYS,
            },
        ]
    }
)
class NewSanctionSerializer(StrictFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Sanction.Kind.choices,
        help_text="warn (the reader must acknowledge it before commenting again), suspend (for "
        "`days`), ban, premoderate (always hold their comments) or trust (never hold them for "
        "being new). A new suspension, ban, trust or pre-moderation replaces the one in force.",
    )
    reason = TextField(
        required=False,
        allow_blank=True,
        max_length=SANCTION_REASON_MAX_LENGTH,
        help_text="Shown to the reader; required for a warning, suspension or ban.",
    )
    days = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=MAX_SUSPENSION_DAYS,
        help_text="For a suspension only (required then): how long it lasts.",
    )
    reject_pending = StrictBooleanField(
        required=False,
        default=False,
        help_text="For a ban only: also reject every comment of theirs awaiting moderation.",
    )


class SanctionsView(EditorsView):
    @extend_schema(
        summary="A reader's sanctions, newest first (lifted and expired ones too)",
        responses=SanctionSerializer(many=True),
        tags=["moderation"],
    )
    def get(self, request: Request, pk: int) -> Response:
        person = _person(pk)
        found = Sanction.objects.filter(user=person).select_related("created_by", "lifted_by")
        return Response(SanctionSerializer(found, many=True).data)

    @extend_schema(
        summary="Warn, suspend, ban, always pre-moderate or trust a reader",
        description="A banned or suspended reader's comments are refused (403, with the reason) "
        "on the site and through the API alike.",
        request=NewSanctionSerializer,
        responses={
            201: SanctionSerializer,
            (409, PROBLEM_JSON): OpenApiResponse(
                ProblemSerializer,
                description="Editors (and you yourself) cannot be sanctioned here.",
            ),
        },
        tags=["moderation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        person = _person(pk)
        data = _validated(NewSanctionSerializer, request)
        try:
            made = sanction(
                person,
                data["kind"],
                by=request.user,
                reason=data.get("reason", ""),
                days=data.get("days"),
                reject_pending=data["reject_pending"],
            )
        except CommentError as error:
            raise moderation_refusal(error) from None
        return Response(SanctionSerializer(made).data, status=status.HTTP_201_CREATED)


class LiftView(EditorsView):
    @extend_schema(
        summary="Lift a sanction early (or withdraw a trust or pre-moderation)",
        request=None,
        responses={
            200: SanctionSerializer,
            (409, PROBLEM_JSON): OpenApiResponse(
                ProblemSerializer, description="It was lifted already."
            ),
        },
        tags=["moderation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        found = Sanction.objects.select_related("user", "created_by").filter(pk=pk).first()
        if found is None:
            raise exceptions.NotFound("There is no sanction with this id.")
        try:
            lift_sanction(found, by=request.user)
        except CommentError as error:
            raise moderation_refusal(error) from None
        return Response(SanctionSerializer(found).data)


class NoteSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)

    class Meta:
        model = ModeratorNote
        fields = ["id", "text", "created_at", "created_by"]
        read_only_fields = fields


@request_rules({"properties": {"text": {"pattern": SOME_TEXT}}})  # not only spaces
class NewNoteSerializer(StrictFieldsMixin, serializers.Serializer):
    text = TextField(max_length=NOTE_MAX_LENGTH, help_text="Private: editors only see it.")


class NotesView(EditorsView):
    @extend_schema(
        summary="Editors' private notes about a reader, newest first",
        responses=NoteSerializer(many=True),
        tags=["moderation"],
    )
    def get(self, request: Request, pk: int) -> Response:
        person = _person(pk)
        found = ModeratorNote.objects.filter(user=person).select_related("created_by")
        return Response(NoteSerializer(found, many=True).data)

    @extend_schema(
        summary="Add a private note about a reader",
        request=NewNoteSerializer,
        responses={201: NoteSerializer},
        tags=["moderation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        person = _person(pk)
        data = _validated(NewNoteSerializer, request)
        try:
            note = add_note(person, by=request.user, text=data["text"])
        except CommentError as error:
            raise moderation_refusal(error) from None
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


# --- The overview ----------------------------------------------------------------------------


class DayCountSerializer(serializers.Serializer):
    date = serializers.DateField()
    decisions = serializers.IntegerField()


class RuleHitsSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The rule's code, as the queues' `rule` filter takes.")
    # Not Field.label, as the stubs think: DRF's metaclass takes declared fields off the class.
    label = serializers.CharField()  # type: ignore[assignment]
    comments = serializers.IntegerField()


class OverviewSerializer(serializers.Serializer):
    counts = QueueCountsSerializer()
    days = serializers.IntegerField(help_text="The period of the figures below, up to today.")
    median_wait_seconds = serializers.FloatField(
        allow_null=True,
        help_text="Median time from posting to an editor's first decision (null: none yet).",
    )
    decisions_per_day = DayCountSerializer(many=True, help_text="Oldest first, every day.")
    rule_hits = RuleHitsSerializer(
        many=True, help_text="Comments each rule held or rejected, most first."
    )


class OverviewView(EditorsView):
    @extend_schema(
        summary="The editors' overview: queue sizes, waiting time, decisions, rules that fired",
        responses=OverviewSerializer,
        tags=["moderation"],
    )
    def get(self, request: Request) -> Response:
        data = queues.overview()
        labels = rule_labels()
        first = data.end - dt.timedelta(days=queues.OVERVIEW_DAYS - 1)
        days = [first + dt.timedelta(days=n) for n in range(queues.OVERVIEW_DAYS)]
        wait = data.median_wait
        return Response(
            {
                "counts": data.counts,
                "days": queues.OVERVIEW_DAYS,
                "median_wait_seconds": wait.total_seconds() if wait is not None else None,
                "decisions_per_day": [
                    {"date": day.isoformat(), "decisions": data.decisions_per_day.get(day, 0)}
                    for day in days
                ],
                "rule_hits": [
                    {"rule": code, "label": labels.get(code, code), "comments": n}
                    for code, n in data.rule_hits
                ],
            }
        )
