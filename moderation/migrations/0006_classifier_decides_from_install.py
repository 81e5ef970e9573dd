"""The seed-trained classifier holds from a fresh install (classifier_min_decisions 100 -> 0).

The settings row exists before this migration (earlier ones make it), so the new default alone
would not reach it: the row is changed too, but only where editors never saved the settings
(`updated_by` empty) and the old default stands. A site whose editors chose a value keeps it.
"""

from django.db import migrations, models

OLD_DEFAULT, NEW_DEFAULT = 100, 0


def seed_model_decides(apps, schema_editor):
    ModerationSettings = apps.get_model("moderation", "ModerationSettings")
    ModerationSettings.objects.filter(
        classifier_min_decisions=OLD_DEFAULT, updated_by__isnull=True
    ).update(classifier_min_decisions=NEW_DEFAULT)


def wait_for_decisions(apps, schema_editor):
    ModerationSettings = apps.get_model("moderation", "ModerationSettings")
    ModerationSettings.objects.filter(
        classifier_min_decisions=NEW_DEFAULT, updated_by__isnull=True
    ).update(classifier_min_decisions=OLD_DEFAULT)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0005_seed_classifier"),
    ]

    operations = [
        migrations.AlterField(
            model_name="moderationsettings",
            name="classifier_min_decisions",
            field=models.PositiveIntegerField(
                default=NEW_DEFAULT,
                help_text="The classifier holds comments only once it has learnt from at least "
                "this many of your editors' decisions (approve, reject, spam). Until then its "
                "score is shown, and decides nothing. 0: the model trained on the shipped seed "
                "corpus holds from the start.",
                verbose_name="classifier: decisions needed",
            ),
        ),
        migrations.RunPython(seed_model_decides, wait_for_decisions),
    ]
