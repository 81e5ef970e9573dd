"""Comments on articles, their earlier versions, and readers' reports about them.

The rules that change these rows live in `comments/services.py` (readers) and the moderation app
(editors, through comments/moderator.py); the models state what must always hold (constraints) and
how they are read (querysets, indexes).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Article


def max_length_of(model: type[models.Model], name: str) -> int:
    """The max_length a model's field declares: the one place forms, serializers and rules read."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.max_length is None:
        raise ImproperlyConfigured(f"{model.__name__}.{name} declares no max_length.")
    return field.max_length


# The "Top" order (docs/comments.md): engagement, halved for every TOP_HALF_LIFE_HOURS of age.
TOP_HALF_LIFE_HOURS = 24
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def top_rank(*, created_at: dt.datetime, helpful: int = 0, replies: int = 0) -> float:
    """log2((1 + helpful + 2 * replies) / 2 ** (-hours since 2000 / half-life)).

    Ordering by (1 + helpful + 2 * replies) / 2 ** (age in hours / half-life) is ordering by its
    logarithm, and the age's "now" is the same for every comment, so it drops out: what is left
    depends only on the comment, is stored, and is read from an index. It changes only when the
    comment gains or loses a reaction or a reply, never with the clock.
    """
    hours = (created_at - _EPOCH).total_seconds() / 3600
    return math.log2(1 + helpful + 2 * replies) + hours / TOP_HALF_LIFE_HOURS


def fresh_rank() -> float:
    """A new comment's rank: no reactions or replies yet, written now."""
    return top_rank(created_at=timezone.now())


