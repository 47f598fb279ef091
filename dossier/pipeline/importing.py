"""`dossier import`: a workbook or CSV file into the workspace's YAML files, all or nothing (spreadsheets.md).

The rows are read (``loading.sheets``), turned into objects (``sheet_rows``), then checked as ``dossier validate``
checks a workspace: the workspace is loaded as it is, and then once more through the one pipeline
(``session.load``) with the new and changed files in place of its own, as they are about to be written, held in
memory (``loading.yamldump`` writes text that reads back as the values checked); the objects of the files left
unchanged are taken from the first load, and the whole case is cross-checked. Every problem found, the rows'
own and the workspace check's, is printed at the cell that holds the mistake; only when there is none are the
files written into the workspace (each atomically; a failure part-way removes what was written).
"""

from __future__ import annotations

import gc
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from dossier.atomic import cannot_write, write_text_atomic
from dossier.diagnostics import Diagnostic, Diagnostics, InputError, Location
from dossier.loading.exhibits import check_exhibits
from dossier.loading.sheets import read_table
from dossier.loading.workspace import load_case
from dossier.loading.yamldump import dump, read_back
from dossier.loading.yamlfile import MAX_FILE_BYTES, YamlDoc, read_yaml, written_doc
from dossier.loading.yamlhints import conflict_markers
from dossier.models.common import ID_RE
from dossier.pipeline import session
from dossier.pipeline.sheet_rows import KINDS, READ_ONLY_SHEETS, Parsed, parse_children, parse_objects, sheet_kind
from dossier.pipeline.yaml_edit import edit_object, merged, normal

_LETTER_HINT = {"credibility": "; the letter grades the source, in Sources",
                "reliability": "; the number grades the item's credibility, in Items"}


@dataclass
class Plan:
    """What an import writes: new files, changed files (their new text), sources appended."""

    new_files: dict[str, tuple[str, Parsed]] = field(default_factory=dict)  # rel -> (text, object)
    changed: dict[str, str] = field(default_factory=dict)  # rel -> new text
    changed_objects: dict[str, list[Parsed]] = field(default_factory=dict)
    sources: list[Parsed] = field(default_factory=list)
    sources_text: str | None = None
    sources_start: int = 0  # first line of the appended sources
    docs: dict[str, YamlDoc] = field(default_factory=dict)  # rel -> the changed files as they will read


SOURCES = "evidence/sources.yaml"
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _order(parsed: Parsed) -> dict:
    """The object's fields with id and type first, as people write them."""
    data = parsed.data
    head = {k: data[k] for k in ("id", "type") if k in data}
    return head | {k: v for k, v in data.items() if k not in head}


def _plan(root: Path, base, objects: dict[str, dict[str, Parsed]], into: str, update: bool,
          diags: Diagnostics) -> Plan:
    plan = Plan()
    taken = {p.lower() for p in (str(f.relative_to(root).as_posix()) for f in (root / "evidence").rglob("*"))}
    folder = {"item": into, "incident": "evidence/incidents"}
    sources_path = root / "evidence" / "sources.yaml"
    docs: dict[str, tuple[str, YamlDoc | None]] = {}
    for kind, found in objects.items():
        table = {"item": base.items, "source": base.sources, "incident": base.incidents}[kind]
        for id_, parsed in found.items():
            if id_ in table:
                where = base.where[f"{kind}:{id_}"]
                if not update:
                    diags.error("exists", f"{kind} '{id_}' is already in the workspace ({where.loc('id')}): pass "
                                "--update to change it, or give the row a new id", parsed.id_loc, "id")
                    continue
                rel = where.file
                if rel not in docs:
                    docs[rel] = (plan.changed.get(rel) or (root / rel).read_text(encoding="utf-8-sig"),
                                 read_yaml(root / rel, rel)[0])
                text, doc = docs[rel]
                assert doc is not None  # the workspace loaded: each of its files parses
                old = doc.data
                for key in where.path:
                    old = old[key]
                new = merged(old, parsed.data, parsed.children)
                if normal(new) != normal(old):
                    plan.changed[rel] = edit_object(text, doc, where.path, old, new)
                    changed = read_yaml_text(plan.changed[rel], rel)
                    docs[rel] = (plan.changed[rel], changed)
                    plan.docs[rel] = changed
                    plan.changed_objects.setdefault(rel, []).append(parsed)
                    parsed.data = new
                continue
            if kind == "source":
                plan.sources.append(parsed)
                continue
            name = id_ if ID_RE.match(id_) else f"row-{parsed.id_loc.line}"
            rel = f"{folder[kind]}/{name}.yaml"
            if rel.lower() in taken:
                diags.error("file-exists", f"{rel} already exists in the workspace (with letters in another case, "
                            "perhaps): give the row another id", parsed.id_loc, "id")
                continue
            taken.add(rel.lower())
            plan.new_files[rel] = (dump(_order(parsed)), parsed)
    if plan.sources:
        old = plan.changed.get("evidence/sources.yaml") or (
            sources_path.read_text(encoding="utf-8-sig") if sources_path.is_file() else
            "# Sources: who an item of information came from (imported from a spreadsheet).\n")
        if old.strip() in ("", "[]"):
            old = "" if old.strip() == "[]" else old
        old = old if old.endswith("\n") or not old else old + "\n"
        plan.sources_start = old.count("\n") + 1
        plan.sources_text = old + dump([_order(p) for p in plan.sources])
    return plan


