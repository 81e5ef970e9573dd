"""Moderation: what happens to a comment when it is posted or edited, and what editors decide.

Screening. Each rule is a small pure function over the comment (not yet saved) and its `Context`
(the article, the author's standing and history, the editors' settings, the toxicity score),
returning a `Verdict` or None. `RULES` names them in order; `screen()` runs them all, keeps every
reason that fired (stored on the comment for editors) and lets the strictest verdict decide.
Adding a rule is adding one function to the list. `context_for()` gathers what the rules read, in
a fixed number of queries (two, plus the cached standing and settings).

Decisions. `decide()`, `decide_many()`, `feature()`, `weigh_report()`, `sanction()`,
`lift_sanction()`, `acknowledge_warnings()`, `add_note()` and `update_settings()` are the only
ways these things change, for the moderation pages, the admin, the API and commands alike. Each
checks, changes, records its audit event (ModerationEvent), then signals (comments/signals.py).

Concurrency. A decision is a conditional UPDATE on the version of the comment the editor saw
(`Comment.version`, bumped by every change of status): of two editors acting at once exactly one
row update succeeds; the other gets `AlreadyDecided`, saying who decided what and when. This needs
no lock and holds on SQLite and PostgreSQL alike.

Report weights (`REPORT_WEIGHTS`): a report weighs 1 from a new account (younger than
`NEW_ACCOUNT_AGE` or without an approved comment), 2 from an established reader, 3 from a trusted
one (trusted by an editor, an editor, or at least `TRUSTED_AFTER_APPROVED` approved comments with
no more rejected than a fifth of that). An approved comment goes back into review when the open
reports weigh `ModerationSettings.report_threshold` (6 by default: three readers, two trusted
readers, or six brand-new accounts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.formats import date_format

from accounts.roles import is_editor
from articles.models import Article

from . import signals
from .errors import CommentError
from .models import Comment, ModerationEvent, ModerationSettings, ModeratorNote, Report, Sanction
from .ratelimits import duplicate as duplicate_limit
from .ratelimits import fingerprint as text_fingerprint
from .ratelimits import often_rejected as often_rejected_limit
from .ratelimits import too_fast as too_fast_limit
from .wordfilter import matcher_for

Status = Comment.Status


class Action(StrEnum):
    """From mildest to strictest: the strictest verdict that fires wins."""

    APPROVE = "approve"
    HOLD = "hold"
    REJECT = "reject"
    SPAM = "spam"
    REFUSE = "refuse"  # not stored at all; the reader is told why and keeps their text

    @property
    def severity(self) -> int:
        return list(Action).index(self)


# What each action makes of the comment's status (REFUSE stores nothing).
STATUS_FOR = {
    Action.APPROVE: Status.APPROVED,
    Action.HOLD: Status.PENDING,
    Action.REJECT: Status.REJECTED,
    Action.SPAM: Status.SPAM,
}


@dataclass(frozen=True)
class Verdict:
    action: Action
    reason: str  # a stable code, for moderators and filters: "comments_closed"
    message: str  # a sentence the reader (or the moderator) can read
    # For a refusal that passes with time (too fast, the same text again): how long to wait.
    retry_after: dt.timedelta | None = field(default=None, compare=False)

    def as_record(self) -> dict[str, str]:
        return {"action": str(self.action), "reason": self.reason, "message": self.message}


# --- What the rules read ---------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorHistory:
    """The author's record, as counted when the comment arrives."""

    approved: int = 0
    rejected: int = 0  # rejected or spam, all time
    recent_decided: int = 0  # approved, rejected or spam, over the rejection period
    recent_rejected: int = 0
    # (fingerprint, posted at) of the author's comments in the last hour (or duplicate window).
    recent: tuple[tuple[str, dt.datetime], ...] = ()

    @property
    def earned_trust(self) -> bool:
        """Earned by an approved comment, lost by rejected ones (more rejected than approved)."""
        return self.approved > 0 and self.rejected < self.approved

    @property
    def rejected_share(self) -> float:
        return self.recent_rejected / self.recent_decided if self.recent_decided else 0.0


