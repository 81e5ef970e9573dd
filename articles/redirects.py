"""Old URLs of moved articles and sections, answered with a permanent redirect.

Consulted only when a path matches nothing (a normal page pays nothing for it). A redirect names an
article (its exact old path) or a section (an old prefix: the section and everything under it), so
the target is always the object's current place and chains of moves collapse to one hop.
"""

from __future__ import annotations

from .models import Article, Redirect, Section

# A section redirect rewrites a prefix; what is under it may have moved too (an article renamed
# after its section moved), which takes another lookup. Bounded, in case of a cycle.
MAX_HOPS = 5


def _prefixes(path: str) -> list[str]:
    """The path and its ancestors' paths, longest first."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _resolves(path: str) -> bool:
    section_path, _, slug = path.rpartition("/")
    if section_path and (
        Article.objects.published().filter(section__path=section_path, slug=slug).exists()
    ):
        return True
    return Section.objects.filter(path=path).exists()


def current_path(path: str) -> str | None:
    """Where the content once at `path` lives now (a path in the tree), or None."""
    seen = {path}
    for _ in range(MAX_HOPS):
        prefixes = _prefixes(path)
        found = {
            r.old_path: r
            for r in Redirect.objects.filter(old_path__in=prefixes).select_related(
                "article__section", "section"
            )
        }
        # An article's old path only ever stands for that article; a section's for its subtree.
        match = next(
            (
                found[p]
                for p in prefixes
                if p in found and (found[p].section_id is not None or p == path)
            ),
            None,
        )
        if match is None:
            return None
        if match.article is not None:
            return match.article.path if match.article.is_public else None
        path = match.section.path + path[len(match.old_path) :]
        if path in seen:
            return None
        if _resolves(path):
            return path
        seen.add(path)
    return None
