"""The editors' workspace, through the real admin views as an editor (or a writer)."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from tests.conftest import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"
ADD = "/admin/articles/article/add/"
HOUR = dt.timedelta(hours=1)


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def split(moment: dt.datetime | None) -> dict[str, str]:
    if moment is None:
        return {"published_at_0": "", "published_at_1": ""}
    local = timezone.localtime(moment)
    return {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"}


def form_data(article: Article, **changes) -> dict[str, str]:
    """What the change form posts for `article`, with some fields changed."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "section": article.section_id,
        "author": article.author_id,
        "summary": article.summary,
        "body": article.body,
        "comments_mode": article.comments_mode,
        "comments_close_after_days": article.comments_close_after_days or "",
        **split(changes.pop("published_at", article.published_at)),
    }
    data.update(changes)
    return data


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html5lib")


def messages_of(response) -> str:
    return " ".join(m.get_text(" ", strip=True) for m in page(response).select(".messagelist li"))


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def draft(db) -> Article:
    return ArticleFactory(title="A draft", status=Article.Status.DRAFT, published_at=None)


# --- The list --------------------------------------------------------------------------------


def test_the_list_shows_each_state_and_tells_scheduled_apart(editor_client):
    now = timezone.now()
    ArticleFactory(title="Live", published_at=now - HOUR)
    ArticleFactory(title="Later", published_at=now + HOUR)
    ArticleFactory(title="Draft one", status="draft", published_at=None)
    ArticleFactory(title="Withdrawn", status="unpublished", published_at=now - HOUR)
    soup = page(editor_client.get(CHANGELIST))
    states = {
        row.select_one(".field-title").get_text(strip=True): row.select_one(".state").get_text()
        for row in soup.select("#result_list tbody tr")
    }
    assert states["Live"] == "Published"
    assert states["Later"] == "Scheduled"
    assert states["Draft one"] == "Draft"
    assert states["Withdrawn"] == "Unpublished"


def test_the_state_filter_lists_only_scheduled_articles(editor_client):
    ArticleFactory(title="Live")
    ArticleFactory(title="Later", published_at=timezone.now() + HOUR)
    soup = page(editor_client.get(CHANGELIST, {"state": "scheduled"}))
    assert [a.get_text() for a in soup.select("#result_list .field-title a")] == ["Later"]


# --- The change form ---------------------------------------------------------------------------


def test_an_editor_writes_a_draft_bylined_to_themself_by_default(editor_client, editor):
    soup = page(editor_client.get(ADD))
    assert soup.select_one("#id_author option[selected]")["value"] == str(editor.pk)
    section = SectionFactory()
    data = form_data(
        Article(section=section, author=editor, title="Fresh", slug="fresh", body="Words."),
        _save="Save draft",
    )
    response = editor_client.post(ADD, data)
    assert response.status_code == 302
    article = Article.objects.get(slug="fresh")
    assert article.state == Article.State.DRAFT
    assert article.author == editor
    assert article.history.get().history_user == editor


def test_the_change_form_has_a_preview_link_and_the_live_markdown_editor(editor_client, draft):
    soup = page(editor_client.get(change_url(draft)))
    assert soup.select_one("a.article-preview-link")["href"] == f"/preview/{draft.pk}/"
    config = soup.select_one("#markdown-preview-config")
    assert config["data-url"] == reverse("admin:articles_article_markdown_preview")
    scripts = [s.get("src", "") for s in soup.find_all("script")]
    assert any(src.endswith("articles/admin/markdown-preview.js") for src in scripts)
    buttons = {i["name"] for i in soup.select(".submit-row input[type=submit]")}
    assert {"_save", "_publish", "_schedule"} <= buttons
    assert "_unpublish" not in buttons


def test_publish_now_publishes_with_the_edits_and_returns_to_the_form(editor_client, draft):
    data = form_data(draft, title="A draft, finished", _publish="Publish now")
    response = editor_client.post(change_url(draft), data, follow=True)
    draft.refresh_from_db()
    assert draft.state == Article.State.PUBLISHED
    assert draft.title == "A draft, finished"
    assert response.redirect_chain[-1][0] == change_url(draft)
    assert "was published" in messages_of(response)
    assert draft.history.first().history_change_reason == "Published"


def test_schedule_uses_the_time_in_the_form(editor_client, draft):
    at = (timezone.now() + 2 * HOUR).replace(microsecond=0)
    data = form_data(draft, published_at=at, _schedule="Schedule")
    editor_client.post(change_url(draft), data)
    draft.refresh_from_db()
    assert draft.state == Article.State.SCHEDULED
    assert draft.published_at == at


