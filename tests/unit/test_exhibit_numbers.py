"""Exhibit numbers: a brief numbers its own exhibits from 1, in the order its text cites them; the case
dossier keeps the edition's numbers; in both, every citation's number is the annex's number of that item."""

from __future__ import annotations

import re
from html import unescape

import pytest

from dossier.pipeline import session
from dossier.pipeline.jobs import prepare_brief, prepare_dossier_parts
from dossier.rendering import context as ctx
from dossier.rendering.exhibits import numbers_in_citation_order

CITE = re.compile(r'<a class="cite" href="#exh-([^"]+)">\[Exh\. (\d+)\]</a>')
ANNEX = re.compile(r'<div class="exhibit" id="exh-([^"]+)">\s*<h4>Exh\. (\d+) · ')


def _pairs(pattern: re.Pattern, html: str) -> list[tuple[str, int]]:
    return [(unescape(i), int(n)) for i, n in pattern.findall(html)]


@pytest.mark.parametrize("edition", ["internal", "un", "public"])
def test_each_brief_numbers_its_exhibits_from_1_in_order_of_citation(make_ws, edition):
    seen = session.edition(session.load(make_ws("editions")), edition)
    numbers = ctx.exhibit_numbers(seen.case)
    for result in seen.assessment.incidents:
        html = prepare_brief(seen.case, seen.assessment, result.id, numbers).html
        annex = _pairs(ANNEX, html)
        assert [n for _, n in annex] == list(range(1, len(annex) + 1)), (result.id, annex)
        cited = _pairs(CITE, html)
        assert cited, result.id
        assert set(cited) <= set(annex), (result.id, set(cited) - set(annex))  # Exh. N is the annex's Exh. N
        # in the order of citation: the first "Exh. N" the reader meets is 1, the next new one 2 ...
        body = html[:html.index('<h2 style="break-before: page">Exhibit annex</h2>')]
        first = list(dict.fromkeys(int(n) for n in re.findall(r"\bExh\. (\d+)\b", body)))
        assert first == list(range(1, len(first) + 1)), (result.id, first)


def test_the_second_incidents_brief_starts_at_exhibit_1(make_ws):
    seen = session.edition(session.load(make_ws("editions")), "internal")
    numbers = ctx.exhibit_numbers(seen.case)
    second = seen.assessment.incidents[-1].id
    html = prepare_brief(seen.case, seen.assessment, second, numbers).html
    assert min(numbers[i] for i, _ in _pairs(ANNEX, html)) > 1  # the edition's numbers would not
    assert "[Exh. 1]" in html


@pytest.mark.parametrize("edition", ["internal", "public"])
def test_the_case_dossier_cites_the_numbers_of_its_exhibit_index(make_ws, edition):
    seen = session.edition(session.load(make_ws("editions")), edition)
    context = ctx.dossier_context(seen.case, seen.assessment, seen.patterns)
    parts = prepare_dossier_parts(seen.case, context)
    chapters = "".join(p.html for p in parts if p.name.startswith("chapter-"))
    exhibits = "".join(p.html for p in parts if p.name.startswith("exhibits-"))
    annex = dict(_pairs(ANNEX, exhibits))
    assert sorted(annex.values()) == list(range(1, len(annex) + 1))
    numbers = ctx.exhibit_numbers(seen.case)
    assert annex == {i: numbers[i] for i in annex}  # the edition's case-wide numbers
    cited = _pairs(CITE, chapters)
    assert cited and all(annex[i] == n for i, n in cited)


def test_uncited_exhibits_follow_the_cited_ones_and_others_keep_their_order():
    html = "radio intercept, Exh. 3 <a>[Exh. 4]</a> <a>[Exh. 3]</a> Exh. 1"
    numbers = {"X": 1, "A": 2, "B": 3, "C": 4, "Y": 5}
    assert numbers_in_citation_order(html, ["A", "B", "C"], numbers) == {"B": 1, "C": 2, "A": 3, "X": 4, "Y": 5}
