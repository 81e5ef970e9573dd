"""The public API: the section tree and published articles, for anyone."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import Article, Section
from comments.models import Comment
from tests.conftest import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_the_section_tree_lists_every_section_with_parents_and_children(api):
    response = api.get("/api/sections/")
    assert response.status_code == 200
    by_path = {s["path"]: s for s in response.json()}
    more, health = by_path["more"], by_path["more/health"]
    assert more["parent"] is None and more["depth"] == 0
    assert health["parent"] == more["id"]
    assert more["children"] == [health["id"]]
    assert health["url"] == "http://testserver/more/health/"


def test_the_section_tree_is_one_query_whatever_its_size(api, django_assert_max_num_queries):
    root = SectionFactory()
    for _ in range(30):
        SectionFactory(parent=root)
    with django_assert_max_num_queries(2):
        assert len(api.get("/api/sections/").json()) >= 34


def test_articles_list_only_what_is_published_newest_first(api, seed_article):
    now = timezone.now()
    newer = ArticleFactory(published_at=now - dt.timedelta(minutes=5))
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(published_at=now + dt.timedelta(days=1))
    body = api.get("/api/articles/").json()
    ids = [a["id"] for a in body["results"]]
    assert ids == [newer.pk, seed_article.pk]
    assert body["results"][1]["author"] == {"username": "BetterNotMee"}


def test_articles_can_be_filtered_by_section_including_subsections(api, seed_article):
    ArticleFactory()
    ids = [a["id"] for a in api.get("/api/articles/", {"section": "more"}).json()["results"]]
    assert ids == [seed_article.pk]


def test_an_unknown_section_filter_is_not_found_and_names_the_parameter(api):
    # 404, not 400: the request is well formed, it names a section that does not exist.
    response = api.get("/api/articles/", {"section": "nowhere"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "No section at “nowhere”."
    assert response.json()["errors"] == {"section": ["No section at “nowhere”."]}


def test_an_article_detail_has_its_body_author_dates_and_comment_count(api, seed_article, reader):
    Comment.objects.create(
        article=seed_article,
        author=reader,
        body="Hi",
        body_html="<p>Hi</p>",
        status=Comment.Status.APPROVED,
    )
    Comment.objects.create(
        article=seed_article,
        author=reader,
        body="Held",
        body_html="<p>Held</p>",
        status=Comment.Status.PENDING,
    )
    body = api.get(f"/api/articles/{seed_article.pk}/").json()
    assert body["title"].startswith("Sudden Muscle Twitches During Sleep")
    assert "<h2" in body["body_html"]
    assert body["published_at"].startswith("2025-09-15T08:22:58")
    assert body["comment_count"] == 1
    assert body["comments_open"] is True


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.UNPUBLISHED])
def test_an_unpublished_article_is_not_found_as_a_problem(api, status):
    article = ArticleFactory(status=status)
    response = api.get(f"/api/articles/{article.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_an_unknown_api_address_is_a_problem_not_a_page(client):
    response = client.get("/api/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not Found"


def test_writing_to_the_public_endpoints_is_refused(api):
    response = api.post("/api/sections/", {"name": "x"}, format="json")
    assert response.status_code in {401, 403, 405}
    assert response["Content-Type"] == "application/problem+json"


def test_the_schema_describes_the_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/articles/{id}/" in schema["paths"]


def test_the_interactive_docs_load_their_assets_from_this_site(client):
    html = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
    asset = "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    assert client.get(asset).status_code == 200


def test_the_article_list_costs_the_same_queries_for_few_or_many(
    api, django_assert_max_num_queries
):
    section = Section.objects.get(path="more/health")
    ArticleFactory.create_batch(15, section=section)
    with django_assert_max_num_queries(2):
        assert len(api.get("/api/articles/").json()["results"]) == 16