@dataclass(frozen=True)
class Standing:
    """The sanctions in force on a reader (see `standing_of`)."""

    sanctions: tuple[Sanction, ...] = ()

    def _first(self, kind: str, now: dt.datetime | None = None) -> Sanction | None:
        now = now or timezone.now()
        return next((s for s in self.sanctions if s.kind == kind and s.in_force(now)), None)

    @property
    def ban(self) -> Sanction | None:
        return self._first(Sanction.Kind.BAN)

    @property
    def suspension(self) -> Sanction | None:
        return self._first(Sanction.Kind.SUSPEND)

    @property
    def warnings(self) -> list[Sanction]:
        now = timezone.now()
        return [s for s in self.sanctions if s.kind == Sanction.Kind.WARN and s.in_force(now)]

    @property
    def trusted(self) -> bool:
        return self._first(Sanction.Kind.TRUST) is not None

    @property
    def premoderated(self) -> bool:
        return self._first(Sanction.Kind.PREMODERATE) is not None

    @property
    def may_comment(self) -> bool:
        return not (self.ban or self.suspension or self.warnings)

    @property
    def message(self) -> str:
        """Why this reader may not comment now (the strictest reason), or ""."""
        if ban := self.ban:
            return (
                "Your account may no longer take part in discussions. "
                f"The editors' reason: {ban.reason}"
            )
        if suspension := self.suspension:
            return (
                f"Your account is suspended from commenting until {_when(suspension.ends_at)}. "
                f"The editors' reason: {suspension.reason}"
            )
        if self.warnings:
            return WARNED
        return ""


WARNED = (
    "The editors have sent you a warning. Please read and acknowledge it before you comment again."
)


@dataclass(frozen=True)
class Context:
    """What rules may look at besides the comment itself (`context_for` fills it from the DB)."""

    article: Article
    author: object
    is_edit: bool = False
    now: dt.datetime = field(default_factory=timezone.now)
    settings: ModerationSettings = field(default_factory=ModerationSettings)
    history: AuthorHistory = field(default_factory=AuthorHistory)
    standing: Standing = field(default_factory=Standing)
    toxicity: float | None = None
    fingerprint: str = ""


@dataclass(frozen=True)
class Screening:
    verdict: Verdict  # the strictest
    fired: tuple[Verdict, ...]  # every rule that said something, in rule order

    @property
    def status(self) -> str:
        return STATUS_FOR[self.verdict.action]

    @property
    def records(self) -> list[dict[str, str]]:
        return [v.as_record() for v in self.fired]

    @property
    def codes(self) -> list[str]:
        return [v.reason for v in self.fired]

    @property
    def nudge(self) -> tuple[Verdict, ...]:
        """The objections to tell the reader about before saving, or () when there is no nudge.

        Only when the text itself draws nothing worse than a hold, and what is said about the
        text is only the toxicity score or suspect words: the reader may revise, or post anyway.
        """
        if self.verdict.action != Action.HOLD:
            return ()
        return tuple(v for v in self.fired if v.reason in NUDGE_REASONS)


Rule = Callable[[Comment, Context], Verdict | None]

CLEAN = Verdict(Action.APPROVE, "clean", "No rule held this comment.")

# --- The rules -------------------------------------------------------------------------------


def _when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def author_banned(comment: Comment, context: Context) -> Verdict | None:
    if context.standing.ban:
        return Verdict(Action.REFUSE, "author_banned", context.standing.message)
    return None


def author_suspended(comment: Comment, context: Context) -> Verdict | None:
    if context.standing.suspension and not context.standing.ban:
        return Verdict(Action.REFUSE, "author_suspended", context.standing.message)
    return None


def author_warned(comment: Comment, context: Context) -> Verdict | None:
    if context.standing.warnings:
        return Verdict(Action.REFUSE, "author_warned", WARNED)
    return None


def comments_closed(comment: Comment, context: Context) -> Verdict | None:
    if context.article.comments_closed:
        return Verdict(Action.REFUSE, "comments_closed", "Comments are closed on this article.")
    return None


def too_fast(comment: Comment, context: Context) -> Verdict | None:
    limit = context.settings.max_per_minute
    if context.is_edit or not limit:
        return None
    found = too_fast_limit(
        recent=[at for _, at in context.history.recent], now=context.now, limit=limit
    )
    return Verdict(Action.REFUSE, found.code, found.message, found.retry_after) if found else None


def duplicate(comment: Comment, context: Context) -> Verdict | None:
    minutes = context.settings.duplicate_minutes
    if context.is_edit or not minutes or not context.fingerprint:
        return None
    found = duplicate_limit(
        fingerprint=context.fingerprint,
        recent=context.history.recent,
        now=context.now,
        window=dt.timedelta(minutes=minutes),
    )
    return Verdict(Action.REFUSE, found.code, found.message, found.retry_after) if found else None


def _quoted(terms: Iterable[str]) -> str:
    return ", ".join(f"“{t}”" for t in terms)


def banned_words(comment: Comment, context: Context) -> Verdict | None:
    terms = ModerationSettings.terms(context.settings.banned_terms)
    if terms and (found := matcher_for(terms).find(comment.body)):
        return Verdict(
            Action.REJECT, "banned_words", f"Uses words that are not allowed: {_quoted(found)}."
        )
    return None


