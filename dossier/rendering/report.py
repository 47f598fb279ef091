"""The completeness report as data (JSON, the cli.md shape with stable key order) and as terminal lines."""

from __future__ import annotations

import json
from typing import Any

from dossier import __version__
from dossier.console import Line, Styled
from dossier.diagnostics import printable
from dossier.models.loaded import Case
from dossier.models.results import Assessment, ElementResult, Patterns
from dossier.rendering.labels import ASSESSED_LABELS, COUNT_LABELS, STATUS_LABELS

STATUS_SYMBOL = {"established": "●", "partial": "◐", "contested": "▲", "missing": "○"}
STATUS_STYLE = {"established": "green", "partial": "yellow", "contested": "magenta", "missing": "red"}


def _element(el: ElementResult) -> dict[str, Any]:
    return {
        "id": el.id,
        "status": el.status,
        "supporting": list(el.supporting),
        "contradicting": list(el.contradicting),
        "independent_sources": el.independent_sources,
        "suggested_types": list(el.suggested_types),
        "text": el.text,
        "kind": el.kind,
        "sources_total": el.sources_total,
        "strong_sources": el.strong_sources,
        "explanation": el.explanation,
        "inferences": [{"item": i.item, "party": i.party, "caveat": i.caveat, "recipients": list(i.recipients),
                        "shared_on": i.shared_on, "reason": i.reason} for i in el.inferences],
        "basis": el.basis,
        "screen": el.screen,
        **({"assessment": _finding(el)} if el.assessment is not None else {}),
        **({"alternative": el.alternative} if el.alternative else {}),
        "needed": el.needed,
        **({"case_wide": list(el.case_wide)} if el.case_wide else {}),
        **({"uncounted": list(el.uncounted)} if el.uncounted else {}),
    }


def _finding(el: ElementResult) -> dict[str, Any]:
    a = el.assessment
    assert a is not None
    return {"finding": a.finding, "reasoning": a.reasoning, "on": a.on or None,
            "relies_on": list(a.relies_on), "on_material_not_shown": a.on_material_not_shown}


def _attribution(el: ElementResult) -> dict[str, Any]:
    return {"party": el.id, "status": el.status, "basis": el.basis, "screen": el.screen,
            "supporting": list(el.supporting), "contradicting": list(el.contradicting),
            "independent_sources": el.independent_sources, "sources_total": el.sources_total,
            "explanation": el.explanation,
            **({"assessment": _finding(el)} if el.assessment is not None else {})}


def report_data(case: Case, assessment: Assessment, patterns: Patterns | None = None) -> dict[str, Any]:
    """The completeness report as a JSON-ready dict (keys in a fixed order)."""
    incidents = []
    for inc in assessment.incidents:
        incident = case.incidents[inc.id]
        incidents.append({
            "id": inc.id,
            "title": inc.title,
            "date": incident.when(),
            "charges": [{
                "norm": ch.norm,
                "applicable": ch.applicable,
                "reason": ch.reason,
                "title": ch.title,
                "elements": [_element(el) for el in ch.elements],
            } for ch in inc.charges],
            "attribution": [_attribution(a) for a in inc.attribution],
        })
    data: dict[str, Any] = {
        "case": assessment.case,
        "edition": assessment.edition,
        "standard_of_proof": assessment.standard_of_proof,
        "withheld_items": assessment.withheld_items,
        "incidents": incidents,
        "warnings": [{"code": w.code, **({"item": w.item} if w.item else {}), "file": w.location.file,
                      "line": w.location.line, "message": (f"{w.field}: " if w.field else "") + w.message}
                     for w in case.warnings],
        "title": case.case.title,
        "program": {"name": "dossier", "version": __version__},
        "threshold": assessment.threshold.model_dump(),
        "counts": assessment.counts(),
        "basis_counts": assessment.basis_counts(),
        "gaps": [{"incident": g.incident, "norm": g.norm, "element": g.element, "status": g.status,
                  "suggested_types": list(g.suggested_types)} for g in assessment.gaps],
    }
    if patterns is not None:
        data["patterns"] = {
            "incidents": patterns.incidents,
            "by_party": dict(patterns.by_party),  # alleged attribution: a joint one counts for each party
            "jointly_attributed": list(patterns.jointly_attributed),
            "by_means": dict(patterns.by_means),
            "by_facility_kind": dict(patterns.by_facility_kind),
            "by_month": dict(patterns.by_month),
            "notified_facilities_struck": [{"incident": n.incident, "item": n.item, "facility": n.facility,
                                            "shared_on": n.shared_on, "recipients": list(n.recipients),
                                            "days_before": n.days_before, "to_attacker": n.to_attacker}
                                           for n in patterns.notified],
            "repeat_strikes": [{"facility": r.facility, "incidents": list(r.incidents), "dates": list(r.dates),
                                "intervals_days": list(r.intervals_days)} for r in patterns.repeats],
            "casualties": dict(patterns.totals),
        }
    return data


