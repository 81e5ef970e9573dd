"""Small server-rendered SVG charts for the editors' overview.

Pure functions: plain data in (a list of (label, value) pairs), SVG markup out, ready to embed in
a page. Every label is escaped; nothing from the data can add markup. No JavaScript, nothing to
download, and the charts read without sight: each `<svg>` is an image (`role="img"`) named by its
`<title>` and described by a `<desc>` that lists every value, and each bar carries its own
`<title>` (a tooltip on hover).

Colours come from presentation attributes that the site's stylesheet may override through the
classes (`chart-bar`, `chart-grid`, ...).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from django.utils.dateformat import format as format_date
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

Series = Sequence[tuple[str, float]]

BAR_COLOUR = "#0b5cad"  # the site's accent: 6.6:1 on white
INK = "#1c1f23"
INK_SOFT = "#4a525c"
GRID = "#d6dbe1"
FONT = 'font-family="system-ui, sans-serif"'
# Characters XML forbids even when escaped: dropped, or the SVG would not parse.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: object) -> str:
    return escape(_NOT_XML.sub("", str(value)))


def format_value(value: float) -> str:
    """ "1,234" for whole numbers, "0.8" otherwise."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _checked(data: Series) -> list[tuple[str, float]]:
    rows = [(str(label), float(value)) for label, value in data]
    for label, value in rows:
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"Chart values must be finite and not negative ({label!r}: {value}).")
    return rows


def nice_scale(maximum: float, *, ticks: int = 4) -> tuple[float, float]:
    """An axis end at or above `maximum` and a round step to it (1, 2 or 5 times a power of 10)."""
    if maximum <= 0:
        return 1.0, 1.0
    raw_step = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step)
    return step * math.ceil(maximum / step - 1e-9), step


def _truncate(label: str, max_chars: int) -> str:
    if len(label) <= max_chars:
        return label
    return label[: max(1, max_chars - 1)].rstrip() + "…"


def _description(rows: list[tuple[str, float]], empty_text: str) -> str:
    if not rows:
        return empty_text
    return "; ".join(f"{label}: {format_value(value)}" for label, value in rows) + "."


def _open_svg(
    *, chart_id: str, kind: str, width: int, height: int, title: str, description: str
) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" id="{chart_id}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{_text(title)}</title>',
        f'<desc id="{chart_id}-desc">{_text(description)}</desc>',
    ]


def _finish(parts: list[str]) -> SafeString:
    # Safe to mark: every label, title and value that came from the caller went through _text.
    return mark_safe("".join(parts))


def _empty(parts: list[str], *, width: int, height: int, empty_text: str) -> SafeString:
    parts.append(
        f'<text class="chart-empty" x="{width / 2:g}" y="{height / 2:g}" text-anchor="middle" '
        f'fill="{INK_SOFT}" font-size="15" {FONT}>{_text(empty_text)}</text></svg>'
    )
    return _finish(parts)


def _chart_id(chart_id: str | None, title: str) -> str:
    return "chart-" + (slugify(chart_id or title) or "untitled")


def vertical_bar_chart(
    data: Series,
    *,
    title: str,
    x_label: str,
    y_label: str,
    chart_id: str | None = None,
    width: int = 640,
    height: int = 280,
    empty_text: str = "Nothing to show yet.",
) -> SafeString:
    """One vertical bar per (label, value), left to right, on a y axis from 0 with round ticks.

    For a time series such as decisions per day (see `daily_series`).
    """
    rows = _checked(data)
    chart_id = _chart_id(chart_id, title)
    parts = _open_svg(
        chart_id=chart_id,
        kind="vertical",
        width=width,
        height=height,
        title=title,
        description=f"{y_label} by {x_label.lower()}: {_description(rows, empty_text)}",
    )
    if not rows:
        return _empty(parts, width=width, height=height, empty_text=empty_text)

    left, right, top, bottom = 56, 12, 20, 52
    plot_width, plot_height = width - left - right, height - top - bottom
    axis_max, step = nice_scale(max(value for _, value in rows))
    baseline = top + plot_height

    parts.append(f'<g class="chart-grid" aria-hidden="true" {FONT} font-size="13">')
    for index in range(round(axis_max / step) + 1):
        tick = index * step
        y = baseline - tick / axis_max * plot_height
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.2f}" y2="{y:.2f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.2f}" text-anchor="end" fill="{INK_SOFT}">'
            f"{format_value(tick)}</text>"
        )
    parts.append("</g>")

    slot = plot_width / len(rows)
    bar_width = slot * 0.7
    max_chars = max(3, int(slot / 7.5))
    bars, labels = (
        ['<g class="chart-bars">'],
        [f'<g class="chart-labels" aria-hidden="true" {FONT} font-size="13" fill="{INK_SOFT}">'],
    )
    for index, (label, value) in enumerate(rows):
        bar_height = value / axis_max * plot_height
        x = left + index * slot + (slot - bar_width) / 2
        centre = left + index * slot + slot / 2
        bars.append(
            f'<rect class="chart-bar" x="{x:.2f}" y="{baseline - bar_height:.2f}" '
            f'width="{bar_width:.2f}" height="{bar_height:.2f}" fill="{BAR_COLOUR}" '
            f'data-label="{_text(label)}" data-value="{value:g}">'
            f"<title>{_text(label)}: {format_value(value)}</title></rect>"
        )
        labels.append(
            f'<text class="chart-value" x="{centre:.2f}" y="{baseline - bar_height - 4:.2f}" '
            f'text-anchor="middle" fill="{INK}">{format_value(value)}</text>'
            f'<text class="chart-label" x="{centre:.2f}" y="{baseline + 16}" '
            f'text-anchor="middle">{_text(_truncate(label, max_chars))}</text>'
        )
    parts += [*bars, "</g>", *labels, "</g>"]
    parts.append(
        f'<line class="chart-axis" x1="{left}" x2="{width - right}" y1="{baseline}" '
        f'y2="{baseline}" stroke="{INK_SOFT}" aria-hidden="true"/>'
        f'<text class="chart-axis-label" x="{left + plot_width / 2:.2f}" y="{height - 8}" '
        f'text-anchor="middle" fill="{INK}" font-size="14" {FONT}>{_text(x_label)}</text>'
        f'<text class="chart-axis-label" transform="translate(14 {top + plot_height / 2:.2f}) '
        f'rotate(-90)" text-anchor="middle" fill="{INK}" font-size="14" {FONT}>'
        f"{_text(y_label)}</text></svg>"
    )
    return _finish(parts)


