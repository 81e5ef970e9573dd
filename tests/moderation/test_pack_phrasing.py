"""Phrases written many ways: the packs' words match their plural and verb forms, `...` stands for
a few words between, a reader asking about their own care is not making a claim, and the shipped
packs catch threats, contempt, spam and misinformation in the forms readers write them, while
ordinary health talk ("kill the pain", "flu shot", "should I stop taking my statins?") passes.

The examples are the tests' own, written for these rules (never the development set's rows)."""

from __future__ import annotations

import pytest

from moderation.packs import SHIPPED_PACKS, Pack, PhraseError, parse
from moderation.wordfilter import matcher_for


def pack(lines: str) -> Pack:
    return Pack(slug="test", name="Test", action="hold", lines=lines, advice="Because.")


@pytest.mark.parametrize(
    ("line", "text", "found"),
    [
        ("you idiot", "you idiots", "you idiots"),
        ("hope you die", "hoping you died", "hoping you died"),
        ("hope you die", "she hopes you die", "hopes you die"),
        ("[stop|quit] taking insulin", "he stopped taking insulin", "stopped taking insulin"),
        ("[stop|quit] taking insulin", "stopping taking insulin", "stopping taking insulin"),
        ("bury the truth", "they buried the truth", "buried the truth"),
        ("cure cancer", "it cures cancers", "cures cancers"),
        ("cure cancer", "curing cancer", "curing cancer"),
        ("kill yourself", "k1lling yourself", "k1lling yourself"),  # with the letter swaps
    ],
)
def test_a_packs_words_match_their_plural_and_verb_forms(line, text, found):
    assert pack(line).find(text) == (found,)


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("= you idiot", "you idiots"),  # = : only as written
        ("kill yourself", "skills yourself"),  # an ending is not any letters
        ("cure cancer", "curettes cancer"),
        ("[u] r", "us r"),  # words under three letters never inflect
    ],
)
def test_an_exact_line_and_short_words_do_not_inflect(line, text):
    assert pack(line).find(text) == ()


def test_editors_own_word_lists_match_as_listed():
    assert matcher_for(["idiot"]).find("idiots") == ()
    assert matcher_for(["idiot"]).find("idiot") == ("idiot",)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I hope you die", True),
        ("I hope you all die", True),
        ("I hope you and yours suffer", True),
        ("I hope you and your whole family suffer", False),  # more than three words between
        ("I hope you don't suffer", False),  # a gap never holds a negation
        ("I hope you never suffer like that", False),
        ("I hope you recover, suffering is awful", False),  # nor a clause break
    ],
)
def test_a_gap_stands_for_up_to_three_words_but_no_negation_or_break(text, found):
    assert bool(pack("hope you ... [die|suffer]").find(text)) is found


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("... hope", "cannot start with * or ..."),
        ("hope ...", "cannot end with ..."),
        ("[a|...] b", "... stands alone"),
    ],
)
def test_a_gap_must_stand_between_words(line, problem):
    with pytest.raises(PhraseError, match=problem.replace("*", r"\*").replace(".", r"\.")):
        parse(line)


@pytest.mark.parametrize(
    "text",
    [
        "Should I stop taking my statins? My legs ache.",
        "Is it safe to stop taking my meds before the scan?",
        "How do I stop taking my meds without withdrawal?",
        "Talk to your GP before you stop taking your meds.",
        "There is no evidence that you should stop taking your meds.",
        "Don't let anyone tell you to stop taking your meds.",
    ],
)
def test_a_question_about_ones_own_care_or_advice_to_ask_a_professional_does_not_count(text):
    assert pack("stop taking [your|my] meds").find(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "Stop taking your meds. Why would you trust them?",
        "Should we trust doctors? No. Stop taking your meds.",
    ],
)
def test_the_claim_said_outright_beside_a_question_still_counts(text):
    assert pack("stop taking [your|my] meds").find(text) == ("stop taking your meds",)


SHIPPED = {p.slug: Pack(p.slug, p.name, p.action, p.phrases, p.advice) for p in SHIPPED_PACKS}


def caught_by(text: str) -> set[str]:
    return {slug for slug, shipped in SHIPPED.items() if shipped.find(text)}


