"""Moderation's records: the editors' settings, the audit trail, sanctions and private notes.

These four models lived in the comments app until it was split; their tables keep the names they
had (`db_table`), so moving them changed no data (migration 0001 moves them in Django's state only).
The rules that change these rows are in this app's modules (decisions, sanctions, configuration);
the models state what must always hold.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from comments.models import Comment

from .links import DEFAULT_TRUSTED_DOMAINS, domain_list_errors
from .packs import phrase_errors

# Measured on the seed corpus (docs/moderation.md, "Thresholds"): the defaults of a fresh install.
TOXICITY_HOLD = 0.75
TOXICITY_NUDGE = 0.6
CLASSIFIER_HOLD = 0.9
# The shipped model, trained on the seed corpus alone, holds from a fresh install: out of fold it
# holds 6 of the seed corpus's 419 acceptable comments at 0.9 (1.4%) beyond the packs, and
# catches abuse and misinformation they miss. Editors who want it to wait for their own decisions
# raise this (docs/moderation.md, "The classifier").
CLASSIFIER_MIN_DECISIONS = 0


class ChangedByEditors(models.Model):
    """When editors last changed this row, and who (set by moderation.configuration)."""

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
        abstract = True


class ModerationSettings(ChangedByEditors):
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
        "trust: as many rejected comments as approved ones, or more).",
    )
    toxicity_threshold = models.FloatField(
        "toxicity: hold from",
        null=True,
        blank=True,
        default=TOXICITY_HOLD,
        help_text="Hold a comment whose toxicity score (0 to 1) is at least this. Empty: off.",
    )
    toxicity_nudge_threshold = models.FloatField(
        "toxicity: nudge from",
        null=True,
        blank=True,
        default=TOXICITY_NUDGE,
        help_text="Ask the reader to look again at a comment whose toxicity score is at least "
        "this (they may post it anyway). Empty: off.",
    )
    subject_words = models.TextField(
        blank=True,
        help_text="Words that never count against a comment's toxicity, besides each article's "
        "own title and tags (a site about hypnic jerks: “jerk”). One or more a line.",
    )
    trusted_domains = models.TextField(
        blank=True,
        default="\n".join(DEFAULT_TRUSTED_DOMAINS),
        help_text="One domain a line (its subdomains count too). Links anywhere else from "
        "readers an editor has not trusted wait for an editor. Link shorteners never count as "
        "trusted.",
    )
    blocked_domains = models.TextField(
        blank=True,
        help_text="One domain a line. A comment linking to one of them is spam.",
    )
    classifier_threshold = models.FloatField(
        "classifier: hold from",
        null=True,
        blank=True,
        default=CLASSIFIER_HOLD,
        help_text="Hold a comment that the site's own classifier scores at least this "
        "(0 to 1: how likely editors would reject it). Empty: never holds (scores still shown).",
    )
    classifier_min_decisions = models.PositiveIntegerField(
        "classifier: decisions needed",
        default=CLASSIFIER_MIN_DECISIONS,
        help_text="The classifier holds comments only once it has learnt from at least this "
        "many of your editors' decisions (approve, reject, spam). Until then its score is shown, "
        "and decides nothing. 0: the model trained on the shipped seed corpus holds from the "
        "start.",
    )
    # Bumped with every change to the screening rules (these settings, the rule packs): each
    # worker keeps what it derived from them (the packs' matchers) under this version.
    version = models.PositiveIntegerField(default=0, editable=False)
    # The classifier every worker uses (a Classifier's id), set when a training stores one.
    classifier_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
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

    class Meta:
        db_table = "comments_moderationsettings"
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
            models.CheckConstraint(
                condition=Q(toxicity_nudge_threshold__isnull=True)
                | Q(toxicity_nudge_threshold__gt=0, toxicity_nudge_threshold__lte=1),
                name="moderationsettings_nudge_0_1",
            ),
            models.CheckConstraint(
                condition=Q(classifier_threshold__isnull=True)
                | Q(classifier_threshold__gt=0, classifier_threshold__lte=1),
                name="moderationsettings_classifier_0_1",
            ),
        ]

    def __str__(self) -> str:
        return "Moderation settings"

    def save(self, *args, **kwargs) -> None:
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for name in ("trusted_domains", "blocked_domains"):
            if problems := domain_list_errors(getattr(self, name)):
                errors[name] = problems
        hold, nudge = self.toxicity_threshold, self.toxicity_nudge_threshold
        if hold is not None and nudge is not None and nudge >= hold:
            errors["toxicity_nudge_threshold"] = [
                "The nudge comes before the hold: make it lower than the hold threshold."
            ]
        if errors:
            raise ValidationError(errors)

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
    UPDATE or DELETE of these rows (comments migration 0005, which made the table); models and
    admin refuse them everywhere.
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
        db_table = "comments_moderationevent"
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
        db_table = "comments_sanction"
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
        db_table = "comments_moderatornote"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="moderatornote_user_idx")]

    def __str__(self) -> str:
        return f"Note on {self.user}"


class RulePack(ChangedByEditors):
    """A named list of phrases and what a comment using one of them gets: hold, nudge or refuse.

    Shipped packs come from a data migration (0004); editors change them, or add their own, on
    /moderation/settings/ or in the admin, through moderation.configuration.save_pack. How the
    phrases are written and matched: moderation.packs.
    """

    class Action(models.TextChoices):
        HOLD = "hold", "Hold for an editor"
        NUDGE = "nudge", "Nudge: ask the reader to look again (they may post anyway)"
        REFUSE = "refuse", "Refuse (the reader keeps their text and is told why)"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=50,
        unique=True,
        help_text="Its code in the screening reasons (pack:slug); changing it restarts the count.",
    )
    action = models.CharField(max_length=10, choices=Action, default=Action.HOLD)
    enabled = models.BooleanField(default=True)
    phrases = models.TextField(
        blank=True,
        help_text="One phrase a line, matched as whole words (any case, accents, letter swaps "
        "such as 0 for o, spaced-out letters). [a|b] is either; [a|] is an optional a; * alone "
        "is any one word; a line starting with # is a note.",
    )
    advice = models.CharField(
        "what the reader is told",
        max_length=300,
        help_text="One or two sentences, shown to the reader whose comment this pack held, "
        "nudged or refused. Say what they can do.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["hold", "nudge", "refuse"]), name="rulepack_action"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if problems := phrase_errors(self.phrases):
            raise ValidationError({"phrases": problems})


class Refusal(models.Model):
    """A comment the screening refused for what it said: nothing of it is stored but this.

    Counted with the stored comments' reasons to tell editors how often each rule pack fired.
    Refusals for who the reader is or how fast they post (a ban, the rate limit) are not kept.
    """

    created_at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    # The reason codes, as on Comment.reasons: " code code ".
    reasons = models.CharField(max_length=255)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_at"], name="refusal_created_idx")]

    def __str__(self) -> str:
        return f"Refused: {self.reasons.strip()}"


class Classifier(models.Model):
    """One training of the site's classifier (moderation.classifier): its weights and what it
    learnt from. The settings' `classifier_version` names the one in use."""

    created_at = models.DateTimeField(default=timezone.now)
    format = models.PositiveSmallIntegerField()
    # A NumPy archive of the non-zero weights (no pickle: moderation.classifier.Model).
    weights = models.BinaryField()
    examples = models.PositiveIntegerField()
    decisions = models.PositiveIntegerField(help_text="Editors' decisions among the examples.")
    seed_examples = models.PositiveIntegerField()
    # Examples per decision: {"approve": n, "reject": n, "spam": n}.
    counts = models.JSONField(default=dict)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"Classifier {self.pk} ({self.decisions} decisions)"
