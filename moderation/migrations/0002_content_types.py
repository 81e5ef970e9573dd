"""The moved models' content types (and so their permissions, and the Editors' grants of them)
follow them from the comments app to this one."""

from django.db import migrations

from accounts.roles import grant_to_editors

MOVED = ["moderationevent", "moderationsettings", "moderatornote", "sanction"]

EDITOR_PERMISSIONS = [
    "moderation.view_moderationevent",
    "moderation.view_sanction",
    "moderation.view_moderatornote",
    "moderation.add_moderatornote",
    "moderation.view_moderationsettings",
    "moderation.change_moderationsettings",
]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MOVED:
        old = ContentType.objects.filter(app_label="comments", model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label="moderation", model=model).first()
        if new is None:
            old.app_label = "moderation"
            old.save(update_fields=["app_label"])
            continue
        # Both exist (another migration made the new one first): the grants move to the new
        # permissions, then the old content type goes, with its permissions.
        for permission in Permission.objects.filter(content_type=old):
            twin, _ = Permission.objects.get_or_create(
                content_type=new,
                codename=permission.codename,
                defaults={"name": permission.name},
            )
            for group in permission.group_set.all():
                group.permissions.add(twin)
            for user in permission.user_set.all():
                user.user_permissions.add(twin)
        old.delete()


def move_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="moderation", model__in=MOVED).exclude(
        model__in=ContentType.objects.filter(app_label="comments").values("model")
    ).update(app_label="comments")


def grant(apps, schema_editor):
    grant_to_editors(apps, EDITOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(move_content_types, move_back),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
