"""`dossier hash`: record the sha256 of exhibit files in the items' YAML.

The edit is made on the text itself, at the positions the loader recorded, so
comments, key order, quoting and indentation of everything else stay exactly as
the user wrote them: a new ``sha256:`` line goes right under ``path:`` (or
``, sha256: ...`` after the path in a ``{path: ...}`` mapping), and an outdated
digest is replaced in place. Every edited file is read back and checked before
it replaces the original (atomically).
"""

from __future__ import annotations

import re
from pathlib import Path

from dossier.atomic import cannot_write, write_text_atomic
from dossier.diagnostics import Diagnostic, InputError
from dossier.files import path_problem, resolve_exhibit, sha256_file
from dossier.loading.yamlfile import YamlDoc, read_yaml
from dossier.words import count

_SCALAR = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,}\n#]*[^,}\s#])""")


def _edit_text(lines: list[str], doc: YamlDoc, base: tuple, digest: str) -> None:
    """Set ``file.sha256`` of the object at ``base`` in ``lines`` (the file's text, one entry a line)."""
    old = base + ("file", "sha256")
    if old in doc.value_marks:
        line, col = doc.value_marks[old]
        text = lines[line - 1]
        lines[line - 1] = text[:col - 1] + re.sub(r"[0-9a-fA-F]{64}", digest, text[col - 1:], count=1)
        return
    file_line, file_col = doc.value_marks[base + ("file",)]
    key_line, key_col = doc.key_marks[base + ("file", "path")]
    if lines[file_line - 1][file_col - 1:].startswith("{"):  # flow style: {path: ..., media_type: ...}
        v_line, v_col = doc.value_marks[base + ("file", "path")]
        text = lines[v_line - 1]
        match = _SCALAR.match(text, v_col - 1)
        assert match is not None  # YAML marked a scalar value here
        end = match.end()
        lines[v_line - 1] = f"{text[:end]}, sha256: {digest}{text[end:]}"
    else:
        indent = lines[key_line - 1][:key_col - 1]
        indent = indent if not indent.strip() else " " * (key_col - 1)  # "- path:" opens a list entry
        lines.insert(key_line, f"{indent}sha256: {digest}\n")


def record_hashes(root: Path, write: bool = True, update: bool = False) -> tuple[bool, list[str]]:
    """Hash every exhibit file and record missing hashes. Returns (nothing left to do, lines to print).

    A recorded hash that no longer matches its file is evidence that the exhibit changed: it is
    reported, and replaced only with ``update`` (after the team has documented why the file changed).
    Without ``write`` (``--check``) nothing is recorded, and the lines say so and what to run.
    """
    from dossier.loading.workspace import load_case

    case = load_case(root, check_files=False)
    lines: list[str] = []
    ok = True
    changes: dict[str, list[tuple[tuple, str, str]]] = {}
    missing = replaced = refused = 0
    for item in case.items.values():
        if item.file is None:
            continue
        target = resolve_exhibit(root, item.file.path)
        where = case.where[f"item:{item.id}"]
        if target is None:
            ok = False
            problem = path_problem(root / "evidence", item.file.path)
            lines.append(f"{where.loc('file', 'path')}: error: file.path: " +
                         (problem or f"exhibit file evidence/{item.file.path} is not in the workspace"))
            continue
        digest = sha256_file(target)
        if item.file.sha256 == digest:
            continue
        if item.file.sha256 is not None and not update:
            ok = False
            refused += 1
            lines.append(f"{where.loc('file', 'sha256')}: error: {item.id}: file.sha256: the exhibit file changed since it "
                         f"was hashed (now {digest[:12]}…, recorded {item.file.sha256[:12]}…); find out why, then "
                         "record the new hash with `dossier hash --update`")
            continue
        if item.file.sha256 is None:
            missing += 1
            verb = "recorded" if write else "not recorded"
        else:
            replaced += 1
            verb = f"replaced (was {item.file.sha256[:12]}…)" if write else \
                f"not recorded (the recorded {item.file.sha256[:12]}… no longer matches)"
        lines.append(f"{where.loc('file')}: {item.id}: sha256 {digest[:12]}… {verb}")
        changes.setdefault(where.file, []).append((where.path, item.id, digest))
    if write:
        for rel, edits in changes.items():
            _rewrite(root, rel, edits)
    if refused:  # only --update replaces these: say so, whatever else there is to do
        also = f" (it also records {count(missing, 'missing hash', 'missing hashes')})" if missing and not write else ""
        lines.append(f"{count(refused, 'exhibit file', 'exhibit files')} changed since "
                     f"{'it was' if refused == 1 else 'they were'} hashed: find out why, then run "
                     f"`dossier hash --update`{also}")
    elif not changes and ok:
        lines.append("every exhibit hash is recorded and matches its file")
    elif not write and changes:
        ok = False
        command = "`dossier hash --update`" if replaced else "`dossier hash`"
        todo = [count(missing, "hash to record", "hashes to record")] if missing else []
        todo += [count(replaced, "hash to replace", "hashes to replace")] if replaced else []
        lines.append(f"{' and '.join(todo)}, nothing written (--check): run {command}")
    return ok, lines


def _rewrite(root: Path, rel: str, edits: list[tuple[tuple, str, str]]) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8-sig")
    doc, _ = read_yaml(path, rel)
    assert doc is not None
    lines = text.splitlines(keepends=True)
    # bottom-up, so an inserted line does not move the positions still to be used
    for base, _item, digest in sorted(edits, key=lambda e: doc.value_marks[e[0] + ("file",)], reverse=True):
        _edit_text(lines, doc, base, digest)
    new_text = "".join(lines)
    check = path.with_name(f".tmp-check-{path.name}")
    try:
        try:
            check.write_text(new_text, encoding="utf-8")
        except OSError as exc:  # a full disk or a read-only workspace: a located error, not a traceback
            raise cannot_write(rel, exc) from None
        new_doc, problems = read_yaml(check, rel)
    finally:
        check.unlink(missing_ok=True)
    for base, _item_id, digest in edits:
        node = new_doc.data if new_doc else None
        for key in base + ("file",):
            node = node[key] if node is not None else None
        if not problems and (node is None or node.get("sha256") != digest):
            problems = ["mismatch"]
    if problems:
        raise InputError([Diagnostic("error", "hash-not-recorded", "could not record the sha256 without disturbing "
                                     "this file's layout; add `sha256:` under `file:` by hand",
                                     doc.loc(edits[0][0] + ("file",)), "file.sha256")])
    write_text_atomic(path, new_text)
