"""The pages the site points to (comment policy, discussion rules), editors' previews and the
admin's way there, and what scripts in a body can no longer do."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles import search
from articles.models import Page
from tests.conftest import ArticleFactory

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html5lib")


@pytest.mark.parametrize(
    ("slug", "title", "words"),
    [
        ("comment-policy", "Comment policy", "not medical advice"),
        ("discussion-rules", "Discussion rules", "Be careful with health advice"),
    ],
)
def test_the_pages_the_site_points_to_exist_with_a_first_text(
    client, site_pages, slug, title, words
):
    page = soup_of(client.get(f"/pages/{slug}/"))
    assert page.find("h1").get_text() == title
    assert words in page.select_one(".prose").get_text()
    assert page.find("meta", attrs={"name": "description"})["content"]


def test_every_page_links_to_them_in_the_footer(client, site_pages):
    footer = soup_of(client.get("/")).select_one(".site-footer")
    hrefs = {a.get_text(): a["href"] for a in footer.find_all("a")}
    assert hrefs["Comment policy"] == "/pages/comment-policy/"
    assert hrefs["Discussion rules"] == "/pages/discussion-rules/"
    for href in hrefs.values():
        assert client.get(href).status_code == 200


def test_the_account_deletion_page_links_to_the_comment_policy(client, reader, site_pages):
    client.force_login(reader)
    page = soup_of(client.get("/accounts/delete/"))
    assert page.find("a", string="comment policy")["href"] == "/pages/comment-policy/"


def test_an_editor_changes_a_page_in_the_admin_and_readers_see_it_sanitised(
    client, editor, site_pages
):
    client.force_login(editor)
    policy = site_pages["comment-policy"]
    url = reverse("admin:articles_page_change", args=[policy.pk])
    form = soup_of(client.get(url))
    assert form.find("input", attrs={"name": "slug"}) is None  # its address is fixed
    response = client.post(
        url,
        {
            "title": "Comment policy",
            "summary": "How we moderate.",
            "body": "## New\n\nWe read every comment. <script>alert(1)</script>",
        },
    )
    assert response.status_code == 302
    html = client.get("/pages/comment-policy/").content.decode()
    assert "We read every comment." in html and "alert(1)" not in html


def test_the_pages_the_site_links_to_cannot_be_deleted(client, editor, site_pages):
    client.force_login(editor)
    policy = site_pages["comment-policy"]
    assert client.get(reverse("admin:articles_page_delete", args=[policy.pk])).status_code == 403
    changelist = client.get(reverse("admin:articles_page_changelist")).content.decode()
    assert "delete_selected" not in changelist
    assert Page.objects.filter(slug="comment-policy").exists()


def test_editors_may_add_their_own_pages(client, editor, site_pages):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_page_add"),
        {"title": "About us", "slug": "about", "summary": "", "body": "Who we are."},
    )
    assert response.status_code == 302
    assert client.get("/pages/about/").status_code == 200


def test_pages_is_a_reserved_section_slug(settings):
    assert "pages" in settings.RESERVED_SECTION_SLUGS


# --- Drafts: the preview, and the admin's way to it ------------------------------------------


def test_a_drafts_preview_shows_no_comment_form(client, editor):
    draft = ArticleFactory(status="draft", published_at=None)
    client.force_login(editor)
    page = soup_of(client.get(reverse("articles:preview", args=[draft.pk])))
    assert page.select_one("form#comment-form") is None
    assert (
        "readers can comment once the article is published"
        in page.select_one("#comments").get_text()
    )


def test_view_on_site_opens_a_drafts_preview_and_a_published_articles_page(client, editor):
    draft = ArticleFactory(status="draft", published_at=None)
    live = ArticleFactory()
    client.force_login(editor)
    for article, expected in (
        (draft, reverse("articles:preview", args=[draft.pk])),
        (live, live.get_absolute_url()),
    ):
        form = soup_of(client.get(reverse("admin:articles_article_change", args=[article.pk])))
        link = form.select_one("a.viewsitelink")
        assert link["href"] == expected
        assert client.get(link["href"]).status_code == 200


def test_restoring_a_revision_asks_its_question(client, editor):
    article = ArticleFactory(title="First title")
    client.force_login(editor)
    from articles import publishing

    article.title = "Second title"
    publishing.save_article(article=article, by=editor)
    first = article.history.order_by("history_date").first()
    url = reverse("admin:articles_article_restore", args=[article.pk, first.history_id])
    page = soup_of(client.get(url, follow=True))
    assert page.find("title").get_text().startswith("Restore this revision of “Second title”?")


# --- Scripts in a body -----------------------------------------------------------------------


def test_script_and_style_contents_never_reach_the_page_the_preview_or_search(client, editor):
    article = ArticleFactory(
        body="Quokka facts.\n\n<script>var secret = 'quokkascript';</script>\n\n"
        "<style>.x { color: red }</style>\n\nThe end."
    )
    assert "quokkascript" not in article.body_html and "color: red" not in article.body_html
    assert "quokkascript" not in article.body_text
    html = client.get(article.get_absolute_url()).content.decode()
    assert "quokkascript" not in html
    snippet = str(search.search("quokka").object_list[0].snippet_html)
    assert "quokkascript" not in snippet and "Quokka" in snippet
    client.force_login(editor)
    preview = client.post(
        reverse("admin:articles_article_markdown_preview"), {"body": article.body}
    ).json()["html"]
    assert "quokkascript" not in preview and "The end." in preview
