"""The top of the section tree, as the site header shows it.

Read from the database (one small query, on the pages that show the header), so a new or renamed
section is in every worker's header at once; whole pages are cached by versions elsewhere.
"""

from __future__ import annotations

from .models import Section


def top_sections() -> list[dict[str, str]]:
    return [
        {"name": s.name, "url": s.get_absolute_url(), "path": s.path}
        for s in Section.objects.roots()
    ]
