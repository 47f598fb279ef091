"""Short terminal texts: the case summary after `validate` (the norms listing is in norms_view.py).

Both are lists of lines for ``console.echo``, which neutralises what they quote from the case files.
"""

from __future__ import annotations

from collections import Counter

from dossier.models.loaded import Case


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
    if case.submissions:
        lines.append("  submissions (out/submissions/<id>/):")
        for sub in sorted(case.submissions.values(), key=lambda s: s.id):
            lines.append(f"    {sub.id}  to {sub.body.replace('_', ' ')}, {_n(len(sub.incidents), 'incident')}")
    return lines


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