def test_a_schedule_in_the_past_is_refused_and_the_typed_text_is_kept(editor_client, draft):
    data = form_data(
        draft,
        title="Edited title",
        published_at=timezone.now() - HOUR,
        _schedule="Schedule",
    )
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200
    soup = page(response)
    assert "must be in the future" in soup.select_one(".field-published_at .errorlist").get_text()
    assert soup.select_one("#id_title")["value"] == "Edited title"
    stored = Article.objects.get(pk=draft.pk)
    assert (stored.title, stored.state) == ("A draft", Article.State.DRAFT)


def test_unpublish_and_back_to_draft_buttons(editor_client):
    article = ArticleFactory()
    soup = page(editor_client.get(change_url(article)))
    assert {"_unpublish", "_draft"} <= {i["name"] for i in soup.select(".submit-row input")}
    editor_client.post(change_url(article), form_data(article, _unpublish="Unpublish"))
    article.refresh_from_db()
    assert article.state == Article.State.UNPUBLISHED
    editor_client.post(change_url(article), form_data(article, _draft="Back to draft"))
    article.refresh_from_db()
    assert article.state == Article.State.DRAFT


def test_a_material_update_is_a_ticked_box_on_a_published_article(editor_client):
    article = ArticleFactory()
    editor_client.post(change_url(article), form_data(article, body="Changed advice."))
    article.refresh_from_db()
    assert article.revised_at is None
    editor_client.post(
        change_url(article), form_data(article, body="Newer advice.", material_update="on")
    )
    article.refresh_from_db()
    assert article.revised_at is not None
    assert article.history.first().history_change_reason == "Material update"


def test_a_draft_cannot_be_saved_as_a_material_update(editor_client, draft):
    response = editor_client.post(change_url(draft), form_data(draft, material_update="on"))
    assert response.status_code == 200
    assert "published article" in page(response).select_one(".errorlist").get_text()


def test_a_writer_sees_no_publishing_buttons_and_cannot_post_them(client, writer, draft):
    client.force_login(writer)
    soup = page(client.get(change_url(draft)))
    names = {i["name"] for i in soup.select(".submit-row input[type=submit]")}
    assert "_save" in names
    assert not names & {"_publish", "_schedule", "_unpublish", "_draft"}
    response = client.post(change_url(draft), form_data(draft, _publish="Publish now"))
    assert response.status_code == 200
    assert "permission" in page(response).select_one(".errornote, .errorlist").parent.get_text()
    assert Article.objects.get(pk=draft.pk).state == Article.State.DRAFT


def test_a_writer_can_save_a_draft(client, writer, draft):
    client.force_login(writer)
    client.post(change_url(draft), form_data(draft, title="Writer's draft"))
    draft.refresh_from_db()
    assert draft.title == "Writer's draft"
    assert draft.history.first().history_user == writer


# --- List actions ------------------------------------------------------------------------------


def run_action(client, action: str, articles, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [a.pk for a in articles], **extra}
    return client.post(CHANGELIST, data, follow=True)


def test_publishing_from_the_list_reports_what_was_left_as_it_was(editor_client, draft):
    live = ArticleFactory(title="Already live")
    response = run_action(editor_client, "publish_selected", [draft, live])
    draft.refresh_from_db()
    assert draft.state == Article.State.PUBLISHED
    text = messages_of(response)
    assert "1 article was published" in text
    assert "“Already live”: It is already published." in text


def test_unpublishing_and_back_to_draft_from_the_list(editor_client):
    articles = ArticleFactory.create_batch(2)
    run_action(editor_client, "unpublish_selected", articles)
    assert {a.state for a in Article.objects.filter(pk__in=[a.pk for a in articles])} == {
        Article.State.UNPUBLISHED
    }
    run_action(editor_client, "draft_selected", articles)
    assert {a.state for a in Article.objects.filter(pk__in=[a.pk for a in articles])} == {
        Article.State.DRAFT
    }


def test_scheduling_from_the_list_asks_for_the_time_then_schedules(editor_client, draft):
    response = run_action(editor_client, "schedule_selected", [draft])
    assert "A draft" in page(response).select_one("#content").get_text()
    assert Article.objects.get(pk=draft.pk).state == Article.State.DRAFT
    at = (timezone.now() + 3 * HOUR).replace(microsecond=0)
    local = timezone.localtime(at)
    extra = {"apply": "Schedule", "at_0": f"{local:%Y-%m-%d}", "at_1": f"{local:%H:%M:%S}"}
    response = run_action(editor_client, "schedule_selected", [draft], **extra)
    draft.refresh_from_db()
    assert draft.state == Article.State.SCHEDULED
    assert draft.published_at == at
    assert "1 article was scheduled" in messages_of(response)


