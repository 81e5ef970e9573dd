"""Comments on articles, their earlier versions, and readers' reports about them.

The rules that change these rows live in `comments/services.py` and `comments/moderation.py`; the
models state what must always hold (constraints) and how they are read (querysets, indexes).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

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
    # The same reason codes as " code code ", so the queues can filter by rule on any database
    # (JSON containment has no SQLite form).
    reasons = models.CharField(max_length=255, blank=True, default="", editable=False)
    # "The same text" for the duplicate rule (comments.ratelimits.fingerprint of the body).
    fingerprint = models.CharField(max_length=64, blank=True, default="", editable=False)
    # The local model's score when it was computed (shown to editors), else null.
    toxicity = models.FloatField(null=True, blank=True, editable=False)
    # Higher is worse: reports, toxicity and the author's history (see moderation.priority_of);
    # the queues' "worst first" order reads it from an index.
    priority = models.PositiveIntegerField(default=0, editable=False)
    # Reports since an editor last looked (a decision resets them) and their weight
    # (moderation.REPORT_WEIGHTS): enough weight sends an approved comment back into review.
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

    objects = CommentQuerySet.as_manager()

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
        ]
        permissions = [("moderate_comment", "Can moderate comments (decide, feature, sanction)")]
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
    def toxicity_level(self) -> str:
        """ "low", "medium" or "high", for the badge's colour (the number is always shown)."""
        if self.toxicity is None or self.toxicity < 0.5:
            return "low"
        return "medium" if self.toxicity < 0.8 else "high"


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


# --- Moderation ----------------------------------------------------------------------------------


class ModerationSettings(models.Model):
    """The screening rules' settings, one row, changed by editors (admin or /moderation/settings/).

    A rule is off when its setting is empty or zero, as each help text says.
    """

    SINGLETON_PK = 1

    banned_terms = models.TextField(
        blank=True,
        help_text="One word or phrase per line. A comment using one is rejected (whole words, "
        "any case or accents, simple letter swaps such as 4 for a).",
    )
    suspect_terms = models.TextField(
        blank=True,
        help_text="One word or phrase per line. A comment using one waits for an editor.",
    )
    max_links = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=2,
        help_text="A comment with more links than this waits for an editor. Empty: no limit.",
    )
    hold_new_readers = models.BooleanField(
        default=True,
        help_text="Hold comments by readers with no approved comment yet (or who lost their "
        "trust: more rejected comments than approved ones).",
    )
    toxicity_threshold = models.FloatField(
        null=True,
        blank=True,
        default=0.8,
        help_text="Hold a comment whose toxicity score (0 to 1) is at least this. Empty: off.",
    )
    duplicate_minutes = models.PositiveIntegerField(
        default=60,
        help_text="Refuse the same text from the same reader within this many minutes. 0: off.",
    )
    max_per_minute = models.PositiveSmallIntegerField(
        default=5,
        help_text="Refuse a reader's comment beyond this many in one minute. 0: no limit.",
    )
    rejection_ratio = models.FloatField(
        null=True,
        blank=True,
        default=0.3,
        help_text="Hold the comments of a reader whose comments were rejected more than this "
        "share of the time (0 to 1) over the period below. Empty: off.",
    )
    rejection_days = models.PositiveSmallIntegerField(
        default=7, help_text="The period, in days, for the rejection share."
    )
    report_threshold = models.PositiveSmallIntegerField(
        default=6,
        help_text="Report weight that sends an approved comment back into review. A report "
        "weighs 1 from a new account, 2 from a reader, 3 from a trusted reader (so 3 readers' "
        "reports by default). 0: reports never hide a comment by themselves.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "moderation settings"
        verbose_name_plural = "moderation settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="moderationsettings_singleton"),
            models.CheckConstraint(
                condition=Q(toxicity_threshold__isnull=True)
                | Q(toxicity_threshold__gt=0, toxicity_threshold__lte=1),
                name="moderationsettings_toxicity_0_1",
            ),
            models.CheckConstraint(
                condition=Q(rejection_ratio__isnull=True)
                | Q(rejection_ratio__gte=0, rejection_ratio__lt=1),
                name="moderationsettings_ratio_0_1",
            ),
        ]

    def __str__(self) -> str:
        return "Moderation settings"

    def save(self, *args, **kwargs) -> None:
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @staticmethod
    def terms(text: str) -> tuple[str, ...]:
        return tuple(line.strip() for line in text.splitlines() if line.strip())


