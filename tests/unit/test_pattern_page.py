"""The pattern page of a case dossier with one incident (or few): the words in the singular, a short chart
of narrow bars, no axis label cut at the edge of its figure."""

from __future__ import annotations

import re

import pytest

from dossier.rendering import charts
from dossier.rendering.labels import medical_words as _medical_words
from dossier.rendering.labels import pattern_opening as _pattern_opening


@pytest.mark.parametrize(("n", "period", "one_day", "medical", "words"), [
    (1, "2022-06-10", True, 1, "1 incident, on 2022-06-10, on a medical facility."),
    (1, "2022-06-10", True, 0, "1 incident, on 2022-06-10, not on a medical facility."),
    (3, "2022-06-10", True, 1, "3 incidents on 2022-06-10, 1 of them on a medical facility."),
    (14, "2015-09-28 to 2020-02-25", False, 9, "14 incidents from 2015-09-28 to 2020-02-25, 9 of them on medical "
                                               "facilities."),
    (2, "2015-09-28 to 2020-02-25", False, 2, "2 incidents from 2015-09-28 to 2020-02-25, all of them on medical "
                                              "facilities."),
    (2, "2015-09-28 to 2020-02-25", False, 0, "2 incidents from 2015-09-28 to 2020-02-25, none of them on a medical "
                                              "facility."),
])
def test_the_opening_sentence_agrees_with_its_numbers(n, period, one_day, medical, words):
    assert _pattern_opening(n, period, one_day, medical) == words


@pytest.mark.parametrize(("n", "medical", "words"), [(1, 1, "1 (on a medical facility)"),
                                                     (1, 0, "1 (not on a medical facility)"),
                                                     (14, 9, "14 (9 on medical facilities)"),
                                                     (2, 1, "2 (1 on a medical facility)")])
def test_the_cover_count_agrees_with_its_numbers(n, medical, words):
    assert _medical_words(n, medical) == words


def _width(svg: str) -> float:
    return float(re.search(r'<svg [^>]*width="([\d.]+)"', svg).group(1))


def test_a_one_month_chart_is_one_narrow_bar_not_the_width_of_the_page():
    svg = charts.month_chart([("2022-06", 1)], "Incidents by month")
    bars = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert bars == [charts.MAX_SLOT * 0.7]
    assert _width(svg) == 140  # the least width, for the year under the bar
    many = charts.month_chart([(f"2020-{m:02d}", 1) for m in range(1, 13)], "Incidents by month")
    assert _width(many) == 26 + 6 + 12 * charts.MAX_SLOT
    assert _width(charts.month_chart([(f"20{y:02d}-01", 1) for y in range(60)], "x")) == 660  # no wider than asked


def test_no_longitude_label_is_cut_at_the_right_edge():
    for width, height in ((300, 220), (660, 300)):
        svg = charts.locator([charts.Marker("INC-1", "Lowmere", 48.2, 16.4, True)], "x", width, height)
        xs = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="[\d.]+"[^>]*>[\d.]+°[EW]<', svg)]
        assert xs and max(xs) <= width - charts.LON_LABEL + 2, (width, xs)


def test_a_long_party_name_is_read_whole_on_its_lines():
    """A bar's label is never cut where three lines hold it ("Republic of Valdoria (g…" named no one)."""
    import re

    from dossier.rendering.charts import hbar_chart

    name = "Republic of Valdoria (government armed forces)"
    svg = hbar_chart([(name, 3), ("airstrike", 1)], "Incidents by party")
    texts = re.findall(r">([^<>]*)</text>", svg)
    assert "…" not in "".join(texts)
    assert " ".join(texts[:3]) == name and texts[3] == "3"
    very_long = "The armed forces of a State whose name is written out in full, with all of its titles"
    assert "…" in "".join(re.findall(r">([^<>]*)</text>", hbar_chart([(very_long, 1)], "t")))  # only past three lines
