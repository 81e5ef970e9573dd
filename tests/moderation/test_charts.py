"""SVG charts for the editors' overview: well-formed, proportional, escaped, described."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from moderation.charts import (
    daily_series,
    format_value,
    horizontal_bar_chart,
    nice_scale,
    vertical_bar_chart,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


def bars(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//svg:rect[@class='chart-bar']", NS)


def texts(root: ET.Element, css_class: str) -> list[str]:
    return [t.text or "" for t in root.iter(f"{{{NS['svg']}}}text") if t.get("class") == css_class]


def vertical(data, **kwargs):
    options = {"title": "Decisions per day", "x_label": "Day", "y_label": "Decisions"}
    return vertical_bar_chart(data, **(options | kwargs))


def horizontal(data, **kwargs):
    options = {"title": "Rules that fire most", "value_label": "Times fired"}
    return horizontal_bar_chart(data, **(options | kwargs))


# --- vertical bars ----------------------------------------------------------------------------


def test_each_day_is_a_bar_whose_height_is_proportional_to_its_value():
    data = [("1 Mar", 4), ("2 Mar", 0), ("3 Mar", 12), ("4 Mar", 6)]
    root = parse(vertical(data))
    rects = bars(root)
    assert [r.get("data-label") for r in rects] == ["1 Mar", "2 Mar", "3 Mar", "4 Mar"]
    heights = [float(r.get("height")) for r in rects]
    assert heights[1] == 0
    assert heights[2] == pytest.approx(3 * heights[0], rel=1e-3)
    assert heights[2] == pytest.approx(2 * heights[3], rel=1e-3)


def test_bars_stand_on_one_baseline_left_to_right_without_overlapping():
    root = parse(vertical([("a", 1), ("b", 5), ("c", 3)]))
    rects = bars(root)
    bottoms = {round(float(r.get("y")) + float(r.get("height")), 1) for r in rects}
    assert len(bottoms) == 1
    xs = [float(r.get("x")) for r in rects]
    widths = [float(r.get("width")) for r in rects]
    assert xs == sorted(xs)
    assert all(x + w < next_x for x, w, next_x in zip(xs, widths, xs[1:], strict=False))


def test_the_tallest_bar_reaches_the_round_top_of_the_axis():
    root = parse(vertical([("a", 10), ("b", 5)]))
    ticks = texts_in_group(root, "chart-grid")
    assert ticks == ["0", "5", "10"]
    rects = bars(root)
    grid_lines = root.findall(".//svg:g[@class='chart-grid']/svg:line", NS)
    top_line_y = min(float(line.get("y1")) for line in grid_lines)
    assert float(rects[0].get("y")) == pytest.approx(top_line_y, abs=0.01)


def texts_in_group(root: ET.Element, group_class: str) -> list[str]:
    group = root.find(f".//svg:g[@class='{group_class}']", NS)
    return [t.text or "" for t in group.findall("svg:text", NS)]


def test_the_chart_is_an_image_named_by_its_title_and_described_by_every_value():
    svg = vertical([("1 Mar", 4), ("2 Mar", 1234)], chart_id="daily")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-daily-title chart-daily-desc"
    assert root.find("svg:title", NS).get("id") == "chart-daily-title"
    assert root.find("svg:title", NS).text == "Decisions per day"
    assert root.find("svg:desc", NS).text == "Decisions by day: 1 Mar: 4; 2 Mar: 1,234."
    assert [r.find("svg:title", NS).text for r in bars(root)] == ["1 Mar: 4", "2 Mar: 1,234"]


def test_the_axes_are_labelled_and_each_bar_shows_its_label_and_value():
    root = parse(vertical([("1 Mar", 4), ("2 Mar", 7)]))
    assert texts(root, "chart-axis-label") == ["Day", "Decisions"]
    assert texts(root, "chart-label") == ["1 Mar", "2 Mar"]
    assert texts(root, "chart-value") == ["4", "7"]


def test_a_label_too_long_for_its_bar_is_shortened_but_kept_whole_in_the_alternatives():
    label = "A very long label indeed"
    root = parse(vertical([(label, 1)] * 14))
    shown = texts(root, "chart-label")[0]
    assert shown.endswith("…")
    assert len(shown) < len(label)
    assert bars(root)[0].find("svg:title", NS).text == f"{label}: 1"
    assert label in root.find("svg:desc", NS).text


def test_an_id_is_made_from_the_title_when_none_is_given():
    root = parse(vertical([("a", 1)], title="Decisions — last 14 days!"))
    assert root.get("id") == "chart-decisions-last-14-days"


# --- horizontal bars --------------------------------------------------------------------------


def test_each_rule_is_a_row_whose_length_is_proportional_to_its_count():
    data = [("First comment", 120), ("Toxicity", 30), ("Banned words", 0), ("Links", 60)]
    root = parse(horizontal(data))
    rects = bars(root)
    assert [r.get("data-label") for r in rects] == [label for label, _ in data]
    lengths = [float(r.get("width")) for r in rects]
    assert lengths[0] == pytest.approx(4 * lengths[1], rel=1e-3)
    assert lengths[0] == pytest.approx(2 * lengths[3], rel=1e-3)
    assert lengths[2] == 0
    ys = [float(r.get("y")) for r in rects]
    assert ys == sorted(ys)
    assert texts(root, "chart-label") == [label for label, _ in data]
    assert texts(root, "chart-value") == ["120", "30", "0", "60"]


def test_the_longest_row_fills_the_plot_and_the_height_follows_the_rows():
    few = parse(horizontal([("a", 2), ("b", 1)], width=640, label_width=200))
    many = parse(horizontal([(str(n), n) for n in range(1, 11)]))
    assert float(bars(few)[0].get("width")) == pytest.approx(640 - 200 - 48)
    assert float(many.get("height")) > float(few.get("height"))


def test_the_ranking_is_described_in_words():
    root = parse(horizontal([("Toxicity", 3), ("Links", 0.5)]))
    assert root.get("role") == "img"
    assert root.find("svg:desc", NS).text == "Times fired: Toxicity: 3; Links: 0.5."
    assert texts(root, "chart-axis-label") == ["Times fired"]


# --- both -------------------------------------------------------------------------------------


@pytest.mark.parametrize("chart", [vertical, horizontal])
def test_labels_and_titles_are_escaped(chart):
    svg = chart([(HOSTILE, 3), ("ok", 1)], title=HOSTILE)
    assert "<script" not in svg
    root = parse(svg)
    assert not list(root.iter("script")) and not root.findall(".//svg:script", NS)
    assert bars(root)[0].get("data-label") == HOSTILE
    assert root.find("svg:title", NS).text == HOSTILE
    assert HOSTILE in root.find("svg:desc", NS).text


@pytest.mark.parametrize("chart", [vertical, horizontal])
def test_characters_xml_forbids_are_dropped_so_the_chart_still_parses(chart):
    root = parse(chart([("bad\x00\x08label", 1)]))
    assert bars(root)[0].get("data-label") == "badlabel"


@pytest.mark.parametrize("chart", [vertical, horizontal])
def test_the_chart_is_marked_safe_to_embed_in_a_template(chart):
    assert isinstance(chart([("a", 1)]), SafeString)


@pytest.mark.parametrize("chart", [vertical, horizontal])
def test_no_data_draws_a_described_empty_chart(chart):
    root = parse(chart([], empty_text="No decisions yet."))
    assert bars(root) == []
    assert texts(root, "chart-empty") == ["No decisions yet."]
    assert root.find("svg:desc", NS).text.endswith("No decisions yet.")


@pytest.mark.parametrize("chart", [vertical, horizontal])
def test_all_zero_values_draw_flat_bars_without_dividing_by_zero(chart):
    root = parse(chart([("a", 0), ("b", 0)]))
    assert [float(r.get("height" if chart is vertical else "width")) for r in bars(root)] == [0, 0]


@pytest.mark.parametrize("chart", [vertical, horizontal])
@pytest.mark.parametrize("value", [-1, float("nan"), float("inf")])
def test_negative_or_non_finite_values_are_refused(chart, value):
    with pytest.raises(ValueError, match="finite and not negative"):
        chart([("a", value)])


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [
        (0, (1, 1)),
        (3, (3, 1)),
        (4, (4, 1)),
        (7, (8, 2)),
        (10, (10, 5)),
        (12, (15, 5)),
        (99, (100, 50)),
        (0.8, (0.8, 0.2)),
        (1234, (1500, 500)),
    ],
)
def test_the_axis_ends_on_a_round_number(maximum, expected):
    axis_max, step = nice_scale(maximum)
    assert (axis_max, step) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "text"), [(0, "0"), (12, "12"), (1234.0, "1,234"), (0.84, "0.8")]
)
def test_values_are_formatted_for_people(value, text):
    assert format_value(value) == text


def test_a_daily_series_covers_every_day_oldest_first_with_zeros_for_quiet_days():
    counts = {dt.date(2026, 3, 1): 2, dt.date(2026, 3, 14): 5, dt.date(2026, 2, 1): 99}
    series = daily_series(counts, end=dt.date(2026, 3, 14))
    assert len(series) == 14
    assert series[0] == ("1 Mar", 2)
    assert series[1] == ("2 Mar", 0)
    assert series[-1] == ("14 Mar", 5)
    assert daily_series({}, end=dt.date(2026, 1, 2), days=3) == [
        ("31 Dec", 0),
        ("1 Jan", 0),
        ("2 Jan", 0),
    ]
