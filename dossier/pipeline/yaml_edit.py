"""Change some fields of one object in a YAML file's text, keeping the comments and layout of everything else.

The approach of ``dossier hash``: edits are made on the text at the positions the loader recorded. A field
whose old and new values are one-line scalars has its value replaced in place; a field holding a list, a
mapping or a block of text is rewritten as a whole (its own lines only); a new field is added after the
object's last line, at the indentation of its keys. The caller reads the result back and checks it.
"""

from __future__ import annotations

import re

import yaml

from dossier.loading.yamldump import Dumper
from dossier.loading.yamlfile import YamlDoc

_SCALAR = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,}\]\n#]*[^,}\]\s#])""")


def _dump(key: str, value) -> list[str]:
    text = yaml.dump({key: value}, Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    return text.splitlines()


def _one_line(value) -> str | None:
    """The value as one flow-style YAML scalar, or None when it is not a scalar."""
    if isinstance(value, (dict, list)):
        return None
    text = yaml.dump(value, Dumper=Dumper, allow_unicode=True, width=1_000_000, default_style=None).strip()
    if text.endswith("\n..."):
        text = text[:-4].strip()
    text = text.removesuffix("...").strip()
    return text if "\n" not in text else None


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: list[str], key_line: int, key_col: int) -> int:
    """The index after the last content line of the value of the key at (key_line, key_col), both 1-based."""
    last = key_line  # 1-based index of the last content line
    for number in range(key_line + 1, len(lines) + 1):
        line = lines[number - 1]
        if not _content(line):
            continue
        if _indent(line) <= key_col - 1 or line.lstrip(" ").startswith(("- ", "-\n")) and _indent(line) < key_col:
            break
        last = number
    return last


def edit_object(text: str, doc: YamlDoc, base: tuple, old: dict, new: dict) -> str:
    """``text`` with the object at ``base`` changed from ``old`` to ``new`` (``new`` only adds or changes keys)."""
    lines = text.splitlines()
    edits: list[tuple[int, int, int, int, list[str]]] = []  # (line, col, end line, end col, new text), 1-based
    keys = [k for k in old if base + (k,) in doc.key_marks]
    first = min((doc.key_marks[base + (k,)] for k in keys), default=(1, 1))
    last_line = max((_block_end(lines, *doc.key_marks[base + (k,)]) for k in keys), default=len(lines))
    additions: list[str] = []
    for key, value in new.items():
        if key in old and _same(old[key], value):
            continue
        if key not in old:
            additions += [" " * (first[1] - 1) + line for line in _dump(key, value)]
            continue
        key_line, key_col = doc.key_marks[base + (key,)]
        value_mark = doc.value_marks.get(base + (key,))
        one = _one_line(value)
        if one is not None and value_mark and not isinstance(old[key], (dict, list)):
            v_line, v_col = value_mark
            source = lines[v_line - 1]
            if source[v_col - 1:v_col] not in ("|", ">"):
                match = _SCALAR.match(source, v_col - 1)
                if match:
                    edits.append((v_line, v_col, v_line, match.end() + 1, [one]))
                    continue
        end = _block_end(lines, key_line, key_col)
        dumped = _dump(key, value)
        replacement = [dumped[0]] + [" " * (key_col - 1) + line for line in dumped[1:]]
        edits.append((key_line, key_col, end, len(lines[end - 1]) + 1, replacement))
    if additions:
        edits.append((last_line + 1, 1, last_line + 1, 1, additions + [""]))
    for line, col, end_line, end_col, replacement in sorted(edits, reverse=True):
        if line > len(lines):
            lines.extend(replacement[:-1] if replacement and replacement[-1] == "" else replacement)
            continue
        head, tail = lines[line - 1][:col - 1], lines[end_line - 1][end_col - 1:]
        block = replacement[:]
        block[0] = head + block[0]
        block[-1] = block[-1] + tail
        lines[line - 1:end_line] = block
    return "\n".join(lines) + "\n"


def normal(value):
    """A value as text, lists and mappings, so that a date cell and the text 2019-05-15 compare equal."""
    if isinstance(value, dict):
        return {str(k): normal(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normal(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)


def _same(a, b) -> bool:
    return normal(a) == normal(b)


def merged(old: dict, given: dict, replace: set[str]) -> dict:
    """``old`` with the fields given (nested mappings merged, lists and the ``replace`` fields replaced)."""
    out = dict(old)
    for key, value in given.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key not in replace:
            out[key] = merged(out[key], value, set())
        else:
            out[key] = value
    return out