def suspect_words(comment: Comment, context: Context) -> Verdict | None:
    terms = ModerationSettings.terms(context.settings.suspect_terms)
    if terms and (found := matcher_for(terms).find(comment.body)):
        return Verdict(
            Action.HOLD,
            "suspect_words",
            f"Uses words that editors read before publishing: {_quoted(found)}.",
        )
    return None


_ANCHOR = re.compile(r"<a\s", re.IGNORECASE)
_TYPED_URL = re.compile(r"\b(?:https?://|www\.)", re.IGNORECASE)


def link_count(comment: Comment) -> int:
    """Links in the comment: its anchors as readers see them, or the addresses typed in it
    (whichever is more: an address the linkifier leaves alone still advertises a site)."""
    return max(len(_ANCHOR.findall(comment.body_html or "")), len(_TYPED_URL.findall(comment.body)))


def too_many_links(comment: Comment, context: Context) -> Verdict | None:
    limit = context.settings.max_links
    if limit is None:
        return None
    count = link_count(comment)
    if count > limit:
        return Verdict(
            Action.HOLD,
            "too_many_links",
            f"Has {count} links (more than {limit} wait for an editor).",
        )
    return None


def toxic(comment: Comment, context: Context) -> Verdict | None:
    threshold = context.settings.toxicity_threshold
    if threshold is None or context.toxicity is None or context.toxicity < threshold:
        return None
    return Verdict(
        Action.HOLD,
        "toxicity",
        f"Toxicity score {context.toxicity:.2f} "
        f"(comments from {threshold:.2f} wait for an editor).",
    )


def new_reader(comment: Comment, context: Context) -> Verdict | None:
    if not context.settings.hold_new_readers or context.standing.trusted:
        return None
    if context.history.earned_trust:
        return None
    if context.history.approved:
        message = "The author has more rejected comments than approved ones."
    else:
        message = "The author has no approved comment yet."
    return Verdict(Action.HOLD, "new_reader", message)


def often_rejected(comment: Comment, context: Context) -> Verdict | None:
    ratio = context.settings.rejection_ratio
    if ratio is None or context.standing.trusted:
        return None
    history = context.history
    found = often_rejected_limit(
        rejected=history.recent_rejected, decided=history.recent_decided, threshold=ratio
    )
    if found is None:
        return None
    return Verdict(
        Action.HOLD,
        found.code,
        f"{history.recent_rejected} of the author's {history.recent_decided} comments over "
        f"{context.settings.rejection_days} days were rejected.",
    )


def author_premoderated(comment: Comment, context: Context) -> Verdict | None:
    if context.standing.premoderated:
        return Verdict(
            Action.HOLD,
            "author_premoderated",
            "An editor reads this reader's comments before they appear.",
        )
    return None


def article_premoderated(comment: Comment, context: Context) -> Verdict | None:
    if context.article.comments_premoderated:
        return Verdict(
            Action.HOLD,
            "article_premoderated",
            "Comments on this article are reviewed by an editor before they appear.",
        )
    return None


RULES: list[Rule] = [
    author_banned,
    author_suspended,
    author_warned,
    comments_closed,
    too_fast,
    duplicate,
    banned_words,
    suspect_words,
    too_many_links,
    toxic,
    new_reader,
    often_rejected,
    author_premoderated,
    article_premoderated,
]

# Reason codes with the label editors see (filters, badges, the overview's chart).
RULE_LABELS: dict[str, str] = {
    "banned_words": "Banned words",
    "suspect_words": "Suspect words",
    "too_many_links": "Too many links",
    "toxicity": "Toxicity",
    "new_reader": "New reader",
    "often_rejected": "Often rejected",
    "author_premoderated": "Reader pre-moderated",
    "article_premoderated": "Article pre-moderated",
    "reports": "Reports",
}

# The objections a reader is told about before the comment is saved (see Screening.nudge).
NUDGE_REASONS = frozenset({"toxicity", "suspect_words"})
NUDGE_MESSAGES = {
    "toxicity": "It may come across as hostile or offensive.",
    "suspect_words": "It uses words our editors check before publishing.",
}


def nudge_message(verdicts: Iterable[Verdict]) -> str:
    said = " ".join(NUDGE_MESSAGES[v.reason] for v in verdicts if v.reason in NUDGE_MESSAGES)
    return (
        f"Before you post: {said} You can change your comment, or post it anyway and an editor "
        "will read it before it appears."
    )


