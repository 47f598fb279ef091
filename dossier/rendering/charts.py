"""Figures drawn as SVG in Python: bar charts, the incident timeline, the locator diagram.

Nothing is fetched: no map tiles, no web fonts. Every string from the case is
XML-escaped, so case data can never become markup inside a figure. Every figure
carries words or numbers as well as colour, so a grey printout still reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape, quoteattr

FONT = "font-family=\"Noto Sans, DejaVu Sans, sans-serif\""
INK = "#1d2733"
MUTED = "#6b7785"
ACCENT = "#8a1c1c"
BAR = "#33506e"
GRID = "#d9dee4"


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label={quoteattr(title)}>'
            f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, size: float = 9, anchor: str = "start", fill: str = INK,
          weight: str = "normal", rotate: float | None = None) -> str:
    transform = f' transform="rotate({rotate:.0f} {x:.1f} {y:.1f})"' if rotate is not None else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" {FONT} font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}"{transform}>{escape(text)}</text>')


LABEL_CHARS = 24
"""The characters of a bar's label on one line; a longer label takes up to three lines, and only past that is
cut."""
LABEL_LINES = 3


def _label_lines(label: str) -> list[str]:
    """A bar's label in at most three lines: a party's full name ("Republic of Valdoria (government armed
    forces)") is read whole, not cut at the edge of the first line."""
    import textwrap

    lines = textwrap.wrap(label, LABEL_CHARS, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        rest = " ".join(lines[LABEL_LINES - 1:])
        lines = lines[:LABEL_LINES - 1] + [textwrap.shorten(rest, LABEL_CHARS, placeholder="…")]
    return lines


def hbar_chart(rows: list[tuple[str, int]], title: str, width: float = 320) -> str:
    """Horizontal bars, one a row, the count printed at the end of each bar."""
    label_w, row_h, line_h, top = 128, 18, 10, 6
    labels = [_label_lines(label) for label, _ in rows]
    heights = [row_h + line_h * (len(lines) - 1) for lines in labels]
    height = top + (sum(heights) if rows else row_h) + 6
    peak = max((n for _, n in rows), default=1) or 1
    span = width - label_w - 34
    body = []
    y = top
    for (_, n), lines, h in zip(rows, labels, heights, strict=True):
        middle = y + h / 2
        first = middle + 3.5 - line_h * (len(lines) - 1) / 2
        for k, line in enumerate(lines):
            body.append(_text(label_w - 6, first + k * line_h, line, 8.5, "end"))
        w = max(span * n / peak, 1.5)
        body.append(f'<rect x="{label_w}" y="{middle - (row_h - 7) / 2:.1f}" width="{w:.1f}" height="{row_h - 7}" '
                    f'fill="{BAR}"/>')
        body.append(_text(label_w + w + 4, middle + 3.5, str(n), 8.5))
        y += h
    if not rows:
        body.append(_text(6, 16, "no data", 9, fill=MUTED))
    return _svg(width, height, body, title)


MAX_SLOT = 40
"""The widest a month's slot gets (px): one month, or a few, make a short chart of narrow bars, not one bar
the width of the page."""


def month_chart(rows: list[tuple[str, int]], title: str, width: float = 660, height: float = 150) -> str:
    """Vertical bars by month (YYYY-MM), year labels under the axis, counts above the bars. ``width`` is the
    most the chart takes: a slot is at most :data:`MAX_SLOT` wide, and the chart no wider than its slots."""
    left, bottom, top = 26, 30, 14
    n = max(len(rows), 1)
    peak = max((c for _, c in rows), default=1) or 1
    slot = min((width - left - 6) / n, MAX_SLOT)
    width = max(left + 6 + slot * n, 140)  # room for the year under a lone bar
    plot_h = height - bottom - top
    body = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="{INK}" '
            'stroke-width="0.6"/>']
    for tick in range(0, peak + 1, max(1, math.ceil(peak / 4))):
        y = height - bottom - plot_h * tick / peak
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 4}" y2="{y:.1f}" stroke="{GRID}" '
                    'stroke-width="0.5"/>')
        body.append(_text(left - 4, y + 3, str(tick), 7.5, "end", MUTED))
    last_year = None
    for i, (month, count) in enumerate(rows):
        x = left + i * slot
        if count:
            h = plot_h * count / peak
            body.append(f'<rect x="{x + slot * 0.15:.1f}" y="{height - bottom - h:.1f}" width="{slot * 0.7:.1f}" '
                        f'height="{h:.1f}" fill="{BAR}"/>')
            body.append(_text(x + slot / 2, height - bottom - h - 2.5, str(count), 7, "middle"))
        year = month[:4]
        if year != last_year:
            body.append(f'<line x1="{x:.1f}" y1="{height - bottom}" x2="{x:.1f}" y2="{height - bottom + 5}" '
                        f'stroke="{INK}" stroke-width="0.6"/>')
            body.append(_text(x + 2, height - bottom + 14, year, 8, fill=INK))
            last_year = year
        if n <= 24:
            body.append(_text(x + slot / 2, height - bottom + 24, month[5:], 6.5, "middle", MUTED))
    return _svg(width, height, body, title)


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    label: str
    kind: str  # strike | intercept | sighting | imagery | witness | notification | other


