"""Preparing a brief again only when what it can see changed.

Preparing an incident's brief (its context, its HTML rendered twice to number its exhibits, its manifest) is
most of the time a build spends before it renders anything: at 200 incidents and three editions, 600 briefs.
So a build keeps what it prepared, under ``out/.parts/<edition>/brief-<incident>.plan.json``, keyed by a hash of
everything the brief can see, and an unchanged brief is read back instead of prepared.

The key is sound by construction, not by a list of what the templates happen to read: the brief is prepared
from its **scope** (:func:`brief_scope`), a view of the edition that holds only the items the brief may show or
refer to (the incident's own, the case-wide ones its analysis cites, those any of them names and those that name
any of them), with its analysis alone and no warnings; and the key hashes that whole scope. What is not in the
scope cannot reach the brief, and what is in it is in the key. A test prepares every brief of the test cases
both ways (from the scope, from the whole edition) and requires the same HTML and manifest.

A kept plan is trusted as the state trusts a part: only when the state records its key and the file still has
the bytes written (see state.py). It is per edition, beside the edition's parts: the internal plan of a brief
never serves another edition, whose key differs anyway.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dossier import __version__
from dossier.atomic import OutputError, write_output
from dossier.models.loaded import Case
from dossier.models.results import Assessment
from dossier.pipeline.jobs import BriefPart, RenderJob, brief_part, folder_fingerprint
from dossier.pipeline.manifest import canonical_sha256, exhibit_file_sha256, memo_sha256
from dossier.pipeline.state import BuildState
from dossier.rendering.env import template_dirs

MEMO_VERSION = "1"
"""How a kept plan is written and keyed: a change to either must set aside the plans kept before."""


@dataclass(frozen=True)
class Links:
    """What a view's items refer to, found once per edition: for each item, the other items whose id appears
    among its values (an item it repeats, relays or answers) and those whose values name it; the case-wide
    items (of no incident); each item's place in the view's order."""

    named: dict[str, set[str]]
    case_wide: frozenset[str]
    position: dict[str, int]


def mentions(view: Case) -> Links:
    """The links between the view's items (see :class:`Links`)."""
    ids = set(view.items)
    named: dict[str, set[str]] = {i: set() for i in ids}
    for item_id, item in view.items.items():
        for value in _strings(item.model_dump(mode="json")):
            if value in ids and value != item_id:
                named[item_id].add(value)
                named[value].add(item_id)
    return Links(named, frozenset(i for i, item in view.items.items() if not item.incidents),
                 {i: n for n, i in enumerate(view.items)})


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def brief_scope(view: Case, assessment: Assessment, incident_id: str, links: Links) -> tuple[Case, Assessment]:
    """What the brief of ``incident_id`` is prepared from: the edition's view with only the items the brief may
    show or refer to (the incident's own, the case-wide ones, and every item linked to those by one naming the
    other), the incident's analysis alone, no warnings and no file locations; the date and the count of withheld
    items stay those of the edition (a brief prints them)."""
    result = next(r for r in assessment.incidents if r.id == incident_id)
    scope = {item.id for item in view.items_of(incident_id)}
    scope |= {i for ch in result.charges for el in ch.elements for i in el.case_wide}
    scope |= links.case_wide  # any analysis may cite them
    todo = list(scope)
    while todo:  # and what those name, and so on: a chain of repeated reports is one scope
        for other in links.named.get(todo.pop(), ()):
            if other not in scope:
                scope.add(other)
                todo.append(other)
    ordered = sorted(scope, key=links.position.__getitem__)  # in the view's order, as its items are
    scoped = view.replace(items={i: view.items[i] for i in ordered},
                          origins={i: view.origins[i] for i in ordered if i in view.origins},
                          where={}, norm_files={}, warnings=(), input_warnings=())
    scoped.__dict__["latest_dates"] = view.latest_dates  # the edition's date, as every document of it prints
    scoped.__dict__["content_hashes"] = view.content_hashes  # the same models: their hashes are shared
    return scoped, dataclasses.replace(assessment, incidents=(result,),
                                       gaps=tuple(g for g in assessment.gaps if g.incident == incident_id))


