"""Rule packs: the phrase notation, whole-phrase matching on the normaliser, what each pack's
action does to a comment, and the packs that ship with the product."""

from __future__ import annotations

import re

import pytest

from comments.errors import CommentError, CommentNudge
from comments.models import Comment
from comments.services import post_comment
from moderation.configuration import save_pack
from moderation.models import ModerationSettings, Refusal, RulePack
from moderation.packs import SHIPPED_PACKS, Pack, PhraseError, parse, phrase_errors

pytestmark = pytest.mark.django_db


def pack(lines: str, action: str = "hold") -> Pack:
    return Pack(slug="test", name="Test", action=action, lines=lines, advice="Because.")


@pytest.mark.parametrize(
    ("lines", "text", "found"),
    [
        # Alternatives, an optional word, any one word.
        (
            "[stop|quit] taking [your|] insulin",
            "Just quit taking insulin!",
            ("quit taking insulin",),
        ),
        (
            "[stop|quit] taking [your|] insulin",
            "stop taking your insulin",
            ("stop taking your insulin",),
        ),
        ("[stop|quit] taking [your|] insulin", "stop taking the insulin", ()),
        ("vaccines * autism", "Vaccines CAUSE autism", ("vaccines cause autism",)),
        ("vaccines * autism", "vaccines autism", ()),
        # Several words in one alternative.
        ("[throw away|bin] your pills", "throw away your pills", ("throw away your pills",)),
        # Whole words only, through the normaliser: case, accents, letter swaps, spacing.
        ("kill yourself", "K1ll y0urself", ("k1ll y0urself",)),
        ("kill yourself", "kill - yourself", ("kill yourself",)),
        ("kill yourself", "skill yourselfie", ()),
        ("[kys]", "k y s", ("kys",)),
        ("casino", "Саsinо bonus", ("casino",)),  # Cyrillic look-alike letters
        # A note is not a phrase.
        ("# kill yourself", "kill yourself", ()),
    ],
)
def test_a_pack_matches_whole_phrases_written_many_ways(lines, text, found):
    assert pack(lines).find(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Cheap v1agra here", True),
        ("v i a g r a for you", True),
        ("v.i.a.g.r.a", True),
        ("My GP prescribed viagra", False),
        ("VIAGRA", False),
    ],
)
def test_a_disguised_only_line_matches_only_a_disguised_word(text, found):
    assert bool(pack("~ [viagra|casino]").find(text)) is found


@pytest.mark.parametrize(
    "text",
    [
        'Someone told me "stop taking your insulin". Please don\'t.',
        "Please don't stop taking your insulin.",
        "Never stop taking your insulin without your GP.",
        "A comment telling people to stop taking your insulin was reported.",
        "The myth that you should stop taking your insulin is dangerous.",
        "Stop taking your insulin is not advice anyone should follow.",
    ],
)
def test_a_phrase_quoted_denied_or_reported_does_not_count(text):
    assert pack("stop taking your insulin").find(text) == ()


def test_the_same_phrase_said_plainly_after_a_quote_counts():
    text = 'They say "stop taking your insulin". I say: stop taking your insulin, it works.'
    assert pack("stop taking your insulin").find(text) == ("stop taking your insulin",)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("[stop|quit taking", "every [ needs its ]"),
        ("stop] taking", "every [ needs its ]"),
        ("[[a|b]|c]", "every [ needs its ]"),
        ("* insulin", "cannot start with *"),
        ("[*|] insulin", "cannot start with *"),
        ("[|]", "has no words"),
        ("!!!", "has no words"),
    ],
)
def test_a_line_that_cannot_be_read_says_why(line, problem):
    with pytest.raises(PhraseError, match=re.escape(problem)):
        parse(line)
    assert len(phrase_errors(f"fine phrase\n{line}\n# a note")) == 1


