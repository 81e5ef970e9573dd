"""Sections (a tree) and the articles published in them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Length, Substr
from django.urls import reverse
from django.utils import timezone

from comments.sanitize import render_markdown


def validate_not_reserved(slug: str) -> None:
    if slug in settings.RESERVED_SECTION_SLUGS:
        raise ValidationError(f"“{slug}” is reserved for the site's own pages.")


class SectionQuerySet(models.QuerySet):
    def roots(self) -> SectionQuerySet:
        return self.filter(parent__isnull=True)

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
        self.path = f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Keep the derived paths of the subtree in step with a rename or move.
            Section.objects.filter(path__startswith=f"{old_path}/").update(
                path=Concat(Value(self.path), Substr(F("path"), len(old_path) + 1))
            )

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
        return self.filter(Q(section=section) | Q(section__path__startswith=f"{section.path}/"))

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

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    summary = models.TextField(
        blank=True, help_text="One or two sentences for listings, search engines and previews."
    )
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Goes live at this time; a future time schedules it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    comments_mode = models.CharField(max_length=20, choices=CommentsMode, default=CommentsMode.OPEN)

    objects = ArticleQuerySet.as_manager()

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
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:resolve", kwargs={"path": f"{self.section.path}/{self.slug}"})

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def comments_closed(self) -> bool:
        """Whether readers may no longer comment (issue #7 adds closing after N days)."""
        return self.comments_mode == self.CommentsMode.CLOSED

    @property
    def comments_premoderated(self) -> bool:
        return self.comments_mode == self.CommentsMode.PREMODERATED

    @property
    def description(self) -> str:
        """For meta description and Open Graph: the summary, or the opening of the body."""
        if self.summary:
            return self.summary
        first = self.body.strip().split("\n\n", 1)[0]
        return first if len(first) <= 300 else first[:297].rsplit(" ", 1)[0] + "…"
