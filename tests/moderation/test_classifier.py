"""The classifier that learns from this site's editors: trained on a small corpus each test makes,
stored as numbers in the database, used by every worker at its current version, a signal only
once it has learnt from enough of the editors' decisions."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.management import call_command

from comments.models import Comment
from comments.services import post_comment
from moderation import classifier
from moderation.classifier import Example, Model, current_model, retrain, train
from moderation.decisions import decide
from moderation.models import Classifier, ModerationSettings, RulePack
from tests.comments.conftest import CommentFactory, moderation_settings

pytestmark = pytest.mark.django_db

KIND = [
    "Thanks, this helped me sleep better.",
    "Magnesium before bed worked for me too.",
    "My GP said the same about caffeine.",
    "Great article, I shared it with my mum.",
    "Warm baths in the evening help me relax.",
    "Interesting, I never knew twitches were so common.",
]
UNKIND = [
    "Buy cheap pills from my shop today.",
    "Cheap pills shop, buy now, best prices.",
    "Best prices on pills, visit my shop.",
    "Pills for sale in my shop, buy today.",
    "My shop sells pills cheap, buy them now.",
    "Order pills from the shop, cheapest around.",
]


def small_corpus() -> list[Example]:
    return [Example(t, "approve") for t in KIND] + [Example(t, "spam") for t in UNKIND]


def test_a_model_trained_on_a_small_corpus_tells_the_two_kinds_apart():
    model = train(small_corpus())
    kind, unkind = model.scores(["Thanks, magnesium helped me sleep.", "Buy cheap pills now."])
    assert kind < 0.5 < unkind
    assert model.counts == {"approve": 6, "reject": 0, "spam": 6}


def test_training_needs_both_kinds():
    with pytest.raises(ValueError, match="published and comments they did not"):
        train([Example(t, "approve") for t in KIND])


def test_a_model_is_stored_as_numbers_and_read_back_the_same():
    model = train(small_corpus())
    again = Model.from_bytes(model.to_bytes())
    texts = ["Buy pills", "Thanks for this"]
    assert again.scores(texts) == model.scores(texts)
    # A NumPy archive without objects: loading it can run no code.
    with np.load(io.BytesIO(model.to_bytes()), allow_pickle=False) as archive:
        assert set(archive.files) == {"format", "columns", "weights", "intercept"}


def test_a_model_of_another_format_is_refused():
    buffer = io.BytesIO()
    np.savez_compressed(buffer, format=np.array([classifier.FORMAT + 1]))
    with pytest.raises(ValueError, match="format"):
        Model.from_bytes(buffer.getvalue())


def test_a_fresh_install_has_a_model_trained_on_the_seed_corpus():
    settings = ModerationSettings.objects.get(pk=1)
    row = Classifier.objects.get(pk=settings.classifier_version)
    seed = len(classifier.seed_examples())
    assert seed >= 900  # the seed corpus as shipped (SEED_CORPUS.md)
    assert (row.decisions, row.seed_examples, row.examples) == (0, seed, seed)
    model = current_model(settings.classifier_version)
    assert model.score("You are a pathetic idiot and I hope you die.") > 0.9
    assert model.score("Thank you, this article was really helpful.") < 0.5


def _decided(editor, article, texts, action):
    for text in texts:
        comment = CommentFactory(article=article, body=text, status=Comment.Status.PENDING)
        decide(comment, action, by=editor)


def test_retraining_learns_from_the_editors_decisions_and_every_worker_follows(editor, article):
    _decided(editor, article, KIND, "approve")
    _decided(editor, article, UNKIND, "spam")
    CommentFactory(article=article, body="Published by the rules, not an editor")  # not a decision
    old = ModerationSettings.objects.get(pk=1).classifier_version
    old_model = current_model(old)

    row = retrain(with_seed=False, by=editor)

    assert (row.decisions, row.seed_examples, row.counts["spam"]) == (12, 0, 6)
    settings = ModerationSettings.objects.get(pk=1)
    assert settings.classifier_version == row.pk != old
    new_model = current_model(settings.classifier_version)  # a worker sees the new version
    assert new_model is not old_model and new_model.decisions == 12
    assert new_model.score("Buy cheap pills at my shop") > 0.5


def test_a_retraining_keeps_the_last_three_models(editor):
    for _ in range(4):
        latest = retrain()
    assert Classifier.objects.count() == classifier.KEEP_MODELS
    assert Classifier.objects.first() == latest


@pytest.mark.usefixtures("trusted")
def test_the_score_is_stored_on_each_comment_and_holds_only_with_enough_decisions(reader, article):
    body = "You are a pathetic idiot and I hope you die."
    moderation_settings(toxicity_threshold=None, toxicity_nudge_threshold=None)
    ModerationSettings.objects.filter(pk=1).update(classifier_threshold=0.5)
    # The seed model has learnt from none of this site's decisions: it only scores.
    moderation_settings(classifier_min_decisions=100)
    scored = post_comment(author=reader, article=article, body=f"{body} (1)")
    assert scored.classifier_score > 0.5
    assert "classifier" not in scored.reason_codes
    moderation_settings(classifier_min_decisions=0)
    held = post_comment(author=reader, article=article, body=f"{body} (2)")
    assert "classifier" in held.reason_codes and held.status == "pending"
    assert held.held_because[-1].startswith("It resembles comments our editors have not published")


def test_the_command_retrains_and_says_what_it_learnt_from(editor, article, capsys):
    _decided(editor, article, UNKIND[:2], "reject")
    moderation_settings(classifier_min_decisions=100)
    call_command("retrain_classifier")
    out = capsys.readouterr().out
    assert f"2 editors' decisions, {len(classifier.seed_examples())} from the seed corpus" in out
    assert "It holds no comment yet" in out  # fewer than the 100 decisions it needs


@pytest.mark.usefixtures("trusted")
def test_on_a_fresh_install_the_seed_trained_model_holds_from_the_start(reader, article):
    # Decided from the seed corpus, out of fold (docs/moderation.md): no editors' decisions needed.
    settings = ModerationSettings.objects.get(pk=ModerationSettings.SINGLETON_PK)
    assert (settings.classifier_min_decisions, settings.classifier_threshold) == (0, 0.9)
    moderation_settings(toxicity_threshold=None, toxicity_nudge_threshold=None)
    RulePack.objects.update(enabled=False)  # the classifier alone
    held = post_comment(
        author=reader, article=article, body="Pathetic loser, nobody wants you on this site."
    )
    assert "classifier" in held.reason_codes and held.status == "pending"
    kind = post_comment(author=reader, article=article, body="Thanks, this helped me sleep.")
    assert kind.status == "approved"


@pytest.mark.usefixtures("trusted")
def test_a_comment_too_short_to_judge_is_scored_but_not_held_by_the_classifier(reader, article):
    moderation_settings(toxicity_threshold=None, toxicity_nudge_threshold=None)
    ModerationSettings.objects.filter(pk=1).update(classifier_threshold=0.01)
    short = post_comment(author=reader, article=article, body="Calm down, everyone.")
    assert short.classifier_score is not None
    assert (short.status, short.reason_codes) == ("approved", [])