def horizontal_bar_chart(
    data: Series,
    *,
    title: str,
    value_label: str,
    chart_id: str | None = None,
    width: int = 640,
    label_width: int = 200,
    empty_text: str = "Nothing to show yet.",
) -> SafeString:
    """One horizontal bar per (label, value), top to bottom in the order given, value at its end.

    For rankings such as the rules that fire most (pass them sorted). The height follows the
    number of rows.
    """
    rows = _checked(data)
    chart_id = _chart_id(chart_id, title)
    row_height, bar_height, top, bottom, right = 28, 18, 8, 34, 48
    height = top + max(1, len(rows)) * row_height + bottom
    parts = _open_svg(
        chart_id=chart_id,
        kind="horizontal",
        width=width,
        height=height,
        title=title,
        description=f"{value_label}: {_description(rows, empty_text)}",
    )
    if not rows:
        return _empty(parts, width=width, height=height, empty_text=empty_text)

    plot_width = width - label_width - right
    axis_max = max(value for _, value in rows) or 1.0
    max_chars = max(4, int((label_width - 12) / 7.5))
    parts.append(f'<g class="chart-bars" {FONT} font-size="14">')
    for index, (label, value) in enumerate(rows):
        y = top + index * row_height
        length = value / axis_max * plot_width
        middle = y + row_height / 2 + 4
        parts.append(
            f'<text class="chart-label" x="{label_width - 8}" y="{middle:.2f}" '
            f'text-anchor="end" fill="{INK}" aria-hidden="true">'
            f"{_text(_truncate(label, max_chars))}</text>"
            f'<rect class="chart-bar" x="{label_width}" y="{y + (row_height - bar_height) / 2:.2f}"'
            f' width="{length:.2f}" height="{bar_height}" fill="{BAR_COLOUR}" '
            f'data-label="{_text(label)}" data-value="{value:g}">'
            f"<title>{_text(label)}: {format_value(value)}</title></rect>"
            f'<text class="chart-value" x="{label_width + length + 6:.2f}" y="{middle:.2f}" '
            f'fill="{INK}" aria-hidden="true">{format_value(value)}</text>'
        )
    parts.append("</g>")
    parts.append(
        f'<line class="chart-axis" x1="{label_width}" x2="{label_width}" y1="{top}" '
        f'y2="{height - bottom}" stroke="{INK_SOFT}" aria-hidden="true"/>'
        f'<text class="chart-axis-label" x="{label_width + plot_width / 2:.2f}" '
        f'y="{height - 10}" text-anchor="middle" fill="{INK}" font-size="14" {FONT}>'
        f"{_text(value_label)}</text></svg>"
    )
    return _finish(parts)


def daily_series(
    counts: Mapping[date, float], *, end: date, days: int = 14
) -> list[tuple[str, float]]:
    """The `days` days up to and including `end`, oldest first, labelled "3 Mar", with 0 for a
    day that has no count (a query grouped by day returns no row for an empty day)."""
    first = end - timedelta(days=days - 1)
    return [
        (format_date(day, "j M"), counts.get(day, 0))
        for day in (first + timedelta(days=offset) for offset in range(days))
    ]
