"""The locator map (dossier/rendering/charts.py) claims no finer precision than the positions it shows.

Outside the internal edition a protected site's coordinates are rounded to 0.1 degree (about 11 km): a map of
such a position with a 0.05-degree grid and a 10 km scale bar suggested a precision the edition had removed.
"""

from __future__ import annotations

import re

from dossier.rendering import charts

from conftest import ROOTS


def _labels(svg: str, hemisphere: str) -> list[str]:
    return re.findall(rf">([\d.]+)°{hemisphere}<", svg)


def _scale(svg: str) -> float:
    return float(re.search(r">(\d+) km<", svg).group(1))


def _texts(svg: str) -> list[str]:
    return re.findall(r">([^<>]+)</text>", svg)


def _steps(labels: list[str]) -> set[float]:
    values = [float(v) for v in labels]
    return {round(b - a, 6) for a, b in zip(values, values[1:], strict=False)}


def test_a_rounded_position_gets_a_grid_and_scale_no_finer_than_its_rounding():
    svg = charts.locator([charts.Marker("INC-1", "Qarnaz", 39.4, 44.3, True, rounded_to=0.1)], "x")
    for hemisphere in ("N", "E"):
        labels = _labels(svg, hemisphere)
        assert labels and min(_steps(labels)) >= 0.1, (hemisphere, labels)
        assert all(len(v.split(".")[1]) == 1 for v in labels), labels  # '39.4', never '39.45'
    assert _scale(svg) >= 0.1 * charts.KM_PER_DEGREE
    assert "Position rounded to 0.1° to protect the site: it lies in its square, about 11 km across" in _texts(svg)
    assert 'stroke-dasharray' in svg  # the square the site lies in


def test_a_recorded_position_keeps_its_fine_grid_and_no_caption():
    svg = charts.locator([charts.Marker("INC-1", "Qarnaz", 39.41873, 44.27361, True)], "x")
    assert _steps(_labels(svg, "N")) == {0.05}
    assert _scale(svg) == 10
    assert not any("rounded" in t for t in _texts(svg)) and "stroke-dasharray" not in svg


def test_the_caption_fits_under_the_map_at_the_same_size():
    for width, height in ((300, 220), (660, 300)):
        markers = [charts.Marker("A", "A", 36.0, 36.6, True, 0.1), charts.Marker("B", "B", 35.2, 37.1)]
        svg = charts.locator(markers, "x", width, height)
        assert f'height="{height}"' in svg
        caption = [t for t in _texts(svg) if "rounded" in t]
        assert caption == ["Protected sites rounded to 0.1°: approximate to about 11 km"] or \
            caption == ["Protected sites rounded to 0.1°: each lies in its square, about 11 km across"], caption
        assert len(caption[0]) * 6.5 * 0.55 < width  # about 0.55 em a character at 6.5 px


def test_the_public_brief_marks_a_protected_site_rounded_and_the_internal_one_exact():
    from dossier.pipeline import session
    from dossier.rendering.context import brief_context

    case = session.load(ROOTS / "golden")
    incident = next(iter(case.incidents))
    assert case.incidents[incident].location.protect
    public = session.edition(case, "public")
    svg = str(brief_context(public.case, public.assessment, incident).incident.locator_svg)
    assert "rounded to 0.1°" in svg and not any(len(v.split(".")[1]) > 1 for v in _labels(svg, "N"))
    internal = session.edition(case, "internal")
    svg = str(brief_context(internal.case, internal.assessment, incident).incident.locator_svg)
    assert "rounded" not in svg and _steps(_labels(svg, "N")) == {0.05}


def test_the_rendering_rounds_as_the_editions_do():
    from dossier.analysis.editions import ROUNDING_DEGREES
    from dossier.rendering.context import ROUNDED_TO

    assert ROUNDED_TO == 10 ** -ROUNDING_DEGREES