class ImmutableQuerySet(models.QuerySet):
    """Rows that are written once: bulk updates and deletes are refused."""

    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} rows cannot be changed.")

    def delete(self):
        raise TypeError(f"{self.model.__name__} rows cannot be deleted.")

    def _raw_delete(self, using):
        raise TypeError(f"{self.model.__name__} rows cannot be deleted.")


class ModerationEvent(models.Model):
    """One change to a comment, written once and never changed: the audit trail.

    Who (an editor, the author, or a screening rule when `actor` is empty), from which status to
    which, the reasons, and when. Events outlive their comment and their actor: neither link is a
    database constraint, and `actor_name` keeps the name. On PostgreSQL a trigger refuses any
    UPDATE or DELETE of these rows (migration 0005); models and admin refuse them everywhere.
    """

    class Kind(models.TextChoices):
        SCREENED = "screened", "Screened when posted"
        RESCREENED = "rescreened", "Screened again after an edit"
        DECIDED = "decided", "Decision by an editor"
        REPORTED = "reported", "Sent back into review by reports"
        FEATURED = "featured", "Featured"
        UNFEATURED = "unfeatured", "No longer featured"
        WITHDRAWN = "withdrawn", "Deleted by its author"

    comment = models.ForeignKey(
        Comment, on_delete=models.DO_NOTHING, db_constraint=False, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=20, choices=Kind)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    # The screening rules' codes, or the editor's action ("approve", ...).
    reasons = models.JSONField(default=list, blank=True)
    # The editor's reason (seen by the author) or the rule's sentence.
    note = models.TextField(blank=True)
    # For decisions: how long the comment waited since it was posted (the overview's median).
    waited = models.DurationField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["comment", "created_at"], name="event_comment_idx"),
            # The overview: decisions per day, median wait.
            models.Index(fields=["kind", "created_at"], name="event_kind_idx"),
        ]

    def __str__(self) -> str:
        change = f"{self.from_status or 'new'} → {self.to_status}"
        return f"{self.get_kind_display()}: comment {self.comment_id}, {change}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError("A moderation event cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("A moderation event cannot be deleted.")

    @property
    def by(self) -> str:
        return self.actor_name or "Screening rules"


class SanctionQuerySet(models.QuerySet):
    def in_force(self, *, now=None) -> SanctionQuerySet:
        """Not lifted, not expired, and (for a warning) not yet acknowledged."""
        now = now or timezone.now()
        return (
            self.filter(lifted_at__isnull=True)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
            .exclude(kind=Sanction.Kind.WARN, acknowledged_at__isnull=False)
        )


class Sanction(models.Model):
    """What editors decided about a reader: a warning, suspension or ban, or how to screen them."""

    class Kind(models.TextChoices):
        WARN = "warn", "Warning"
        SUSPEND = "suspend", "Suspension"
        BAN = "ban", "Ban"
        PREMODERATE = "premoderate", "Always pre-moderate"
        TRUST = "trust", "Trusted (skips pre-moderation)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    # Shown to the reader for a warning, suspension or ban.
    reason = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Suspensions only.")
    acknowledged_at = models.DateTimeField(null=True, blank=True, help_text="Warnings only.")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "lifted_at"], name="sanction_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="suspend", ends_at__isnull=False)
                | (~Q(kind="suspend") & Q(ends_at__isnull=True)),
                name="sanction_suspension_has_end",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["warn", "suspend", "ban"]) | ~Q(reason=""),
                name="sanction_reader_sees_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user}"

    def in_force(self, now=None) -> bool:
        now = now or timezone.now()
        if self.lifted_at is not None:
            return False
        if self.ends_at is not None and self.ends_at <= now:
            return False
        return not (self.kind == self.Kind.WARN and self.acknowledged_at is not None)


class ModeratorNote(models.Model):
    """A private note about a reader, for editors only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_notes"
    )
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="moderatornote_user_idx")]

    def __str__(self) -> str:
        return f"Note on {self.user}"
