"""Find a workspace, read every file in it, validate, cross-check: the one way in.

``load_case`` collects every problem (it never stops at the first) and returns
the :class:`Case` with its warnings, or raises :class:`InputError` with all of them.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from dossier.diagnostics import Diagnostic, Diagnostics, InputError, Location, UsageError, closest, show_value
from dossier.loading.errors import dotted, pydantic_diagnostics
from dossier.loading.placeholders import MESSAGE as PLACEHOLDER_MESSAGE
from dossier.loading.placeholders import placeholders
from dossier.loading.yamlfile import YamlDoc, read_yaml
from dossier.models import CaseFile, Incident, Norm, Source, model_for
from dossier.models.common import ITEM_TYPES
from dossier.models.loaded import Case, Where
from dossier.models.submission import Submission
from dossier.resources import resource_dir


def find_workspace(path: str | Path | None) -> Path:
    """The workspace folder: the one given, or the current folder. It must hold ``evidence/``."""
    root = Path(path) if path else Path.cwd()
    if not root.is_dir():
        raise UsageError(f"{root}: no such folder")
    if not (root / "evidence").is_dir():
        raise UsageError(f"{root.resolve()}: not a dossier workspace (no evidence/ folder). "
                         "Run `dossier init DIR` to make one, or pass --workspace DIR.")
    return root


def _kind_of(data: Any) -> str:
    if isinstance(data, dict):
        return "a single mapping"
    if isinstance(data, list):
        return "a list"
    if isinstance(data, bool):
        return "only true or false"
    if isinstance(data, (int, float)):
        return "only a number"
    return "only plain text"


def _yaml_files(folder: Path) -> list[Path]:
    """Every *.yaml / *.yml file below ``folder`` (links included: a broken one is reported, not skipped),
    in a stable order."""
    found: list[tuple[str, Path]] = []
    stack = [(folder, "")]
    while stack:
        directory, prefix = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((Path(entry.path), f"{prefix}{entry.name}/"))
            elif entry.name.endswith((".yaml", ".yml")) and (entry.is_symlink() or entry.is_file()):
                found.append((f"{prefix}{entry.name}", Path(entry.path)))
    return [path for _, path in sorted(found)]


class _Loader:
    def __init__(self, root: Path, given: dict[str, YamlDoc] | None = None, reuse: Case | None = None):
        self.root = root
        self.diags = Diagnostics()
        self.where: dict[str, Where] = {}
        self.failed: set[str] = set()  # "kind:id" of objects that did not validate: not "unknown" elsewhere
        self.given = given or {}  # rel -> the document of a file as it is about to be written
        self.reused: dict[str, list[tuple[str, Where]]] = {}  # rel -> keys of objects loaded before, in order
        self.reuse = reuse
        if reuse is not None:
            for key, where in reuse.where.items():
                if key.split(":", 1)[0] in ("item", "source", "incident") and where.file not in self.given:
                    self.reused.setdefault(where.file, []).append((key, where))
            for entries in self.reused.values():
                entries.sort(key=lambda entry: entry[1].path)

    def files(self, folder: Path) -> list[Path]:
        """The YAML files below ``folder``, and the given ones that are to be written there, in a stable order."""
        found = _yaml_files(folder)
        prefix = self.rel(folder) + "/"
        extra = [self.root / rel for rel in self.given if rel.startswith(prefix) and not (self.root / rel).exists()]
        if not extra:
            return found
        return sorted(found + extra, key=lambda path: self.rel(path))

    def reused_objects(self, rel: str, table: dict[str, Any]) -> bool:
        """Take the objects of a file from the case loaded before (checked then, unchanged since)."""
        if self.reuse is None or rel in self.given:
            return False
        loaded: dict[str, dict[str, Any]] = {"item": self.reuse.items, "source": self.reuse.sources, "incident": self.reuse.incidents}
        for key, where in self.reused.get(rel, []):
            kind, id_ = key.split(":", 1)
            table[id_] = loaded[kind][id_]
            self.where[key] = where
        return True

    def rel(self, path: Path) -> str:
        text, root = str(path), str(self.root)
        if text.startswith(root + os.sep):
            return text[len(root) + 1:].replace(os.sep, "/")
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def read(self, path: Path, rel: str | None = None, kind: str = "") -> YamlDoc | None:
        """Parse a file; when it cannot be read, references to its kind are no longer reported as unknown."""
        doc = self._read(path, rel)
        if doc is None and kind:
            self.failed.add(f"{kind}:*")
        return doc

    def _read(self, path: Path, rel: str | None = None) -> YamlDoc | None:
        rel = rel or self.rel(path)
        if rel in self.given:
            return self.given[rel]
        if not path.is_symlink():
            doc, problems = read_yaml(path, rel)
            self.diags.extend(problems)
            return doc
        try:
            resolves = path.exists() and path.resolve(strict=True) is not None
        except (OSError, RuntimeError):  # a loop of links
            resolves = False
        if not resolves:
            self.diags.error("broken-link", "this file is a symbolic link to nothing (or a link loop); "
                             "replace it with the file itself", Location(rel))
            return None
        if not path.resolve().is_relative_to(self.root.resolve()):
            self.diags.error("symlink-outside", "this file is a link to a file outside the workspace; copy the file in",
                             Location(rel))
            return None
        doc, problems = read_yaml(path, rel)
        self.diags.extend(problems)
        return doc

    def validate(self, model: type[BaseModel], data: Any, doc: YamlDoc, path: tuple, kind: str) -> Any:
        item_type = data.get("type") if kind == "item" and isinstance(data, dict) else None
        holes = placeholders(data)
        if holes:  # a file from `dossier new` not yet filled in: only its placeholders are reported
            subject = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), (str, int)) else ""
            self.failed.add(f"{kind}:{subject}" if subject != "" and ("id",) not in holes else f"{kind}:*")
            for keys in holes:
                self.diags.error("placeholder", PLACEHOLDER_MESSAGE, doc.loc(path + keys), dotted(keys),
                                 (str(subject),) if subject != "" else ())
            return None
        try:
            obj: Any = model.model_validate(data)  # a case, source, incident, item or norm: each has an id
        except ValidationError as exc:
            subject = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), (str, int)) else ""
            if subject != "":
                self.failed.add(f"{kind}:{subject}")
            if any(err["loc"][:1] == ("id",) for err in exc.errors()):
                self.failed.add(f"{kind}:*")  # what was the id meant to be? references cannot be judged
            self.diags.extend(pydantic_diagnostics(exc, model, doc, path, str(subject),
                                                   item_type if isinstance(item_type, str) else None))
            return None
        key = f"{kind}:{obj.id}" if kind != "case" else "case"
        if key in self.where:
            self.failed.add(key)  # ambiguous: references to it are not checked further
            first = self.where[key]
            self.diags.error("duplicate-id", f"{kind} id '{obj.id}' is used twice (also at {first.loc('id')}); "
                             "ids must be unique in the case", doc.loc(path + ("id",), prefer_key=False), "id")
            return None
        self.where[key] = Where(doc.positions, path)
        return obj

    def objects(self, doc: YamlDoc, what: str, allow_list: bool, allow_single: bool):
        """The mappings in a file: the top-level mapping, or each entry of a top-level list."""
        data = doc.data
        if isinstance(data, dict) and allow_single:
            return [((), data)]
        if isinstance(data, list) and allow_list:
            out = []
            for i, entry in enumerate(data):
                if isinstance(entry, dict):
                    out.append(((i,), entry))
                else:
                    article = "an" if what[0] in "aeiou" else "a"
                    self.diags.error("not-mapping", f"each entry must be {article} {what} (a mapping of fields)"
                                     f" (got {show_value(entry)})", doc.loc((i,)), f"[{i}]")
            return out
        article = "an" if what[0] in "aeiou" else "a"
        if not allow_single:
            shape = f"a list of {what}s, each starting with '- id: ...'"
        else:
            shape = f"{article} {what} (a mapping of fields: id, title, ...)" + (
                f" or a list of {what}s" if allow_list else "")
        self.diags.error("wrong-shape", f"this file must hold {shape}; it holds {_kind_of(data)}", doc.loc(()))
        self.failed.add(f"{what}:*")
        return []

    def load_kind(self, files: list[Path], kind: str, model: type[BaseModel], allow_list: bool,
                  allow_single: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for path in files:
            if self.reused_objects(self.rel(path), out):
                continue
            doc = self.read(path, kind=kind)
            if doc is None:
                continue
            for sub, data in self.objects(doc, kind, allow_list, allow_single):
                obj = self.validate(model, data, doc, sub, kind)
                if obj is not None:
                    out[obj.id] = obj
        return out


def load_case(root: Path, check_files: bool = True, given: dict[str, YamlDoc] | None = None,
              reuse: Case | None = None) -> Case:
    """Load and cross-check a workspace. Raises InputError with every problem if there is any error.

    ``given`` holds documents of files about to be written (workspace-relative path -> document), read in
    place of what the workspace holds there; ``reuse``, the case loaded from this workspace before, whose
    objects are taken as they are from every file not given (the whole case is cross-checked again).

    The cyclic garbage collector is paused meanwhile: loading makes no reference cycles, and with
    tens of thousands of live objects its repeated full scans cost a third of the loading time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_case(root, check_files, _Loader(root, given, reuse))
    finally:
        if enabled:
            gc.enable()