def test_the_packs_that_ship_are_installed_and_each_one_catches_its_kind():
    installed = {p.slug: p for p in RulePack.objects.all()}
    assert set(installed) == {p.slug for p in SHIPPED_PACKS}
    assert all(p.enabled and p.action == "hold" and p.advice for p in installed.values())
    assert not any(phrase_errors(p.phrases) for p in installed.values())
    examples = {
        "threats": "I know where you live.",
        "groups": "Immigrants are vermin.",
        "insults": "You absolute moron.",
        "spam": "Cheap tramadol, no prescription needed, discreet shipping.",
        "misinformation": "Stop taking your statins, doctors don't want you to know.",
    }
    for slug, text in examples.items():
        shipped = installed[slug]
        assert Pack(shipped.slug, shipped.name, shipped.action, shipped.phrases, "").find(text)


@pytest.mark.usefixtures("trusted")
def test_a_hold_pack_holds_the_comment_and_tells_the_reader_why(reader, article):
    comment = post_comment(author=reader, article=article, body="I know where you live.")
    assert (comment.status, comment.reason_codes) == (Comment.Status.PENDING, ["pack:threats"])
    (record,) = comment.screening
    assert record["message"].startswith("Threats and self-harm incitement: “i know where you")
    assert record["advice"].startswith("It reads as a threat")
    assert comment.held_because == [record["advice"]]


@pytest.mark.usefixtures("trusted")
def test_a_nudge_pack_asks_first_and_publishes_when_posted_anyway(reader, article, editor):
    save_pack(None, by=editor, name="Shouting", action="nudge", phrases="calm down", advice="Easy.")
    with pytest.raises(CommentNudge) as nudged:
        post_comment(author=reader, article=article, body="Calm down, everyone.")
    assert "Easy." in nudged.value.message
    assert "or post it anyway." in nudged.value.message  # no editor to wait for
    comment = post_comment(
        author=reader, article=article, body="Calm down, everyone.", confirmed=True
    )
    assert (comment.status, comment.reason_codes) == (Comment.Status.APPROVED, ["pack:shouting"])


@pytest.mark.usefixtures("trusted")
def test_a_refuse_pack_refuses_with_its_advice_and_keeps_the_reason_only(reader, article, editor):
    save_pack(
        None, by=editor, name="No names", action="refuse", phrases="dr smith", advice="No names."
    )
    with pytest.raises(CommentError) as refused:
        post_comment(author=reader, article=article, body="Ask Dr Smith about it.")
    assert (refused.value.message, refused.value.code) == ("No names.", "pack:no-names")
    assert not Comment.objects.exists()
    (refusal,) = Refusal.objects.all()
    assert (refusal.author, refusal.article, refusal.reasons) == (
        reader,
        article,
        " pack:no-names ",
    )


@pytest.mark.usefixtures("trusted")
def test_editors_changes_to_a_pack_take_effect_at_the_next_comment(reader, article, editor):
    before = ModerationSettings.objects.get_or_create(pk=1)[0].version
    text = "Tart cherry juice fixed it."
    assert post_comment(author=reader, article=article, body=text).status == "approved"
    spam = RulePack.objects.get(slug="spam")
    save_pack(spam, by=editor, phrases=f"{spam.phrases}\ntart cherry juice")
    assert ModerationSettings.objects.get(pk=1).version == before + 1
    again = post_comment(author=reader, article=article, body=f"{text} Really.")
    assert (again.status, again.reason_codes) == ("pending", ["pack:spam"])
    save_pack(spam, by=editor, enabled=False)
    assert post_comment(author=reader, article=article, body=f"{text} Yes.").status == "approved"


def test_a_pack_with_a_bad_line_is_not_saved(editor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        save_pack(None, by=editor, name="Broken", phrases="[open", advice="x")
    assert "every [ needs its ]" in str(error.value)
    assert not RulePack.objects.filter(name="Broken").exists()


def test_only_editors_change_packs(reader):
    with pytest.raises(CommentError):
        save_pack(None, by=reader, name="Mine", phrases="x", advice="x")
