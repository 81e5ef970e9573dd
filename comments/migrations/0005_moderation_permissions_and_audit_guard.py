"""Editors may moderate; on PostgreSQL the audit trail refuses every UPDATE and DELETE.

The trigger is the database's own guard behind the model's: not even raw SQL can rewrite history.
TRUNCATE (used only to empty a test database) is a statement, not a row change, and passes.
"""

from django.db import migrations

from accounts.roles import grant_to_editors

EDITOR_PERMISSIONS = [
    "comments.moderate_comment",
    "comments.view_moderationevent",
    "comments.view_sanction",
    "comments.view_moderatornote",
    "comments.add_moderatornote",
    "comments.view_moderationsettings",
    "comments.change_moderationsettings",
]

GUARD = """
CREATE OR REPLACE FUNCTION comments_moderationevent_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'moderation events cannot be changed or deleted (audit trail)'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER comments_moderationevent_immutable
    BEFORE UPDATE OR DELETE ON comments_moderationevent
    FOR EACH ROW EXECUTE FUNCTION comments_moderationevent_immutable();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS comments_moderationevent_immutable ON comments_moderationevent;
DROP FUNCTION IF EXISTS comments_moderationevent_immutable();
"""


def grant(apps, schema_editor):
    grant_to_editors(apps, EDITOR_PERMISSIONS)


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD)


class Migration(migrations.Migration):
    dependencies = [("comments", "0004_moderation")]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(guard, unguard),
    ]
