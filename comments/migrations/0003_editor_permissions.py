"""Editors may read comments, their earlier versions and reports, and change a comment's status."""

from django.db import migrations

from accounts.roles import grant_to_editors

EDITOR_PERMISSIONS = [
    "comments.view_comment",
    "comments.change_comment",
    "comments.view_commentrevision",
    "comments.view_report",
]


def grant(apps, schema_editor):
    grant_to_editors(apps, EDITOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_editors_group"),
        ("comments", "0002_thread_revisions_reports"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
