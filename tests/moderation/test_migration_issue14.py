"""Upgrading a site installed before issue #14's second round: the shipped packs editors never
touched take the broader phrases, a pack an editor changed is kept, the seed-only classifier is
retrained on the larger corpus, and the classifier holds from then on only where editors never
saved their settings."""

from __future__ import annotations

from moderation.classifier import seed_examples
from moderation.packs import SHIPPED_PACKS

BEFORE = ("moderation", "0005_seed_classifier")
AFTER = ("moderation", "0007_shipped_packs_broadened")


def test_untouched_packs_and_settings_are_brought_up_to_date_and_editors_changes_kept(migrator):
    old = migrator.apply_initial_migration(BEFORE).apps
    editor = old.get_model("accounts", "User").objects.create(
        username="old-editor", email="old-editor@example.com"
    )
    packs = old.get_model("moderation", "RulePack").objects
    packs.filter(slug="spam").update(phrases="cheap pills")  # as an older release shipped it
    packs.filter(slug="threats").update(phrases="our own list", updated_by=editor)
    old.get_model("moderation", "Classifier").objects.update(seed_examples=692, examples=692)

    new = migrator.apply_tested_migration(AFTER).apps
    phrases = dict(new.get_model("moderation", "RulePack").objects.values_list("slug", "phrases"))
    shipped = {pack.slug: pack.phrases for pack in SHIPPED_PACKS}
    assert phrases["spam"] == shipped["spam"]
    assert phrases["threats"] == "our own list"
    settings = new.get_model("moderation", "ModerationSettings").objects.get(pk=1)
    assert settings.classifier_min_decisions == 0
    assert settings.version == 1  # the workers reload the packs
    current = new.get_model("moderation", "Classifier").objects.get(pk=settings.classifier_version)
    assert (current.decisions, current.seed_examples) == (0, len(seed_examples()))
