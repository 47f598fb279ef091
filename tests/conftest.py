"""Shared fixtures: workspaces copied from tests/roots/, the CLI run as a user runs it, builds made once.

- ``invoke_dossier`` (the ``run_cli`` fixture): the CLI run in this process through click's ``CliRunner``,
  as a user's command line runs it (same arguments, exit code, stdout and stderr, a fresh empty current
  folder, the same environment), without the second or so a new interpreter takes to start and import.
- ``run_dossier``, ``cli_env`` and ``dossier_command``: the one way the tests run ``python -m dossier`` in
  a subprocess, for what needs a process of its own (a terminal, a kill, a lock held by another process,
  the shared builds, the conformance kit).
- ``built_workspace`` / ``copy_built``: a test root built once per session and shared, read-only, by every
  test that only reads its outputs; a test that changes it gets a copy (see :class:`BuiltWorkspaces`).

Nothing here writes into the repository: workspaces are copied into ``tmp_path``,
the CLI runs in a fresh empty folder unless a ``cwd`` is given, and byte-code
caching is off (so no ``__pycache__`` appears beside the sources during a run).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

sys.dont_write_bytecode = True

REPO = Path(__file__).resolve().parents[1]
"""The repository root (the folder holding ``dossier/`` and ``tests/``)."""
ROOTS = REPO / "tests" / "roots"

LINE_RE = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning): (?P<rest>.*)$")
"""One diagnostic line: ``path:line:col: level: [field: ]message``."""
ENGINE_WARNING = re.compile(r"^out/\S+: warning: (?:the PDF engine|refused to fetch).*$", re.M)
"""A warning the PDF engine gave about an output (see dossier/rendering/pdf.py)."""
SUMMARY_RE = re.compile(r"^(?P<errors>\d+) errors?, (?P<warnings>\d+) warnings?$")


class Yaml12Loader(yaml.SafeLoader):
    """YAML as the program reads it, for tests that edit case files: booleans are only true/false (``on:`` stays a
    key)."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                    list("tTfF"))


def copy_root(name: str, dest: Path) -> Path:
    """Copy ``tests/roots/<name>`` to ``dest/<name>`` (symlinks kept as links) and return the copy."""
    source = ROOTS / name
    if not source.is_dir():
        raise FileNotFoundError(f"no test root {source}")
    target = dest / name
    shutil.copytree(source, target, symlinks=True)
    return target


@pytest.fixture
def make_ws(tmp_path):
    """A factory: ``make_ws("minimal")`` or ``make_ws(tmp_path, "minimal")`` copies a root, returns its path."""

    def _make(*args) -> Path:
        if len(args) == 1:
            dest, name = tmp_path, args[0]
        elif len(args) == 2:
            dest, name = Path(args[0]), args[1]
        else:
            raise TypeError("make_ws(name) or make_ws(tmp_path, name)")
        return copy_root(name, dest)

    return _make


# --------------------------------------------------------------------------- the CLI, as a user runs it

