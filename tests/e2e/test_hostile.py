"""Hostile inputs: every case of tests/hostile/corpus.json, and the conformance kit's check_bad_inputs.py.

A corpus case changes one file in a fresh copy of tests/roots/minimal, runs one
command (``validate`` unless the case names another) and checks that the program:

- exits with ``expect_exit`` (1 for bad input), never with a traceback or an
  "internal error", within the case's ``timeout`` (default 120 s);
- prints every problem as one ``path:line:col: level: ...`` line, then the
  ``N errors, M warnings`` summary, with exactly as many problem lines as the
  summary counts (a user's text must not be able to forge or split a line);
- prints no raw control, direction or invisible characters, on stdout as on stderr,
  whatever the format (they would drive the terminal or reorder what the user reads);
- names the changed file (or ``expect_file``) with a line number, and, when the
  case records one, prints exactly ``expect`` as its first error line.

Corpus case keys (one case = one small change):

``file``            path in the workspace copy (``@TMP@`` = a folder outside the workspace)
``content``         text written to ``file`` (UTF-8)
``content_hex``     bytes written to ``file``
``replace``         ``[regex, replacement]``: first match (multi-line mode) replaced, literally
``symlink``         ``file`` becomes a symbolic link to this target
``truncate``        ``file`` is created with this size (sparse, NUL bytes): the > 5 MiB case
``delete``          ``file`` is removed
``expand``          ``{"@TOKEN@": [text, count]}``: TOKEN replaced by text * count in content/replacement
``before``          changes applied first (same keys), e.g. a symlink the case then references
``command``         argument list instead of ``["validate"]`` (``--workspace`` is appended)
``expect_exit``     the exit code wanted (1 for bad input)
``expect``          the exact first error line, when the message is clear and correctly located
``expect_file``     the file a message must name (default: ``file``)
``stdout_must_not_contain``  strings that must not be printed (e.g. unescaped markup in the HTML report)
``bug``             a known bug: the case is ``xfail(strict=True)`` with this reason
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import REPO, cli_env, copy_root, invoke_dossier

HOSTILE = REPO / "tests" / "hostile"
CORPUS = json.loads((HOSTILE / "corpus.json").read_text(encoding="utf-8"))
KIT = REPO.parent / "shared" / "conformance"
CHECK_BAD = KIT / "check_bad_inputs.py"
ROOTS = REPO / "tests" / "roots"

DIAG_RE = re.compile(r"^[^:]+:\d+:\d+: (error|warning): ")
SUMMARY_RE = re.compile(r"^(\d+) errors?, (\d+) warnings?$")
# C0 controls but tab and newline, DEL, C1 controls (NEL among them), the bidi embeddings/overrides/isolates/
# marks, line and paragraph separators, zero-width characters and the byte-order mark. Written out here, not
# imported from dossier.textsafety: an oracle that shares the code's definition cannot catch a gap in it.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c"
                         r"\u2028\u2029\u2060\ufeff]")
TRACEBACK = "Traceback (most recent call last)"


# --------------------------------------------------------------------------- applying a case

def _expand(text: str, case: dict, outside: Path) -> str:
    for token, (unit, count) in case.get("expand", {}).items():
        text = text.replace(token, unit * count)
    return text.replace("@TMP@", str(outside))


def apply_case(case: dict, ws: Path, outside: Path) -> None:
    """Apply a corpus case (and its ``before`` steps) to the workspace copy ``ws``."""
    for step in [*case.get("before", []), case]:
        target = Path(_expand(step["file"], case, outside))
        if not target.is_absolute():
            target = ws / target
        target.parent.mkdir(parents=True, exist_ok=True)
        if step.get("delete"):
            target.unlink()
        elif "symlink" in step:
            if target.is_symlink() or target.exists():
                target.unlink()
            target.symlink_to(_expand(step["symlink"], case, outside))
        elif "truncate" in step:
            with open(target, "wb") as handle:
                handle.truncate(step["truncate"])
        elif "content" in step:
            target.write_bytes(_expand(step["content"], case, outside).encode("utf-8"))
        elif "content_hex" in step:
            target.write_bytes(bytes.fromhex(step["content_hex"]))
        elif "replace" in step:
            pattern, replacement = step["replace"]
            replacement = _expand(replacement, case, outside)
            old = target.read_text(encoding="utf-8")
            new = re.sub(pattern, lambda _m, r=replacement: r, old, count=1, flags=re.M)
            assert new != old, f"{case['name']}: the replacement {pattern!r} did not apply to {step['file']}"
            target.write_text(new, encoding="utf-8")
        else:
            raise AssertionError(f"{case['name']}: a step needs content, content_hex, replace, symlink, truncate "
                                 "or delete")


def _params():
    out = []
    for case in CORPUS:
        marks = [pytest.mark.xfail(strict=True, reason=case["bug"])] if case.get("bug") else []
        out.append(pytest.param(case, id=case["name"], marks=marks))
    return out


# --------------------------------------------------------------------------- the corpus

def test_corpus_is_well_formed():
    names = [c["name"] for c in CORPUS]
    assert len(names) == len(set(names)), "case names must be unique"
    allowed = {"name", "file", "content", "content_hex", "replace", "symlink", "truncate", "delete", "expand",
               "before", "command", "expect_exit", "expect", "expect_file", "stdout_must_not_contain", "bug",
               "timeout"}
    for case in CORPUS:
        assert set(case) <= allowed, f"{case['name']}: unknown keys {set(case) - allowed}"
        assert isinstance(case.get("expect_exit"), int), f"{case['name']}: expect_exit is required"
        if case.get("expect"):
            assert DIAG_RE.match(case["expect"]), f"{case['name']}: expect is not a diagnostic line"
    assert sum(1 for c in CORPUS if c["expect_exit"] == 1) >= 60


def _run_case(case: dict, base: Path) -> dict:
    """Apply one case in ``base`` and run its command; returns what the test checks (or the setup error)."""
    outside = base / "outside"
    outside.mkdir(parents=True)
    try:
        ws = copy_root("minimal", base)
        apply_case(case, ws, outside)
    except Exception as exc:  # reported by the case's own test
        return {"setup_error": f"{type(exc).__name__}: {exc}"}
    cwd = base / "cwd"
    cwd.mkdir()
    command = case.get("command", ["validate"])
    timeout = case.get("timeout", 120)
    started = time.monotonic()
    code, out, err = invoke_dossier([*command, "--workspace", ws], cwd=cwd)
    if time.monotonic() - started > timeout:
        return {"timeout": timeout}
    return {"code": code, "out": out, "err": err, "pwned": (outside / "pwned").exists()}


@pytest.fixture(scope="module")
def corpus_results(request, tmp_path_factory):
    """Run every selected corpus case once, in this process one after the other (the CLI through click's
    CliRunner, as conftest's ``run_cli``: a case that took longer than its time limit fails)."""
    selected = {item.callspec.params["case"]["name"] for item in request.session.items
                if getattr(item, "originalname", None) == "test_hostile_input" and hasattr(item, "callspec")}
    cases = [c for c in CORPUS if c["name"] in selected]
    base = tmp_path_factory.mktemp("corpus")
    pwned = Path("/tmp/pwned")
    pwned_before = pwned.exists()
    results = {c["name"]: _run_case(c, base / f"case-{i:03d}") for i, c in enumerate(cases)}
    if not pwned_before and pwned.exists():
        for result in results.values():
            result["pwned"] = True  # which case did it is not known: every case fails
    return results


@pytest.mark.parametrize("case", _params())
def test_hostile_input(case, corpus_results):
    result = corpus_results[case["name"]]
    if "setup_error" in result:
        pytest.fail(result["setup_error"])
    if "timeout" in result:
        pytest.fail(f"`dossier {' '.join(case.get('command', ['validate']))}` did not finish in {result['timeout']} s")
    code, out, err = result["code"], result["out"], result["err"]
    log = out + err

    assert TRACEBACK not in log, f"traceback:\n{log[-3000:]}"
    assert "internal error" not in err, f"internal error:\n{err[-2000:]}"
    assert code == case["expect_exit"], f"exit {code}, wanted {case['expect_exit']}:\n{err[-2000:]}"
    assert not result["pwned"], "a YAML tag ran a command (pwned file created)"

    raw = RAW_CONTROL.findall(err)
    assert not raw, f"raw control/bidi characters on stderr: {sorted(set(map(ascii, raw)))}\n{err[-1000:]!a}"
    raw = RAW_CONTROL.findall(out)  # JSON and HTML too: they are written in their own escapes
    assert not raw, f"raw control/bidi characters on stdout: {sorted(set(map(ascii, raw)))}"
    for text in case.get("stdout_must_not_contain", []):
        assert text not in out, f"stdout contains {text!r}"

    lines = [line for line in err.splitlines() if line.strip()]
    diagnostics = [line for line in lines if not line.startswith(("rendered out/", "built "))]
    if code == 1 or diagnostics:
        assert diagnostics, "nothing on stderr"
        summary = SUMMARY_RE.match(diagnostics[-1])
        assert summary, f"the last line is not the 'N errors, M warnings' summary: {diagnostics[-1]!r}"
        problems = diagnostics[:-1]
        for line in problems:
            assert DIAG_RE.match(line), f"not a 'path:line:col: level: ' line: {line!r}"
        assert len(problems) == int(summary[1]) + int(summary[2]), \
            f"{len(problems)} problem lines but the summary says {diagnostics[-1]!r}:\n" + "\n".join(problems)
    if code == 1:
        errors = [line for line in diagnostics if ": error: " in line]
        assert errors, "exit 1 without an error line"
        named = case.get("expect_file", case["file"])
        assert re.search(r"(^|\n)" + re.escape(named) + r":\d+:\d+: error: ", err), \
            f"no '{named}:LINE:COL: error:' line:\n{err}"
        if case.get("expect"):
            assert errors[0] == case["expect"]


# --------------------------------------------------------------------------- check_bad_inputs.py

def _run_kit(dossier: str, tmp_path: Path, workspace: Path, mutations: list[dict],
             timeout: float) -> tuple[int, str]:
    mfile = tmp_path / "mutations.json"
    mfile.write_text(json.dumps(mutations), encoding="utf-8")
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    # the kit copies the workspace into a TemporaryDirectory: TMPDIR keeps it inside tmp_path
    cmd = [sys.executable, str(CHECK_BAD), "--workspace", str(workspace), "--mutations", str(mfile),
           "--dossier", dossier]
    try:
        proc = subprocess.run(cmd, cwd=tmp_path, env=cli_env({"TMPDIR": str(tmp)}), capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, f"check_bad_inputs.py did not finish in {timeout} s"
    return proc.returncode, proc.stdout + proc.stderr


MUTATION_SETS = [
    ("example", KIT / "example", KIT / "example" / "mutations.json"),
    ("minimal", ROOTS / "minimal", HOSTILE / "mutations-minimal.json"),
    ("editions", ROOTS / "editions", HOSTILE / "mutations-editions.json"),
]


def _subset(path: Path, build: bool) -> list[dict]:
    mutations = json.loads(path.read_text(encoding="utf-8"))
    return [m for m in mutations if (m.get("mode", "validate") == "build") == build]


def test_mutation_files_are_well_formed():
    for name in ("minimal", "editions"):
        mutations = json.loads((HOSTILE / f"mutations-{name}.json").read_text(encoding="utf-8"))
        names = [m["name"] for m in mutations]
        assert len(names) == len(set(names)), f"{name}: mutation names must be unique"
        for m in mutations:
            assert ("content" in m) + ("content_hex" in m) + ("replace" in m) == 1, m["name"]
            if m.get("mode") == "build":
                assert m.get("expect_exit") == 0 and "117649" in m.get("must_not_contain", []), m["name"]
    total = sum(len(json.loads((HOSTILE / f"mutations-{n}.json").read_text())) for n in ("minimal", "editions"))
    assert total >= 30


KIT_TESTS = {"test_check_bad_inputs_validate": False, "test_check_bad_inputs_build": True}


@pytest.fixture(scope="module")
def kit_results(request, tmp_path_factory, forked_dossier) -> Iterator[dict[tuple[str, bool], Future]]:
    """Every selected run of check_bad_inputs.py (one per mutation set and mode), started together on first use
    in two threads, builds first: each run is a chain of separate processes, so two keep both cores busy. Each
    `dossier` command is a process forked from a server that imported the CLI once (conftest's
    ``forked_dossier``)."""
    selected = {(item.callspec.params["name"], KIT_TESTS[item.originalname]) for item in request.session.items
                if getattr(item, "originalname", None) in KIT_TESTS and hasattr(item, "callspec")}
    runs = sorted(selected, key=lambda run: (not run[1], run[0] == "example", run[0]))  # the longest first
    sets = {name: (workspace, mutations) for name, workspace, mutations in MUTATION_SETS}
    pool = ThreadPoolExecutor(max_workers=2)
    futures = {}
    for name, build in runs:
        workspace, mutations = sets[name]
        folder = tmp_path_factory.mktemp(f"kit-{name}-{'build' if build else 'validate'}")
        futures[name, build] = pool.submit(_run_kit, forked_dossier, folder, workspace, _subset(mutations, build),
                                           1800 if build else 900)
    yield futures
    pool.shutdown(cancel_futures=True)  # what a stopped session (-x) did not wait for is not started


@pytest.mark.skipif(not CHECK_BAD.is_file(), reason=f"conformance kit not found at {KIT}")
@pytest.mark.parametrize("name,workspace,mutations", MUTATION_SETS, ids=[s[0] for s in MUTATION_SETS])
def test_check_bad_inputs_validate(kit_results, name, workspace, mutations):
    subset = _subset(mutations, build=False)
    assert subset
    code, out = kit_results[name, False].result()
    assert code == 0, f"check_bad_inputs.py on {name} (validate mutations):\n{out[-6000:]}"
    assert out.strip().splitlines()[-1] == f"{len(subset)} passed, 0 failed"


@pytest.mark.slow
@pytest.mark.skipif(not CHECK_BAD.is_file(), reason=f"conformance kit not found at {KIT}")
@pytest.mark.parametrize("name,workspace,mutations", MUTATION_SETS, ids=[s[0] for s in MUTATION_SETS])
def test_check_bad_inputs_build(kit_results, name, workspace, mutations):
    subset = _subset(mutations, build=True)
    assert subset
    code, out = kit_results[name, True].result()
    assert code == 0, f"check_bad_inputs.py on {name} (build mutations):\n{out[-6000:]}"
    assert out.strip().splitlines()[-1] == f"{len(subset)} passed, 0 failed"
