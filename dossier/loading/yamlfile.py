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

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dossier.diagnostics import Diagnostic, Location
from dossier.loading.yamlhints import conflict_markers, explain
from dossier.models.loaded import Path_, Positions

try:  # libyaml's C parser is about 8x faster than the pure-Python one
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Largest case file accepted (5 MiB). Split larger item lists into several files."""
MAX_VALUES = 200_000
"""Most values aliases may add to one file by repetition (a guard against "billion laughs" alias bombs)."""
MAX_DEPTH = 40
"""Deepest nesting of lists and mappings accepted in one file."""

_T = "tag:yaml.org,2002:"



@dataclass
class YamlDoc:
    """A parsed file: its plain data, and the positions of its keys and values."""

    file: str
    data: Any
    positions: Positions

    @property
    def value_marks(self) -> dict[Path_, tuple[int, int]]:
        return self.positions.value_marks

    @property
    def key_marks(self) -> dict[Path_, tuple[int, int]]:
        return self.positions.key_marks

    def loc(self, path: Path_ = (), prefer_key: bool = True) -> Location:
        return self.positions.loc(path, prefer_key)


class _Refused(Exception):
    def __init__(self, message: str, node: Node, code: str):
        super().__init__(message)
        self.message, self.node, self.code = message, node, code


_PLAIN = "tag:dossier,2026:plain"
"""What our resolver calls every unquoted scalar: _scalar decides what it is, the YAML 1.2 way."""


class _Loader(_BaseLoader):
    """libyaml's parser and composer with a trivial resolver: PyYAML's YAML 1.1 resolver runs a
    dozen regular expressions in Python on every scalar, and reads ``no`` as false and ``0012`` as 10."""

    def resolve(self, kind, value, implicit):  # noqa: D102 - called by the composer for untagged nodes
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _T + "str"
        return _T + ("seq" if kind is SequenceNode else "map")


_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?((0|[1-9][0-9]*)(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
_NULLS = {"", "~", "null", "Null", "NULL"}
_MAYBE_NOT_TEXT = set("0123456789+-.~nNtTfF")


def _scalar(node: ScalarNode):
    """A scalar as YAML 1.2's core schema reads it, so hand-written values keep their meaning.

    YAML 1.1 (PyYAML's default) reads ``no`` and ``on`` as booleans, ``0012`` as the octal
    number 10 and ``14:30`` as 870; here only true/false are booleans and only plain decimal
    numbers are numbers: everything else stays the text the user wrote. Dates stay text too:
    the models decide whether they are real dates.
    """
    raw, tag = node.value, node.tag
    if tag == _PLAIN:
        if raw and raw[0] not in _MAYBE_NOT_TEXT:  # most values are plain text: no pattern to try
            return raw
        if raw in _NULLS:
            return None
        lowered = raw.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if _INT.fullmatch(raw):
            return int(raw)
        if _FLOAT.fullmatch(raw):
            number = float(raw)
            return number if math.isfinite(number) else raw  # 1e400 stays what the user wrote
        return raw
    if tag == _T + "null":
        return None
    if tag == _T + "bool":
        return raw.lower() == "true" if raw.lower() in ("true", "false") else raw
    if tag == _T + "int":
        return int(raw) if _INT.fullmatch(raw) else raw
    if tag == _T + "float":
        return float(raw) if _FLOAT.fullmatch(raw) else raw
    return raw


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_T):] if tag.startswith(_T) else tag


_SCALAR_TAGS = {_PLAIN, _T + "str", _T + "null", _T + "bool", _T + "int", _T + "float", _T + "timestamp"}


class _Walker:
    """Turns a composed node tree into plain values, refusing what a case file may not hold."""

    def __init__(self, file: str, problems: list[Diagnostic], careful: bool = True):
        self.file, self.problems, self.expanded = file, problems, 0
        self.seen: set[int] = set()
        self.careful = careful  # False only for text with no alias (no '*') that cannot nest deeply

    def walk(self, node: Node, depth: int) -> Any:
        if self.careful:
            self._check(node, depth)
        cls = node.__class__
        if cls is ScalarNode:
            if node.tag not in _SCALAR_TAGS:
                raise _Refused(
                    f"YAML tag {_tag_name(node.tag)} is not allowed: case files hold only text, numbers, "
                    "dates, lists and mappings; remove the tag",
                    node, "yaml-tag",
                )
            return _scalar(cast(ScalarNode, node))  # `cls is ScalarNode` (fast) does not narrow the type
        return self._collection(node, depth)

    def _check(self, node: Node, depth: int) -> None:
        # an alias is the same node object met again: count only those re-visits
        if id(node) in self.seen:
            self.expanded += 1
            if self.expanded > MAX_VALUES:
                raise _Refused(
                    f"aliases expand this file by more than {MAX_VALUES:,} values (an alias bomb?); "
                    "remove the repeated aliases (*name) or split the file",
                    node, "yaml-too-many-values",
                )
        else:
            self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep; case files are shallow, check the brackets "
                           "and indentation", node, "yaml-too-deep")

    def _collection(self, node: Node, depth: int) -> Any:
        cls = node.__class__
        if cls is SequenceNode:
            if node.tag != _T + "seq":
                raise _Refused(f"YAML tag {_tag_name(node.tag)} is not allowed; remove the tag", node, "yaml-tag")
            return [self.walk(child, depth + 1) for child in node.value]
        if cls is MappingNode:
            if node.tag != _T + "map":
                raise _Refused(f"YAML tag {_tag_name(node.tag)} is not allowed; remove the tag", node, "yaml-tag")
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.__class__ is not ScalarNode or key_node.tag not in _SCALAR_TAGS:
                    raise _Refused("a key must be plain text", key_node, "yaml-key")
                key = key_node.value
                if key == "<<" and key_node.tag == _PLAIN:
                    raise _Refused("merge keys (<<) are not supported: write the fields out", key_node, "yaml-merge")
                if key in out:
                    first = next(k for k, _ in node.value if k.value == key)
                    self.problems.append(Diagnostic(
                        "error", "duplicate-key",
                        f"duplicate key '{key}' in one mapping (first at line {_mark(first)[0]}); keep one",
                        Location(self.file, *_mark(key_node)), key,
                    ))
                    continue
                out[key] = self.walk(value_node, depth + 1)
            return out
        raise _Refused("unsupported YAML node", node, "yaml-node")  # pragma: no cover


def _positions(source: Path) -> tuple[dict, dict]:
    """The line and column of every value and key of a file that was read successfully before."""
    value_marks: dict[Path_, tuple[int, int]] = {}
    key_marks: dict[Path_, tuple[int, int]] = {}
    try:
        root = yaml.compose(source.read_bytes().decode("utf-8-sig"), Loader=_Loader)
    except (OSError, ValueError, yaml.YAMLError):  # changed since: no positions, diagnostics say line 1
        return value_marks, key_marks
    stack: list[tuple[Node, Path_]] = [(root, ())] if root is not None else []
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        value_marks.setdefault(path, _mark(node))
        if id(node) in seen:  # an alias: its positions are the anchor's
            continue
        seen.add(id(node))
        if node.__class__ is SequenceNode:
            stack.extend((child, path + (i,)) for i, child in enumerate(node.value))
        elif node.__class__ is MappingNode:
            for key_node, value_node in node.value:
                key = path + (key_node.value,)
                if key not in key_marks:  # a duplicate key keeps the first one's place, as the data does
                    key_marks[key] = _mark(key_node)
                    stack.append((value_node, key))
    return value_marks, key_marks


def _may_nest_deeply(text: str) -> bool:
    """Cheap test: could this text nest deeper than MAX_DEPTH? (Most files cannot, and skip the check.)"""
    return (text.count("[") + text.count("{") > MAX_DEPTH or
            re.search(rf"^[ \t-]{{{2 * MAX_DEPTH},}}", text, re.M) is not None)


def _nesting_problem(text: str, rel: str) -> Diagnostic | None:
    """Walk the parser's events (a flat stream, no recursion) and refuse nesting beyond MAX_DEPTH."""
    depth = -1  # the top-level mapping or list is depth 0, as in _Walker
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    assert mark is not None  # the parser marks every event (the stubs allow None)
                    return Diagnostic("error", "yaml-too-deep",
                                      f"nested more than {MAX_DEPTH} levels deep; case files are shallow, "
                                      "check the brackets and indentation", Location(rel, mark.line + 1,
                                                                                     mark.column + 1))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # a syntax error: compose reports it with its location
    return None


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
                          f"file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes, "
                          f"{MAX_FILE_BYTES // 1048576} MiB, per file): split it into several files")
        raw = path.read_bytes()
    except OSError as exc:
        return refuse("file-unreadable", f"cannot read the file ({exc.strerror or exc})")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 3 and (raw[1::2].count(0) > len(raw) // 4
                                                                   or raw[0::2].count(0) > len(raw) // 4)):
        return refuse("not-utf8", "the file is saved as UTF-16 (\"Unicode\"); save it with UTF-8 encoding")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return refuse("not-text", "this is not a text file (it contains NUL bytes): case files must be UTF-8 YAML", line)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start:exc.start].decode("utf-8", "replace")) + 1
        return refuse("not-utf8",
                      f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it with UTF-8 encoding",
                      line, col)
    conflict = conflict_markers(text)
    if conflict is not None:  # checked first: the markers may even parse, as text
        return refuse(*conflict)
    deep = _may_nest_deeply(text)
    if deep:
        depth_problem = _nesting_problem(text, rel)
        if depth_problem is not None:
            problems.append(depth_problem)
            return None, problems
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        hint = explain(text, line, col, str(exc.problem or ""))
        if hint is not None:
            return refuse(*hint)
        what = str(exc.problem or "")
        if exc.context and not str(exc.context).startswith("while"):
            what = f"{exc.context} {what}"
        elif exc.context:
            opened = exc.context_mark
            where = f" (opened at line {opened.line + 1}, column {opened.column + 1})" if opened and \
                (opened.line + 1, opened.column + 1) != (line, col) else ""
            what = f"{exc.context}{where}: {what}"
            if opened is not None and "end of stream" in what:
                line, col = opened.line + 1, opened.column + 1  # fix it where it opens, not at the end
        return refuse("yaml-syntax", f"YAML syntax error: {what}", line, col)
    except yaml.reader.ReaderError as exc:
        position = exc.position if isinstance(exc.position, int) else 0
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        return refuse("yaml-control-character",
                      f"control character U+{exc.character:04X} is not allowed in a YAML file; remove it"
                      if isinstance(exc.character, int) else "a character here is not allowed in a YAML file",
                      line, col)
    except yaml.YAMLError as exc:
        return refuse("yaml-syntax", f"YAML error: {str(exc).splitlines()[0]}")
    except RecursionError:
        return refuse("yaml-too-deep", f"nested too deeply to read (more than {MAX_DEPTH} levels)")
    if root is None or (isinstance(root, ScalarNode) and _scalar(root) is None):
        return refuse("empty-file", "the file is empty: write its content or delete the file")
    doc = YamlDoc(rel, None, Positions(rel, path, _positions))
    careful = deep or "*" in text  # no alias and shallow: skip the per-node guards
    try:
        doc.data = _Walker(rel, problems, careful).walk(root, 0)
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
