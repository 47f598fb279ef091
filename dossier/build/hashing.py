"""`dossier hash`: record the sha256 of exhibit files in the items' YAML.

Only this edit uses a round-trip YAML library (ruamel.yaml), so comments, key
order and quoting in the user's files stay as they were; everything else reads
YAML with the safe loader.
"""

from __future__ import annotations

from pathlib import Path

from dossier.build.atomic import write_text_atomic
from dossier.diagnostics import InputError
from dossier.loading.exhibits import resolve_exhibit, sha256_file


def record_hashes(root: Path, write: bool = True) -> tuple[bool, list[str]]:
    """Hash every exhibit file; set or correct ``file.sha256``. Returns (no problem left, lines to print)."""
    from io import StringIO

    from ruamel.yaml import YAML

    from dossier.loading.workspace import load_case

    try:
        case = load_case(root, check_files=False)
    except InputError:
        raise
    lines: list[str] = []
    ok = True
    changes: dict[str, list[tuple[tuple, str]]] = {}
    for item in case.items.values():
        if item.file is None:
            continue
        target = resolve_exhibit(root, item.file.path)
        where = case.where[f"item:{item.id}"]
        if target is None:
            ok = False
            lines.append(f"{where.loc('file', 'path')}: error: file.path: exhibit file evidence/{item.file.path} "
                         "is missing or outside evidence/")
            continue
        digest = sha256_file(target)
        if item.file.sha256 == digest:
            continue
        verb = "recorded" if item.file.sha256 is None else "CHANGED (was " + item.file.sha256[:12] + "…)"
        lines.append(f"{where.loc('file')}: {item.id}: sha256 {digest[:12]}… {verb}")
        changes.setdefault(where.file, []).append((where.path, digest))
    if write:
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 4096
        for rel, edits in changes.items():
            path = root / rel
            data = yaml.load(path.read_text(encoding="utf-8"))
            for sub, digest in edits:
                node = data
                for key in sub:
                    node = node[key]
                node["file"]["sha256"] = digest
            buffer = StringIO()
            yaml.dump(data, buffer)
            write_text_atomic(path, buffer.getvalue())
    if not changes:
        lines.append("every exhibit hash is recorded and matches its file")
    elif not write:
        ok = False
        lines.append(f"{sum(len(e) for e in changes.values())} hash(es) to record: run `dossier hash`")
    return ok, lines
