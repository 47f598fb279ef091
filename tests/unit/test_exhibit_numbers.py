"""Exhibit numbers: a brief numbers its own exhibits from 1, in the order its text cites them, and every
citation's number is the annex's number of that item; the case dossier's chapters are the briefs, and its index
gives each chapter's number for each exhibit."""

from __future__ import annotations

import re
from html import unescape

import pytest

from dossier.pipeline import session
from dossier.pipeline.jobs import prepare_brief
from dossier.pipeline.plan import plan
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


INDEX_LINK = re.compile(r'<a href="dossier:([^:"]+):exh-([^"]+)">([^<]+), Exh\. (\d+)</a>')


@pytest.mark.parametrize("edition", ["internal", "public"])
def test_the_dossier_index_gives_each_chapters_own_number(make_ws, edition):
    """The case dossier's chapters are the briefs, each numbering its exhibits from 1: the index lists every
    exhibit of every chapter, with that chapter's number for it and a link to it there."""
    documents, _, failures = plan(session.load(make_ws("editions")), [edition], [])
    assert not failures
    dossier = next(d for d in documents if d.rel == f"{edition}/case-dossier.pdf")
    chapters = {p.prefix: dict(_pairs(ANNEX, p.job.html)) for p in dossier.parts if p.prefix}
    assert len(chapters) == 2 and all(chapters.values())
    links = [(i, unescape(item), unescape(shown), int(n)) for i, item, shown, n in INDEX_LINK.findall(
        dossier.parts[-1].job.html)]
    assert all(shown == incident and chapters[incident][item] == n for incident, item, shown, n in links), links
    assert {(i, item) for i, annex in chapters.items() for item in annex} == {(i, item) for i, item, _, _ in links}


def test_uncited_exhibits_follow_the_cited_ones_and_others_keep_their_order():
    html = "radio intercept, Exh. 3 <a>[Exh. 4]</a> <a>[Exh. 3]</a> Exh. 1"
    numbers = {"X": 1, "A": 2, "B": 3, "C": 4, "Y": 5}
    assert numbers_in_citation_order(html, ["A", "B", "C"], numbers) == {"B": 1, "C": 2, "A": 3, "X": 4, "Y": 5}
