"""Editors see the failed tasks (taskqueue.DeadLetter) and queue them again.

Here rather than in taskqueue: the task queue is a leaf below every app and knows nothing of
roles, while the Editors group is this app's.
"""

from django.db import migrations

from accounts.roles import grant_to_editors

EDITOR_PERMISSIONS = ["taskqueue.view_deadletter", "taskqueue.change_deadletter"]


def grant(apps, schema_editor):
    grant_to_editors(apps, EDITOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_standing_version"),
        ("taskqueue", "0001_dead_letters"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
