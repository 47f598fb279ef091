"""Safe YAML reading that remembers where every value came from.

The file is composed into a node tree by libyaml (C) when available, then turned
into plain Python values by our own walker, which:

- refuses every tag but the plain ones (no ``!!python/...``, no custom tags);
- refuses duplicate keys and merge keys (``<<``);
- bounds alias expansion and nesting depth, so a "billion laughs" file is refused
  in milliseconds instead of exhausting memory;
- keeps scalar dates as text, so pydantic decides whether they are real dates;
- records the line and column of every key and value, so a validation error on
  ``supports[1].element`` can point at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dossier.diagnostics import Diagnostic, Location

try:  # libyaml's C parser is about 8x faster than the pure-Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Largest case file accepted (5 MiB). Split larger item lists into several files."""
MAX_VALUES = 200_000
"""Most values one file may expand to, aliases included (a guard against alias bombs)."""
MAX_DEPTH = 40
"""Deepest nesting of lists and mappings accepted in one file."""

_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_T + "str", _T + "null", _T + "bool", _T + "int", _T + "float", _T + "timestamp"}
_constructor = SafeConstructor()

Path_ = tuple[str | int, ...]


@dataclass
class YamlDoc:
    """A parsed file: its plain data and the position of every key and value in it."""

    file: str
    data: Any
    value_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def loc(self, path: Path_ = (), prefer_key: bool = True) -> Location:
        """The location of ``path`` (or of its nearest parent that exists)."""
        path = tuple(path)
        while True:
            if prefer_key and path in self.key_marks:
                return Location(self.file, *self.key_marks[path])
            if path in self.value_marks:
                return Location(self.file, *self.value_marks[path])
            if not path:
                return Location(self.file, 1, 1)
            path = path[:-1]


class _Refused(Exception):
    def __init__(self, message: str, node: Node, code: str):
        super().__init__(message)
        self.message, self.node, self.code = message, node, code


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_T):] if tag.startswith(_T) else tag


class _Walker:
    def __init__(self, doc: YamlDoc, problems: list[Diagnostic]):
        self.doc, self.problems, self.count = doc, problems, 0

    def walk(self, node: Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _Refused(
                f"the file expands to more than {MAX_VALUES:,} values (an alias bomb?); "
                "remove the repeated aliases (*name) or split the file",
                node, "yaml-too-many-values",
            )
        if depth > MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep; case files are shallow, check the indentation",
                           node, "yaml-too-deep")
        self.doc.value_marks.setdefault(path, _mark(node))
        if isinstance(node, ScalarNode):
            if node.tag not in _SCALAR_TAGS:
                raise _Refused(
                    f"YAML tag {_tag_name(node.tag)} is not allowed: case files hold only text, numbers, "
                    "dates, lists and mappings; remove the tag",
                    node, "yaml-tag",
                )
            if node.tag in (_T + "str", _T + "timestamp"):
                return node.value
            return _constructor.construct_object(node, deep=True)
        if isinstance(node, SequenceNode):
            if node.tag != _T + "seq":
                raise _Refused(f"YAML tag {_tag_name(node.tag)} is not allowed; remove the tag", node, "yaml-tag")
            return [self.walk(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if node.tag != _T + "map":
                raise _Refused(f"YAML tag {_tag_name(node.tag)} is not allowed; remove the tag", node, "yaml-tag")
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _T + "merge":
                    raise _Refused("merge keys (<<) are not supported: write the fields out", key_node, "yaml-merge")
                if not isinstance(key_node, ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                    raise _Refused("a key must be plain text", key_node, "yaml-key")
                key = key_node.value
                if key in out:
                    first = self.doc.key_marks.get(path + (key,), (0, 0))[0]
                    self.problems.append(Diagnostic(
                        "error", "duplicate-key",
                        f"duplicate key '{key}' in one mapping (first at line {first}); keep one",
                        Location(self.doc.file, *_mark(key_node)), key,
                    ))
                    continue
                self.doc.key_marks[path + (key,)] = _mark(key_node)
                out[key] = self.walk(value_node, path + (key,), depth + 1)
            return out
        raise _Refused("unsupported YAML node", node, "yaml-node")  # pragma: no cover


def read_yaml(path: Path, rel: str) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse one case file. Returns the document, or None and the reasons it was refused."""
    problems: list[Diagnostic] = []

    def refuse(code: str, message: str, line: int = 1, col: int = 1) -> tuple[None, list[Diagnostic]]:
        problems.append(Diagnostic("error", code, message, Location(rel, line, col)))
        return None, problems

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return refuse("file-too-large",
                          f"file is too large ({size / 1048576:.1f} MiB; the limit is {MAX_FILE_BYTES // 1048576} MiB "
                          "per file): split it into several files")
        raw = path.read_bytes()
    except OSError as exc:
        return refuse("file-unreadable", f"cannot read the file ({exc.strerror or exc})")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return refuse("not-text", "this is not a text file (it contains NUL bytes): case files must be UTF-8 YAML", line)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return refuse("not-utf8",
                      f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it with UTF-8 encoding",
                      line, col)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return refuse("yaml-syntax", f"YAML syntax error: {what}", line, col)
    except yaml.YAMLError as exc:
        return refuse("yaml-syntax", f"YAML error: {exc}")
    except RecursionError:
        return refuse("yaml-too-deep", f"nested too deeply to read (more than {MAX_DEPTH} levels)")
    if root is None or (isinstance(root, ScalarNode) and root.tag == _T + "null"):
        return refuse("empty-file", "the file is empty: write its content or delete the file")
    doc = YamlDoc(rel, None)
    try:
        doc.data = _Walker(doc, problems).walk(root, (), 0)
    except _Refused as exc:
        problems.append(Diagnostic("error", exc.code, exc.message, Location(rel, *_mark(exc.node))))
        return None, problems
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        return refuse("yaml-value", f"cannot read a value: {exc}")
    except RecursionError:
        return refuse("yaml-too-deep", f"nested too deeply to read (more than {MAX_DEPTH} levels)")
    if any(p.level == "error" for p in problems):
        return None, problems
    return doc, problems
