"""The Editors role. Each app grants the group its own permissions in its own migrations."""

from django.db import migrations

from accounts.roles import grant_to_editors


def create_editors(apps, schema_editor):
    grant_to_editors(apps, [])


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
