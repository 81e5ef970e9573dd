"""The Nu HTML Checker finds no error in any page of the tour, as the server sends it."""

from __future__ import annotations

import pytest

from tests.browser.checks import nu_errors
from tests.browser.tour import TOUR, furnish

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_nu_html_checker_finds_no_error_on_any_page(new_page, seed_article, tmp_path):
    people = furnish(seed_article)
    documents = {}
    for stop in TOUR:
        page = new_page(people.get(stop.persona))
        response = page.request.get(stop.path)
        assert response.status == stop.status, stop.path
        assert response.headers["content-type"].startswith("text/html"), stop.path
        documents[stop.name] = response.text()
    errors = nu_errors(documents, workdir=tmp_path)
    assert not errors, "\n".join(
        f"{name}:\n  " + "\n  ".join(found) for name, found in errors.items()
    )
