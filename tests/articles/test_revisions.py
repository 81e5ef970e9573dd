"""Revisions: every save kept with who and when, a readable diff, and a restore."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles import publishing
from articles.models import Article
from articles.revisions import diff_revisions
from tests.conftest import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(db) -> Article:
    return ArticleFactory(
        title="Sleep and magnesium",
        body="First paragraph.\n\nSecond paragraph.\n\nThird paragraph.",
    )


def edit(article: Article, by, **changes) -> Article:
    for name, value in changes.items():
        setattr(article, name, value)
    return publishing.save_article(article=article, by=by)


def test_every_save_is_kept_with_who_and_when(article, editor, writer):
    edit(article, editor, title="Sleep and magnesium, revised")
    edit(article, writer, body="Rewritten.")
    newest, middle, oldest = article.history.all()[:3]
    assert (newest.history_user, newest.body) == (writer, "Rewritten.")
    assert (middle.history_user, middle.title) == (editor, "Sleep and magnesium, revised")
    assert oldest.history_type == "+"
    assert newest.history_date > middle.history_date > oldest.history_date


def test_the_seed_article_has_a_first_revision_from_before_revisions_were_kept(seed_article):
    first = seed_article.history.get()
    assert first.title == seed_article.title
    assert first.body == seed_article.body
    assert first.history_change_reason == "As it was before revisions were kept"


def test_a_diff_names_the_changed_fields_and_the_changed_lines(article, editor):
    older = article.history.first()
    edit(
        article,
        editor,
        title="Magnesium at night",
        body="First paragraph.\n\nSecond paragraph, longer.\n\nThird paragraph.",
    )
    changes = {c.name: c for c in diff_revisions(older, article.history.first())}
    assert set(changes) == {"title", "body"}
    assert (changes["title"].old, changes["title"].new) == (
        "Sleep and magnesium",
        "Magnesium at night",
    )
    lines = [(line.kind, line.text) for line in changes["body"].lines]
    assert ("removed", "Second paragraph.") in lines
    assert ("added", "Second paragraph, longer.") in lines
    assert ("context", "Third paragraph.") in lines
    assert not any(kind == "added" and text == "First paragraph." for kind, text in lines)


def test_a_diff_shows_sections_and_choices_by_name(article, editor):
    older = article.history.first()
    edit(article, editor, section=SectionFactory(name="Nutrition", slug="nutrition"))
    publishing.unpublish(article=article, by=editor)
    changes = {c.name: c for c in diff_revisions(older, article.history.first())}
    assert changes["section"].new == "nutrition"
    assert (changes["status"].old, changes["status"].new) == ("Published", "Unpublished")


def test_a_restore_brings_back_the_content_as_a_new_revision(client, article, editor):
    original = article.history.first()
    edit(article, editor, title="Wrong title", body="Wrong body.", slug="wrong")
    count = article.history.count()
    publishing.restore_revision(article=article, revision_id=original.history_id, by=editor)
    article.refresh_from_db()
    assert (article.title, article.body, article.slug) == (
        original.title,
        original.body,
        original.slug,
    )
    assert "Second paragraph." in article.body_html
    assert article.history.count() == count + 1
    latest = article.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason.startswith("Restored the revision of ")
    # The address it had in between keeps working.
    assert client.get(f"/{article.section.path}/wrong/")["Location"] == article.get_absolute_url()


def test_a_restore_leaves_the_publication_state_alone(article, editor):
    draft_revision = article.history.first()
    publishing.unpublish(article=article, by=editor)
    publishing.publish(article=article, by=editor)
    article.refresh_from_db()
    publishing.restore_revision(article=article, revision_id=draft_revision.history_id, by=editor)
    article.refresh_from_db()
    assert article.state == Article.State.PUBLISHED


def test_a_restore_onto_a_slug_taken_since_is_refused_and_saves_nothing(article, editor):
    original = article.history.first()
    edit(article, editor, slug="moved")
    ArticleFactory(section=article.section, slug=original.slug)
    count = article.history.count()
    with pytest.raises(ValidationError):
        publishing.restore_revision(article=article, revision_id=original.history_id, by=editor)
    assert Article.objects.get(pk=article.pk).slug == "moved"
    assert article.history.count() == count


# --- In the admin ------------------------------------------------------------------------------


def history_url(article: Article) -> str:
    return reverse("admin:articles_article_history", args=[article.pk])


def test_the_history_page_lists_revisions_with_who_made_them(client, article, editor):
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {
            "title": "Edited in the admin",
            "slug": article.slug,
            "section": article.section_id,
            "author": article.author_id,
            "summary": article.summary,
            "body": article.body,
            "published_at_0": f"{article.published_at:%Y-%m-%d}",
            "published_at_1": f"{article.published_at:%H:%M:%S}",
            "comments_mode": article.comments_mode,
            "_save": "Save",
        },
    )
    soup = BeautifulSoup(client.get(history_url(article)).content.decode(), "html5lib")
    rows = soup.select("#change-history tbody tr")
    assert len(rows) == 2
    assert "editor" in rows[0].get_text()
    assert "Title" in rows[0].get_text()
    assert "Published at" not in rows[0].get_text()  # untouched, whatever its precision
    assert rows[1].select_one("a.button")["href"].endswith("/restore/")


def test_the_compare_page_shows_a_readable_diff(client, article, editor):
    older = article.history.first()
    edit(article, editor, body="First paragraph.\n\n<script>x</script> new.\n\nThird paragraph.")
    newer = article.history.first()
    client.force_login(editor)
    url = reverse("admin:articles_article_compare", args=[article.pk])
    response = client.get(url, {"from": newer.history_id, "to": older.history_id})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>x</script>" not in html
    soup = BeautifulSoup(html, "html5lib")
    assert "&lt;script&gt;x&lt;/script&gt; new." in str(soup.select_one(".diff-added"))
    assert "Second paragraph." in soup.select_one(".diff-removed").get_text()
    # Older first, whichever order they were picked in; the restore offers the older one.
    form = soup.select_one("form.restore-form")
    assert form["action"].endswith(f"/history/{older.history_id}/restore/")


def test_restoring_in_the_admin_posts_and_makes_a_new_revision(client, article, editor):
    older = article.history.first()
    edit(article, editor, title="Changed")
    client.force_login(editor)
    url = reverse("admin:articles_article_restore", args=[article.pk, older.history_id])
    shown = client.get(url)
    assert shown.status_code == 302
    assert "/history/compare/" in shown["Location"]
    response = client.post(url)
    assert response["Location"] == history_url(article)
    article.refresh_from_db()
    assert article.title == "Sleep and magnesium"
    assert article.history.count() == 3


def test_simple_history_own_revert_form_cannot_be_posted(client, article, editor):
    older = article.history.first()
    edit(article, editor, title="Changed")
    client.force_login(editor)
    url = reverse("admin:articles_article_simple_history", args=[article.pk, older.history_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "x"}).status_code == 405
    assert Article.objects.get(pk=article.pk).title == "Changed"


def test_a_reader_cannot_see_or_restore_revisions(client, article, reader):
    client.force_login(reader)
    older = article.history.first()
    restore = reverse("admin:articles_article_restore", args=[article.pk, older.history_id])
    assert client.post(restore).status_code == 302  # to the admin login
    assert client.get(history_url(article)).status_code == 302
    assert Article.objects.get(pk=article.pk).history.count() == 1


def test_a_save_made_while_serving_a_request_is_credited_to_its_user(rf, article, editor):
    """Code that saves without naming who (a future API view, say) still records the editor."""
    from django.http import HttpResponse
    from simple_history.middleware import HistoryRequestMiddleware

    def view(request):
        article.title = "Saved inside a request"
        article.save()
        return HttpResponse()

    request = rf.post("/anything/")
    request.user = editor
    HistoryRequestMiddleware(view)(request)
    assert article.history.first().history_user == editor