def screen(
    comment: Comment, *, context: Context | None = None, rules: list[Rule] | None = None
) -> Screening:
    """Run the rules over a comment; the strictest verdict wins, every reason is kept."""
    context = context or context_for(comment)
    fired = tuple(
        verdict
        for rule in (RULES if rules is None else rules)
        if (verdict := rule(comment, context))
    )
    strictest = max(fired, key=lambda v: v.action.severity, default=CLEAN)
    return Screening(verdict=strictest, fired=fired)


# --- Gathering the context -------------------------------------------------------------------

_SETTINGS_KEY = "comments:moderation-settings"


def moderation_settings() -> ModerationSettings:
    """The editors' settings (cached; made with the issue's defaults on first use)."""
    found = cache.get(_SETTINGS_KEY)
    if found is None:
        found, _ = ModerationSettings.objects.get_or_create(pk=ModerationSettings.SINGLETON_PK)
        cache.set(_SETTINGS_KEY, found, timeout=3600)
    return found


def forget_settings() -> None:
    cache.delete(_SETTINGS_KEY)


def _standing_key(user_id: int) -> str:
    return f"comments:standing:{user_id}"


def standing_of(user: Any) -> Standing:
    """The sanctions in force on a reader: cached, so the article page pays no query for it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Standing()
    key = _standing_key(user.pk)
    sanctions = cache.get(key)
    if sanctions is None:
        sanctions = tuple(Sanction.objects.in_force().filter(user=user))
        cache.set(key, sanctions, timeout=3600)
    # Expiry is judged when read (Sanction.in_force), so a cached suspension still ends on time.
    return Standing(sanctions=sanctions)


def forget_standing(user_id: int) -> None:
    cache.delete(_standing_key(user_id))


def author_history(author: Any, *, settings: ModerationSettings, now: dt.datetime) -> AuthorHistory:
    """Two queries: the author's counts, and their comments of the last hour."""
    if author is None or not getattr(author, "pk", None):
        return AuthorHistory()
    mine = Comment.objects.filter(author=author)
    since = now - dt.timedelta(days=settings.rejection_days)
    decided = [Status.APPROVED, Status.REJECTED, Status.SPAM]
    rejected = [Status.REJECTED, Status.SPAM]
    counts = mine.aggregate(
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
        rejected=Count("pk", filter=Q(status__in=rejected)),
        recent_decided=Count("pk", filter=Q(created_at__gte=since, status__in=decided)),
        recent_rejected=Count("pk", filter=Q(created_at__gte=since, status__in=rejected)),
    )
    window = max(dt.timedelta(minutes=settings.duplicate_minutes), dt.timedelta(minutes=1))
    recent = tuple(
        mine.filter(created_at__gt=now - window, created_at__lte=now).values_list(
            "fingerprint", "created_at"
        )
    )
    return AuthorHistory(recent=recent, **counts)


def context_for(comment: Comment, *, is_edit: bool = False) -> Context:
    """Everything the rules read about this comment, fetched once."""
    from .toxicity import toxicity_score  # loads the model on first use only

    settings = moderation_settings()
    now = timezone.now()
    author = comment.author
    score = None
    if settings.toxicity_threshold is not None and comment.body.strip():
        score = toxicity_score(comment.body)
    return Context(
        article=comment.article,
        author=author,
        is_edit=is_edit,
        now=now,
        settings=settings,
        # On an edit the comment counts too: editing one's only approved comment keeps it so.
        history=author_history(author, settings=settings, now=now),
        standing=standing_of(author),
        toxicity=score,
        fingerprint=text_fingerprint(comment.body),
    )


def priority_of(*, toxicity: float | None, rejected_share: float, report_weight: int = 0) -> int:
    """Worst first: each unit of report weight outranks any toxicity, which outranks history."""
    return report_weight * 1000 + round((toxicity or 0) * 100) * 5 + round(rejected_share * 100)


def apply_screening(comment: Comment, *, is_edit: bool, confirmed: bool = False) -> Screening:
    """Screen an unsaved or edited comment and set what the screening decides on it.

    Raises CommentError for a refusal (nothing to store) and CommentNudge when the reader should
    be asked first (unless `confirmed`: they chose to post anyway).
    """
    context = context_for(comment, is_edit=is_edit)
    result = screen(comment, context=context)
    if result.verdict.action == Action.REFUSE:
        verdict = result.verdict
        raise CommentError(verdict.message, code=verdict.reason, retry_after=verdict.retry_after)
    if result.nudge and not confirmed and not is_edit:
        raise CommentNudge(result.nudge)
    comment.status = result.status
    comment.screening = result.records
    comment.reasons = _codes(result.codes)
    comment.fingerprint = context.fingerprint
    comment.toxicity = context.toxicity
    comment.priority = priority_of(
        toxicity=context.toxicity,
        rejected_share=context.history.rejected_share,
        report_weight=comment.report_weight,
    )
    return result


