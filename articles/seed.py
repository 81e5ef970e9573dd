"""The first article of a fresh install: the source page, served in full from data.

More > Health > Recovery, by BetterNotMee (an account with no usable password), published
2025-09-15 08:22:58 in the site's time zone. Called by a data migration with the historical
models, and by tests with the live ones; idempotent either way.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password

from markup.sanitize import render_markdown

SEED_DIR = Path(__file__).resolve().parent / "seed"
TITLE = "Sudden Muscle Twitches During Sleep: Causes and What You Should Know"
TAGS = "hypnic jerks, sleep starts, muscle twitches, myoclonus, sleep"
SLUG = "sudden-muscle-twitches-during-sleep"
AUTHOR = "BetterNotMee"
SECTIONS = [("More", "more"), ("Health", "health"), ("Recovery", "recovery")]


def seed_source_article(apps):
    """Create the seed sections, author and article if they are missing; return the article."""
    User = apps.get_model("accounts", "User")
    Section = apps.get_model("articles", "Section")
    Article = apps.get_model("articles", "Article")

    author, _ = User.objects.get_or_create(
        username=AUTHOR, defaults={"password": make_password(None)}
    )
    parent = None
    for position, (name, slug) in enumerate(SECTIONS):
        path = f"{parent.path}/{slug}" if parent else slug
        parent, _ = Section.objects.get_or_create(
            path=path,
            defaults={"name": name, "slug": slug, "parent": parent, "position": position},
        )
    published_at = datetime(2025, 9, 15, 8, 22, 58, tzinfo=ZoneInfo(settings.TIME_ZONE))
    body = (SEED_DIR / f"{SLUG}.md").read_text(encoding="utf-8")
    article, created = Article.objects.get_or_create(
        section=parent,
        slug=SLUG,
        defaults={
            "title": TITLE,
            "body": body,
            "body_html": render_markdown(body),
            "author": author,
            "status": "published",
            "published_at": published_at,
        },
    )
    if created and any(f.name == "tags" for f in Article._meta.get_fields()):
        # (Migration 0002 runs before the field exists; 0005 tags the article it made.)
        Article.objects.filter(pk=article.pk).update(tags=TAGS)
    if created:
        # Never modified since publication (auto_now stamped the install time).
        Article.objects.filter(pk=article.pk).update(
            updated_at=published_at, created_at=published_at
        )
    return article


PAGES = [
    ("comment-policy", "Comment policy", "How comments are moderated, and what we keep."),
    ("discussion-rules", "Discussion rules", "How to take part in discussions here."),
]


def seed_pages(apps) -> None:
    """Create the pages the site links to, if they are missing (never overwrite an editor's)."""
    Page = apps.get_model("articles", "Page")
    for slug, title, summary in PAGES:
        body = (SEED_DIR / "pages" / f"{slug}.md").read_text(encoding="utf-8")
        Page.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "body": body,
                "body_html": render_markdown(body),
            },
        )