class CommentQuerySet(models.QuerySet):
    def visible(self) -> CommentQuerySet:
        """What every reader sees in a thread."""
        return self.filter(status=Comment.Status.APPROVED)

    def visible_to(self, user) -> CommentQuerySet:
        """The public thread plus, for a signed-in reader, their own comments awaiting review."""
        if user is None or not user.is_authenticated:
            return self.visible()
        return self.filter(
            Q(status=Comment.Status.APPROVED) | Q(author=user, status=Comment.Status.PENDING)
        )

    def on_public_articles(self) -> CommentQuerySet:
        return self.filter(article__in=Article.objects.published())

    def in_queue(self, queue: str) -> CommentQuerySet:
        """An editors' moderation queue: pending, reported, spam, rejected or approved.

        "reported" is every comment with reports no editor has looked at yet, whatever its status.
        """
        if queue == "reported":
            return self.filter(open_reports__gt=0)
        if queue in ("pending", "spam", "rejected", "approved"):
            return self.filter(status=queue)
        raise ValueError(f"No such moderation queue: {queue!r}.")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        APPROVED = "approved", "Published"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    # Null once the author deletes their account: the comment stays, "by deleted user".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The top-level comment of the thread (null for a top-level comment): one page of a thread is
    # its top-level comments plus everything whose root is one of them, in one query.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="descendants"
    )
    depth = models.PositiveSmallIntegerField(default=0, help_text="0 for a top-level comment.")
    body = models.TextField(help_text="Exactly as the reader typed it; never rewritten.")
    body_html = models.TextField(
        editable=False,
        help_text="Sanitised HTML, made once by the service that stores the text "
        "(markup.sanitize.render_comment).",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # A keyed hash (HMAC) of the client IP: enough to spot abuse from one address, useless to
    # anyone who reads the database without the key.
    ip_hash = models.CharField(max_length=64, blank=True)
    # One per rendered form: a second POST of the same form finds the first comment instead of
    # making another (double clicks, resubmits after a slow response).
    token = models.UUIDField(null=True, blank=True, editable=False)
    # Every reason the screening rules gave, in rule order: [{"action", "reason", "message"}].
    screening = models.JSONField(default=list, blank=True, editable=False)
    # The same reason codes as " code code ", so the queues can filter by rule on any database
    # (JSON containment has no SQLite form).
    reasons = models.CharField(max_length=255, blank=True, default="", editable=False)
    # "The same text" for the duplicate rule (moderation.ratelimits.fingerprint of the body).
    fingerprint = models.CharField(max_length=64, blank=True, default="", editable=False)
    # The local model's score when it was computed (shown to editors), else null.
    toxicity = models.FloatField(null=True, blank=True, editable=False)
    # The moderator's own learnt score, when it has one: how likely editors are to reject or mark
    # as spam a comment like this one (0 to 1; shown to editors). Null when none was computed.
    classifier_score = models.FloatField(null=True, blank=True, editable=False)
    # Higher is worse: reports, toxicity and the author's history (moderation.context.priority_of);
    # the queues' "worst first" order reads it from an index.
    priority = models.PositiveIntegerField(default=0, editable=False)
    # Reports since an editor last looked (a decision resets them) and their weight
    # (moderation.reports.REPORT_WEIGHTS): enough weight sends an approved comment back into review.
    open_reports = models.PositiveIntegerField(default=0, editable=False)
    report_weight = models.PositiveIntegerField(default=0, editable=False)
    # Bumped by every change of status: a decision applies only to the version the editor saw.
    version = models.PositiveIntegerField(default=0, editable=False)
    # The latest editor's decision, and the reason the author sees (blank when none was given).
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decision_reason = models.CharField(max_length=500, blank=True, default="", editable=False)
    # An editors' pick: shown first in the thread, with a badge.
    featured_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Readers who found it helpful (Reaction rows), kept in the transaction that adds or removes
    # one, so the cached thread prints it and the editors' queues show it without counting.
    helpful_count = models.PositiveIntegerField(default=0, editable=False)
    # For a top-level comment, the visible replies in its conversation (comments.thread.
    # bump_threads keeps it); 0 on replies. With helpful_count, the "Top" order's `rank`.
    reply_count = models.PositiveIntegerField(default=0, editable=False)
    rank = models.FloatField(default=fresh_rank, editable=False)

    objects = CommentQuerySet.as_manager()

    # Not columns: set on instances at run time.
    # The status when read or last saved (from_db, comments.receivers); absent on a new comment.
    _loaded_status: str | None
    # Whether the reader looking may still edit it (comments.selectors, the reader's pages).
    editable: bool
    # On a moderation queue's rows (moderation.queues): the author's card, typed loosely because
    # comments cannot import moderation's types, and the decisions open to editors.
    card: Any
    allowed: set[str]

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            # The queues by status, oldest or newest first (keyset on created_at, pk).
            models.Index(fields=["status", "created_at", "id"], name="comment_status_queue_idx"),
            # The queues by status, worst first.
            models.Index(
                fields=["status", "-priority", "created_at", "id"], name="comment_status_prio_idx"
            ),
            # The Reported queue: only comments with open reports, in either order.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(open_reports__gt=0),
                name="comment_reported_idx",
            ),
            models.Index(
                fields=["-priority", "created_at", "id"],
                condition=Q(open_reports__gt=0),
                name="comment_reported_prio_idx",
            ),
            # The rate and duplicate rules: a reader's comments of the last hour, with their
            # fingerprints, from the index alone.
            models.Index(
                fields=["author", "created_at", "fingerprint"], name="comment_author_recent_idx"
            ),
            # Editors' picks of an article (the top of its thread).
            models.Index(
                fields=["article", "featured_at"],
                condition=Q(featured_at__isnull=False),
                name="comment_featured_idx",
            ),
            # A page of a thread: the descendants of its top-level comments.
            models.Index(fields=["root", "status"], name="comment_root_idx"),
            # Top-level comments of an article, in order (the thread's pages).
            models.Index(
                fields=["article", "created_at"],
                condition=Q(parent__isnull=True),
                name="comment_toplevel_idx",
            ),
            # A reader's own comments: their profile pages and their pending ones on an article.
            models.Index(fields=["author", "status", "created_at"], name="comment_author_idx"),
            # Top-level comments of an article, "Top" first.
            models.Index(
                fields=["article", "-rank", "-id"],
                condition=Q(parent__isnull=True),
                name="comment_top_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["author", "token"], name="comment_unique_form_token"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, root__isnull=True, depth=0)
                | Q(parent__isnull=False, root__isnull=False, depth__gt=0),
                name="comment_tree_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.article_id}"

    def get_absolute_url(self) -> str:
        """The permalink: redirects to the right page of the article's thread."""
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remembered so a save can tell whether the comment was visible before it (cache rules).
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def reason_codes(self) -> list[str]:
        return self.reasons.split()

    @property
    def is_featured(self) -> bool:
        return self.featured_at is not None

    @property
    def classifier_level(self) -> str:
        """ "low", "medium" or "high", for the badge's colour, as for toxicity."""
        return _level(self.classifier_score)

    @property
    def toxicity_level(self) -> str:
        """ "low", "medium" or "high", for the badge's colour (the number is always shown)."""
        return _level(self.toxicity)

    @property
    def held_because(self) -> list[str]:
        """Why screening held this comment, in sentences for its author (from `screening`)."""
        return [
            record.get("advice") or record.get("message", "")
            for record in self.screening or []
            if record.get("action") == "hold"
        ]


def _level(score: float | None) -> str:
    if score is None or score < 0.5:
        return "low"
    return "medium" if score < 0.8 else "high"


class CommentRevision(models.Model):
    """An earlier version of an edited comment, kept for editors."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    # When this version was written: the comment's creation or its previous edit.
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["comment", "written_at"]
        indexes = [models.Index(fields=["comment", "written_at"], name="revision_comment_idx")]

    def __str__(self) -> str:
        return f"Version of comment {self.comment_id} from {self.written_at:%Y-%m-%d %H:%M}"


class Report(models.Model):
    """A reader's report that a comment breaks the rules; one per reader per comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abuse or harassment"
        MISINFORMATION = "misinformation", "Medical misinformation"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    # Null once the reporter deletes their account: the report still counts for moderators.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="comment_reports",
    )
    reason = models.CharField(max_length=20, choices=Reason)
    text = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Also the index for "the reports on this comment" and "has this reader reported it".
            models.UniqueConstraint(fields=["comment", "reporter"], name="report_once_per_reader"),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(text=""), name="report_other_has_text"
            ),
        ]
        indexes = [
            # The newest reports first (the moderators' queue reads them this way).
            models.Index(fields=["-created_at"], name="report_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} report on comment {self.comment_id}"


def store_counts(
    comment: Comment, *, helpful: int | None = None, replies: int | None = None
) -> None:
    """A comment's helpful or reply count changed: write it with the rank it makes.

    Only the count given is written (reactions lock the row and write theirs; comments.thread
    writes reply counts while the thread is locked), so neither overwrites the other's count; the
    rank is from the counts as read, and the next change of either puts it right if they crossed.
    """
    fields: dict[str, Any] = {}
    if helpful is not None:
        comment.helpful_count = fields["helpful_count"] = max(0, helpful)
    if replies is not None:
        comment.reply_count = fields["reply_count"] = max(0, replies)
    comment.rank = fields["rank"] = top_rank(
        created_at=comment.created_at, helpful=comment.helpful_count, replies=comment.reply_count
    )
    Comment.objects.filter(pk=comment.pk).update(**fields)


class Reaction(models.Model):
    """A reader found another reader's comment helpful: one per reader per comment.

    Added and removed only by comments.services.react / unreact, which keep
    Comment.helpful_count and the thread's version in the same transaction.
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reactions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reader"], name="reaction_once_per_reader"),
        ]
        indexes = [
            # A reader's reactions: what they found helpful on the page they look at, their export.
            models.Index(fields=["reader", "comment"], name="reaction_reader_idx"),
        ]

    def __str__(self) -> str:
        return f"Helpful: comment {self.comment_id} by reader {self.reader_id}"


class Thread(models.Model):
    """What the database knows of an article's discussion as a whole: one row per article.

    `version` names the state of the public thread: it is bumped in the same transaction as any
    change to a comment that is or was visible (comments.thread.bump_threads), so a cached page
    of the thread is keyed by it and can only miss, never show something older than the
    database, whichever process or cache holds it. The counts are kept with it, so a page view
    never counts rows.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="thread"
    )
    version = models.PositiveBigIntegerField(default=0)
    # Approved comments: the "Comments (N)" heading.
    visible_count = models.PositiveIntegerField(default=0)
    # Top-level comments shown (approved, or holding approved replies): the thread's pages.
    top_level_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Thread of article {self.article_id} (version {self.version})"
