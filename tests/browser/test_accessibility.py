"""axe-core finds nothing wrong on any page of the tour, wide and on a phone, light and dark."""

from __future__ import annotations

import pytest

from tests.browser.checks import SCHEMES, WIDTHS, axe_violations, describe_violations
from tests.browser.tour import TOUR, furnish

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("stop", TOUR, ids=[stop.name for stop in TOUR])
def test_axe_finds_no_violation(stop, new_page, seed_article):
    people = furnish(seed_article)
    found = {}
    for width_name, width in WIDTHS.items():
        for scheme in SCHEMES:
            page = new_page(people.get(stop.persona), width=width, scheme=scheme)
            response = page.goto(stop.path)
            assert response.status == stop.status, stop.path
            page.wait_for_load_state("networkidle")
            violations = axe_violations(page)
            if violations:
                found[f"{width_name} {scheme}"] = violations
            page.context.close()
    assert not found, describe_violations(found)