def _codes(codes: Iterable[str]) -> str:
    codes = list(dict.fromkeys(codes))
    return f" {' '.join(codes)} " if codes else ""


class CommentNudge(CommentError):
    """Not refused: the reader is asked to look again, and may post anyway (then it is held)."""

    def __init__(self, verdicts: tuple[Verdict, ...]) -> None:
        super().__init__(nudge_message(verdicts), field="body")
        self.verdicts = verdicts


def record_screening(comment: Comment, result: Screening, *, previous_status: str = "") -> None:
    """The audit event of a screening (on posting, or again after an edit)."""
    ModerationEvent.objects.create(
        comment=comment,
        actor=None,
        kind=ModerationEvent.Kind.RESCREENED if previous_status else ModerationEvent.Kind.SCREENED,
        from_status=previous_status,
        to_status=comment.status,
        reasons=result.codes,
        note=" ".join(v.message for v in result.fired),
    )


def record_withdrawal(comment: Comment, *, by: Any, previous_status: str) -> None:
    ModerationEvent.objects.create(
        comment=comment,
        actor=by,
        actor_name=by.username,
        kind=ModerationEvent.Kind.WITHDRAWN,
        from_status=previous_status,
        to_status=comment.status,
    )


# --- Decisions -------------------------------------------------------------------------------


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    SPAM = "spam"
    RESTORE = "restore"  # a rejected or spam comment goes back to the Pending queue


DECISION_STATUS = {
    Decision.APPROVE: Status.APPROVED,
    Decision.REJECT: Status.REJECTED,
    Decision.SPAM: Status.SPAM,
    Decision.RESTORE: Status.PENDING,
}
# Where each decision may start from. Approving an approved comment is allowed only while it has
# open reports: it dismisses them.
DECIDABLE_FROM = {
    Decision.APPROVE: {Status.PENDING, Status.REJECTED, Status.SPAM, Status.APPROVED},
    Decision.REJECT: {Status.PENDING, Status.APPROVED, Status.SPAM},
    Decision.SPAM: {Status.PENDING, Status.APPROVED, Status.REJECTED},
    Decision.RESTORE: {Status.REJECTED, Status.SPAM},
}
PAST_TENSE = {
    Decision.APPROVE: "approved",
    Decision.REJECT: "rejected",
    Decision.SPAM: "marked as spam",
    Decision.RESTORE: "restored",
}
REASON_MAX_LENGTH = 500


def allowed_decisions(comment: Comment) -> set[str]:
    """The decisions an editor may take on this comment as it stands (the enabled buttons)."""
    return {
        str(d)
        for d, sources in DECIDABLE_FROM.items()
        if comment.status in sources
        and (DECISION_STATUS[d] != comment.status or comment.open_reports)
    }


class AlreadyDecided(CommentError):
    """Someone else changed the comment first; `event` is their change, when there is one."""

    def __init__(self, message: str, *, event: ModerationEvent | None = None) -> None:
        super().__init__(message)
        self.event = event


def may_moderate(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (is_editor(user) or user.has_perm("comments.moderate_comment"))
    )


def _check_moderator(by: Any) -> None:
    if not may_moderate(by):
        raise CommentError("Only editors may moderate comments.")


def describe_event(event: ModerationEvent) -> str:
    """ "Alice approved this comment on 3 March 2026, 14:03." """
    when = _when(event.created_at)
    if event.kind == ModerationEvent.Kind.DECIDED:
        action = event.reasons[0] if event.reasons else ""
        done = PAST_TENSE.get(action, f"moved it to {event.to_status}")
        return f"{event.by} {done} this comment on {when}."
    if event.kind == ModerationEvent.Kind.REPORTED:
        return f"Readers' reports sent this comment back into review on {when}."
    if event.kind == ModerationEvent.Kind.RESCREENED:
        return f"Its author edited this comment on {when}."
    if event.kind == ModerationEvent.Kind.WITHDRAWN:
        return f"Its author deleted this comment on {when}."
    return f"{event.get_kind_display()} ({event.by}) on {when}."


