"""Property-based fuzzing of the loader with hypothesis: whatever a case file holds, loading it
returns a Case or raises InputError (never anything else), and every diagnostic is located
(a workspace-relative file, line >= 1, col >= 1, within the file).

The valid files of tests/roots/minimal are mutated:
- structurally (parsed, then fields dropped, retyped, garbled, given markup or hostile values, dumped again);
- as bytes (truncated at any offset, bytes inserted or flipped, lines deleted or duplicated,
  YAML syntax and markup injected).
A few examples also run through the CLI, in this process (exit 0 or 1, never a traceback).

Deterministic in CI (``derandomize=True``, no example database). For a longer run:

    DOSSIER_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest -q tests/unit/test_fuzz.py
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from dossier.diagnostics import Diagnostic, InputError
from dossier.models.loaded import Case
from dossier.pipeline.session import load as load_case

from conftest import ROOTS, Yaml12Loader, invoke_dossier

MINIMAL = ROOTS / "minimal"
FILES = sorted(p.relative_to(MINIMAL).as_posix() for p in (MINIMAL / "evidence").rglob("*.yaml"))
ORIGINAL = {rel: (MINIMAL / rel).read_bytes() for rel in FILES}

# hypothesis keeps caches in ./.hypothesis even without an example database: not in the repository
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "dossier-tests-hypothesis"))

_LONG_RUN = int(os.environ.get("DOSSIER_FUZZ_EXAMPLES", "0") or 0)
settings.register_profile("dossier-fuzz", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.function_scoped_fixture])
settings.load_profile("dossier-fuzz")


def examples(default: int) -> int:
    """``default`` examples, or DOSSIER_FUZZ_EXAMPLES for a longer run (the CLI ones scaled down)."""
    return max(default, _LONG_RUN) if _LONG_RUN else default


TRACEBACK = "Traceback (most recent call last)"


# --------------------------------------------------------------------------- YAML as the program reads it

PARSED = {rel: yaml.load(raw.decode("utf-8"), Loader=Yaml12Loader) for rel, raw in ORIGINAL.items()}


# --------------------------------------------------------------------------- values and fragments

MARKUP = [
    "{{ 7*7*7*7*7*7 }}", "{% include '/etc/passwd' %}", "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    '<img src="file:///etc/hostname">', '<img src="http://127.0.0.1:9/x.png">', "<script>alert(1)</script>",
    '<link rel=attachment href="file:///etc/passwd">', "<style>@import url(http://127.0.0.1:9/s.css)</style>",
    "]]></x><!--", "&amp;&#0;&#xD800;", "%s%n%x{0}{}",
]
HOSTILE_VALUES = [
    "2019-02-30", "2019-13-01", "2022-06-11T08:10:00", "2022-06-11T25:10:00Z", "0001-01-01", "9999-12-31", "G", "b",
    0, 7, -1, 91, -181, 1e308, float("inf"), float("nan"), 10 ** 40, -(10 ** 40), "high", True, False, None, "", " ",
    "x" * 130, "y" * 1001, "EV-\u202e1R", "EV\u0007", "EV\nR1", "../../etc/passwd", "/etc/passwd",
    "files/../../x", "file:///etc/passwd", "javascript:alert(1)", "CON", "completeness", "case-dossier",
    "rs-8-2-e-iv/9", "rs-8-2-e-iv", "nope/1", "SRC-NOPE", "INC-NOPE", "EV-R1", "EV-M1", "VAL", "ZZZ",
    [], {}, [None], [[[]]], {"a": {"b": {}}}, ["EV-R1", "EV-R1"], {"element": "rs-8-2-e-iv/1"}, *MARKUP,
]
SYNTAX = [
    "&a ", "*a", "*undefined", "!!python/object/apply:os.system ['true'] ", "!custom ", "!!binary ", "!!set ",
    "{", "}", "[", "]", "- ", ": ", "? ", "<<: *a\n", "\t", "%YAML 1.1\n", "---\n", "...\n", "|\n", ">-\n", "'",
    '"', "# ", "@", "`", "\ufeff", "\x00", "\r", "\u2028", "key: value\n", "key: value\nkey: again\n",
    "  - - - [", "a: &x [*x]\n", *MARKUP,
]

scalars = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.none(), st.booleans(), st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=8), scalars, max_size=3))


def _paths(data, prefix=()):
    """Every path to a value inside parsed YAML (mapping keys and list indexes)."""
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_paths(value, prefix + (key,)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_paths(value, prefix + (i,)))
    return out


def _parent(data, path):
    for part in path[:-1]:
        data = data[part]
    return data


def _garble(draw, text: str) -> str:
    if not text:
        return draw(st.text(min_size=1, max_size=5))
    i = draw(st.integers(0, len(text) - 1))
    how = draw(st.sampled_from(["insert", "replace", "cut", "case"]))
    piece = draw(st.text(min_size=1, max_size=4))
    if how == "insert":
        return text[:i] + piece + text[i:]
    if how == "replace":
        return text[:i] + piece + text[i + 1:]
    if how == "cut":
        return text[:i]
    return text.swapcase()


@st.composite
def structural_mutation(draw):
    """(file, new content): a file parsed, changed 1-4 times, dumped again."""
    import copy

    rel = draw(st.sampled_from(FILES))
    data = copy.deepcopy(PARSED[rel])
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["drop", "retype", "garble", "garble key", "markup", "add field"]))
        if not path:  # the whole document
            if op in ("retype", "markup"):
                data = draw(values) if op == "retype" else draw(st.sampled_from(MARKUP))
            continue
        parent, last = _parent(data, path), path[-1]
        if op == "drop":
            del parent[last]
        elif op == "retype":
            parent[last] = draw(values)
        elif op == "markup":
            parent[last] = draw(st.sampled_from(MARKUP)) + " " + str(parent[last])[:50]
        elif op == "garble":
            parent[last] = _garble(draw, parent[last] if isinstance(parent[last], str) else str(parent[last]))
        elif op == "garble key" and isinstance(parent, dict):
            new = _garble(draw, str(last))
            parent[new] = parent.pop(last)
        elif op == "add field" and isinstance(parent[last], dict):
            parent[last][draw(st.sampled_from(["id", "type", "witness", "summary", "x", "derived_from",
                                                "intercept", "<<", "on"]))] = draw(values)
        paths = None
    text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False,
                          default_flow_style=draw(st.sampled_from([False, None, True])))
    return rel, text.encode("utf-8")


@st.composite
def byte_mutation(draw):
    """(file, new content): the original bytes changed 1-3 times."""
    rel = draw(st.sampled_from(FILES))
    raw = ORIGINAL[rel]
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["truncate", "insert bytes", "flip", "delete line", "duplicate line",
                                   "inject syntax", "inject at line start", "swap lines"]))
        offset = draw(st.integers(0, len(raw)))
        lines = raw.split(b"\n")
        n = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "truncate":
            raw = raw[:offset]
        elif op == "insert bytes":
            raw = raw[:offset] + draw(st.binary(min_size=1, max_size=8)) + raw[offset:]
        elif op == "flip" and raw:
            offset = min(offset, len(raw) - 1)
            raw = raw[:offset] + bytes([draw(st.integers(0, 255))]) + raw[offset + 1:]
        elif op == "delete line":
            raw = b"\n".join(lines[:n] + lines[n + 1:])
        elif op == "duplicate line":
            raw = b"\n".join(lines[:n + 1] + lines[n:])
        elif op == "swap lines" and len(lines) > 1:
            m = draw(st.integers(0, len(lines) - 1))
            lines[n], lines[m] = lines[m], lines[n]
            raw = b"\n".join(lines)
        elif op == "inject syntax":
            raw = raw[:offset] + draw(st.sampled_from(SYNTAX)).encode("utf-8") + raw[offset:]
        elif op == "inject at line start":
            lines[n] = draw(st.sampled_from(SYNTAX)).encode("utf-8") + lines[n]
            raw = b"\n".join(lines)
    return rel, raw


# --------------------------------------------------------------------------- the property

@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "minimal"
    shutil.copytree(MINIMAL, target, symlinks=True)
    return target


def _check_location(ws: Path, d: Diagnostic) -> None:
    loc = d.location
    assert d.level in ("error", "warning"), d
    assert d.message, d
    assert isinstance(loc.file, str) and loc.file, f"no file: {d.format()!a}"
    assert not loc.file.startswith("/") and not re.match(r"^[A-Za-z]:", loc.file), f"absolute path: {d.format()!a}"
    assert isinstance(loc.line, int) and loc.line >= 1, f"line < 1: {d.format()!a}"
    assert isinstance(loc.col, int) and loc.col >= 1, f"col < 1: {d.format()!a}"
    path = ws / loc.file
    if path.is_file() and loc.file.startswith("evidence/"):
        text = path.read_bytes().decode("utf-8", "replace")
        breaks = len(re.findall("\r\n|\r|\n|\x85|\u2028|\u2029", text))  # YAML's line breaks (and editors')
        assert loc.line <= breaks + 2, f"line beyond the end of the file: {d.format()!a}"


def load_and_check(ws: Path, rel: str, content: bytes) -> None:
    """Write ``content`` to ``ws/rel``, load, check the property, restore the file."""
    path = ws / rel
    path.write_bytes(content)
    try:
        try:
            case = load_case(ws)
        except InputError as exc:
            assert exc.diagnostics, "InputError without a diagnostic"
            assert any(d.level == "error" for d in exc.diagnostics), "InputError without an error"
            for d in exc.diagnostics:
                _check_location(ws, d)
        else:
            assert isinstance(case, Case)
            for d in case.warnings:
                _check_location(ws, d)
    finally:
        path.write_bytes(ORIGINAL[rel])


def test_the_unmutated_root_loads(workspace):
    assert isinstance(load_case(workspace), Case)


@settings(max_examples=examples(400))
@given(mutation=structural_mutation())
def test_structural_mutations_are_refused_cleanly(workspace, mutation):
    load_and_check(workspace, *mutation)


@settings(max_examples=examples(400))
@given(mutation=byte_mutation())
def test_byte_mutations_are_refused_cleanly(workspace, mutation):
    load_and_check(workspace, *mutation)


@settings(max_examples=examples(150))
@given(rel=st.sampled_from(FILES), data=st.data())
def test_truncation_at_any_offset(workspace, rel, data):
    raw = ORIGINAL[rel]
    load_and_check(workspace, rel, raw[:data.draw(st.integers(0, len(raw)), label="offset")])


@settings(max_examples=examples(150))
@given(rel=st.sampled_from(FILES), fragment=st.sampled_from(SYNTAX + MARKUP), data=st.data())
def test_yaml_syntax_and_markup_injected_anywhere(workspace, rel, fragment, data):
    raw = ORIGINAL[rel]
    offset = data.draw(st.integers(0, len(raw)), label="offset")
    load_and_check(workspace, rel, raw[:offset] + fragment.encode("utf-8") + raw[offset:])


@settings(max_examples=max(8, examples(8) // 50))
@given(mutation=st.one_of(structural_mutation(), byte_mutation()))
def test_cli_exits_0_or_1_without_traceback(workspace, mutation):
    rel, content = mutation
    path = workspace / rel
    path.write_bytes(content)
    try:
        code, out, err = invoke_dossier(["validate", "--workspace", workspace])
    finally:
        path.write_bytes(ORIGINAL[rel])
    assert TRACEBACK not in out + err, err[-3000:]
    assert "internal error" not in err, err[-3000:]
    assert code in (0, 1), f"exit {code}:\n{err[-3000:]}"