KIND_MARK = {"strike": ("★", ACCENT), "intercept": ("◆", "#5b3f8c"), "sighting": ("▲", "#2f6b4f"),
             "imagery": ("■", "#33506e"), "witness": ("●", "#8a5a1c"), "notification": ("✚", "#1c6b8a"),
             "other": ("•", MUTED)}


def timeline(events: list[TimelineEvent], title: str, width: float = 660) -> str:
    """Events on a time axis, one labelled row each, with a symbol per kind (legend included)."""
    events = sorted(events, key=lambda e: (e.at, e.kind, e.label))
    if not events:
        return _svg(width, 30, [_text(6, 18, "No dated events.", 9, fill=MUTED)], title)
    row_h, top, left, right = 15, 26, 200, 20
    height = top + row_h * len(events) + 22
    start, end = events[0].at, events[-1].at
    if end - start < timedelta(hours=2):
        start, end = _shifted(start, -timedelta(hours=1)), _shifted(end, timedelta(hours=1))
    span = (end - start).total_seconds()
    plot_w = width - left - right

    def x_of(at: datetime) -> float:
        return left + plot_w * (at - start).total_seconds() / span

    body = [f'<line x1="{left}" y1="{top - 8}" x2="{width - right}" y2="{top - 8}" stroke="{INK}" '
            'stroke-width="0.6"/>']
    body.append(_text(left, top - 12, utc_minute(start), 7.5, "start", MUTED))
    body.append(_text(width - right, top - 12, utc_minute(end), 7.5, "end", MUTED))
    for i, event in enumerate(events):
        y = top + i * row_h
        symbol, colour = KIND_MARK.get(event.kind, KIND_MARK["other"])
        x = x_of(event.at)
        label = event.label if len(event.label) <= 40 else event.label[:39] + "…"
        body.append(f'<line x1="{left}" y1="{y + 4:.1f}" x2="{width - right}" y2="{y + 4:.1f}" stroke="{GRID}" '
                    'stroke-width="0.4"/>')
        body.append(_text(left - 8, y + 7, f"{event.at.strftime('%d %b %H:%M')}  {label}", 7.5, "end"))
        body.append(_text(x, y + 7.5, symbol, 9, "middle", colour))
    legend_y = height - 6
    x = left
    for kind in dict.fromkeys(e.kind for e in events):
        symbol, colour = KIND_MARK.get(kind, KIND_MARK["other"])
        body.append(_text(x, legend_y, symbol, 8.5, "start", colour))
        body.append(_text(x + 10, legend_y, kind, 7.5, "start", MUTED))
        x += 16 + 5.2 * len(kind) + 10
    return _svg(width, height, body, title)