def _already_decided(comment: Comment) -> AlreadyDecided:
    latest = (
        ModerationEvent.objects.filter(comment_id=comment.pk)
        .exclude(kind__in=[ModerationEvent.Kind.FEATURED, ModerationEvent.Kind.UNFEATURED])
        .order_by("-created_at", "-pk")
        .first()
    )
    now_status = Comment.objects.filter(pk=comment.pk).values_list("status", flat=True).first()
    if latest is not None:
        message = describe_event(latest)
    else:
        message = "This comment changed while you were looking at it."
    if now_status is not None:
        message += f" It is now “{Status(now_status).label}”."
    return AlreadyDecided(message, event=latest)


def _changed(comment: Comment, previous_status: str) -> None:
    comment._loaded_status = previous_status
    signals.comment_changed.send(sender=Comment, comment=comment, previous_status=previous_status)
    comment._loaded_status = comment.status


def decide(
    comment: Comment, action: str, *, by: Any, reason: str = "", version: int | None = None
) -> Comment:
    """An editor's decision on a comment: approve, reject, spam or restore.

    Applies only if the comment is still the version the editor saw (`version`, by default the
    one `comment` holds); otherwise raises AlreadyDecided naming who changed it and when.
    `reason` is shown to the author for a rejection or spam. Every decision closes the comment's
    open reports.
    """
    _check_moderator(by)
    try:
        decision = Decision(action)
    except ValueError:
        raise CommentError(f"Unknown moderation action: {action!r}.") from None
    if version is not None and version != comment.version:
        raise _already_decided(comment)
    target = DECISION_STATUS[decision]
    previous = comment.status
    if previous not in DECIDABLE_FROM[decision] or (
        previous == target and not comment.open_reports
    ):
        if previous == Status.REMOVED:
            raise CommentError("Its author deleted this comment; it can no longer be moderated.")
        fresh = Comment.objects.filter(pk=comment.pk, version=comment.version).exists()
        if not fresh:
            raise _already_decided(comment)
        raise CommentError(f"This comment is already “{Status(previous).label}”.")
    reason = reason.strip()[:REASON_MAX_LENGTH]
    shown_reason = reason if target in (Status.REJECTED, Status.SPAM) else ""
    now = timezone.now()
    with transaction.atomic():
        updated = Comment.objects.filter(pk=comment.pk, version=comment.version).update(
            status=target,
            version=F("version") + 1,
            decided_at=now,
            decided_by=by,
            decision_reason=shown_reason,
            open_reports=0,
            report_weight=0,
            priority=Greatest(F("priority") - F("report_weight") * 1000, Value(0)),
        )
        if not updated:
            raise _already_decided(comment)
        waited = now - comment.created_at if previous == Status.PENDING else None
        event = ModerationEvent.objects.create(
            comment=comment,
            actor=by,
            actor_name=by.username,
            kind=ModerationEvent.Kind.DECIDED,
            from_status=previous,
            to_status=target,
            reasons=[str(decision)],
            note=reason,
            waited=waited if not comment.open_reports else None,
            created_at=now,
        )
        comment.priority = max(comment.priority - comment.report_weight * 1000, 0)
        comment.status = target
        comment.version += 1
        comment.decided_at, comment.decided_by = now, by
        comment.decision_reason = shown_reason
        comment.open_reports = comment.report_weight = 0
        _changed(comment, previous)
    transaction.on_commit(
        lambda: signals.comment_moderated.send(sender=Comment, comment=comment, event=event),
        robust=True,
    )
    return comment


@dataclass
class BulkOutcome:
    decided: list[Comment] = field(default_factory=list)
    refused: list[tuple[Comment, str]] = field(default_factory=list)


def decide_many(
    comments: Iterable[Comment],
    action: str,
    *,
    by: Any,
    reason: str = "",
    versions: Mapping[int, int] | None = None,
) -> BulkOutcome:
    """One decision for many comments; each applies or is refused on its own (see `decide`).

    `versions` maps a comment's id to the version the editor saw (a selection made on a page).
    """
    _check_moderator(by)
    outcome = BulkOutcome()
    for comment in comments:
        version = versions.get(comment.pk) if versions is not None else None
        try:
            decide(comment, action, by=by, reason=reason, version=version)
        except CommentError as error:
            outcome.refused.append((comment, error.message))
        else:
            outcome.decided.append(comment)
    return outcome