def _read_text(text: str, rel: str) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse text as the loader reads the file that holds it (through a temporary file); the positions come
    from the text (the temporary file is gone when they are first asked for)."""
    with tempfile.TemporaryDirectory(prefix="dossier-edit-") as temp:
        path = Path(temp) / "x.yaml"
        path.write_text(text, encoding="utf-8")
        doc, problems = read_yaml(path, rel)
    return (written_doc(rel, doc.data, text) if doc is not None else None), problems


def read_yaml_text(text: str, rel: str) -> YamlDoc:
    """Parse text as the loader would; refuse an edit that does not read back cleanly."""
    doc, problems = _read_text(text, rel)
    if doc is None or problems:
        raise InputError([Diagnostic("error", "cannot-update", "could not change this file without disturbing "
                                     "its layout; make the change by hand", Location(rel))])
    return doc


def _written_docs(root: Path, plan: Plan) -> tuple[dict[str, YamlDoc], list[Diagnostic]]:
    """The documents of the files the plan writes, as the loader will read them: the new files' from the values
    written (parsed only when the text could be refused as a file), the changed ones' parsed."""
    docs = dict(plan.docs)
    problems: list[Diagnostic] = []
    for rel, (text, parsed) in plan.new_files.items():
        too_large = len(text) > MAX_FILE_BYTES // 4 and len(text.encode("utf-8")) > MAX_FILE_BYTES
        if too_large or conflict_markers(text) is not None:
            doc, found = _read_text(text, rel)
            problems += found
            if doc is not None:
                docs[rel] = doc
            continue
        docs[rel] = written_doc(rel, read_back(_order(parsed)), text)
    if plan.sources_text is not None or not (root / SOURCES).is_file():  # checked as a list, even if empty
        doc, found = _read_text(plan.sources_text or "[]\n", SOURCES)
        problems += found
        if doc is not None:
            docs[SOURCES] = doc
    return docs, problems


def _write_plan(target: Path, plan: Plan, written: list[Path]) -> None:
    """Write the plan's files under ``target``, recording in ``written`` each new file (for an undo)."""
    folders: set[Path] = set()
    for rel, (text, _) in plan.new_files.items():
        path = target / rel
        data = text.encode("utf-8")
        try:
            if path.parent not in folders:  # each folder made once, not asked for again for each of its files
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            # a new file: created exclusively (never over a file or link that appeared meanwhile), not synced one by
            # one (an fsync a file costs 5 ms: a minute for 10,000 rows); one sync follows, and a failure removes
            # them. Written as bytes through the descriptor: three system calls a file, where a text file object and
            # a mkdir made nine (the mkdir and a stat, the file object's own stat, terminal check and two seeks)
            handle = os.open(path, _NEW_FILE, 0o666)
            written.append(path)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(handle, view):]
            finally:
                os.close(handle)
        except OSError as exc:
            raise cannot_write(rel, exc) from None
    if plan.new_files and hasattr(os, "sync"):
        os.sync()
    for rel, text in plan.changed.items():
        write_text_atomic(target / rel, text)
    if plan.sources_text is not None:
        write_text_atomic(target / SOURCES, plan.sources_text)


def _hint(d: Diagnostic) -> str:
    message = d.message
    hint = _LETTER_HINT.get(d.field)
    if hint and message.endswith(")") and "(got '" in message:
        got = message.rsplit("(got '", 1)[1][:-2]
        if (d.field == "credibility") == got[:1].isalpha():
            message = message[:-1] + hint + ")"
    return message


def _map_back(found: list[Diagnostic], plan: Plan) -> list[Diagnostic]:
    """The workspace check's problems, those in imported rows moved to their cells."""
    by_file = {rel: parsed for rel, (_, parsed) in plan.new_files.items()}
    sources = {p.id: p for p in plan.sources}
    changed = {rel: {p.id: p for p in ps} for rel, ps in plan.changed_objects.items()}
    out = []
    for d in found:
        parsed = by_file.get(d.location.file)
        if parsed is None and d.location.file == "evidence/sources.yaml" and d.location.line >= plan.sources_start:
            parsed = next((sources[s] for s in d.subjects if s in sources), None)
        if parsed is None and d.location.file in changed:
            parsed = next((changed[d.location.file][s] for s in d.subjects if s in changed[d.location.file]), None)
            if parsed is not None and not any(k.split("[")[0].split(".")[0] == d.field.split("[")[0].split(".")[0]
                                              for k in parsed.cells):
                parsed = None  # a problem of a field the sheet did not change: where it is in the file
        if parsed is None:
            out.append(d)
            continue
        out.append(replace(d, message=_hint(d), location=parsed.loc(d.field)))
    return out


