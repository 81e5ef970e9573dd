"""Moving moderation's models out of the comments app loses nothing (on SQLite and PostgreSQL).

The database is built as it was before the move (comments migration 0005), real rows of every
moved model are written through that schema's models, then the move is applied: the same rows,
with the same ids and links, are moderation's now, and the Editors group keeps its grants.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

BEFORE = ("comments", "0005_moderation_permissions_and_audit_guard")
AFTER = ("moderation", "0002_content_types")
MOVED = ["moderationevent", "moderationsettings", "moderatornote", "sanction"]


def _rows_before_the_move(apps) -> dict[str, int]:
    User = apps.get_model("accounts", "User")
    Article = apps.get_model("articles", "Article")
    Comment = apps.get_model("comments", "Comment")
    editor = User.objects.create(username="old-editor", email="old-editor@example.com")
    reader = User.objects.create(username="old-reader", email="old-reader@example.com")
    article = Article.objects.first()  # the seed article, from the articles migrations
    comment = Comment.objects.create(
        article=article, author=reader, body="Held.", body_html="<p>Held.</p>", status="pending"
    )
    settings_row = apps.get_model("comments", "ModerationSettings").objects.create(
        pk=1, banned_terms="scam", max_links=4, updated_by=editor
    )
    event = apps.get_model("comments", "ModerationEvent").objects.create(
        comment=comment, kind="screened", to_status="pending", reasons=["new_reader"]
    )
    sanction = apps.get_model("comments", "Sanction").objects.create(
        user=reader,
        kind="suspend",
        reason="Cool off.",
        created_by=editor,
        ends_at=timezone.now() + dt.timedelta(days=3),
    )
    note = apps.get_model("comments", "ModeratorNote").objects.create(
        user=reader, text="Keeps posting links.", created_by=editor
    )
    return {
        "comment": comment.pk,
        "event": event.pk,
        "sanction": sanction.pk,
        "note": note.pk,
        "settings": settings_row.pk,
        "reader": reader.pk,
        "editor": editor.pk,
    }


def test_the_move_keeps_every_row_link_and_editors_grant(migrator):
    ids = _rows_before_the_move(migrator.apply_initial_migration(BEFORE).apps)

    apps = migrator.apply_tested_migration(AFTER).apps
    event = apps.get_model("moderation", "ModerationEvent").objects.get(pk=ids["event"])
    assert (event.comment_id, event.reasons) == (ids["comment"], ["new_reader"])
    sanction = apps.get_model("moderation", "Sanction").objects.get(pk=ids["sanction"])
    assert (sanction.user_id, sanction.kind, sanction.created_by_id) == (
        ids["reader"],
        "suspend",
        ids["editor"],
    )
    note = apps.get_model("moderation", "ModeratorNote").objects.get(pk=ids["note"])
    assert (note.user_id, note.text) == (ids["reader"], "Keeps posting links.")
    settings_row = apps.get_model("moderation", "ModerationSettings").objects.get(pk=1)
    assert (settings_row.banned_terms, settings_row.max_links) == ("scam", 4)

    ContentType = apps.get_model("contenttypes", "ContentType")
    assert not ContentType.objects.filter(app_label="comments", model__in=MOVED).exists()
    assert ContentType.objects.filter(app_label="moderation", model__in=MOVED).count() == 4
    editors = apps.get_model("auth", "Group").objects.get(name="Editors")
    granted = set(
        editors.permissions.filter(content_type__app_label="moderation").values_list(
            "codename", flat=True
        )
    )
    assert {"view_sanction", "add_moderatornote", "change_moderationsettings"} <= granted


def test_the_move_can_be_undone_with_the_rows_still_there(migrator):
    ids = _rows_before_the_move(migrator.apply_initial_migration(BEFORE).apps)
    migrator.apply_tested_migration(AFTER)

    apps = migrator.apply_tested_migration(BEFORE).apps
    assert apps.get_model("comments", "Sanction").objects.get(pk=ids["sanction"]).kind == "suspend"
    assert apps.get_model("comments", "ModerationEvent").objects.filter(pk=ids["event"]).exists()
    ContentType = apps.get_model("contenttypes", "ContentType")
    assert ContentType.objects.filter(app_label="comments", model="sanction").exists()