def feature(comment: Comment, *, by: Any, featured: bool = True) -> Comment:
    """Make a published comment an editors' pick (shown first, with a badge), or stop that."""
    _check_moderator(by)
    if featured and comment.status != Status.APPROVED:
        raise CommentError("Only a published comment can be featured.")
    now = timezone.now()
    with transaction.atomic():
        updated = Comment.objects.filter(pk=comment.pk, featured_at__isnull=featured).update(
            featured_at=now if featured else None
        )
        if not updated:
            state = "already featured" if featured else "not featured"
            raise CommentError(f"This comment is {state}.")
        event = ModerationEvent.objects.create(
            comment=comment,
            actor=by,
            actor_name=by.username,
            kind=ModerationEvent.Kind.FEATURED if featured else ModerationEvent.Kind.UNFEATURED,
            from_status=comment.status,
            to_status=comment.status,
            created_at=now,
        )
        comment.featured_at = now if featured else None
        _changed(comment, comment.status)
    transaction.on_commit(
        lambda: signals.comment_moderated.send(sender=Comment, comment=comment, event=event),
        robust=True,
    )
    return comment


# --- Reports ---------------------------------------------------------------------------------

REPORT_WEIGHTS = {"new": 1, "reader": 2, "trusted": 3}
NEW_ACCOUNT_AGE = dt.timedelta(days=7)
TRUSTED_AFTER_APPROVED = 5


def reporter_standing(reporter: Any, *, now: dt.datetime | None = None) -> str:
    """ "new", "reader" or "trusted": how much this reader's reports weigh (REPORT_WEIGHTS)."""
    if reporter is None:
        return "new"
    if is_editor(reporter) or standing_of(reporter).trusted:
        return "trusted"
    now = now or timezone.now()
    counts = Comment.objects.filter(author=reporter).aggregate(
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
        rejected=Count("pk", filter=Q(status__in=[Status.REJECTED, Status.SPAM])),
    )
    if counts["approved"] == 0 or now - reporter.date_joined < NEW_ACCOUNT_AGE:
        return "new"
    if (
        counts["approved"] >= TRUSTED_AFTER_APPROVED
        and counts["rejected"] * 5 <= counts["approved"]
    ):
        return "trusted"
    return "reader"


def weigh_report(report: Report) -> Comment:
    """Count a new report on its comment; enough weight sends an approved comment into review.

    Called by services.report_comment in the transaction that stores the report.
    """
    comment = report.comment
    weight = REPORT_WEIGHTS[reporter_standing(report.reporter)]
    Comment.objects.filter(pk=comment.pk).update(
        open_reports=F("open_reports") + 1,
        report_weight=F("report_weight") + weight,
        priority=F("priority") + weight * 1000,
    )
    comment.refresh_from_db(
        fields=["open_reports", "report_weight", "priority", "status", "version"]
    )
    threshold = moderation_settings().report_threshold
    if threshold and comment.report_weight >= threshold and comment.status == Status.APPROVED:
        _hide_after_reports(comment)
    return comment


def _hide_after_reports(comment: Comment) -> None:
    record = {
        "action": str(Action.HOLD),
        "reason": "reports",
        "message": f"{comment.open_reports} readers reported it (weight {comment.report_weight}).",
    }
    screening = [*comment.screening, record]
    reasons = _codes([*comment.reason_codes, "reports"])
    updated = Comment.objects.filter(
        pk=comment.pk, version=comment.version, status=Status.APPROVED
    ).update(status=Status.PENDING, version=F("version") + 1, screening=screening, reasons=reasons)
    if not updated:
        return  # another report (or an editor) got there first
    event = ModerationEvent.objects.create(
        comment=comment,
        kind=ModerationEvent.Kind.REPORTED,
        from_status=Status.APPROVED,
        to_status=Status.PENDING,
        reasons=["reports"],
        note=record["message"],
    )
    comment.status, comment.version = Status.PENDING, comment.version + 1
    comment.screening, comment.reasons = screening, reasons
    _changed(comment, Status.APPROVED)
    transaction.on_commit(
        lambda: signals.comment_moderated.send(sender=Comment, comment=comment, event=event),
        robust=True,
    )


# --- Sanctions and notes ---------------------------------------------------------------------

NEEDS_REASON = {Sanction.Kind.WARN, Sanction.Kind.SUSPEND, Sanction.Kind.BAN}
# Sanctions that replace one another: a reader is either trusted or always pre-moderated.
REPLACES = {
    Sanction.Kind.TRUST: {Sanction.Kind.TRUST, Sanction.Kind.PREMODERATE},
    Sanction.Kind.PREMODERATE: {Sanction.Kind.TRUST, Sanction.Kind.PREMODERATE},
    Sanction.Kind.SUSPEND: {Sanction.Kind.SUSPEND},
    Sanction.Kind.BAN: {Sanction.Kind.BAN},
    Sanction.Kind.WARN: set(),
}
MAX_SUSPENSION_DAYS = 3650