def _load_case(root: Path, check_files: bool, loader: _Loader) -> Case:
    from dossier.loading.consistency import consistency_warnings
    from dossier.loading.crossref import cross_check
    from dossier.loading.exhibits import check_exhibits

    evidence = root / "evidence"
    case_file = None
    case_path = evidence / "case.yaml"
    if not case_path.is_file():
        loader.diags.error("missing-file", "the case file is missing: create evidence/case.yaml (see `dossier init`)",
                           Location("evidence/case.yaml"))
    else:
        doc = loader.read(case_path)
        if doc is not None:
            if isinstance(doc.data, dict):
                case_file = loader.validate(CaseFile, doc.data, doc, (), "case")
            else:
                loader.diags.error("wrong-shape", "case.yaml must hold the case's fields (id, title, conflict, "
                                   f"parties ...); it holds {_kind_of(doc.data)}", doc.loc(()))
    sources_path = evidence / "sources.yaml"
    has_sources = sources_path.is_file() or "evidence/sources.yaml" in loader.given
    if not has_sources:
        loader.diags.error("missing-file", "the sources list is missing: create evidence/sources.yaml",
                           Location("evidence/sources.yaml"))
        loader.failed.add("source:*")
    sources = loader.load_kind([sources_path] if has_sources else [], "source", Source,
                               allow_list=True, allow_single=False)
    incidents = loader.load_kind(loader.files(evidence / "incidents"), "incident", Incident,
                                 allow_list=False, allow_single=True)

    items: dict[str, Any] = {}
    for path in loader.files(evidence / "items"):
        if loader.reused_objects(loader.rel(path), items):
            continue
        doc = loader.read(path, kind="item")
        if doc is None:
            continue
        for sub, data in loader.objects(doc, "item", allow_list=True, allow_single=True):
            item_type = data.get("type")
            if not isinstance(item_type, str) or item_type not in ITEM_TYPES:
                if "type" not in data:
                    loader.diags.error("invalid-missing", "required field is missing: add it",
                                       doc.loc(sub, prefer_key=False), "type")
                else:  # every type is listed: a guess only when it is the one strong match, never 'near it' five
                    guess = closest(item_type, ITEM_TYPES)[0] if isinstance(item_type, str) else None
                    loader.diags.error("invalid-item-type",
                                       f"unknown item type {show_value(item_type)}"
                                       f"{f' (did you mean {guess!r}?)' if guess else ''};"
                                       f" use one of: {', '.join(ITEM_TYPES)}", doc.loc(sub + ("type",)), "type")
                if isinstance(data.get("id"), (str, int)):
                    loader.failed.add(f"item:{data['id']}")
                continue
            obj = loader.validate(model_for(item_type), data, doc, sub, "item")
            if obj is not None:
                items[obj.id] = obj

    submissions = loader.load_kind(_yaml_files(evidence / "submissions"), "submission", Submission,
                                   allow_list=False, allow_single=True)
    norms, norm_files = _load_norms(loader, root)
    if case_file is None:
        raise InputError(loader.diags.errors + loader.diags.warnings)
    case = Case(root=root, case=case_file, sources=sources, incidents=incidents, items=items, norms=norms,
                where=loader.where, norm_files=norm_files, submissions=submissions)
    # cross-check what did validate, so one bad file does not hide dangling references elsewhere;
    # references to objects that failed validation are not reported again as unknown
    cross_check(case, loader.diags, loader.failed)
    if check_files:
        check_exhibits(case, loader.diags)
    if loader.diags.has_errors():
        # the warnings too, those about the objects that did validate: fixing the errors must not reveal
        # warnings a reviewer could have seen in the same run
        raise InputError(loader.diags.errors + sorted(case_file.keeps(loader.diags.warnings + consistency_warnings(case)),
                                                      key=Diagnostic.sort_key))
    found = case_file.keeps(loader.diags.warnings)  # without those suppress_warnings suppresses
    case = case.replace(input_warnings=found)
    warnings = sorted(found + case_file.keeps(consistency_warnings(case)), key=Diagnostic.sort_key)
    return case.replace(warnings=tuple(warnings))


