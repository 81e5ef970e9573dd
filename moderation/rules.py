"""The screening rules: small pure functions over a comment (not yet saved) and its context.

Each rule returns a `Verdict` or None. `RULES` names them in order; `screening.screen()` runs them
all, keeps every reason that fired (stored on the comment for editors) and lets the strictest
verdict decide. Adding a rule is adding one function to the list. The rules read nothing but
their arguments: `context.context_for()` gathers what they look at, in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article
from comments.models import Comment

from .links import domain_list, hosts_in, judge, phone_numbers
from .models import ModerationSettings, Sanction
from .packs import Pack
from .ratelimits import duplicate as duplicate_limit
from .ratelimits import often_rejected as often_rejected_limit
from .ratelimits import too_fast as too_fast_limit
from .toxicity import aimed_at_someone
from .wordfilter import matcher_for

Status = Comment.Status


class Action(StrEnum):
    """From mildest to strictest: the strictest verdict that fires wins."""

    APPROVE = "approve"
    NUDGE = "nudge"  # the reader is asked to look again first; posted anyway, it is published
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
    Action.NUDGE: Status.APPROVED,
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
    # What the author is told, in words they can act on, when `message` is for editors.
    advice: str = field(default="", compare=False)

    def as_record(self) -> dict[str, str]:
        record = {"action": str(self.action), "reason": self.reason, "message": self.message}
        if self.advice:
            record["advice"] = self.advice
        return record

    @property
    def for_reader(self) -> str:
        return self.advice or self.message


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
        """Earned by an approved comment; lost once rejected ones (spam too) are as many."""
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
            assert suspension.ends_at is not None  # constraint sanction_suspension_has_end
            return (
                f"Your account is suspended from commenting until {when_text(suspension.ends_at)}. "
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
    author_is_editor: bool = False
    packs: tuple[Pack, ...] = ()  # the enabled rule packs, in order
    # The site's classifier: its score for this comment, and how many of the editors' decisions
    # the model in use learnt from (it decides nothing below the settings' minimum).
    classifier_score: float | None = None
    classifier_decisions: int = 0

    @property
    def links_trusted(self) -> bool:
        """Whose links publish wherever they go: editors, and readers an editor trusted."""
        return self.author_is_editor or self.standing.trusted


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

        Only when nothing worse than a hold fired, for what is said about the text: a nudge (a
        pack's, or the toxicity score's), suspect words, or a toxicity hold. The reader may revise,
        or post anyway (published after a nudge alone, else held).
        """
        if self.verdict.action not in (Action.NUDGE, Action.HOLD):
            return ()
        return tuple(v for v in self.fired if v.action == Action.NUDGE or v.reason in NUDGE_REASONS)


# A rule says nothing (None), one thing, or several (the packs: one verdict for each that fired).
Rule = Callable[[Comment, Context], Verdict | tuple[Verdict, ...] | None]

CLEAN = Verdict(Action.APPROVE, "clean", "No rule held this comment.")

# --- The rules -------------------------------------------------------------------------------


def when_text(moment: dt.datetime) -> str:
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
            advice=NUDGE_MESSAGES["suspect_words"],
        )
    return None


def rule_packs(comment: Comment, context: Context) -> tuple[Verdict, ...]:
    """One verdict for each enabled pack whose phrases the comment uses."""
    verdicts = []
    for pack in context.packs:
        if found := pack.find(comment.body):
            verdicts.append(
                Verdict(
                    PACK_ACTIONS[pack.action],
                    pack.code,
                    f"{pack.name}: {_quoted(found[:3])}.",
                    advice=pack.advice,
                )
            )
    return tuple(verdicts)


# What each pack action makes of a comment (RulePack.Action's values).
PACK_ACTIONS = {"hold": Action.HOLD, "nudge": Action.NUDGE, "refuse": Action.REFUSE}


# Links a reader can follow: anchors with an address (the sanitiser unwraps those without one).
_ANCHOR = re.compile(r"<a\s[^>]*\bhref=", re.IGNORECASE)
# "www." counts only where no scheme came first: "https://www.nhs.uk" is one address.
_TYPED_URL = re.compile(r"\b(?:https?://|(?<!//)www\.)", re.IGNORECASE)


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
            advice=f"It has {count} links; an editor reads comments with more than {limit} "
            "before they appear.",
        )
    return None


def _sites(domains: tuple[str, ...]) -> str:
    shown = ", ".join(domains[:3])
    return shown + (f" and {len(domains) - 3} more" if len(domains) > 3 else "")


def linked_sites(comment: Comment, context: Context) -> tuple[Verdict, ...]:
    """Links (and bare domains) judged by where they go: blocked is spam; a site editors have
    not trusted, a link shortener, or a phone number, waits for an editor unless the author is
    trusted."""
    hosts = hosts_in(comment.body, comment.body_html)
    numbers = () if context.links_trusted else phone_numbers(comment.body)
    if not hosts and not numbers:
        return ()
    settings = context.settings
    judged = judge(
        hosts,
        trusted=domain_list(settings.trusted_domains),
        blocked=domain_list(settings.blocked_domains),
    )
    verdicts = []
    if judged.blocked:
        verdicts.append(
            Verdict(
                Action.SPAM,
                "blocked_link",
                f"Links to a blocked site: {_sites(judged.blocked)}.",
                advice="It links to a site this site does not allow.",
            )
        )
    if judged.unknown and not context.links_trusted:
        verdicts.append(
            Verdict(
                Action.HOLD,
                "unknown_link",
                f"Links to a site editors have not checked: {_sites(judged.unknown)}.",
                advice=(
                    f"It links to a site our editors have not checked ({_sites(judged.unknown)}), "
                    "so an editor will look at it first. Without that link, your comment "
                    "would not wait."
                ),
            )
        )
    if numbers:
        verdicts.append(
            Verdict(
                Action.HOLD,
                "phone_number",
                f"Gives a phone number: {_sites(numbers)}.",
                advice="It gives a phone number, so an editor will look at it first. Without "
                "the number, your comment would not wait.",
            )
        )
    return tuple(verdicts)


