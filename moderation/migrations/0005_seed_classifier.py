"""The classifier's first model, trained on the seed corpus the project ships (a second or two)."""

from django.db import migrations


def train_seed_model(apps, schema_editor):
    from moderation.classifier import store_seed_model

    row = store_seed_model(apps.get_model("moderation", "Classifier"))
    ModerationSettings = apps.get_model("moderation", "ModerationSettings")
    ModerationSettings.objects.update_or_create(pk=1, defaults={"classifier_version": row.pk})


class Migration(migrations.Migration):
    dependencies = [("moderation", "0004_shipped_packs")]

    operations = [migrations.RunPython(train_seed_model, migrations.RunPython.noop)]