def load_norms(root: Path | None) -> dict[str, Norm]:
    """The norms library alone (built-in, plus a workspace's own when given). Raises InputError on errors."""
    loader = _Loader(root or Path.cwd())
    norms, _ = _load_norms(loader, root)
    if loader.diags.has_errors():
        raise InputError(loader.diags.errors)
    return norms


def _load_norms(loader: _Loader, root: Path | None) -> tuple[dict[str, Norm], dict[str, Path]]:
    """Built-in norms, then the workspace's own ``legal_norms/`` overriding them by id."""
    norms: dict[str, Norm] = {}
    files: dict[str, Path] = {}
    builtin = resource_dir("legal_norms")
    own = root / "legal_norms" if root else builtin
    folders = [builtin]
    if own.is_dir() and own.resolve() != builtin.resolve():
        folders.append(own)
    for folder in folders:
        seen_here: dict[str, str] = {}
        for path in _yaml_files(folder):
            rel = loader.rel(path) if folder is own else f"{builtin.name}/{path.relative_to(builtin).as_posix()}"
            doc = loader.read(path, rel, kind="norm")
            if doc is None:
                continue
            if not isinstance(doc.data, dict):
                loader.diags.error("wrong-shape", "a norm file must hold one norm (id, title, elements ...); it holds "
                                   f"{_kind_of(doc.data)}", doc.loc(()))
                continue
            loader.where.pop(f"norm:{doc.data.get('id')}", None)  # a workspace norm overrides a built-in one
            norm = loader.validate(Norm, doc.data, doc, (), "norm")
            if norm is None:
                continue
            if norm.id in seen_here:
                loader.diags.error("duplicate-id", f"norm '{norm.id}' is defined twice (also in {seen_here[norm.id]})",
                                   doc.loc(("id",)), "id")
                continue
            seen_here[norm.id] = rel
            norms[norm.id] = norm
            files[norm.id] = path
    return norms, files