def report_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _word(status: str, basis: str) -> str:
    """The PDFs' status label, in lower case: the report and the briefs say the same thing."""
    if basis == "assessment":
        return ASSESSED_LABELS[status].lower()
    return f"{STATUS_LABELS[status].lower()} (screen)"


STATUS_WIDTH = max(len(f"◐ {_word(s, b)}") for s in STATUS_LABELS for b in ("assessment", "screen"))


def _status(el: ElementResult) -> Styled:
    return Styled(f"{STATUS_SYMBOL[el.status]} {_word(el.status, el.basis)}".ljust(STATUS_WIDTH),
                  STATUS_STYLE[el.status])


def report_lines(case: Case, assessment: Assessment, width: int = 120) -> list[Line]:
    """A readable matrix for the terminal; status words always printed (survives copy-paste and grey print).

    Plain string formatting (rich's tables take seconds on a case of hundreds of incidents). Lines for
    ``console.echo`` or ``console.render``: titles and statuses are :class:`Styled` parts, coloured by
    the printer on a terminal only; values that are wrapped or padded are neutralised here (their
    printed width counts), every other value by the printer.
    """
    import textwrap

    out: list[Line] = []
    counts = assessment.counts()
    out.append((Styled(case.case.title, "bold"), f"  ({case.case.id})"))
    out.append(f"Edition: {assessment.edition}   Standard of proof: {assessment.standard_of_proof.replace('_', ' ')}"
               f"   Withheld items: {assessment.withheld_items}")
    out.append("Elements: " + ", ".join(f"{n} {COUNT_LABELS[s].lower()}" for s, n in counts.items()))
    bases = assessment.basis_counts()
    out.append(f"Resting on counsel's reasoned assessment: {bases['assessment']}; on the corroboration screen alone: "
               f"{bases['screen']} (a count of independent sources, not a legal finding: 'corroborated', never "
               "'established', until counsel assesses it)")
    refs = [f"{ch.norm}/{el.id}" for inc in assessment.incidents for ch in inc.charges for el in ch.elements]
    refs += [f"attribution/{a.id}" for inc in assessment.incidents for a in inc.attribution]
    ref_w = max([len(r) for r in refs] + [len("element")])
    status_w = STATUS_WIDTH
    detail_w = max(30, width - ref_w - status_w - 9)
    header = f"{'element':<{ref_w}}  {'status':<{status_w}}  {'src':>3}  supporting / contradicting / to close the gap"
    for inc in assessment.incidents:
        out.append("")
        out.append((Styled(inc.id, "bold"), f"  {inc.title}  ({case.incidents[inc.id].when()})"))
        out.append(header)
        for a in inc.attribution:
            out.append((f"{printable('attribution/' + a.id):<{ref_w}}  ", _status(a), f"  {a.independent_sources:>3}  "
                        f"{printable(', '.join(a.supporting) or '-')}"))
        for ch in inc.charges:
            if not ch.applicable:
                lines = textwrap.wrap(printable(ch.reason), detail_w) or [""]
                out.append(f"{printable(ch.norm):<{ref_w}}  {'n/a':<{status_w}}  {'':>3}  {lines[0]}")
                out.extend(" " * (ref_w + status_w + 9) + line for line in lines[1:])
                continue
            for el in ch.elements:
                padded = _status(el)
                detail = ", ".join(el.supporting) or "-"
                if el.contradicting:
                    detail += "  against: " + ", ".join(el.contradicting)
                if el.inferences:
                    detail += "  inferred: " + ", ".join(i.item for i in el.inferences)
                if el.status != "established" and el.suggested_types:
                    detail += "  need: " + ", ".join(el.suggested_types)
                lines = textwrap.wrap(printable(detail), detail_w) or ["-"]
                out.append((f"{printable(ch.norm + '/' + el.id):<{ref_w}}  ", padded,
                            f"  {el.independent_sources:>3}  {lines[0]}"))
                out.extend(" " * (ref_w + status_w + 9) + line for line in lines[1:])
    if case.warnings:
        out.append("")
        out.append(Styled(f"Warnings ({len(case.warnings)})", "bold"))
        out.extend(w.format() for w in case.warnings)
    return out
