"""Comments on articles, their earlier versions, and readers' reports about them.

The rules that change these rows live in `comments/services.py` and `comments/moderation.py`; the
models state what must always hold (constraints) and how they are read (querysets, indexes).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from articles.models import Article


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

    def pending_by(self, user) -> CommentQuerySet:
        """A reader's own comments awaiting moderation: shown to them alone."""
        return self.filter(author=user, status=Comment.Status.PENDING)

    def on_public_articles(self) -> CommentQuerySet:
        return self.filter(article__in=Article.objects.published())


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
    body_html = models.TextField(editable=False, help_text="Sanitised HTML, made once on save.")
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

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "created_at"], name="comment_queue_idx"),
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
