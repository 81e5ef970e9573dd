"""The pages the site links to (comment policy, discussion rules), with a first text editors can
change; editors may add, change and view pages (not delete the required ones: the admin says so)."""

from django.db import migrations

from accounts.roles import grant_to_editors
from articles.seed import seed_pages

EDITOR_PERMISSIONS = [f"articles.{action}_page" for action in ("add", "change", "delete", "view")]


def seed(apps, schema_editor):
    seed_pages(apps)
    grant_to_editors(apps, EDITOR_PERMISSIONS)


def unseed(apps, schema_editor):
    apps.get_model("articles", "Page").objects.filter(
        slug__in=["comment-policy", "discussion-rules"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_editors_group"),
        ("articles", "0005_pages"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