def scope_key(scoped: Case, analysis: Assessment, numbers: dict[str, int]) -> str:
    """A hash of everything in a brief's scope: the program, the workspace's place (the HTML names its exhibit
    files by path) and templates, the edition's case file, date and withheld count, every source, incident,
    norm and submission, each item in scope with its exhibit file's bytes, its origins and its number, the
    analysis."""
    digest = hashlib.sha256()

    def put(*parts: object) -> None:
        for part in parts:
            digest.update(str(part).encode("utf-8"))
            digest.update(b"\x00")

    put(MEMO_VERSION, __version__, scoped.root.resolve(), *(folder_fingerprint(d) for d in template_dirs(scoped.root)),
        scoped.edition, scoped.audience, scoped.withheld, scoped.latest_dates, canonical_sha256(scoped.case))
    for kind, models in (("source", scoped.sources), ("incident", scoped.incidents), ("norm", scoped.norms),
                         ("submission", scoped.submissions), ("item", scoped.items)):
        put(kind, len(models))
        for id_, value in sorted(models.items()):
            put(id_, memo_sha256(scoped, kind, id_, value))
    for item_id, item in sorted(scoped.items.items()):
        put(item_id, numbers.get(item_id), sorted(scoped.origins.get(item_id, ())),
            exhibit_file_sha256(scoped.root, item.file.path) if item.file else "")
    put(json.dumps(dataclasses.asdict(analysis), sort_keys=True, default=_plain))
    return digest.hexdigest()


def _plain(value) -> object:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass
class BriefMemo:
    """The briefs a build prepared before, read back when their scope is unchanged (``read``: not with
    --force); what it prepares anew is written by :meth:`save` once the plan is made. Without a ``state``
    (a plan made outside a build) it keeps nothing."""

    out: Path
    state: BuildState | None
    read: bool = True
    pending: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    hits: int = 0

    def brief(self, view: Case, assessment: Assessment, incident_id: str, numbers: dict[str, int],
              links: Links) -> BriefPart:
        """The brief's part, read back if kept under the same key, else prepared from its scope."""
        scoped, analysis = brief_scope(view, assessment, incident_id, links)
        if self.state is None:
            return brief_part(scoped, analysis, incident_id, numbers)
        key = scope_key(scoped, analysis, numbers)
        rel = f".parts/{view.edition}/brief-{incident_id}.plan.json"
        kept = _read(self.state.read_fresh(rel, key)) if self.read else None
        if kept is not None:
            self.hits += 1
            return kept
        part = brief_part(scoped, analysis, incident_id, numbers)
        self.pending[rel] = (key, _write(part))
        return part

    def save(self) -> None:
        """Keep what was prepared anew (a plan that cannot be written is prepared again next time)."""
        if self.state is None:
            return
        for rel, (key, data) in self.pending.items():
            try:
                write_output(self.out, rel, data)
            except OutputError:
                self.state.forget(rel)
                continue
            self.state.record(rel, key)
        self.pending.clear()


def _write(part: BriefPart) -> bytes:
    job = part.job
    data = {"format": MEMO_VERSION, "edition": job.edition, "name": job.name, "html": job.html, "css": job.css,
            "roots": [str(r) for r in job.roots], "build_date": job.build_date, "folder": job.folder,
            "label": job.label, "manifest": part.manifest.decode("utf-8"), "numbers": part.numbers,
            "annex": list(part.annex)}
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _read(kept: bytes | None) -> BriefPart | None:
    """A kept plan, or None if there is none or it cannot be read back whole (it is then prepared again)."""
    if kept is None:
        return None
    try:
        data = json.loads(kept)
        job = RenderJob(data["edition"], data["name"], data["html"], data["css"],
                        tuple(Path(r) for r in data["roots"]), data["build_date"], data["folder"], data["label"])
        numbers = {str(k): int(v) for k, v in data["numbers"].items()}
        return BriefPart(job, data["manifest"].encode("utf-8"), numbers, tuple(str(a) for a in data["annex"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