def import_table(path: Path, shown: str, root: Path, kind: str | None, into: str | None, update: bool,
                 dry_run: bool) -> list[str]:
    """Import a workbook or CSV file into the workspace at ``root``; returns the lines to print.
    Raises InputError with every problem (and writes nothing) when the input or the result is not valid.

    The cyclic garbage collector is paused meanwhile, as ``load_case`` does: the cells and objects of a large
    log make no reference cycles, and its repeated scans of them would cost a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _import_table(path, shown, root, kind, into, update, dry_run)
    finally:
        if enabled:
            gc.enable()


def _import_table(path: Path, shown: str, root: Path, kind: str | None, into: str | None, update: bool,
                  dry_run: bool) -> list[str]:
    into_rel = _into(root, into)
    sheets, refused = read_table(path, shown, READ_ONLY_SHEETS)
    diags = Diagnostics(list(refused))
    empty = {} if (root / SOURCES).is_file() else {SOURCES: written_doc(SOURCES, [], "[]\n")}
    base = load_case(root, check_files=False, given=empty)  # the workspace as it is: its own errors stop here
    objects: dict[str, dict[str, Parsed]] = {}
    children = []
    for sheet in sheets:
        which = sheet_kind(sheet, kind, diags)
        if which in KINDS:
            parse_objects(sheet, which, diags, objects)
        elif which is not None:
            children.append((sheet, which))
    existing: dict[str, dict[str, Parsed]] = {}
    if update:
        existing = {"item": {i: Parsed("item", i, {}, base.loc("item", i)) for i in base.items},
                    "incident": {i: Parsed("incident", i, {}, base.loc("incident", i)) for i in base.incidents}}
    for sheet, which in children:
        parse_children(sheet, which, diags, objects, existing)
    for kind_, stand_ins in existing.items():  # rows added under --update to objects not in the sheets
        for id_, parsed in stand_ins.items():
            if parsed.data:
                parsed.data["id"] = id_
                objects.setdefault(kind_, {}).setdefault(id_, parsed)
    plan = _plan(root, base, objects, into_rel, update, diags)
    given, found = _written_docs(root, plan)
    try:
        case = session.load(root, check_files=False, given=given, reuse=base)
        check = Diagnostics()
        check_exhibits(case, check)
        found += list(case.case.keeps(check.items)) + list(case.warnings)  # without those suppress_warnings suppresses
    except InputError as exc:
        found += exc.diagnostics
    taken = {d.location for d in diags.items}
    mapped = [d for d in _map_back(found, plan) if d.location not in taken or d.level == "warning"]
    problems = diags.items + mapped
    if any(d.level == "error" for d in problems):
        raise InputError(problems)
    lines = [d.format() for d in problems if d.location.file == shown]  # the warnings of the imported rows
    verb = "would " if dry_run else ""
    for rel in plan.new_files:
        lines.append(f"{verb}create {rel}" if dry_run else f"created {rel}")
    for rel in plan.changed:
        lines.append(f"{verb}update {rel}" if dry_run else f"updated {rel}")
    if plan.sources:
        lines.append(f"{verb}add {len(plan.sources)} source(s) to evidence/sources.yaml" if dry_run else
                     f"added {len(plan.sources)} source(s) to evidence/sources.yaml")
    if not (plan.new_files or plan.changed or plan.sources):
        lines.append("nothing to change: the workspace already holds every row")
    if dry_run:
        lines.append("dry run: nothing was written")
        return lines
    backups = {rel: (root / rel).read_bytes() for rel in plan.changed}
    sources_file = root / SOURCES
    sources_backup = sources_file.read_bytes() if sources_file.is_file() else None
    written: list[Path] = []
    try:
        _write_plan(root, plan, written)
    except BaseException:  # leave the workspace as it was: remove what was created, restore what was changed
        for new in written:
            new.unlink(missing_ok=True)
        for rel, data in backups.items():
            (root / rel).write_bytes(data)
        if plan.sources_text is not None:
            if sources_backup is None:
                sources_file.unlink(missing_ok=True)
            else:
                sources_file.write_bytes(sources_backup)
        raise
    lines.append(f"run `dossier validate --workspace {root}` to check, then `dossier build`")
    return lines


def _into(root: Path, into: str | None) -> str:
    """The folder new items go to, relative to the workspace (it must be inside evidence/items/)."""
    if into is None:
        return "evidence/items/imported"
    from dossier.diagnostics import UsageError

    target = (root / into).resolve()
    items = (root / "evidence" / "items").resolve()
    if not (target == items or items in target.parents):
        raise UsageError(f"--into {into}: new items must go in a folder inside evidence/items/ "
                         "(relative to the workspace)")
    return target.relative_to(root.resolve()).as_posix()
