"""manage.py moderation_eval: labelled rows posted as a trusted and a new reader, counted per
label, on a throwaway database; and the toxicity rule's view of the article's own subject."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from comments.models import Comment
from moderation.models import ModerationEvent, ModerationSettings, Refusal
from moderation.toxicity import aimed_at_someone, subject_words, toxicity_score, without_subject
from tests.conftest import ArticleFactory

pytestmark = pytest.mark.django_db

ROWS = [
    ("abuse", "I know where you live and I am coming round."),
    ("spam", "Cheap pills at pills-4-less.example.com today only"),
    ("misinformation", "Stop taking your insulin, cinnamon does the same job."),
    ("benign", "Thanks, magnesium before bed helped me too."),
    ("benign", "Bloody hell, that describes my nights exactly."),
]


@pytest.fixture
def tsv(tmp_path):
    path = tmp_path / "tiny.tsv"
    lines = ["label\ttext", *(f"{label}\t{text}" for label, text in ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def table_rows(out: str, title: str) -> dict[str, list[str]]:
    section = out.split(title, 1)[1].split("rules that fired:", 1)[0]
    return {line.split()[0]: line.split()[1:6] for line in section.splitlines()[2:] if line.strip()}


def test_it_posts_each_row_as_both_readers_and_prints_the_table(tsv, capsys):
    users, comments = User.objects.count(), Comment.objects.count()
    call_command("moderation_eval", str(tsv))
    out = capsys.readouterr().out
    trusted = table_rows(out, "Trusted reader (5 approved comments, none rejected)")
    # label: rows, published, nudged, held, refused
    assert trusted["abuse"] == ["1", "0", "0", "1", "0"]
    assert trusted["spam"] == ["1", "0", "0", "1", "0"]
    assert trusted["misinformation"] == ["1", "0", "0", "1", "0"]
    assert trusted["benign"] == ["2", "1", "1", "0", "0"]  # swearing at no one: a nudge
    new = table_rows(out, "New reader (no comment yet)")
    assert all(counts[3] == counts[0] for counts in new.values())  # every first comment waits
    assert "abuse: pack:threats 1" in out
    assert "spam: pack:spam 1, unknown_link 1" in out
    assert "5 rows from" in out and "nothing was kept" in out
    # A throwaway database: nothing of it stays.
    assert (User.objects.count(), Comment.objects.count()) == (users, comments)
    assert not ModerationEvent.objects.exists() and not Refusal.objects.exists()


def test_a_setting_can_be_tried_for_one_run(tsv, capsys):
    before = ModerationSettings.objects.get_or_create(pk=1)[0].trusted_domains
    call_command("moderation_eval", str(tsv), "--set", "trusted_domains=example.com")
    out = capsys.readouterr().out
    assert "With, for this run only: trusted_domains=example.com" in out
    assert "unknown_link" not in out
    assert ModerationSettings.objects.get(pk=1).trusted_domains == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.tsv"], "no such file"),
        (["TSV", "--set", "colour=blue"], "“colour” is not a screening setting"),
        (["TSV", "--set", "toxicity_threshold=2"], "toxicity"),
        (["TSV", "--set", "nonsense"], "expected NAME=VALUE"),
    ],
)
def test_bad_arguments_are_clear_errors(tsv, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("moderation_eval", *[str(tsv) if a == "TSV" else a for a in args])


def test_a_file_without_the_header_is_refused(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("abuse\tyou idiot\n", encoding="utf-8")
    with pytest.raises(CommandError, match="header"):
        call_command("moderation_eval", str(path))


def test_the_articles_subject_words_never_count_against_a_comment():
    article = ArticleFactory(title="Hypnic jerks explained", tags="sleep starts, myoclonus")
    words = subject_words(article.title, article.tags, "twitchy")
    assert {"hypnic", "jerk", "sleep", "start", "myoclonu", "twitchy"} <= words
    assert "explained" in words or "explain" in words
    question = "What causes a hypnic jerk? Mine are awful."
    assert without_subject(question, words).split() == [
        "What",
        "causes",
        "a",
        "?",
        "Mine",
        "are",
        "awful.",
    ]
    assert toxicity_score(without_subject(question, words)) < toxicity_score(question)


@pytest.mark.parametrize(
    ("text", "aimed"),
    [
        ("Bloody hell, what a night.", False),
        ("Crap article, no references.", False),
        ("You are a disgrace.", True),
        ("@sam read it again", True),
        ("The author should be ashamed.", True),
    ],
)
def test_toxicity_holds_only_what_is_aimed_at_someone(text, aimed):
    assert aimed_at_someone(text) is aimed
