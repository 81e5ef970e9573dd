"""Old addresses keep working: slug changes and moves answer with one permanent redirect."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import publishing
from articles.models import Article, ArticleRedirect, Section
from tests.conftest import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

SEED = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"


def assert_moved(client, old: str, new: str) -> None:
    response = client.get(old)
    assert response.status_code == 301, f"{old} answered {response.status_code}"
    assert response["Location"] == new
    assert client.get(new).status_code == 200


def test_a_new_slug_redirects_the_old_address(client, seed_article, editor):
    seed_article.slug = "muscle-twitches-at-night"
    publishing.save_article(article=seed_article, by=editor)
    assert_moved(client, SEED, "/more/health/recovery/muscle-twitches-at-night/")


def test_moving_an_article_to_another_section_redirects_it(client, seed_article, editor):
    seed_article.section = SectionFactory(name="Sleep", slug="sleep")
    publishing.save_article(article=seed_article, by=editor)
    assert_moved(client, SEED, "/sleep/sudden-muscle-twitches-during-sleep/")


def test_renaming_an_ancestor_section_redirects_the_section_pages_and_the_articles_under_it(
    client, seed_article
):
    health = Section.objects.get(path="more/health")
    health.slug = "wellbeing"
    health.save()
    assert_moved(client, SEED, "/more/wellbeing/recovery/sudden-muscle-twitches-during-sleep/")
    assert_moved(client, "/more/health/", "/more/wellbeing/")
    assert_moved(client, "/more/health/recovery/", "/more/wellbeing/recovery/")


def test_moving_a_section_under_another_parent_redirects_its_subtree(client, seed_article):
    recovery = Section.objects.get(path="more/health/recovery")
    recovery.parent = SectionFactory(name="Care", slug="care")
    recovery.save()
    assert_moved(client, SEED, "/care/recovery/sudden-muscle-twitches-during-sleep/")
    assert_moved(client, "/more/health/recovery/", "/care/recovery/")


def test_a_chain_of_slug_changes_collapses_to_one_hop_to_the_final_address(client, editor):
    article = ArticleFactory(slug="first")
    base = f"/{article.section.path}/"
    for slug in ["second", "third", "fourth"]:
        article.slug = slug
        publishing.save_article(article=article, by=editor)
    for old in ["first", "second", "third"]:
        assert_moved(client, f"{base}{old}/", f"{base}fourth/")


def test_a_section_move_then_an_article_rename_collapse_to_one_hop(client, seed_article, editor):
    more = Section.objects.get(path="more")
    more.slug = "extra"
    more.save()
    seed_article.refresh_from_db()
    seed_article.slug = "twitches"
    publishing.save_article(article=seed_article, by=editor)
    more.slug = "library"
    more.save()
    assert_moved(client, SEED, "/library/health/recovery/twitches/")
    assert_moved(client, "/extra/health/recovery/twitches/", "/library/health/recovery/twitches/")
    assert_moved(
        client,
        "/extra/health/recovery/sudden-muscle-twitches-during-sleep/",
        "/library/health/recovery/twitches/",
    )


def test_the_query_string_follows_the_redirect(client):
    section = SectionFactory(slug="news")
    section.slug = "latest"
    section.save()
    assert client.get("/news/?page=2")["Location"] == "/latest/?page=2"


def test_an_old_address_of_an_article_no_longer_public_is_not_found(client, seed_article, editor):
    seed_article.slug = "renamed"
    publishing.save_article(article=seed_article, by=editor)
    publishing.unpublish(article=seed_article, by=editor)
    assert client.get(SEED).status_code == 404


def test_under_a_moved_section_only_what_exists_is_redirected(client, seed_article):
    more = Section.objects.get(path="more")
    more.slug = "extra"
    more.save()
    assert client.get("/more/health/no-such-article/").status_code == 404


def test_new_content_at_an_old_address_wins_over_the_redirect(client, editor):
    article = ArticleFactory(slug="old-name")
    old_url = article.get_absolute_url()
    article.slug = "new-name"
    publishing.save_article(article=article, by=editor)
    newcomer = ArticleFactory(section=article.section, slug="old-name", title="The newcomer")
    assert client.get(old_url).status_code == 200
    assert newcomer.get_absolute_url() == old_url


def test_moving_back_and_forth_never_loops(client, editor):
    article = ArticleFactory(slug="a")
    base = f"/{article.section.path}/"
    for slug in ["b", "a", "b", "a"]:
        article.slug = slug
        publishing.save_article(article=article, by=editor)
    assert client.get(f"{base}a/").status_code == 200
    assert_moved(client, f"{base}b/", f"{base}a/")
    assert not ArticleRedirect.objects.filter(section=article.section, slug="a").exists()


def test_a_section_renamed_back_does_not_loop_on_a_missing_page(client):
    section = SectionFactory(slug="alpha")
    for slug in ["beta", "alpha"]:
        section.slug = slug
        section.save()
    assert_moved(client, "/beta/", "/alpha/")
    assert client.get("/beta/missing/").status_code == 404
    assert client.get("/alpha/missing/").status_code == 404


def test_a_page_that_exists_pays_no_query_for_old_addresses(client, seed_article):
    client.get(SEED)
    with CaptureQueriesContext(connection) as before:
        client.get(SEED)
    for n in range(10):
        section = SectionFactory(slug=f"s{n}")
        section.slug = f"t{n}"
        section.save()
    client.get(SEED)  # the header's navigation, dropped by the section changes, is cached again
    with CaptureQueriesContext(connection) as after:
        assert client.get(SEED).status_code == 200
    assert len(after) == len(before)
    assert not any("redirect" in q["sql"] for q in after.captured_queries)


def test_deleting_an_article_forgets_its_old_addresses(client, editor):
    article = ArticleFactory(slug="x")
    old_url = article.get_absolute_url()
    article.slug = "y"
    publishing.save_article(article=article, by=editor)
    Article.objects.filter(pk=article.pk).delete()
    assert client.get(old_url).status_code == 404
    assert not ArticleRedirect.objects.exists()
