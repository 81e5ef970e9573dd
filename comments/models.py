"""Comments on articles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

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


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
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
    body = models.TextField(help_text="Exactly as the reader typed it; never rewritten.")
    body_html = models.TextField(editable=False, help_text="Sanitised HTML, made once on save.")
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # A keyed hash (HMAC) of the client IP: enough to spot abuse from one address, useless to
    # anyone who reads the database without the key.
    ip_hash = models.CharField(max_length=64, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["status", "created_at"], name="comment_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.article_id}"
