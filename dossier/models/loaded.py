"""The loaded case: every model, cross-checked, with where each came from (positions, never the parsed files).

Loading builds it (``dossier.loading.workspace.load_case``); the edition filter makes a view of it for each
edition; analysis and rendering read it. It holds no I/O of its own: a position is computed, on first use,
by the reader loading passed in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from dossier.diagnostics import Diagnostic, Location
from dossier.models.case import CaseFile, Source
from dossier.models.incident import Incident
from dossier.models.item import AnyItem
from dossier.models.norm import Norm
from dossier.models.submission import Submission

Path_ = tuple[str | int, ...]
"""A path inside a file's data: keys and list indices."""


@dataclass
class Positions:
    """Where each key and value of one file is (computed on first use): positions, never values.

    Positions are needed only for the few values a diagnostic points at, so they are not kept
    while reading: the first ``loc()`` composes the file again and records them all. The loaded
    case keeps only these, not the parsed data, so an edition's view of the case cannot reach a
    withheld value through the file it was read from.
    """

    file: str
    source: Path | None = None
    compute: Callable[[Path], tuple[dict, dict]] | None = field(default=None, repr=False)  # the loader's reader
    _marks: tuple[dict, dict] | None = field(default=None, repr=False)

    @property
    def value_marks(self) -> dict[Path_, tuple[int, int]]:
        return self._positions()[0]

    @property
    def key_marks(self) -> dict[Path_, tuple[int, int]]:
        return self._positions()[1]

    def _positions(self) -> tuple[dict, dict]:
        if self._marks is None:
            self._marks = self.compute(self.source) if self.source is not None and self.compute else ({}, {})
        return self._marks

    def loc(self, path: Path_ = (), prefer_key: bool = True) -> Location:
        """The location of ``path`` (or of its nearest parent that exists)."""
        value_marks, key_marks = self._positions()
        path = tuple(path)
        while True:
            if prefer_key and path in key_marks:
                return Location(self.file, *key_marks[path])
            if path in value_marks:
                return Location(self.file, *value_marks[path])
            if not path:
                return Location(self.file, 1, 1)
            path = path[:-1]


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
    items: dict[str, AnyItem]
    norms: dict[str, Norm]
    where: dict[str, Where] = field(repr=False)
    norm_files: dict[str, Path] = field(default_factory=dict, repr=False)
    origins: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    warnings: tuple[Diagnostic, ...] = ()
    input_warnings: tuple[Diagnostic, ...] = ()  # those found reading and cross-checking the files
    edition: str = "internal"
    withheld: int = 0
    submissions: dict[str, Submission] = field(default_factory=dict)
    audience: str = ""
    """Empty for an edition's view; in a submission's view, the submission's id (its edition is then `un`)."""

    def loc(self, kind: str, id_: str, *sub: str | int) -> Location:
        where = self.where.get("case" if kind == "case" else f"{kind}:{id_}")
        return where.loc(*sub) if where else Location("evidence/case.yaml")

    def file_of(self, kind: str, id_: str) -> str:
        where = self.where.get(f"{kind}:{id_}")
        return where.file if where else ""

    def charges_of(self, incident: Incident) -> list[str]:
        return list(incident.charges if incident.charges is not None else self.case.charges)

    @cached_property
    def _items_by_incident(self) -> dict[str, list[AnyItem]]:
        index: dict[str, list[AnyItem]] = {}
        for item in self.items.values():
            for incident_id in dict.fromkeys(item.incidents):
                index.setdefault(incident_id, []).append(item)
        return index

    @cached_property
    def latest_dates(self) -> tuple[date, date | None]:
        """The latest date the case holds (an incident's end, an item's date or a custody entry's), and counsel's
        latest dated finding (None without one): what a document's date is taken from when the case file
        states none. Computed once for each view."""
        days = [i.end for i in self.incidents.values()]
        for item in self.items.values():
            days.append(item.date)
            days.extend(c.on for c in item.chain_of_custody)
        findings = [a.on for i in self.incidents.values() for a in i.assessments if a.on is not None]
        return max(days, default=date(2000, 1, 1)), max(findings, default=None)

    @cached_property
    def content_hashes(self) -> dict[tuple[str, str], str]:
        """A memo of the content hashes of this view's models (see pipeline/manifest.py), by kind and id: the
        models of one view do not change, and each of its documents' manifests lists many of the same."""
        return {}

    def items_of(self, incident_id: str) -> list[AnyItem]:
        """The items that name this incident, in file order."""
        return self._items_by_incident.get(incident_id, [])

    def replace(self, **changes) -> Case:
        return dataclasses.replace(self, **changes)
