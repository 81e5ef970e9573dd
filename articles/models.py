"""Sections (a tree) and the articles published in them."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Length, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from simple_history.models import HistoricalRecords

from markup.sanitize import render_markdown

if TYPE_CHECKING:
    from accounts.models import User


def validate_not_reserved(slug: str) -> None:
    if slug in settings.RESERVED_SECTION_SLUGS:
        raise ValidationError(f"“{slug}” is reserved for the site's own pages.")


def description_of(*, summary: str, body: str) -> str:
    """For meta description and Open Graph: the summary, or the opening of the body (300 chars)."""
    if summary:
        return summary
    first = body.strip().split("\n\n", 1)[0]
    return first if len(first) <= 300 else first[:297].rsplit(" ", 1)[0] + "…"


class SectionQuerySet(models.QuerySet):
    def roots(self) -> SectionQuerySet:
        return self.filter(parent__isnull=True)

    def tree(self) -> list[Section]:
        """Every section, as a tree: the roots, each with `subsections` (one query)."""
        sections = list(self.order_by("path"))
        by_path = {s.path: s for s in sections}
        roots: list[Section] = []
        for section in sections:
            section.subsections = []
        for section in sorted(sections, key=lambda s: (s.depth, s.position, s.name)):
            parent = by_path.get(section.path.rpartition("/")[0])
            (parent.subsections if parent else roots).append(section)
        return roots

    def ancestors_of(self, section: Section) -> SectionQuerySet:
        """The section and its ancestors, root first: their paths are prefixes of its path."""
        parts = section.path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return self.filter(path__in=prefixes).order_by(Length("path"))


class Section(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveIntegerField(default=0, help_text="Lower comes first.")
    description = models.TextField(blank=True)
    # The slugs from the root down, joined by "/": the section's URL, derived from the tree and kept
    # so that a URL resolves, and an article's URL is built, without walking the tree.
    path = models.CharField(max_length=500, unique=True, editable=False)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "slug"], name="section_unique_slug_in_parent"
            ),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(parent__isnull=True), name="section_unique_root_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.path.replace("/", " › ") if self.path else self.name

    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        self.path = f"{self.parent.path}/{self.slug}" if self.parent is not None else self.slug
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Keep the derived paths of the subtree in step with a rename or move, and the old URLs
            # of the whole subtree (sections and the articles in them) answering with a redirect.
            Section.objects.filter(path__startswith=f"{old_path}/").update(
                path=Concat(Value(self.path), Substr(F("path"), len(old_path) + 1))
            )
            SectionRedirect.objects.record(old_path=old_path, new_path=self.path, section=self)

    def get_absolute_url(self) -> str:
        return reverse("articles:resolve", kwargs={"path": self.path})

    def clean(self) -> None:
        if self.parent_id is None:
            validate_not_reserved(self.slug)
        node = self.parent
        while node is not None:
            if self.pk and node.pk == self.pk:
                raise ValidationError({"parent": "A section cannot be placed inside itself."})
            node = node.parent

    @property
    def depth(self) -> int:
        return self.path.count("/")


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        """What the public may see: published, and its publication time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def in_section_tree(self, section: Section) -> ArticleQuerySet:
        # The sections' ids first (a subquery), so the articles are read from their section's
        # index; an OR across the join would read every published article.
        tree = Section.objects.filter(Q(pk=section.pk) | Q(path__startswith=f"{section.path}/"))
        return self.filter(section__in=tree.values("pk"))

    def scheduled(self) -> ArticleQuerySet:
        """Published with a publication time still to come: live by itself when it comes."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def for_listing(self) -> ArticleQuerySet:
        return self.select_related("section", "author").order_by("-published_at", "-pk")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    class CommentsMode(models.TextChoices):
        OPEN = "open", "Open"
        PREMODERATED = "premoderated", "Open, every comment pre-moderated"
        CLOSED = "closed", "Closed"

    class State(models.TextChoices):
        """What editors see: the stored status, with "scheduled" told apart from "published"."""

        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    summary = models.TextField(
        blank=True, help_text="One or two sentences for listings, search engines and previews."
    )
    body = models.TextField(help_text="Markdown.")
    tags = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the article is about, comma-separated (“hypnic jerks, sleep”). Comments "
        "may use these words freely: they never count against a comment's tone.",
    )
    body_html = models.TextField(editable=False, default="")
    # The words of the rendered body without markup: what search matches and quotes.
    body_text = models.TextField(editable=False, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Goes live at this time; a future time schedules it."
    )
    # Set only by a material update (publishing.save_article(material=True)): shown as "Updated …"
    # and given to search engines as dateModified. Ordinary saves (typos) leave it alone.
    revised_at = models.DateTimeField(
        "updated", null=True, blank=True, editable=False, help_text="Last material update."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    comments_mode = models.CharField(max_length=20, choices=CommentsMode, default=CommentsMode.OPEN)
    comments_close_after_days = models.PositiveSmallIntegerField(
        "close comments after (days)",
        null=True,
        blank=True,
        help_text="Close the discussion this many days after publication; empty keeps it open.",
    )
    # The version of what the article's page shows, bumped in the same transaction as any change
    # to it (its own row, or its discussion: articles.versions.articles_changed). Cached pages
    # are keyed by it.
    version = models.PositiveBigIntegerField(default=0, editable=False)

    objects = ArticleQuerySet.as_manager()
    # Every save kept, with who (HistoryRequestMiddleware, or `_history_user`) and when. The
    # derived HTML and text are left out: a restore renders them again.
    history = HistoricalRecords(excluded_fields=["body_html", "body_text", "updated_at", "version"])

    # Set on instances, not stored. Where it was when read (see from_db), None for a deferred field.
    _loaded_location: tuple[int | None, str | None]
    # Who saves it and why, for the revision simple-history records (articles.publishing sets them).
    _history_user: User
    _change_reason: str

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "slug"], name="article_unique_slug_in_section"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
        ]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_public_idx"),
            models.Index(
                fields=["section", "status", "published_at"], name="article_section_public_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # The body is rendered once here, never per view.
        self.body_html = render_markdown(self.body)
        self.body_text = html.unescape(strip_tags(self.body_html))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "body_text"}
        old_section_id, old_slug = getattr(self, "_loaded_location", (None, None))
        super().save(*args, **kwargs)
        if (
            old_section_id is not None
            and old_slug is not None
            and (old_section_id, old_slug) != (self.section_id, self.slug)
        ):
            # A new slug or section: the old URL keeps answering, with a redirect to the new one.
            ArticleRedirect.objects.record(section_id=old_section_id, slug=old_slug, article=self)
        self._loaded_location = (self.section_id, self.slug)

    def get_absolute_url(self) -> str:
        return reverse("articles:resolve", kwargs={"path": self.path})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Where it was when read, so that a save can tell it moved (see save()).
        instance._loaded_location = (
            instance.__dict__.get("section_id"),
            instance.__dict__.get("slug"),
        )
        return instance

    @property
    def path(self) -> str:
        return f"{self.section.path}/{self.slug}"

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def state(self) -> Article.State:
        if self.status == self.Status.PUBLISHED:
            return self.State.PUBLISHED if self.is_public else self.State.SCHEDULED
        return self.State(self.status)

    @property
    def modified_at(self) -> datetime | None:
        """The date search engines and feeds get as "modified": the last material update."""
        return self.revised_at or self.published_at

    @property
    def comments_close_at(self) -> datetime | None:
        if self.comments_close_after_days is None or self.published_at is None:
            return None
        return self.published_at + timedelta(days=self.comments_close_after_days)

    @property
    def comments_closed(self) -> bool:
        """Whether readers may no longer comment: closed by hand, or its time has run out."""
        if self.comments_mode == self.CommentsMode.CLOSED:
            return True
        close_at = self.comments_close_at
        return close_at is not None and close_at <= timezone.now()

    @property
    def comments_premoderated(self) -> bool:
        return self.comments_mode == self.CommentsMode.PREMODERATED

    @property
    def description(self) -> str:
        return description_of(summary=self.summary, body=self.body)


class SectionRedirectQuerySet(models.QuerySet):
    def record(self, *, old_path: str, new_path: str, section: Section) -> None:
        """Remember that the subtree once at `old_path` is now the section's (wherever it is).

        It names the section, not the next path, so a chain of moves collapses to one hop; the
        path the section now has is no longer an old one, so a move back cannot loop.
        """
        self.filter(old_path=new_path).delete()
        self.update_or_create(old_path=old_path, defaults={"section": section})


class SectionRedirect(models.Model):
    """An old path of a section: it, and everything under it, moved to the section's path."""

    old_path = models.CharField(max_length=500, unique=True)
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="old_paths")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SectionRedirectQuerySet.as_manager()

    def __str__(self) -> str:
        return f"/{self.old_path}/ → {self.section}"


