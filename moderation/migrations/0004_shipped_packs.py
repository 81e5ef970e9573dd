"""The rule packs that ship with the product, and the editors' permissions on packs."""

from django.db import migrations

from accounts.roles import grant_to_editors
from moderation.packs import SHIPPED_PACKS

EDITOR_PERMISSIONS = [
    "moderation.view_rulepack",
    "moderation.add_rulepack",
    "moderation.change_rulepack",
    "moderation.delete_rulepack",
    "moderation.view_classifier",
]


def ship_packs(apps, schema_editor):
    RulePack = apps.get_model("moderation", "RulePack")
    for position, pack in enumerate(SHIPPED_PACKS):
        RulePack.objects.get_or_create(
            slug=pack.slug,
            defaults={
                "name": pack.name,
                "action": pack.action,
                "advice": pack.advice,
                "phrases": pack.phrases,
                "position": position,
            },
        )


def grant(apps, schema_editor):
    grant_to_editors(apps, EDITOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0003_packs_links_classifier"),
        ("accounts", "0002_editors_group"),
    ]

    operations = [
        migrations.RunPython(ship_packs, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
