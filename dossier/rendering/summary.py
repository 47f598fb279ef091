"""Short terminal texts: the case summary after `validate`, the norms listing.

Both are lists of lines for ``console.echo``, which neutralises what they quote from the case files.
"""

from __future__ import annotations

from collections import Counter

from dossier.diagnostics import UsageError, did_you_mean
from dossier.models.loaded import Case
from dossier.models.norm import Norm


def case_summary(case: Case) -> list[str]:
    """What was loaded, in a few lines."""
    c = case.case
    types = Counter(item.type for item in case.items.values())
    lines = [
        f"ok: {c.title} ({c.id})",
        f"  conflict: {c.conflict.classification}; parties: {', '.join(p.id for p in c.parties)}; "
        f"standard of proof: {c.standard_of_proof.replace('_', ' ')}",
        f"  {_n(len(case.incidents), 'incident')}, {_n(len(case.items), 'item')}, {_n(len(case.sources), 'source')}, "
        f"{_n(len(case.norms), 'norm')} in the library; charges: {', '.join(c.charges)}",
        "  items by type: " + ", ".join(f"{t} {n}" for t, n in sorted(types.items())),
        f"  {len(case.warnings)} warning{'s' if len(case.warnings) != 1 else ''}",
    ]
    if case.incidents:
        lines.append("  incidents:")
        for inc in sorted(case.incidents.values(), key=lambda i: (i.start, i.id)):
            lines.append(f"    {inc.when():24} {inc.id}  ({_n(len(case.items_of(inc.id)), 'item')})")
    return lines


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def norm_listing(norm_id: str | None, norms: dict[str, Norm]) -> list[str]:
    """All norms one a line, or one norm in full with its elements."""
    if norm_id is None:
        width = max(len(n) for n in norms)
        lines = [f"{n.id:<{width}}  {'/'.join(n.applies_to):<8} {n.binding:<10} {n.title}"
                 for n in sorted(norms.values(), key=_norm_order)]
        return lines
    norm = norms.get(norm_id)
    if norm is None:
        raise UsageError(f"no norm '{norm_id}'{did_you_mean(norm_id, norms)}; `dossier norms` lists them")
    lines = [f"{norm.id}: {norm.title}", f"  {norm.instrument}, {norm.provision}",
             f"  kind: {norm.kind}; applies to: {', '.join(norm.applies_to)}; binding: {norm.binding}"]
    if norm.summary:
        lines.extend("  " + line for line in _paragraph(norm.summary))
    if norm.sources:
        lines.append("  sources: " + "; ".join(norm.sources))
    lines.append("  elements:")
    for el in norm.elements:
        text = _paragraph(el.text)
        lines.append(f"    {norm.id}/{el.id} [{el.kind}] {text[0]}")
        lines.extend("      " + line for line in text[1:])
        if el.means_of_proof:
            lines.append(f"        proved by: {', '.join(el.means_of_proof)}")
    return lines


def _paragraph(text: str) -> list[str]:
    """A norm's text one printed line per written line (its own newlines are layout, not data to show)."""
    return [line.strip() for line in text.strip().split("\n")] or [""]


def _norm_order(norm) -> tuple:
    import re

    parts = re.split(r"(\d+)", norm.id)
    return tuple(int(p) if p.isdigit() else p for p in parts)