LON_LABEL = 32
"""The room a longitude label ("16.85°E" at 6.5 px) needs right of its grid line."""


KM_PER_DEGREE = 111.32
"""Kilometres in a degree of latitude (and of longitude at the equator)."""

CAPTION_H = 14
"""The strip under the map that says how coarse its positions are, when some are rounded."""

LEAST_SQUARE = 8
"""The size in px under which a rounded position's square is not drawn (the marker covers it)."""


@dataclass(frozen=True)
class Marker:
    id: str
    label: str
    lat: float
    lon: float
    current: bool = False
    rounded_to: float = 0.0
    """The degrees the position was rounded to for this edition (0.1 for a protected site outside the
    internal edition), or 0 when it is the recorded position."""


def locator(markers: list[Marker], title: str, width: float = 300, height: float = 220) -> str:
    """Incidents placed by their coordinates (equirectangular, no map tiles), the current one highlighted.

    A position rounded for the edition is drawn with the square it stands for (the site lies in it), and
    the map claims no finer precision than its coarsest position: it spans at least four of its cells, its
    grid is no finer than the rounding, its scale bar no shorter than a cell, and a caption under it says
    how far a position may be from the site."""
    if not markers:
        return _svg(width, 30, [_text(6, 18, "No coordinates.", 9, fill=MUTED)], title)
    coarse = max(m.rounded_to for m in markers)
    full_height = height
    if coarse:
        height -= CAPTION_H
    pad = 30
    lats = [m.lat for m in markers]
    lons = [m.lon for m in markers]
    lat0, lat1, lon0, lon1 = min(lats), max(lats), min(lons), max(lons)
    # keep at least 0.2 degree of span (four cells of a rounded position), and the same scale on both axes
    # (corrected for latitude)
    mid = math.radians((lat0 + lat1) / 2)
    cos_mid = max(math.cos(mid), 0.1)  # near the poles, keep the scale finite
    least = max(0.2, 4 * coarse)
    lat_span = max(lat1 - lat0, least)
    lon_span = max(lon1 - lon0, least / cos_mid)
    scale = min((width - 2 * pad) / (lon_span * cos_mid), (height - 2 * pad) / lat_span)
    cx, cy = (lon0 + lon1) / 2, (lat0 + lat1) / 2

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (width / 2 + (lon - cx) * cos_mid * scale, height / 2 - (lat - cy) * scale)

    body = [f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="#f7f8fa" stroke="{GRID}"/>']
    step = _grid_step(max(lat_span, lon_span), coarse)
    lat_tick = math.floor((cy - height / 2 / scale) / step) * step
    for _ in range(60):  # a bounded number of grid lines, whatever the data
        if lat_tick > cy + height / 2 / scale:
            break
        _, y = xy(lat_tick, cx)
        if 8 < y < height - 4:
            body.append(f'<line x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.4"/>')
            body.append(_text(3, y - 2, _degrees(lat_tick, step, "N", "S"), 6.5, fill=MUTED))
        lat_tick += step
    lon_tick = math.floor((cx - width / 2 / scale / cos_mid) / step) * step
    for _ in range(60):
        if lon_tick > cx + width / 2 / scale / cos_mid:
            break
        x, _ = xy(cy, lon_tick)
        if 30 < x < width - 4:
            body.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="{GRID}" stroke-width="0.4"/>')
            if x < width - LON_LABEL:  # a label is written right of its line: one at the edge would be cut
                body.append(_text(x + 2, height - 3, _degrees(lon_tick, step, "E", "W"), 6.5, fill=MUTED))
        lon_tick += step
    ordered = sorted(markers, key=lambda m: m.current)  # the current incident is drawn last, on top
    squares = coarse * scale * cos_mid >= LEAST_SQUARE
    for m in (m for m in ordered if m.rounded_to and squares):  # the squares first: no marker is hidden under one
        (x0, y0), (x1, y1) = xy(m.lat + m.rounded_to / 2, m.lon - m.rounded_to / 2), \
            xy(m.lat - m.rounded_to / 2, m.lon + m.rounded_to / 2)
        body.append(f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
                    f'fill="{ACCENT if m.current else BAR}" fill-opacity="0.08" stroke="{ACCENT if m.current else BAR}" '
                    'stroke-width="0.6" stroke-dasharray="2 1.5"/>')
    for m in ordered:
        x, y = xy(m.lat, m.lon)
        if m.current:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5.5" fill="{ACCENT}" stroke="#fff" stroke-width="1"/>')
            right = m.rounded_to * scale * cos_mid / 2 + 3 if squares else 0  # clear of its square
            body.append(_text(x + max(8, right), y + 3, m.label, 8, "start", ACCENT, "bold"))
        else:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{BAR}" fill-opacity="0.75"/>')
    km = _scale_km(scale, coarse * KM_PER_DEGREE)
    bar = km / KM_PER_DEGREE * scale
    body.append(f'<line x1="{width - 12 - bar:.1f}" y1="{12}" x2="{width - 12}" y2="{12}" stroke="{INK}" '
                'stroke-width="1.2"/>')
    body.append(_text(width - 12 - bar / 2, 22, f"{km:g} km", 7, "middle"))
    if coarse:
        body.append(_text(3, full_height - 4, rounding_caption(markers, coarse, squares), 6.5, fill=MUTED))
    return _svg(width, full_height, body, title)


def rounding_caption(markers: list[Marker], coarse: float, squares: bool = True) -> str:
    """What the map's rounded positions are worth, in words: 'Position rounded to 0.1° to protect the site:
    it lies in its square, about 11 km across', or, where the squares are too small to draw, 'Protected
    sites rounded to 0.1°: approximate to about 11 km'."""
    km = f"about {coarse * KM_PER_DEGREE:.0f} km"
    if len(markers) == 1:
        head, where = "Position rounded to {} to protect the site", "it lies in its square"
    elif all(m.rounded_to for m in markers):
        head, where = "Positions rounded to {} to protect the sites", "each lies in its square"
    else:
        head, where = "Protected sites rounded to {}", "each lies in its square"
    return head.format(f"{coarse:g}°") + (f": {where}, {km} across" if squares else f": approximate to {km}")


def _degrees(value: float, step: float, positive: str, negative: str) -> str:
    """A grid label with as many decimals as the grid step needs (0.05 -> 2), so no two labels read alike."""
    decimals = 0 if step >= 1 else (1 if step >= 0.1 and round(step, 1) == step else 2)
    return f"{abs(value):.{decimals}f}°{positive if value >= 0 else negative}"


def _grid_step(span: float, finest: float = 0.0) -> float:
    """A grid of at most six lines over ``span``, and none finer than ``finest`` (the positions' rounding)."""
    for step in (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 45):
        if span / step <= 6 and step >= finest - 1e-9:
            return step
    return 90


def _scale_km(scale: float, least: float = 0.0) -> float:
    """A round length for the scale bar, about 60 px long, and no shorter than ``least`` km (a rounded
    position's cell)."""
    target = max(60 / scale * KM_PER_DEGREE, least)
    for km in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000):
        if km >= target:
            return km
    return 5000


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def utc_minute(value: datetime) -> str:
    """``2023-02-14 07:18 UTC``; not strftime's %Y, which writes the year 1 as "1"."""
    return utc(value).isoformat(sep=" ", timespec="minutes")[:16] + " UTC"


def _shifted(at: datetime, delta: timedelta) -> datetime:
    """``at + delta``, stopping at the first or last representable moment (an event on 0001-01-01 00:10
    has no hour before it)."""
    try:
        return at + delta
    except OverflowError:
        return (datetime.min if delta < timedelta(0) else datetime.max).replace(tzinfo=UTC)