def toxic(comment: Comment, context: Context) -> Verdict | None:
    hold = context.settings.toxicity_threshold
    nudge = context.settings.toxicity_nudge_threshold
    score = context.toxicity
    if score is None:
        return None
    aimed = aimed_at_someone(comment.body)
    if hold is not None and score >= hold:
        if aimed:
            return Verdict(
                Action.HOLD,
                "toxicity",
                f"Toxicity score {score:.2f} (comments from {hold:.2f} wait for an editor).",
                advice=NUDGE_MESSAGES["toxicity"],
            )
        # Swearing aimed at nobody ("bloody hell, what a night") is heated, not abuse.
        return Verdict(
            Action.NUDGE,
            "toxicity",
            f"Toxicity score {score:.2f}, aimed at no one (the reader is asked to look again).",
            advice=NUDGE_MESSAGES["toxicity"],
        )
    # Below the hold, a score aimed at no one is mostly the model's noise ("Reversed?" scores 0.64).
    if nudge is not None and score >= nudge and aimed:
        return Verdict(
            Action.NUDGE,
            "toxicity",
            f"Toxicity score {score:.2f} (the reader is asked to look again from {nudge:.2f}).",
            advice=NUDGE_MESSAGES["toxicity"],
        )
    return None


# Below this many words the classifier's score is mostly its prior, not the comment: the seed
# model gives "Calm down, everyone." 0.90 and "lol" 0.76. Such comments are scored, not held by it.
CLASSIFIER_MIN_WORDS = 5
_SCORED_WORD = re.compile(r"[^\W\d_]{2,}")


def classifier(comment: Comment, context: Context) -> Verdict | None:
    """The site's own classifier, once it has learnt from enough of the editors' decisions, on a
    comment long enough for its score to say something."""
    settings = context.settings
    threshold, score = settings.classifier_threshold, context.classifier_score
    if threshold is None or score is None or score < threshold:
        return None
    if context.classifier_decisions < settings.classifier_min_decisions:
        return None
    if len(_SCORED_WORD.findall(comment.body)) < CLASSIFIER_MIN_WORDS:
        return None
    return Verdict(
        Action.HOLD,
        "classifier",
        f"Classifier score {score:.2f} (comments from {threshold:.2f} wait for an editor).",
        advice="It resembles comments our editors have not published before, so an editor "
        "will read it first.",
    )


def new_reader(comment: Comment, context: Context) -> Verdict | None:
    if not context.settings.hold_new_readers or context.standing.trusted:
        return None
    if context.history.earned_trust or context.author_is_editor:
        return None
    if context.history.approved:
        message = "The author has as many rejected comments as approved ones, or more."
        advice = (
            "Because several of your comments were not published, an editor reads your "
            "comments before they appear."
        )
    else:
        message = "The author has no approved comment yet."
        advice = (
            "An editor reads a reader's first comment before it appears; once one is "
            "approved, your comments appear straight away."
        )
    return Verdict(Action.HOLD, "new_reader", message, advice=advice)


def often_rejected(comment: Comment, context: Context) -> Verdict | None:
    ratio = context.settings.rejection_ratio
    if ratio is None or context.standing.trusted:
        return None
    history = context.history
    if not often_rejected_limit(
        rejected=history.recent_rejected, decided=history.recent_decided, threshold=ratio
    ):
        return None
    return Verdict(
        Action.HOLD,
        "often_rejected",
        f"{history.recent_rejected} of the author's {history.recent_decided} comments over "
        f"{context.settings.rejection_days} days were rejected.",
        advice="Because several of your recent comments were not published, an editor reads "
        "your comments before they appear.",
    )


def author_premoderated(comment: Comment, context: Context) -> Verdict | None:
    if context.standing.premoderated:
        return Verdict(
            Action.HOLD,
            "author_premoderated",
            "An editor reads this reader's comments before they appear.",
            advice="The editors read your comments before they appear.",
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
    rule_packs,
    banned_words,
    suspect_words,
    too_many_links,
    linked_sites,
    toxic,
    classifier,
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
    "unknown_link": "Link to an unchecked site",
    "blocked_link": "Link to a blocked site",
    "phone_number": "Phone number",
    "toxicity": "Toxicity",
    "classifier": "Classifier",
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


def nudge_message(verdicts: Iterable[Verdict], *, held: bool = True) -> str:
    """What the reader reads before posting; `held`: posting anyway sends it to an editor."""
    said = " ".join(dict.fromkeys(v.for_reader for v in verdicts))
    then = " and an editor will read it before it appears." if held else "."
    return f"Before you post: {said} You can change your comment, or post it anyway{then}"
