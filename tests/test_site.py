"""Site-wide endpoints: health, robots, sitemap, feeds, and the HTTPS redirect around them."""

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

from articles.models import Article
from tests.conftest import ArticleFactory

pytestmark = pytest.mark.django_db
SEED_URL = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"


def test_healthz_answers_ok_with_the_database_and_the_shared_cache_checked(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_the_sitemap_lists_sections_and_only_published_articles(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    assert f"http://testserver{SEED_URL}" in locations
    assert "http://testserver/more/health/" in locations
    assert f"http://testserver{draft.get_absolute_url()}" not in locations


def test_the_site_feed_and_a_section_feed_carry_published_articles(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, title="Not yet")
    for url in ["/feeds/latest/", "/feeds/sections/more/health/"]:
        response = client.get(url)
        assert response.status_code == 200
        channel = ET.fromstring(response.content).find("channel")
        titles = [i.findtext("title") for i in channel.findall("item")]
        assert "Sudden Muscle Twitches During Sleep: Causes and What You Should Know" in titles
        assert draft.title not in titles
    assert client.get("/feeds/sections/nowhere/").status_code == 404


def test_every_page_ships_its_own_stylesheet_and_loads_nothing_from_elsewhere(client):
    html = client.get(SEED_URL).content.decode()
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert "//cdn" not in html and 'src="http' not in html
    assert client.get("/static/css/site.css").status_code == 200


def test_sqlite_is_set_up_for_a_web_server():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite-specific: this leg runs on another database")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_the_favicon_is_served_from_the_sites_own_files(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
    assert client.get("/static/favicon.svg").status_code == 200


def test_the_health_check_answers_over_plain_http_while_pages_are_sent_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz/").status_code == 200
    page = client.get("/")
    assert page.status_code == 301
    assert page["Location"] == "https://testserver/"


def test_a_client_cannot_claim_https_with_a_forwarding_header_unless_the_site_is_told_to_trust_it(
    client, settings
):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 301
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
