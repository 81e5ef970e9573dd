"""How pages reach the browser: compressed when they carry no secret, one filter for machine
times, the minified stylesheet, and the site's own 404 page in development."""

from __future__ import annotations

import datetime as dt
import gzip
import logging
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings

from config.storage import minify_css
from markup.times import machine_time

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
SEED_URL = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"


# --- Compression ---------------------------------------------------------------------------------


def test_a_public_page_is_compressed_for_an_anonymous_reader(client, seed_article):
    response = client.get(SEED_URL, headers={"accept-encoding": "gzip, br"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert seed_article.title in gzip.decompress(response.content).decode()


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"], ids=["login", "signup"])
def test_a_page_with_a_csrf_token_is_never_compressed(client, path):
    # BREACH: a secret on a compressed page can be guessed from the compressed size.
    response = client.get(path, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"csrfmiddlewaretoken" in response.content


def test_a_signed_in_readers_page_is_never_compressed(client, reader, seed_article):
    client.force_login(reader)
    response = client.get(SEED_URL, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response


# --- Machine-readable times ----------------------------------------------------------------------


def test_machine_times_have_whole_seconds_and_the_sites_offset(settings):
    settings.TIME_ZONE = "Europe/London"
    moment = dt.datetime(2025, 9, 15, 8, 22, 58, 871061, tzinfo=ZoneInfo("UTC"))
    assert machine_time(moment) == "2025-09-15T09:22:58+01:00"
    assert machine_time(dt.date(2025, 9, 15)) == "2025-09-15"
    assert machine_time(None) == ""
    rendered = Template("{{ t|machine_time }}").render(Context({"t": moment}))
    assert rendered == "2025-09-15T09:22:58+01:00"


def test_no_template_formats_a_machine_time_by_hand():
    by_hand = re.compile(r"""\|date:\s*["']c["']""")
    found = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "site" / "templates").rglob("*.html")
        if by_hand.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


# --- The stylesheet ------------------------------------------------------------------------------


def test_the_stylesheet_is_minified_when_collected_and_means_the_same(tmp_path, settings):
    source = (ROOT / "site" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "config.storage.MinifiedStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    collected = (tmp_path / "css" / "site.css").read_text(encoding="utf-8")
    assert len(collected) < len(source) * 0.9
    assert "/*" not in collected and "\n\n" not in collected
    assert collected == minify_css(source)
    # Every block is still there, and every custom property of both colour schemes.
    assert collected.count("{") == source.count("{")
    assert sorted(re.findall(r"--[a-z-]+:", collected)) == sorted(
        re.findall(r"--[a-z-]+:", re.sub(r"\s*:\s*", ":", source))
    )
    # Hashed and compressed copies, as whitenoise serves them.
    assert list(tmp_path.glob("css/site.*.css")) and (tmp_path / "css" / "site.css.gz").exists()


# --- Not found, in development -------------------------------------------------------------------


@override_settings(DEBUG=True)
def test_in_development_a_missing_page_is_the_sites_own_404_with_the_detail_in_the_log(
    client, caplog
):
    with caplog.at_level(logging.WARNING, logger="colloquy.not_found"):
        response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html and 'class="site-header"' in html
    assert "URLconf" not in html and "Django tried these URL patterns" not in html
    assert any("/no/such/page/" in r.getMessage() for r in caplog.records)


@override_settings(DEBUG=True)
def test_in_development_a_missing_api_object_is_still_problem_json(client):
    response = client.get("/api/articles/999999/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_files_and_images_are_left_to_whitenoise(client):
    response = client.get("/static/favicon.svg", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    # A file, as whitenoise serves it (its compressed copy, made at collectstatic, where one
    # exists); the middleware never compresses files on the fly.
    assert response.streaming
    assert "Content-Encoding" not in response
