"""Short terminal texts: the case summary after `validate` (the norms listing is in norms_view.py).

Both are lists of lines for ``console.echo``, which neutralises what they quote from the case files.
"""

from __future__ import annotations

from collections import Counter

from dossier.models.loaded import Case
from dossier.words import count


def case_summary(case: Case) -> list[str]:
    """What was loaded, in a few lines."""
    c = case.case
    types = Counter(item.type for item in case.items.values())
    lines = [
        f"ok: {c.title} ({c.id})",
        f"  conflict: {c.conflict.classification}; parties: {', '.join(p.id for p in c.parties)}; "
        f"standard of proof: {c.standard_of_proof.replace('_', ' ')}",
        f"  {count(len(case.incidents), 'incident')}, {count(len(case.items), 'item')}, {count(len(case.sources), 'source')}, "
        f"{count(len(case.norms), 'norm')} in the library; charges: {', '.join(c.charges)}",
        "  items by type: " + ", ".join(f"{t} {n}" for t, n in sorted(types.items())),
        f"  {count(len(case.warnings), 'warning')}",
    ]
    if case.incidents:
        lines.append("  incidents:")
        for inc in sorted(case.incidents.values(), key=lambda i: (i.start, i.id)):
            lines.append(f"    {inc.when():24} {inc.id}  ({count(len(case.items_of(inc.id)), 'item')})")
    if case.submissions:
        lines.append("  submissions (out/submissions/<id>/):")
        for sub in sorted(case.submissions.values(), key=lambda s: s.id):
            lines.append(f"    {sub.id}  to {sub.body.replace('_', ' ')}, {count(len(sub.incidents), 'incident')}")
    return lines