@pytest.mark.parametrize(
    ("slug", "text"),
    [
        # Threats and self-harm incitement, in the second person and as wishes
        ("threats", "Honestly you should just end it all."),
        ("threats", "Go and buy a rope, it's cheap."),
        ("threats", "Why are you even still alive?"),
        ("threats", "I really hope you and yours rot."),
        ("threats", "Hope your kids get cancer."),
        ("threats", "I'm going to find you and you'll regret it."),
        ("threats", "Every GP who pushed this should be lined up and shot."),
        ("threats", "I know which practice you work at."),
        ("threats", "Would be a shame if your car got scratched."),
        ("threats", "Someone should put that author out of our misery."),
        # Contempt for groups: age, disability, mental illness, ethnicity, religion, sex, sexuality
        ("groups", "Pensioners are nothing but bed blockers."),
        ("groups", "Disabled people are a drain on everyone."),
        ("groups", "Schizophrenics should be locked up."),
        ("groups", "Migrants are vermin, send them back."),
        ("groups", "Muslims are a cancer on this country."),
        ("groups", "Trans people are mentally ill."),
        ("groups", "Women belong in the kitchen, not in surgery."),
        ("groups", "Depression is just laziness with a label."),
        ("groups", "Did you forget your meds? Take your meds, psycho."),
        # Insults
        ("insults", "You're a waste of oxygen."),
        ("insults", "Imagine being this thick."),
        ("insults", "You sound like a toddler, you absolute muppet."),
        ("insults", "The author is a complete moron."),
        # Spam offers
        ("spam", "Buy Xanax online, shipped discreetly."),
        ("spam", "Legit vendor, no doctor's prescription needed."),
        ("spam", "Claim your welcome bonus and free spins today."),
        ("spam", "Instant loans approved in minutes, no credit checks."),
        ("spam", "My crypto account manager doubled my savings, contact her on Telegram."),
        ("spam", "Buy real Instagram followers fast."),
        ("spam", "Hot singles in your area are waiting."),
        ("spam", "Be your own boss, easy money from home."),
        ("spam", "Dr Ade cured my husband of herpes with herbal medicine."),
        # Health misinformation
        ("misinformation", "You don't need insulin if you eat right."),
        ("misinformation", "Flush your antidepressants down the toilet and never look back."),
        ("misinformation", "Swap your statins for garlic."),
        ("misinformation", "Chemo is poison, refuse it."),
        ("misinformation", "Big pharma has buried the cure for decades."),
        ("misinformation", "The MMR jab causes autism."),
        ("misinformation", "Never vaccinate your kids."),
        ("misinformation", "Chest pain after dinner is just trapped wind, don't bother with A&E."),
        ("misinformation", "HIV doesn't cause AIDS."),
    ],
)
def test_the_shipped_packs_catch_what_readers_write(slug, text):
    assert slug in caught_by(text)


@pytest.mark.parametrize(
    "text",
    [
        # Medical vocabulary that sounds alarming
        "What's the best thing to kill the pain of a slipped disc?",
        "Had my flu shot and my booster, just a sore arm.",
        "Overdose symptoms? My dad took an extra blood pressure tablet by mistake.",
        "This headache is killing me, third day running.",
        "I nearly died laughing at the cat video.",
        "I could murder a cup of tea.",
        # Asking about stopping medicine safely
        "Is it safe to stop taking sertraline, or should I come off it slowly?",
        "How do I come off my antidepressants safely?",
        "Can I stop my statins before surgery? The nurse mentioned it.",
        "Please talk to your doctor before you stop any medication.",
        # Kind wishes
        "I hope you get some proper sleep tonight.",
        "I hope your dad recovers quickly, strokes are frightening.",
        "Wishing your mum a speedy recovery.",
        "I hope people who suffer with this find the article.",
        # Groups mentioned neutrally, heated but fair, debunking
        "My husband has bipolar and his medication has been life-saving.",
        "As an autistic adult I find noise makes my twitching worse.",
        "Older people really do sleep differently.",
        "Immigrants staff half our wards and we'd be lost without them.",
        "The GP waiting times are an absolute disgrace.",
        "You're wrong about magnesium, and here's the Cochrane review.",
        "There's no evidence that turmeric shrinks tumours, please don't skip treatment.",
        "Don't let anyone tell you chemo is poison, it gave my sister ten more years.",
        "Payday loans wrecked my sleep; a free debt charity helped.",
    ],
)
def test_ordinary_health_talk_passes_the_shipped_packs(text):
    assert caught_by(text) == set()
