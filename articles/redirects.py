"""Old URLs of moved articles and sections, answered with a permanent redirect.

Consulted only when a path matches nothing (a normal page pays nothing for it). Redirects name
the object, never the next path, so the target is always its current place and chains of moves
collapse to one hop:

* `ArticleRedirect`: a slug an article had in a section (kept by section, so it still answers
  after that section moves);
* `SectionRedirect`: an old path of a section, standing for everything under it too.
"""

from __future__ import annotations

from django.db.models.functions import Length

from .models import Article, ArticleRedirect, Section, SectionRedirect

# Each hop rewrites an old section prefix to the section's current path; what is under it may have
# moved too (an article renamed after its section moved). Bounded, in case of a cycle.
MAX_HOPS = 5


def _ancestor_paths(path: str) -> list[str]:
    """The path and its ancestors' paths, longest first."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _resolves(path: str) -> bool:
    section_path, _, slug = path.rpartition("/")
    return (
        bool(section_path)
        and Article.objects.published().filter(section__path=section_path, slug=slug).exists()
    ) or Section.objects.filter(path=path).exists()


def _moved_article(path: str) -> Article | None:
    section_path, _, slug = path.rpartition("/")
    if not section_path:
        return None
    found = (
        ArticleRedirect.objects.filter(section__path=section_path, slug=slug)
        .select_related("article__section")
        .first()
    )
    return found.article if found else None


def current_path(path: str) -> str | None:
    """Where the content once at `path` lives now (a path in the tree), or None."""
    seen = {path}
    for _ in range(MAX_HOPS):
        article = _moved_article(path)
        if article is not None:
            return article.path if article.is_public else None
        moved = (
            SectionRedirect.objects.filter(old_path__in=_ancestor_paths(path))
            .select_related("section")
            .order_by(Length("old_path").desc())  # the deepest section that moved
            .first()
        )
        if moved is None:
            return None
        path = moved.section.path + path[len(moved.old_path) :]
        if path in seen:
            return None
        if _resolves(path):
            return path
        seen.add(path)
    return None
