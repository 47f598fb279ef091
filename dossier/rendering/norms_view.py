"""`dossier norms`: the library one norm a line, one norm in full, or every norm as JSON."""

from __future__ import annotations

import json
import re

from dossier.diagnostics import UsageError, did_you_mean
from dossier.models import Norm
from dossier.models.norm_words import binding_text, scope_text


def norm_order(norm: Norm) -> tuple:
    """Natural order of ids: cihl-9 before cihl-10."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", norm.id))


def norm_data(norm: Norm) -> dict:
    """One norm as data: every field of the file, plus what its applicability and binding mean, and its
    alternative groups."""
    data = norm.model_dump(mode="json")
    data["applies"] = scope_text(norm)
    data["binding_means"] = binding_text(norm)
    data["alternatives"] = {label: list(ids) for label, ids in norm.alternatives().items()}
    return data


def listing(norm_id: str | None, norms: dict[str, Norm], fmt: str = "text") -> str | list[str]:
    """All norms (one a line, or a JSON document), or one norm in full: lines for the printer, or the JSON."""
    if norm_id is not None and norm_id not in norms:
        raise UsageError(f"no norm '{norm_id}'{did_you_mean(norm_id, norms)}; `dossier norms` lists them")
    ordered = sorted(norms.values(), key=norm_order)
    if fmt == "json":
        doc = norm_data(norms[norm_id]) if norm_id else {"norms": [norm_data(n) for n in ordered]}
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if norm_id is None:
        width = max(len(n.id) for n in ordered)
        return [f"{n.id:<{width}}  {'/'.join(n.applies_to):<8} {n.binding:<10} {n.title}" for n in ordered]
    return one_norm(norms[norm_id])


def one_norm(norm: Norm) -> list[str]:
    """One norm in full: applicability, binding, alternatives, sources and elements."""
    lines = [f"{norm.id}: {norm.title}", f"  {norm.instrument}, {norm.provision}",
             f"  kind: {norm.kind}; applies to: {', '.join(norm.applies_to)}; binding: {norm.binding}",
             f"  applies: {scope_text(norm)}",
             f"  {'criminalised' if norm.kind == 'crime' else 'binding'}: {binding_text(norm)}"]
    for label, ids in norm.alternatives().items():
        lines.append(f"  alternatives ({label}): elements {' or '.join(ids)}; the group is met when any one is")
    if norm.summary:
        lines.append("  " + " ".join(norm.summary.split()))
    if norm.sources:
        lines.append("  sources: " + "; ".join(norm.sources))
    lines.append("  elements:")
    for el in norm.elements:
        lines.append(f"    {norm.id}/{el.id} [{el.kind}] {' '.join(el.text.split())}")
        if el.alternative:
            others = [i for i in norm.alternatives()[el.alternative] if i != el.id]
            lines.append(f"        alternative ({el.alternative}) to {', '.join(others)}")
        if el.means_of_proof:
            lines.append(f"        proved by: {', '.join(el.means_of_proof)}")
        if el.note:
            lines.append(f"        note: {' '.join(el.note.split())}")
    return lines
