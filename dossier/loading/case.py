"""The loaded case: every model, cross-checked, with where each came from."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from dossier.diagnostics import Diagnostic, Location
from dossier.loading.yamlfile import Path_, Positions
from dossier.models import CaseFile, Incident, ItemBase, Norm, Source


@dataclass(frozen=True)
class Where:
    """The file and the path inside it where an object was written: positions only, no data."""

    positions: Positions
    path: Path_

    def loc(self, *sub: str | int, prefer_key: bool = True) -> Location:
        return self.positions.loc(self.path + tuple(sub), prefer_key=prefer_key)

    @property
    def file(self) -> str:
        return self.positions.file


@dataclass(frozen=True)
class Case:
    """Everything loaded from a workspace, cross-checked; for one edition once filtered.

    ``origins`` maps each item id to the ids of the sources its information comes
    from, computed on the whole case before any edition filter (independence is a
    fact about the evidence, not about who may read it); in an edition's view a
    source it does not show is an opaque token. ``warnings`` are ``input_warnings``
    (found reading and cross-checking the files) plus the consistency warnings,
    which an edition's view computes again on what it shows.
    """

    root: Path
    case: CaseFile
    sources: dict[str, Source]
    incidents: dict[str, Incident]
    items: dict[str, ItemBase]
    norms: dict[str, Norm]
    where: dict[str, Where] = field(repr=False)
    norm_files: dict[str, Path] = field(default_factory=dict, repr=False)
    origins: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    warnings: tuple[Diagnostic, ...] = ()
    input_warnings: tuple[Diagnostic, ...] = ()  # those found reading and cross-checking the files
    edition: str = "internal"
    withheld: int = 0

    def loc(self, kind: str, id_: str, *sub: str | int) -> Location:
        where = self.where.get("case" if kind == "case" else f"{kind}:{id_}")
        return where.loc(*sub) if where else Location("evidence/case.yaml")

    def file_of(self, kind: str, id_: str) -> str:
        where = self.where.get(f"{kind}:{id_}")
        return where.file if where else ""

    def charges_of(self, incident: Incident) -> list[str]:
        return list(incident.charges if incident.charges is not None else self.case.charges)

    @cached_property
    def _items_by_incident(self) -> dict[str, list[ItemBase]]:
        index: dict[str, list[ItemBase]] = {}
        for item in self.items.values():
            for incident_id in dict.fromkeys(item.incidents):
                index.setdefault(incident_id, []).append(item)
        return index

    def items_of(self, incident_id: str) -> list[ItemBase]:
        """The items that name this incident, in file order."""
        return self._items_by_incident.get(incident_id, [])

    def replace(self, **changes) -> "Case":
        return dataclasses.replace(self, **changes)