def test_a_writer_is_not_offered_the_publishing_actions(client, writer, draft):
    client.force_login(writer)
    soup = page(client.get(CHANGELIST))
    offered = {o["value"] for o in soup.select("select[name=action] option")}
    assert not offered & {"publish_selected", "schedule_selected", "unpublish_selected"}
    run_action(client, "publish_selected", [draft])
    assert Article.objects.get(pk=draft.pk).state == Article.State.DRAFT


# --- The live Markdown preview -----------------------------------------------------------------

PREVIEW = "/admin/articles/article/markdown-preview/"


def test_the_live_preview_renders_markdown_with_the_article_allow_list(editor_client):
    body = (
        "## Heading\n\n![A quokka](https://example.com/q.png)\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>"
    )
    response = editor_client.post(PREVIEW, {"body": body})
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    html = response.json()["html"]
    soup = BeautifulSoup(html, "html5lib")
    assert soup.h2.get_text() == "Heading"
    assert soup.img["alt"] == "A quokka"
    assert soup.table is not None
    assert "<script" not in html


def test_the_live_preview_answers_only_posts(editor_client):
    assert editor_client.get(PREVIEW).status_code == 405


def test_the_live_preview_is_for_staff_who_may_write_articles(client, reader):
    client.force_login(reader)
    assert client.post(PREVIEW, {"body": "x"}).status_code == 302  # to the admin login
    client.force_login(UserFactory(is_staff=True))
    assert client.post(PREVIEW, {"body": "x"}).status_code == 403


# --- Sections ----------------------------------------------------------------------------------


def section_data(section: Section, **changes) -> dict:
    data = {
        "name": section.name,
        "slug": section.slug,
        "parent": section.parent_id or "",
        "position": section.position,
        "description": section.description,
    }
    data.update(changes)
    return data


def test_an_editor_adds_a_section_under_another(editor_client):
    health = Section.objects.get(path="more/health")
    data = section_data(Section(name="Sleep", slug="sleep", parent=health))
    assert editor_client.post("/admin/articles/section/add/", data).status_code == 302
    assert editor_client.get("/more/health/sleep/").status_code == 200


def test_renaming_a_section_in_the_admin_keeps_its_old_addresses(editor_client, seed_article):
    health = Section.objects.get(path="more/health")
    url = reverse("admin:articles_section_change", args=[health.pk])
    editor_client.post(url, section_data(health, name="Wellbeing", slug="wellbeing"))
    assert editor_client.get("/more/health/")["Location"] == "/more/wellbeing/"
    response = editor_client.get(seed_article.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"].startswith("/more/wellbeing/recovery/")


def test_moving_a_section_offers_every_parent_but_itself_and_its_subtree(editor_client):
    more = Section.objects.get(path="more")
    other = SectionFactory(name="Other", slug="other")
    url = reverse("admin:articles_section_change", args=[more.pk])
    options = {o.get_text() for o in page(editor_client.get(url)).select("#id_parent option")}
    assert "other" in options  # sections are named by their path
    assert not any(o.startswith("more") for o in options)
    editor_client.post(url, section_data(more, parent=other.pk))
    assert Section.objects.get(name="Recovery").path == "other/more/health/recovery"
    assert editor_client.get("/more/health/")["Location"] == "/other/more/health/"


def test_sections_are_reordered_from_the_list(editor_client):
    first = SectionFactory(name="Alpha", slug="alpha", position=1)
    second = SectionFactory(name="Beta", slug="beta", position=2)
    changelist = page(editor_client.get("/admin/articles/section/"))
    # Post back the list's own formset, with one position changed.
    data = {
        i["name"]: i.get("value", "")
        for i in changelist.select("#changelist-form input[name^='form-']")
    }
    index = next(k for k, v in data.items() if k.endswith("-id") and v == str(first.pk))
    data[index.replace("-id", "-position")] = "5"
    data["_save"] = "Save"
    assert editor_client.post("/admin/articles/section/", data).status_code == 302
    first.refresh_from_db()
    assert first.position == 5
    roots = [s.name for s in Section.objects.roots()]
    assert roots.index("Beta") < roots.index("Alpha")
    assert second.position == 2


def test_a_writer_can_fix_a_typo_in_a_live_article_without_moving_its_date(client, writer):
    article = ArticleFactory()  # published a moment ago, to the microsecond
    published_at = article.published_at
    client.force_login(writer)
    response = client.post(change_url(article), form_data(article, title="Typo fixed"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Typo fixed"
    assert article.published_at == published_at


def test_a_writer_cannot_move_the_date_of_a_live_article(client, writer):
    article = ArticleFactory()
    client.force_login(writer)
    later = timezone.now() + 5 * HOUR
    response = client.post(change_url(article), form_data(article, published_at=later))
    assert response.status_code == 200
    assert "permission" in page(response).select_one(".field-published_at .errorlist").get_text()
    assert Article.objects.get(pk=article.pk).published_at == article.published_at