# what would change what a run prints, dates or fetches: a debug switch, a fixed build date, colours off,
# a proxy (which would hide a direct fetch)
_UNSET = ("DOSSIER_DEBUG", "SOURCE_DATE_EPOCH", "NO_COLOR", "http_proxy", "https_proxy", "HTTP_PROXY",
          "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


def cli_env(extra: Mapping[str, str] | None = None, columns: int | None = None) -> dict[str, str]:
    """The environment of a ``python -m dossier`` subprocess: this checkout first on the module path, no
    byte-code written beside the sources, UTF-8 streams, none of the variables in ``_UNSET``; then ``extra``
    and, when given, ``COLUMNS`` (the width of the text report)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    for name in _UNSET:
        env.pop(name, None)
    env["no_proxy"] = env["NO_PROXY"] = "*"
    env.update(extra or {})
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return env


def dossier_command(*args: object) -> list[str]:
    """The argument list of ``python -m dossier *args`` (for a test that needs a Popen of its own)."""
    return [sys.executable, "-m", "dossier", *(str(a) for a in args)]


def run_dossier(args: Sequence[object], cwd: Path | str | None = None, timeout: float = 300,
                env: Mapping[str, str] | None = None, columns: int | None = None) -> tuple[int, str, str]:
    """Run ``python -m dossier *args`` in a subprocess; returns (exit code, stdout, stderr).

    ``cwd`` defaults to a fresh empty folder, so a command that writes into the current folder never
    writes into the repository; ``env`` adds variables to :func:`cli_env`'s.
    """
    with tempfile.TemporaryDirectory(prefix="dossier-cwd-") as empty:
        proc = subprocess.run(dossier_command(*args), cwd=str(cwd) if cwd is not None else empty,
                              env=cli_env(env, columns), capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


def invoke_dossier(args: Sequence[object], cwd: Path | str | None = None, timeout: float = 300,
                   env: Mapping[str, str] | None = None, columns: int | None = None) -> tuple[int, str, str]:
    """``dossier *args`` run in this process (click's ``CliRunner``); returns (exit code, stdout, stderr), as
    :func:`run_dossier` does: the current folder is ``cwd`` (default: a fresh empty folder) for the run,
    the environment is :func:`cli_env`'s (the variables of ``_UNSET`` removed, then ``env`` and ``COLUMNS``),
    standard input is empty and the streams are not terminals. An exception the CLI lets through (a bug)
    is printed on stderr as the interpreter would print it, with its traceback, and gives exit code 1.
    ``timeout`` is not enforced (kept for the signature): a test that needs one runs a subprocess."""
    from click.testing import CliRunner

    from dossier.cli import main

    environ: dict[str, str | None] = {name: None for name in _UNSET}
    environ.update(no_proxy="*", NO_PROXY="*", **(env or {}))
    if columns is not None:
        environ["COLUMNS"] = str(columns)
    with tempfile.TemporaryDirectory(prefix="dossier-cwd-") as empty:
        before = os.getcwd()
        os.chdir(str(cwd) if cwd is not None else empty)
        try:
            result = CliRunner().invoke(main, [str(a) for a in args], env=environ, prog_name="python -m dossier")
        finally:
            os.chdir(before)
    err = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit) and result.exc_info:
        err += "".join(traceback.format_exception(*result.exc_info))
    return result.exit_code, result.stdout, err


@pytest.fixture
def run_cli():
    """``run_cli(args, cwd=None, timeout=300, env=None, columns=None)`` -> (exit code, stdout, stderr): the
    CLI in this process (:func:`invoke_dossier`)."""
    return invoke_dossier


FORKSERVER = REPO / "tests" / "forkserver.py"


@pytest.fixture(scope="session")
def forked_dossier() -> Iterator[str]:
    """The ``--dossier`` command for the conformance kit's scripts: each command a process of its own, forked
    from a server that has imported the CLI once this session (tests/forkserver.py says how and why)."""
    folder = Path(tempfile.mkdtemp(prefix="dossier-fork-"))  # short: a socket's path holds 107 bytes at most
    socket_path = folder / "socket"
    server = subprocess.Popen([sys.executable, str(FORKSERVER), "--serve", str(socket_path)], cwd=folder,
                              env=cli_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline() if server.stdout else ""
        if line != "ready\n":
            pytest.fail(f"the dossier fork server did not start: {line!r}", pytrace=False)
        yield f"{shlex.quote(sys.executable)} -S {shlex.quote(str(FORKSERVER))} --connect {shlex.quote(str(socket_path))}"
    finally:
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- workspaces built once a session

@dataclass
class Built:
    """One build of a test root: where it is, what the build printed, and the state of its files after it."""

    path: Path
    code: int
    stdout: str
    stderr: str
    files: dict[str, tuple] = field(default_factory=dict)


def tree_state(root: Path, contents: bool = False) -> dict[str, tuple]:
    """Every path under ``root`` (links not followed) with its kind, size, mode and modification time, and
    with ``contents`` the sha256 of each file: two states differ when anything was written, added or removed."""
    state: dict[str, tuple] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            state[rel] = ("link", os.readlink(path))
        elif path.is_dir():
            state[rel] = ("dir", info.st_mode)
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if contents else ""
            state[rel] = ("file", info.st_size, info.st_mode, info.st_mtime_ns, digest)
    return state


def _differences(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    return [f"{'added' if rel not in before else 'removed' if rel not in after else 'changed'}: {rel}"
            for rel in sorted(set(before) | set(after)) if before.get(rel) != after.get(rel)]


class BuiltWorkspaces:
    """Each test root built once per test session, as Sphinx's testing fixtures share a ``shared_result``.

    ``built_workspace("golden", "--jobs", "2")`` copies tests/roots/golden into the session's temporary
    folder, runs ``dossier build --workspace <copy> --jobs 2`` there the first time it is asked for, and
    returns the copy; the same root and arguments give the same folder to every test after, in every
    xdist worker of the session (the first to ask builds, under a file lock; the others read its record).
    A build that failed fails every test that asks for it, with the build's output. The folders are
    READ-ONLY for the tests: after each test, and in full (file contents) at the end of the session,
    :meth:`check` fails if anything in them changed. A test that changes a workspace works on ``copy_built(...)``.
    """

    def __init__(self, base: Path):
        self.base = base
        self.builds: dict[tuple[str, tuple[str, ...]], Built] = {}

    def __call__(self, name: str, *build_args: object) -> Path:
        return self.result(name, *build_args).path

    def _build(self, name: str, args: tuple[str, ...]) -> Built:
        """Build ``name`` with ``args`` into ``base``, or read the build another process of this session (an
        xdist worker) made there: one build a root and arguments, under a lock, recorded in ``build.json``."""
        digest = hashlib.sha256("\0".join((name, *args)).encode("utf-8")).hexdigest()[:12]
        folder = self.base / f"{name}-{digest}"
        record = folder / "build.json"
        self.base.mkdir(parents=True, exist_ok=True)
        with open(self.base / f"{folder.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed (or its process ends)
            if record.is_file():
                saved = json.loads(record.read_text(encoding="utf-8"))
                return Built(folder / name, saved["code"], saved["stdout"], saved["stderr"],
                             {rel: tuple(value) for rel, value in saved["files"].items()})
            if folder.exists():  # what a process stopped in the middle of a build left
                shutil.rmtree(folder)
            folder.mkdir()
            ws = copy_root(name, folder)
            code, out, err = run_dossier(["build", "--workspace", ws, *args], cwd=folder, timeout=900)
            built = Built(ws, code, out, err, tree_state(ws, contents=True) if code == 0 else {})
            record.write_text(json.dumps({"code": code, "stdout": out, "stderr": err, "files": built.files}),
                              encoding="utf-8")
            return built

    def result(self, name: str, *build_args: object) -> Built:
        """The build of ``tests/roots/<name>`` with ``build_args`` (made on first use)."""
        key = (name, tuple(str(a) for a in build_args))
        if key not in self.builds:
            self.builds[key] = self._build(*key)
        built = self.builds[key]
        if built.code != 0:
            pytest.fail(f"dossier build of tests/roots/{name} {' '.join(key[1])} failed (exit {built.code}):\n"
                        f"{built.stderr[-3000:]}", pytrace=False)
        engine = ENGINE_WARNING.findall(built.stderr)
        if engine:  # as WeasyPrint's own tests fail on any logged warning: our templates must give none
            pytest.fail(f"the PDF engine warned while building tests/roots/{name}:\n" + "\n".join(engine),
                        pytrace=False)
        return built

    def copy(self, build: str | tuple[str, ...], dest: Path, *build_args: object) -> Path:
        """A copy of a built workspace at ``dest/<name>``, for a test that changes it: links kept as links,
        modification times kept (a copy builds again without rendering anything). ``build`` is the root's
        name (then ``build_args``) or one of the ``*_BUILD`` tuples."""
        name, args = (build[0], (*build[1:], *build_args)) if isinstance(build, tuple) else (build, build_args)
        target = Path(dest) / name
        shutil.copytree(self(name, *args), target, symlinks=True)
        return target

    def check(self, contents: bool = False) -> None:
        """Fail if a shared build's folder changed since it was built (``contents``: compare file bytes too)."""
        for (name, args), built in self.builds.items():
            if built.code != 0:
                continue
            now = tree_state(built.path, contents)
            then = built.files if contents else {rel: (*v[:-1], "") if v[0] == "file" else v
                                                 for rel, v in built.files.items()}
            changed = _differences(then, now)
            if changed:
                built.files = tree_state(built.path, contents=True)  # reported once, not by every later test
                pytest.fail(f"a test changed the shared build of tests/roots/{name} {' '.join(args)} (shared "
                            "builds are read-only: use copy_built):\n" + "\n".join(changed[:40]), pytrace=False)


# The shared builds, by (root, build arguments): a module asks for one of these rather than spelling its own
# arguments, so that the modules that read the same outputs share one build.
GOLDEN_BUILD = ("golden", "--jobs", "2")
"""tests/roots/golden, every edition, two renderers: PDF/A, manifests, verify, golden text, page numbers."""
EDITIONS_BUILD = ("editions", "--jobs", "2")
"""tests/roots/editions, every edition, two renderers: incremental builds, manifests, the acceptance kit."""
MINIMAL_BRIEF_BUILD = ("minimal", "--edition", "internal", "--incident", "INC-2022-06-10-LOWMERE", "--jobs", "1")
"""tests/roots/minimal, the internal brief only, rendered inline: locks, verify of a crafted manifest."""


@pytest.fixture(scope="session")
def _built_workspaces(tmp_path_factory) -> Iterator[BuiltWorkspaces]:
    # under pytest-xdist every worker has its own temporary folder in the session's: the builds go beside
    # them, shared by the workers (each root and arguments built once, by the first worker to ask)
    base = tmp_path_factory.getbasetemp()
    workspaces = BuiltWorkspaces((base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "built")
    yield workspaces
    workspaces.check(contents=True)


@pytest.fixture(autouse=True)
def _shared_builds_stay_unchanged(_built_workspaces) -> Iterator[None]:
    """After each test: the shared builds are as they were built (names, sizes, times; bytes at the end)."""
    yield
    _built_workspaces.check()


@pytest.fixture(scope="session")
def built_workspace(_built_workspaces) -> BuiltWorkspaces:
    """``built_workspace(name, *build_args)`` -> the folder of tests/roots/<name> built once this session
    with ``dossier build *build_args`` (READ-ONLY; ``.result(...)`` also gives the build's output)."""
    return _built_workspaces


@pytest.fixture(scope="session")
def copy_built(_built_workspaces):
    """``copy_built(name, dest, *build_args)`` or ``copy_built(EDITIONS_BUILD, dest)`` -> a copy, at
    ``dest/<name>``, of a shared build, for a test that changes it."""
    return _built_workspaces.copy


def _edit(ws: Path, rel: str, old: str, new: str, count: int = 1) -> Path:
    """Replace ``old`` by ``new`` in ``ws/rel``; ``old`` must occur exactly ``count`` times."""
    path = ws / rel
    text = path.read_text(encoding="utf-8")
    found = text.count(old)
    assert found == count, f"{rel}: expected {count} occurrence(s) of {old!r}, found {found}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.fixture
def edit():
    """``edit(ws, "evidence/items/report.yaml", old, new)``: a checked in-place text replacement."""
    return _edit


def _diagnostics(ws: Path) -> tuple[object | None, list[str]]:
    """Load a workspace in-process, as `dossier validate` does.

    Returns (the case or None if it has errors, every diagnostic line as printed,
    sorted as the CLI sorts them).
    """
    from dossier.diagnostics import Diagnostic, InputError
    from dossier.pipeline.session import load as load_case

    try:
        case = load_case(ws)
    except InputError as exc:
        return None, [d.format() for d in sorted(exc.diagnostics, key=Diagnostic.shown_key)]
    return case, [d.format() for d in sorted(case.warnings, key=Diagnostic.sort_key)]


@pytest.fixture
def diagnose():
    """``diagnose(ws)`` -> (case or None, printed diagnostic lines): an in-process `validate`."""
    return _diagnostics


def problem_lines(stderr: str) -> list[str]:
    """The diagnostic lines of a `validate` run's stderr (the summary line removed), checked for form."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines, "no output on stderr"
    assert SUMMARY_RE.match(lines[-1]), f"last line is not the 'N errors, M warnings' summary: {lines[-1]!r}"
    for line in lines[:-1]:
        assert LINE_RE.match(line), f"not in the path:line:col: level: message form: {line!r}"
    return lines[:-1]


@pytest.fixture
def problems():
    """``problems(stderr)`` -> the diagnostic lines, each checked to be ``path:line:col: level: ...``."""
    return problem_lines


def pdf_strings_of(obj, depth: int = 0) -> list[str]:
    """The strings inside one object, not following indirect references (each is visited on its own)."""
    import pikepdf

    if depth > 50:
        return []
    if isinstance(obj, pikepdf.String):
        return [str(obj)]
    if isinstance(obj, pikepdf.Array):
        return [s for v in obj if not getattr(v, "is_indirect", False) for s in pdf_strings_of(v, depth + 1)]
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        out = []
        for key in obj.keys():
            value = obj.get(key)
            if value is not None and not getattr(value, "is_indirect", False):
                out.extend(pdf_strings_of(value, depth + 1))
        return out
    return []