def sanction(
    user: Any,
    kind: str,
    *,
    by: Any,
    reason: str = "",
    days: int | None = None,
    reject_pending: bool = False,
) -> Sanction:
    """Warn, suspend (for `days`), ban, always pre-moderate or trust a reader.

    A warning, suspension or ban needs a reason, which the reader sees. Banning with
    `reject_pending` also rejects every comment of theirs still waiting, one decision each.
    """
    _check_moderator(by)
    try:
        kind = Sanction.Kind(kind)
    except ValueError:
        raise CommentError(f"Unknown sanction: {kind!r}.", field="kind") from None
    if user is None or user.pk == by.pk:
        raise CommentError("You cannot sanction yourself.")
    if is_editor(user):
        raise CommentError("Editors cannot be sanctioned here; change their role instead.")
    reason = reason.strip()
    if kind in NEEDS_REASON and not reason:
        raise CommentError("Please give a reason: the reader will see it.", field="reason")
    now = timezone.now()
    ends_at = None
    if kind == Sanction.Kind.SUSPEND:
        if not days or days < 1 or days > MAX_SUSPENSION_DAYS:
            raise CommentError(
                f"A suspension lasts from 1 to {MAX_SUSPENSION_DAYS} days.", field="days"
            )
        ends_at = now + dt.timedelta(days=days)
    with transaction.atomic():
        Sanction.objects.in_force(now=now).filter(user=user, kind__in=REPLACES[kind]).update(
            lifted_at=now, lifted_by=by
        )
        made = Sanction.objects.create(
            user=user, kind=kind, reason=reason, created_by=by, created_at=now, ends_at=ends_at
        )
        forget_standing(user.pk)
        transaction.on_commit(lambda: forget_standing(user.pk), robust=True)
        if kind == Sanction.Kind.BAN and reject_pending:
            pending = Comment.objects.filter(author=user, status=Status.PENDING)
            decide_many(pending, Decision.REJECT, by=by, reason=reason)
    transaction.on_commit(
        lambda: signals.reader_sanctioned.send(sender=Comment, user=user, sanction=made),
        robust=True,
    )
    return made


def lift_sanction(sanction: Sanction, *, by: Any) -> Sanction:
    """End a sanction early (or withdraw a trust or pre-moderation)."""
    _check_moderator(by)
    now = timezone.now()
    with transaction.atomic():
        updated = Sanction.objects.filter(pk=sanction.pk, lifted_at__isnull=True).update(
            lifted_at=now, lifted_by=by
        )
        if not updated:
            raise CommentError("This sanction was already lifted.")
        sanction.lifted_at, sanction.lifted_by = now, by
        forget_standing(sanction.user_id)
        transaction.on_commit(lambda: forget_standing(sanction.user_id), robust=True)
    transaction.on_commit(
        lambda: signals.reader_sanctioned.send(
            sender=Comment, user=sanction.user, sanction=sanction
        ),
        robust=True,
    )
    return sanction


def acknowledge_warnings(user: Any) -> int:
    """The reader has read their warnings: they may comment again. Returns how many."""
    if user is None or not user.is_authenticated:
        raise CommentError("Please log in first.")
    now = timezone.now()
    with transaction.atomic():
        count = (
            Sanction.objects.in_force(now=now)
            .filter(user=user, kind=Sanction.Kind.WARN)
            .update(acknowledged_at=now)
        )
        forget_standing(user.pk)
        transaction.on_commit(lambda: forget_standing(user.pk), robust=True)
    return count


def add_note(user: Any, *, by: Any, text: str) -> ModeratorNote:
    """A private note about a reader, for editors."""
    _check_moderator(by)
    text = text.strip()
    if not text:
        raise CommentError("Please write the note.", field="text")
    if len(text) > 2000:
        raise CommentError("Please keep a note to 2,000 characters.", field="text")
    return ModeratorNote.objects.create(user=user, text=text, created_by=by)


def update_settings(*, by: Any, **values: Any) -> ModerationSettings:
    """Change the screening rules' settings; a bad value is a ValidationError, nothing saved."""
    _check_moderator(by)
    current = ModerationSettings.objects.get_or_create(pk=ModerationSettings.SINGLETON_PK)[0]
    for name, value in values.items():
        if name not in SETTINGS_FIELDS:
            raise ValidationError({name: "Not a moderation setting."})
        setattr(current, name, value)
    current.full_clean()
    current.updated_by = by
    current.save()
    forget_settings()
    transaction.on_commit(forget_settings, robust=True)
    return current


SETTINGS_FIELDS = (
    "banned_terms",
    "suspect_terms",
    "max_links",
    "hold_new_readers",
    "toxicity_threshold",
    "duplicate_minutes",
    "max_per_minute",
    "rejection_ratio",
    "rejection_days",
    "report_threshold",
)