class ArticleRedirectQuerySet(models.QuerySet):
    def record(self, *, section_id: int, slug: str, article: Article) -> None:
        """Remember that `slug` in that section was this article (now elsewhere).

        Kept by section, not by path, so it still answers after the section itself moves.
        """
        self.filter(section_id=article.section_id, slug=article.slug).delete()
        self.update_or_create(section_id=section_id, slug=slug, defaults={"article": article})


class ArticleRedirect(models.Model):
    """An old place of an article: a slug it had in a section it was in."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(max_length=200)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_places")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArticleRedirectQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section", "slug"], name="article_redirect_unique")
        ]

    def __str__(self) -> str:
        return f"{self.section.path}/{self.slug} → {self.article}"


class SiteVersion(models.Model):
    """Versions of what the public pages show, held by the database: one row.

    Bumped in the same transaction as the change (articles.versions), read in the same query as
    the page's own row, and carried by every cached page's key (articles.pagecache): a cached
    page can only miss, never show something older than the database.
    """

    SINGLETON_PK = 1

    # The section tree: the header, breadcrumbs, section pages.
    navigation = models.PositiveBigIntegerField(default=0)
    # What lists articles show: which are published, their titles, authors, comment counts.
    listing = models.PositiveBigIntegerField(default=0)
    # The next scheduled article to go live by itself (no write marks that moment): lists
    # rendered before it are not served after it.
    next_publication_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="siteversion_singleton")]

    def __str__(self) -> str:
        return f"Site version {self.navigation}.{self.listing}"


class Page(models.Model):
    """A page of the site's own, written by editors: the comment policy, the discussion rules.

    The site links to those two by their slugs (REQUIRED_PAGES), so they cannot be deleted or
    moved (articles.admin.PageAdmin); editors may add others.
    """

    COMMENT_POLICY = "comment-policy"
    DISCUSSION_RULES = "discussion-rules"
    REQUIRED_PAGES = (COMMENT_POLICY, DISCUSSION_RULES)

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, help_text="Its address: /pages/<slug>/.")
    summary = models.TextField(
        blank=True, help_text="One or two sentences for search engines and previews."
    )
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["body_html", "updated_at"])

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Rendered once here, never per view (as for articles).
        self.body_html = render_markdown(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:page", kwargs={"slug": self.slug})

    @property
    def description(self) -> str:
        return description_of(summary=self.summary, body=self.body)
