"""The classifier's first model, trained on the seed corpus the project ships (a second or two)."""

from django.db import migrations


def train_seed_model(apps, schema_editor):
    from moderation.classifier import FORMAT, seed_examples, train

    Classifier = apps.get_model("moderation", "Classifier")
    ModerationSettings = apps.get_model("moderation", "ModerationSettings")
    examples = seed_examples()
    model = train(examples)
    row = Classifier.objects.create(
        format=FORMAT,
        weights=model.to_bytes(),
        examples=len(examples),
        decisions=0,
        seed_examples=len(examples),
        counts=model.counts,
    )
    ModerationSettings.objects.update_or_create(pk=1, defaults={"classifier_version": row.pk})


class Migration(migrations.Migration):
    dependencies = [("moderation", "0004_shipped_packs")]

    operations = [migrations.RunPython(train_seed_model, migrations.RunPython.noop)]
