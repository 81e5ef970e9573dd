"""Issue #14's broader packs and larger seed corpus, for sites installed before them.

A shipped pack that editors never saved (`updated_by` empty) takes the shipped phrases as they are
now; a pack an editor changed is left alone. A site whose classifier still knows only the seed
corpus (no editors' decisions) gets a model trained on the larger corpus. On a fresh install both
are already current (migrations 0004 and 0005 read the same files), so nothing changes.
"""

from django.db import migrations
from django.db.models import F


def bring_up_to_date(apps, schema_editor):
    from moderation.classifier import seed_examples, store_seed_model
    from moderation.packs import SHIPPED_PACKS

    RulePack = apps.get_model("moderation", "RulePack")
    Classifier = apps.get_model("moderation", "Classifier")
    ModerationSettings = apps.get_model("moderation", "ModerationSettings")
    changed = 0
    for shipped in SHIPPED_PACKS:
        changed += (
            RulePack.objects.filter(slug=shipped.slug, updated_by__isnull=True)
            .exclude(phrases=shipped.phrases)
            .update(phrases=shipped.phrases)
        )
    settings = ModerationSettings.objects.filter(pk=1).first()
    if settings is None:
        return
    if changed:
        # Each worker keeps its compiled packs under this version: they reload at the next comment.
        ModerationSettings.objects.filter(pk=1).update(version=F("version") + 1)
    current = Classifier.objects.filter(pk=settings.classifier_version).first()
    if current is None or (current.decisions == 0 and current.seed_examples != len(seed_examples())):
        row = store_seed_model(Classifier)
        ModerationSettings.objects.filter(pk=1).update(classifier_version=row.pk)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0006_classifier_decides_from_install")]

    operations = [migrations.RunPython(bring_up_to_date, migrations.RunPython.noop)]
