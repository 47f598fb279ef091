"""The dossier benchmark: measures dossier against its anchors and rewrites BENCHMARKS.md.

    .venv/bin/python benchmarks/run.py            # the full run (about 15 minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --quick    # a small smoke run (writes to --output, default BENCHMARKS.md)
    .venv/bin/python benchmarks/run.py --sheets-import   # only `dossier import` against openpyxl's bare read
    .venv/bin/python benchmarks/run.py --scale    # only the 200-incident case (benchmarks/scale.py, its own options)

It generates synthetic cases in the case format (benchmarks/synth.py): a loading case (10,000 items over
250 incidents) and a building case (20 incidents, 300 items), then measures, side by side in one run:

(a) ``dossier validate`` and ``dossier report`` against merely parsing the same YAML files with libyaml
    (``yaml.load(f, Loader=yaml.CSafeLoader)``) in a fresh ``python -c`` process; interpreter start-up is
    in both figures;
(b) a full build (``dossier build --force --jobs 2``) against rendering the same HTML with WeasyPrint
    sequentially in one process (the raw engine time: the best one core can do);
(c) a no-op rebuild and a one-item-edit rebuild against the full build;
(d) ``--jobs 1`` against ``--jobs 2``;
(e) peak memory (``/usr/bin/time``'s maximum resident set size, or ``getrusage`` of the child).

Each timing runs 3 times and the median is kept; long builds run fewer times (the file says how many).
Benchmarks measure; tests never assert timings. Progress goes to standard error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from synth import make_case  # noqa: E402

PYTHON = sys.executable
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
MB = 1024 * 1024

TARGETS = {
    "validate": 1.5,   # x the libyaml parse of the same files
    "report": 2.0,     # x the libyaml parse
    "build": 0.55,     # x the sequential raw WeasyPrint time
    "noop": 0.02,      # x the full build
    "edit": 0.15,      # x the full build
    "memory_mb": 500,  # peak, for 10,000 items
}

# The libyaml anchor: a fresh interpreter that parses every YAML file under evidence/ and nothing else.
ANCHOR = r"""
import json, os, sys, time
t0 = time.perf_counter()
import yaml
t1 = time.perf_counter()
n = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(folder, name), "rb") as f:
                yaml.load(f, Loader=yaml.CSafeLoader)
            n += 1
t2 = time.perf_counter()
print(json.dumps({"files": n, "imports": t1 - t0, "parse": t2 - t1}))
"""


# --------------------------------------------------------------------------------------------------------------
# Running and measuring a child process

_T0 = time.monotonic()
_LOADS: list[float] = []


def log(message: str) -> None:
    print(f"[{time.monotonic() - _T0:6.0f} s] {message}", file=sys.stderr, flush=True)


def _loadavg() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")


@dataclass
class Run:
    wall: float
    user: float | None = None
    sys: float | None = None
    maxrss_kb: int | None = None  # the largest single process (time -v / getrusage)
    tree_peak_kb: int | None = None  # the largest sum over the whole process tree (sampled)
    rc: int = 0
    stdout: str = ""
    stderr: str = ""


class _TreeSampler(threading.Thread):
    """Samples the summed resident memory of a process's descendants (the build's workers included)."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self.stopped = threading.Event()
        self.page_kb = os.sysconf("SC_PAGE_SIZE") // 1024

    def _sample(self) -> int:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
        total, todo = 0, list(children.get(self.pid, []))
        while todo:
            pid = todo.pop()
            todo.extend(children.get(pid, []))
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self.page_kb
            except (OSError, ValueError, IndexError):
                pass
        return total

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.peak_kb = max(self.peak_kb, self._sample())


# Fallback when /usr/bin/time is missing: a wrapper whose only child is the command, so that
# getrusage(RUSAGE_CHILDREN) is that command's (its largest process's) peak.
_RUSAGE_WRAPPER = r"""
import json, resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    json.dump({"user": u.ru_utime, "sys": u.ru_stime, "maxrss": u.ru_maxrss}, f)
sys.exit(rc)
"""


def measure(cmd: list[str], cwd: Path | None = None, sample_tree: bool = False) -> Run:
    """Run ``cmd`` once; wall time, CPU time and peak memory. Standard output and error are kept."""
    _LOADS.append(_loadavg())
    with tempfile.TemporaryDirectory() as tmp:
        usage = Path(tmp) / "usage"
        out, err = Path(tmp) / "out", Path(tmp) / "err"
        if TIME:
            full = [TIME, "-o", str(usage), "-f", "%e %U %S %M", *cmd]
        else:
            full = [PYTHON, "-c", _RUSAGE_WRAPPER, str(usage), *cmd]
        with out.open("wb") as fo, err.open("wb") as fe:
            start = time.perf_counter()
            proc = subprocess.Popen(full, cwd=cwd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL)
            sampler = _TreeSampler(proc.pid) if sample_tree else None
            if sampler:
                sampler.start()
            rc = proc.wait()
            wall = time.perf_counter() - start
            if sampler:
                sampler.stopped.set()
                sampler.join()
        run = Run(wall, rc=rc, stdout=out.read_text(errors="replace"), stderr=err.read_text(errors="replace"),
                  tree_peak_kb=sampler.peak_kb if sampler else None)
        try:
            text = usage.read_text()
            if TIME:
                # GNU time prefixes "Command exited with non-zero status N" on failure: take the last line
                _e, user, sys_, rss = text.strip().splitlines()[-1].split()
                run.user, run.sys, run.maxrss_kb = float(user), float(sys_), int(rss)
            else:
                data = json.loads(text)
                run.user, run.sys, run.maxrss_kb = data["user"], data["sys"], int(data["maxrss"])
        except (OSError, ValueError, KeyError):
            pass
    return run


_CAPACITY: dict[str, float] = {}
_SPIN = "import time\nend = time.perf_counter() + {seconds}\nwhile time.perf_counter() < end:\n    pass\n"


def capacity(label: str, seconds: float = 2.0) -> float:
    """How many cores this benchmark can get right now: one busy process per core for ``seconds``, and the
    CPU time they were given divided by the wall time (2.0 on an idle 2-core machine)."""
    import resource

    cores = os.cpu_count() or 1
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    procs = [subprocess.Popen([PYTHON, "-c", _SPIN.format(seconds=seconds)]) for _ in range(cores)]
    for proc in procs:
        proc.wait()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    got = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / wall
    _CAPACITY[label] = got
    log(f"    cores available ({label}): {got:.2f} of {cores}")
    return got


def check(run: Run, what: str) -> Run:
    if run.rc != 0:
        sys.exit(f"benchmark: {what} failed with exit code {run.rc}:\n{run.stderr[-3000:]}")
    return run


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def dossier_cmd() -> list[str]:
    script = Path(PYTHON).parent / "dossier"
    return [str(script)] if script.exists() else [PYTHON, "-m", "dossier"]


def helper(name: str, *args: str, script: str | Path | None = None) -> dict:
    """Run one of this file's in-process helpers (or ``script``'s: benchmarks/scale.py has its own) in a fresh
    interpreter; its JSON answer."""
    proc = subprocess.run([PYTHON, str(Path(script or __file__).resolve()), "--helper", name, *args],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        sys.exit(f"benchmark: helper {name} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------------------------
# Helpers run inside a fresh interpreter (python benchmarks/run.py --helper NAME ...)

def _editions() -> list[str]:
    try:
        from dossier.models.common import EDITIONS
        return list(EDITIONS)
    except ImportError:  # pragma: no cover
        return ["internal", "un", "public"]


def _plan_jobs(case) -> tuple[list[tuple[str, object]], list[str]]:
    """Every (kind, RenderJob) the engine renders in ``dossier build``, from ``dossier.pipeline.plan.plan``: the
    parts of every document (a brief's part once: the case dossier's chapters are the same rendering), and each
    document's front part with its contents' page numbers not yet known. Kinds: ``brief``, ``completeness`` (its
    head, sections and warnings), ``dossier part`` (the exhibit index), ``dossier front``."""
    from dossier.pipeline.plan import plan

    documents, _data, failures = plan(case, _editions(), [])
    notes = [f"{rel} not planned: {why}" for rel, why in failures]
    found: dict[str, tuple[str, object]] = {}
    for doc in documents:
        if doc.rel.startswith("submissions/"):
            continue
        report = doc.rel.endswith("/completeness.pdf")
        for placed in doc.parts:
            job = placed.job
            kind = "brief" if job.name.startswith("brief-") else "completeness" if report else "dossier part"
            found.setdefault(job.rel, (kind, job))
        if doc.front is not None:
            front = doc.front(doc.guess, [1] * len(doc.parts))
            found.setdefault(front.rel, ("completeness" if report else "dossier front", front))
    return list(found.values()), notes


def _helper_raw_weasyprint(workspace: str, select=None, warm: bool = False) -> dict:
    """The same HTML as ``dossier build`` (all three editions), rendered by bare WeasyPrint, one after another.

    In process (benchmarks/scale.py), ``select(jobs) -> (jobs, notes)`` keeps only some of the planned
    ``(kind, job)`` pairs; ``warm`` renders the first kept job once, untimed, before the timed ones (fonts and
    caches loaded, as in a worker that has rendered before)."""
    t0 = time.perf_counter()
    import weasyprint

    from dossier.pipeline.session import load as load_case
    t1 = time.perf_counter()
    case = load_case(Path(workspace))
    t2 = time.perf_counter()
    jobs, notes = _plan_jobs(case)
    if select is not None:
        jobs, more = select(jobs)
        notes = [*notes, *more]
    t3 = time.perf_counter()

    def engine(job) -> bytes:
        # base_url as the build gives it, so any relative resource resolves the same way (none in the
        # synthetic case: it has no exhibit files); no PDF/A variant, no attachment, no URL fetcher.
        roots = getattr(job, "roots", ())
        base = roots[0].as_uri() + "/" if roots else None
        return weasyprint.HTML(string=job.html, base_url=base).write_pdf(
            stylesheets=[weasyprint.CSS(string=job.css, base_url=base)])

    if warm and jobs:
        engine(jobs[0][1])
    rendered = []
    for kind, job in jobs:
        start, cpu = time.perf_counter(), time.process_time()
        pdf = engine(job)
        name = getattr(job, "rel", None) or f"{job.edition}/{job.name}"
        rendered.append({"kind": kind, "name": name, "html_bytes": len(job.html.encode()), "pdf_bytes": len(pdf),
                         "seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu})
    return {"imports": t1 - t0, "load": t2 - t1, "plan": t3 - t2, "jobs": rendered, "notes": notes,
            "engine": sum(j["seconds"] for j in rendered), "engine_cpu": sum(j["cpu"] for j in rendered)}


def _helper_phases(command: str, workspace: str) -> dict:
    """Where one ``dossier validate`` / ``report`` spends its time, phase by phase (in one process)."""
    t0 = time.perf_counter()
    import dossier.cli  # noqa: F401  (what the console script imports first)
    from dossier.pipeline.session import load as load_case
    t1 = time.perf_counter()
    case = load_case(Path(workspace))
    t2 = time.perf_counter()
    if command == "validate":
        from dossier.rendering.summary import case_summary
        case_summary(case)
    else:
        from dossier.console import render
        from dossier.pipeline.outputs import write_report
        render(write_report(case, "internal", "text", None))  # the lines as the printer makes them
    t3 = time.perf_counter()
    return {"imports": t1 - t0, "load": t2 - t1, "rest": t3 - t2}


def _short(func: tuple) -> str:
    filename, line, name = func
    if filename == "~":
        return name
    text = filename.replace("\\", "/")
    if "/site-packages/" in text:
        text = text.split("/site-packages/", 1)[1]
    elif "/dossier/" in text:
        text = "dossier/" + text.rsplit("/dossier/", 1)[1]
    else:
        text = re.sub(r"^.*/lib/python3[.0-9]*/", "", text)
    return f"{text}:{line}({name})"


def _package(func: tuple) -> str:
    filename = func[0].replace("\\", "/")
    if filename == "~":
        return "built-ins and C extensions"
    if "/site-packages/" in filename:
        return filename.split("/site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if "/dossier/" in filename:
        return "dossier"
    return "Python standard library"


def _helper_profile(command: str, workspace: str) -> dict:
    """cProfile of loading (and, for report, of the report after loading): the top functions."""
    import cProfile
    import pstats

    from dossier.pipeline.session import load as load_case

    def top(profile: cProfile.Profile) -> dict:
        stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
        rows = [{"func": _short(f), "package": _package(f), "calls": nc, "tottime": tt, "cumtime": ct}
                for f, (_cc, nc, tt, ct, _callers) in stats.items()]
        total = max((r["cumtime"] for r in rows), default=0.0)
        by_self = sorted(rows, key=lambda r: -r["tottime"])[:12]
        ours = sorted((r for r in rows if r["func"].startswith("dossier/")), key=lambda r: -r["cumtime"])[:12]
        packages: dict[str, float] = {}
        for r in rows:
            packages[r["package"]] = packages.get(r["package"], 0.0) + r["tottime"]
        stages = {}
        for stage in ("read_yaml", "walk", "_mark", "validate", "cross_check", "consistency_warnings",
                      "_yaml_files", "check_exhibits", "assess", "report_lines", "report_data", "apply_edition"):
            found = [r for r in rows if r["package"] == "dossier" and r["func"].endswith(f"({stage})")]
            if found:
                stages[stage] = max(r["cumtime"] for r in found)
        return {"total": total, "self": by_self, "dossier_cumulative": ours, "stages": stages,
                "packages": dict(sorted(packages.items(), key=lambda kv: -kv[1]))}

    profile = cProfile.Profile()
    profile.enable()
    case = load_case(Path(workspace))
    profile.disable()
    answer = {"load": top(profile)}
    if command == "report":
        from dossier.console import render
        from dossier.pipeline.outputs import write_report
        profile = cProfile.Profile()
        profile.enable()
        render(write_report(case, "internal", "text", None))
        profile.disable()
        answer["report"] = top(profile)
    return answer


def _helper_profile_noop(workspace: str) -> dict:
    """cProfile of a no-op ``dossier build`` run in process through the CLI (imports timed apart, first)."""
    import cProfile
    import importlib
    import pstats

    start = time.perf_counter()
    from dossier.cli import main as cli
    for module in ("dossier.pipeline.build", "dossier.loading.workspace"):
        importlib.import_module(module)
    imports = time.perf_counter() - start
    profile = cProfile.Profile()
    profile.enable()
    try:
        cli(["build", "--workspace", workspace, "--jobs", "2", "--quiet"])
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    rows = [{"func": _short(f), "package": _package(f), "calls": nc, "tottime": tt, "cumtime": ct}
            for f, (_cc, nc, tt, ct, _callers) in stats.items()]
    total = max((r["cumtime"] for r in rows), default=0.0)
    ours = sorted((r for r in rows if r["package"] == "dossier"), key=lambda r: -r["cumtime"])
    return {"total": total, "imports": imports, "dossier_cumulative": ours[:14]}


def _helper_plan_hashes(workspace: str) -> dict:
    """For each document the build would render: hashes of its HTML, its CSS and its attached manifest."""
    import hashlib

    from dossier.pipeline.session import load as load_case

    jobs, _notes = _plan_jobs(load_case(Path(workspace)))
    answer = {}
    for _kind, job in jobs:
        name = getattr(job, "rel", None) or f"{job.edition}/{job.name}"
        manifest = getattr(job, "manifest", b"") or b""
        answer[name] = {"html": hashlib.sha256(job.html.encode()).hexdigest(),
                        "css": hashlib.sha256(job.css.encode()).hexdigest(),
                        "manifest": hashlib.sha256(manifest if isinstance(manifest, bytes) else
                                                   str(manifest).encode()).hexdigest()}
    return answer


HELPERS = {"raw-weasyprint": _helper_raw_weasyprint, "plan-hashes": _helper_plan_hashes, "phases": _helper_phases, "profile": _helper_profile,
           "profile-noop": _helper_profile_noop}


# --------------------------------------------------------------------------------------------------------------
# The measurements

@dataclass
class Results:
    machine: dict = field(default_factory=dict)
    config: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)


def machine_description() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / MB:.1f} GiB"
    except (OSError, ValueError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    def ver(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    try:
        import yaml
        from yaml import _yaml
        libyaml = _yaml.get_version_string()
        pyyaml = yaml.__version__
    except ImportError:
        libyaml, pyyaml = "not available", ver("PyYAML")
    try:
        import dossier
        dossier_version = dossier.__version__
    except ImportError:
        dossier_version = "?"
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory": memory, "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(), "weasyprint": ver("weasyprint"), "libyaml": libyaml, "pyyaml": pyyaml,
        "pydantic": ver("pydantic"), "dossier": dossier_version,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "bytecode": "off (PYTHONDONTWRITEBYTECODE is set)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on",
    }


def bench_loading(ws: Path, repeats: int, res: Results) -> None:
    d = res.data
    dossier = dossier_cmd()
    anchor, bare, validate, report = [], [], [], []
    capacity("before the loading runs")
    for k in range(repeats):
        log(f"(a) run {k + 1}/{repeats}: bare interpreter, libyaml parse, dossier validate, dossier report")
        bare.append(check(measure([PYTHON, "-c", "pass"]), "python -c pass"))
        run = check(measure([PYTHON, "-c", ANCHOR, str(ws / "evidence")]), "libyaml parse")
        run.inner = json.loads(run.stdout.strip().splitlines()[-1])  # type: ignore[attr-defined]
        anchor.append(run)
        validate.append(check(measure([*dossier, "validate", "--workspace", str(ws)]), "dossier validate"))
        report.append(check(measure([*dossier, "report", "--workspace", str(ws)]), "dossier report"))
    d["files"] = anchor[0].inner["files"]  # type: ignore[attr-defined]
    d["anchor_runs"] = anchor
    d["bare"] = median(r.wall for r in bare)
    d["anchor"] = {"wall": median(r.wall for r in anchor), "walls": [r.wall for r in anchor],
                   "cpu": median((r.user or 0) + (r.sys or 0) for r in anchor),
                   "imports": median(r.inner["imports"] for r in anchor),  # type: ignore[attr-defined]
                   "parse": median(r.inner["parse"] for r in anchor),  # type: ignore[attr-defined]
                   "rss_mb": max(r.maxrss_kb or 0 for r in anchor) / 1024}
    for name, runs in (("validate", validate), ("report", report)):
        d[name] = {"wall": median(r.wall for r in runs), "walls": [r.wall for r in runs],
                   "cpu": median((r.user or 0) + (r.sys or 0) for r in runs),
                   "rss_mb": max(r.maxrss_kb or 0 for r in runs) / 1024}
    d["report_bytes"] = len(report[0].stdout.encode())
    log("(a) phases of validate and report, in one process each")
    d["validate"]["phases"] = helper("phases", "validate", str(ws))
    d["report"]["phases"] = helper("phases", "report", str(ws))
    log("(a) cProfile of loading and of the report")
    d["profile"] = helper("profile", "report", str(ws))


def _public_item(ws: Path) -> Path:
    """An item every edition shows (public, not a witness statement): an edit to it changes all three editions."""
    for path in sorted((ws / "evidence" / "items").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "\nconfidentiality: public\n" in text and "\ntype: witness_statement\n" not in text:
            return path
    return sorted((ws / "evidence" / "items").rglob("*.yaml"))[0]


def _edit_summary(path: Path, n: int) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("summary: "):
            lines[i] = f"summary: Edited for the benchmark, edit {n}. " + line[len("summary: "):].lstrip("|>- ")
            break
    else:
        raise RuntimeError(f"{path}: no summary line to edit")
    path.write_text("".join(lines), encoding="utf-8")


_BUILT = re.compile(r"built (\d+) rendered, (\d+) unchanged, (\d+) failed")


def _counts(run: Run) -> dict | None:
    found = _BUILT.findall(run.stderr)
    if not found:
        return None
    rendered, unchanged, failed = map(int, found[-1])
    return {"rendered": rendered, "unchanged": unchanged, "failed": failed}


def _build_runs(first: float, long_s: float) -> int:
    """How many times to repeat a build that took ``first`` seconds: 3, or fewer when it is long."""
    return 3 if first < long_s / 3 else 2 if first < long_s else 1


def bench_building(ws: Path, res: Results, long_s: float, budget_s: float) -> None:
    d = res.data
    dossier = [*dossier_cmd(), "build", "--workspace", str(ws)]
    started = time.monotonic()

    capacity("before the raw WeasyPrint anchor")
    log("(b) raw WeasyPrint: the same HTML, all three editions, rendered sequentially in one process")
    raw = helper("raw-weasyprint", str(ws))
    d["raw"] = raw
    log(f"(b) raw engine time {raw['engine']:.1f} s for {len(raw['jobs'])} outputs")

    def full(jobs: int) -> Run:
        capacity(f"before a full build --jobs {jobs}")
        run = check(measure([*dossier, "--force", "--jobs", str(jobs)], sample_tree=True), f"build --jobs {jobs}")
        run.counts = _counts(run)  # type: ignore[attr-defined]
        log(f"    full build --jobs {jobs}: {run.wall:.1f} s")
        return run

    log("(b) full build: dossier build --force --jobs 2")
    j2 = [full(2)]

    log("(c) no-op rebuild right after the full build (3 runs)")
    noop = []
    for _ in range(3):
        run = check(measure([*dossier, "--jobs", "2"], sample_tree=True), "no-op rebuild")
        run.counts = _counts(run)  # type: ignore[attr-defined]
        noop.append(run)

    def snapshot() -> dict[str, tuple[int, int]]:
        out = ws / "out"
        return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
                for p in out.rglob("*.pdf") if p.is_file()}

    log("(c) cProfile of one more no-op rebuild, in process")
    d["noop_profile"] = helper("profile-noop", str(ws))

    item = _public_item(ws)
    log(f"(c) one-item edit: {item.relative_to(ws)} (summary changed), rebuild")
    edits: list[Run] = []
    n = 0
    while True:
        n += 1
        hashes_before = helper("plan-hashes", str(ws)) if n == 1 else None
        _edit_summary(item, n)
        if hashes_before is not None:
            hashes_after = helper("plan-hashes", str(ws))
            why = {}
            for name, new in hashes_after.items():
                old = hashes_before.get(name)
                if old != new:
                    why[name] = "new" if old is None else ", ".join(k for k in ("html", "css", "manifest")
                                                                    if old[k] != new[k])
            d["edit_why"] = why
        before = snapshot()
        run = check(measure([*dossier, "--jobs", "2"], sample_tree=True), "one-item-edit rebuild")
        run.counts = _counts(run)  # type: ignore[attr-defined]
        after = snapshot()
        run.changed = sorted(k for k, v in after.items() if before.get(k) != v)  # type: ignore[attr-defined]
        edits.append(run)
        log(f"    edit rebuild {n}: {run.wall:.1f} s")
        if len(edits) >= _build_runs(edits[0].wall, long_s):
            break

    log("(d) full build: dossier build --force --jobs 1")
    j1 = [full(1)]
    # Repeat the long builds while the time budget allows (in alternation, so that load on the machine
    # falls on both alike); a build is repeated only if its second run still fits the budget.
    wanted = _build_runs(max(j2[0].wall, j1[0].wall), long_s)
    while len(j2) < wanted:
        spent = time.monotonic() - started
        if spent + j2[0].wall + j1[0].wall > budget_s:
            log(f"    no repeat of the full builds: {spent:.0f} s spent of a {budget_s:.0f} s budget")
            break
        log("(b/d) repeating the full builds, --jobs 2 then --jobs 1")
        j2.append(full(2))
        j1.append(full(1))

    capacity("after the builds")
    for name, runs in (("full_j2", j2), ("full_j1", j1), ("noop", noop), ("edit", edits)):
        d[name] = {"wall": median(r.wall for r in runs), "walls": [r.wall for r in runs], "runs": len(runs),
                   "cpu": median((r.user or 0) + (r.sys or 0) for r in runs),
                   "rss_mb": max(r.maxrss_kb or 0 for r in runs) / 1024,
                   "tree_mb": max(r.tree_peak_kb or 0 for r in runs) / 1024,
                   "counts": runs[-1].counts}  # type: ignore[attr-defined]
    d["edit"]["item"] = item.relative_to(ws).as_posix()
    d["edit"]["changed"] = edits[-1].changed  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------------------------
# The report

def _not_planned(name: str) -> str:
    if name.endswith("case-dossier.pdf"):
        return "assembled from parts"
    if "page-number" in name:
        return "page-number overlay (not among `plan`'s documents)"
    return "not among `plan`'s documents"


def _kinds(jobs: list[dict]) -> dict[str, tuple[int, float]]:
    kinds: dict[str, tuple[int, float]] = {}
    for j in jobs:
        count, total = kinds.get(j.get("kind", "document"), (0, 0.0))
        kinds[j.get("kind", "document")] = (count + 1, total + j["seconds"])
    return dict(sorted(kinds.items(), key=lambda kv: -kv[1][1]))


def verdict(ratio: float | None, target: float) -> str:
    if ratio is None:
        return "not measured"
    if ratio <= target:
        return "met"
    return f"missed by {(ratio / target - 1) * 100:.0f}%"


def s(x: float | None) -> str:
    if x is None:
        return "n/a"
    return f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def mb(x: float | None) -> str:
    return "n/a" if not x else f"{x:.0f} MB"


def _walls(walls: list[float]) -> str:
    return ", ".join(f"{w:.2f}" if w < 10 else f"{w:.1f}" for w in walls)


def render(res: Results) -> str:
    m, c, d = res.machine, res.config, res.data
    out: list[str] = []
    w = out.append
    w("# Benchmarks")
    w("")
    w("Written by `benchmarks/run.py` (rewritten at each run but for the sections `--sheets` and `--scale` write,")
    w("which a full run keeps; do not edit by hand). Benchmarks measure;")
    w("tests never assert timings. Times are wall-clock seconds, medians of the runs listed; every dossier figure")
    w("includes interpreter start-up, as the libyaml anchor does.")
    w("")
    w("## Machine")
    w("")
    w("| | |")
    w("|---|---|")
    for label, key in (("CPU", "cpu"), ("cores", "cores"), ("memory", "memory"), ("OS", "os"), ("Python", "python"),
                       ("WeasyPrint", "weasyprint"), ("libyaml", "libyaml"), ("PyYAML", "pyyaml"),
                       ("pydantic", "pydantic"), ("dossier", "dossier"), ("byte-code cache", "bytecode"),
                       ("date", "date")):
        w(f"| {label} | {m.get(key)} |")
    loads = [x for x in _LOADS if x == x]
    if loads:
        w(f"| other load | 1-minute load average {min(loads):.1f} to {max(loads):.1f} at the start of the "
          f"measurements (the machine is shared; {m.get('cores')} cores) |")
    if _CAPACITY:
        w(f"| cores available | measured by running {m.get('cores')} busy processes for 2 s (CPU time they got / wall "
          "time; an idle machine gives the number of cores): "
          + "; ".join(f"{v:.2f} {k}" for k, v in _CAPACITY.items()) + " |")
    w(f"| run took | {c['elapsed'] / 60:.1f} min |")
    w("")
    w("## Cases")
    w("")
    w(f"- **Loading case**: {c['incidents']} incidents, {c['items']:,} items, one item per file "
      f"({d.get('files', 0):,} YAML files, {c['load_bytes'] / MB:.1f} MB), seed {c['seed']}.")
    w(f"- **Building case**: {c['build_incidents']} incidents, {c['build_items']} items, seed {c['seed']}; "
      + (f"`dossier build` renders {len(d['raw']['jobs'])} documents with WeasyPrint ("
         + ", ".join(f"{k} {n}" for k, (n, _t) in _kinds(d["raw"]["jobs"]).items()) + ") for the three editions."
         if "raw" in d else ""))
    w("- Both generated by `benchmarks/synth.py` (a realistic mix of item types with their type blocks, supports "
      "to rs-8-2-e-iv and cihl-28, chains of custody, witness statements with consent, confidential items, "
      "items and sources derived from others). `dossier validate` exits 0 on both.")
    w("")

    summary_rows = []

    if "validate" in d:
        a = d["anchor"]
        bare = d["bare"]
        w("## (a) Loading: `dossier validate` and `dossier report` against a libyaml parse")
        w("")
        w(f"Anchor: a fresh `python -c` process walking `evidence/` and calling "
          f"`yaml.load(f, Loader=yaml.CSafeLoader)` on each of the {d['files']:,} files. "
          f"Median of {c['repeats']} runs each.")
        w("")
        w("| measurement | figure | anchor (libyaml parse) | ratio | target | verdict | CPU s: figure / anchor "
          "(ratio) |")
        w("|---|---|---|---|---|---|---|")
        for name, label in (("validate", f"`dossier validate`, {c['items']:,} items"),
                            ("report", f"`dossier report` (text, internal), {c['items']:,} items")):
            ratio = d[name]["wall"] / a["wall"]
            target = TARGETS[name]
            v = verdict(ratio, target)
            cpu = (f"{s(d[name]['cpu'])} / {s(a['cpu'])} ({d[name]['cpu'] / a['cpu']:.2f}x)" if a.get("cpu")
                   else "n/a")
            w(f"| {label} | {s(d[name]['wall'])} | {s(a['wall'])} | {ratio:.2f}x | within {target}x | {v} | {cpu} |")
            summary_rows.append((label, f"{ratio:.2f}x the libyaml parse", f"within {target}x", v))
        w("")
        w("Runs (s): " + "; ".join(f"{n} {_walls(d[k]['walls'])}" for n, k in
                                   (("libyaml", "anchor"), ("validate", "validate"), ("report", "report")))
          + f"; the bare interpreter (`python -c pass`) {s(bare)}.")
        w("")
        w("Breakdown (phases timed inside one extra run of each; `start` is the bare interpreter, `other` is the "
          "rest of the wall time: exit, freeing memory, writing the output):")
        w("")
        w("| process | wall | start | imports | parse / load | after loading | other |")
        w("|---|---|---|---|---|---|---|")
        other = median(r.wall - bare - r.inner["imports"] - r.inner["parse"]  # type: ignore[attr-defined]
                       for r in d["anchor_runs"]) if d.get("anchor_runs") else a["wall"] - bare - a["imports"] - a["parse"]
        w(f"| libyaml parse | {s(a['wall'])} | {s(bare)} | {s(a['imports'])} (yaml) | {s(a['parse'])} | - | "
          f"{s(other)} |")
        for name, after in (("validate", "summary"), ("report", "analysis and text report")):
            p = d[name]["phases"]
            other = d[name]["wall"] - bare - p["imports"] - p["load"] - p["rest"]
            w(f"| dossier {name} | {s(d[name]['wall'])} | {s(bare)} | {s(p['imports'])} | {s(p['load'])} "
              f"(`load_case`) | {s(p['rest'])} ({after}) | {s(other) if other > 0 else '~0 s'} |")
        w("")
        prof = d.get("profile", {})
        for key, title in (("load", "`load_case` (what validate spends its time on)"),
                           ("report", "the report after loading (`write_report`)")):
            if key not in prof:
                continue
            p = prof[key]
            w(f"Profile of {title}: {p['total']:.2f} s under cProfile (which slows Python code down, so read "
              "the shares, not the seconds).")
            w("")
            w("| function (by own time) | calls | own s | cumulative s |")
            w("|---|---|---|---|")
            for r in p["self"][:10]:
                w(f"| `{r['func']}` | {r['calls']:,} | {r['tottime']:.2f} | {r['cumtime']:.2f} |")
            w("")
            shares = ", ".join(f"{name} {t / (p['total'] or 1) * 100:.0f}%" for name, t in
                               list(p.get("packages", {}).items())[:6])
            w(f"Own time by package: {shares}.")
            w("")
            w("| dossier function (by cumulative time) | calls | own s | cumulative s |")
            w("|---|---|---|---|")
            for r in p["dossier_cumulative"][:10]:
                w(f"| `{r['func']}` | {r['calls']:,} | {r['tottime']:.2f} | {r['cumtime']:.2f} |")
            w("")

    if "full_j2" in d:
        raw, j2, j1, noop, edit = d["raw"], d["full_j2"], d["full_j1"], d["noop"], d["edit"]
        engine = raw["engine"]
        jobs = raw["jobs"]
        longest = max(jobs, key=lambda j: j["seconds"])
        w("## (b) Full build against sequential raw WeasyPrint")
        w("")
        w("Anchor: the HTML and CSS of every document `dossier build` renders (from `dossier.pipeline.plan.plan`, all "
          "three editions: the briefs, the completeness reports and the case dossiers' parts, kinds below), "
          "each passed to `weasyprint.HTML(string=...).write_pdf(stylesheets=[weasyprint.CSS(string=...)])` one "
          "after another in one process: the raw engine time, the best a single core can do. Only the "
          "`write_pdf` calls are counted (not loading the case or planning).")
        w("")
        ratio = j2["wall"] / engine
        v = verdict(ratio, TARGETS["build"])
        summary_rows.append(("full build, --jobs 2", f"{ratio:.2f}x raw WeasyPrint", f"within {TARGETS['build']}x",
                             v))
        w("| measurement | figure | anchor (raw WeasyPrint, sequential) | ratio | target | verdict | CPU s: "
          "build / anchor |")
        w("|---|---|---|---|---|---|---|")
        w(f"| `dossier build --force --jobs 2` ({j2['runs']} run{'s' if j2['runs'] > 1 else ''}) | "
          f"{s(j2['wall'])} | {s(engine)} | {ratio:.2f}x | within {TARGETS['build']}x | {v} | "
          f"{s(j2['cpu'])} / {s(raw.get('engine_cpu'))} |")
        w("")
        if raw.get("engine_cpu"):
            cpu_ratio = j2["wall"] / raw["engine_cpu"]
            got = _CAPACITY.get("before the raw WeasyPrint anchor")
            w("The anchor's wall time counts whatever other load slowed it down"
              + (f" ({got:.2f} cores were available to the benchmark just before it)" if got is not None else "")
              + f"; its CPU time, {s(raw['engine_cpu'])}, is what the same renders take on a core of their own. "
              f"Against that CPU time the build is {cpu_ratio:.2f}x: {verdict(cpu_ratio, TARGETS['build'])}.")
            w("")
        lower = max(longest["seconds"], engine / 2)
        w(f"Runs (s): --jobs 2 {_walls(j2['walls'])}. CPU time of the build (all processes): {s(j2['cpu'])}, "
          f"that is {j2['cpu'] / j2['wall']:.2f} cores busy on average. In the anchor process: imports "
          f"{s(raw['imports'])}, `load_case` {s(raw['load'])}, `plan` {s(raw['plan'])} (templates, manifests, for "
          f"all {len(jobs)} documents).")
        w("")
        for note in raw.get("notes", []):
            w(f"Note: {note}.")
            w("")
        w(f"The longest single document, `{longest['name']}` ({longest['html_bytes'] / 1024:,.0f} KB of HTML), "
          f"takes {s(longest['seconds'])} of raw engine time alone: with 2 cores no build can finish in less than "
          f"max(longest document, engine time / 2) = {s(lower)}, a ratio of {lower / engine:.2f}x.")
        w("")
        w("| documents the build renders (raw engine) | count | seconds | share |")
        w("|---|---|---|---|")
        for kind, (count, total) in _kinds(jobs).items():
            w(f"| {kind} | {count} | {s(total)} | {total / engine * 100:.0f}% |")
        w(f"| all | {len(jobs)} | {s(engine)} | 100% |")
        w("")
        w("| slowest documents (raw engine) | HTML | PDF | seconds |")
        w("|---|---|---|---|")
        for j in sorted(jobs, key=lambda j: -j["seconds"])[:6]:
            w(f"| {j['name']} | {j['html_bytes'] / 1024:,.0f} KB | {j['pdf_bytes'] / 1024:,.0f} KB | "
              f"{s(j['seconds'])} |")
        w("")

        w("## (c) Incremental rebuilds against the full build")
        w("")
        w(f"The no-op rebuild runs right after a full build, with nothing changed; the one-item edit changes the "
          f"summary of `{edit['item']}` (a public item, so all three editions show it) and rebuilds. Both with "
          "`--jobs 2`, against the median full build `--force --jobs 2` above.")
        w("")
        w("| measurement | figure | anchor (full build) | ratio | target | verdict | outputs rendered | CPU s: "
          "figure / full build |")
        w("|---|---|---|---|---|---|---|---|")
        for name, label in (("noop", "no-op rebuild"), ("edit", "one-item-edit rebuild")):
            r = d[name]
            ratio = r["wall"] / j2["wall"]
            target = TARGETS[name]
            v = verdict(ratio, target)
            counts = r.get("counts")
            rendered = f"{counts['rendered']} rendered, {counts['unchanged']} unchanged" if counts else "?"
            w(f"| {label} ({r['runs']} run{'s' if r['runs'] > 1 else ''}) | {s(r['wall'])} | {s(j2['wall'])} | "
              f"{ratio * 100:.1f}% | under {target * 100:.0f}% | {v} | {rendered} | {s(r['cpu'])} / {s(j2['cpu'])} |")
            summary_rows.append((label, f"{ratio * 100:.1f}% of the full build", f"under {target * 100:.0f}%", v))
        w("")
        w(f"Runs (s): no-op {_walls(noop['walls'])}; edit {_walls(edit['walls'])}.")
        w("")
        np_ = d.get("noop_profile")
        if np_:
            w(f"Profile of a no-op rebuild, run in process through the CLI after importing `dossier.cli` and "
              f"`dossier.pipeline.build` ({np_['imports']:.2f} s, not profiled): {np_['total']:.2f} s under cProfile. "
              "dossier functions by cumulative time:")
            w("")
            w("| function | calls | own s | cumulative s |")
            w("|---|---|---|---|")
            for r in np_["dossier_cumulative"][:12]:
                w(f"| `{r['func']}` | {r['calls']:,} | {r['tottime']:.2f} | {r['cumtime']:.2f} |")
            w("")
        changed = edit.get("changed") or []
        if changed:
            known = {j["name"]: j["seconds"] for j in jobs}
            again = sum(known.get(name, 0.0) for name in changed)
            why = d.get("edit_why") or {}
            w(f"PDF files under `out/` rewritten by the last edit rebuild ({len(changed)}), their raw engine time "
              f"(where the anchor rendered the same document; {s(again)} in all) and what changed in the engine's "
              "input (from `plan` before and after the edit; the assembled case dossiers are no engine input):")
            w("")
            w("| file | raw engine | what changed |")
            w("|---|---|---|")
            for name in changed:
                w(f"| `{name}` | {s(known[name]) if name in known else '-'} | "
                  f"{why.get(name, _not_planned(name))} |")
            w("")

        w("## (d) `--jobs 1` against `--jobs 2`")
        w("")
        speedup = j1["wall"] / j2["wall"]
        c1 = _CAPACITY.get("before a full build --jobs 1")
        c2 = _CAPACITY.get("before a full build --jobs 2")
        w("| measurement | --jobs 1 | --jobs 2 | speed-up | parallel efficiency (of 2 cores) | CPU s, --jobs 1 / 2 | "
          "cores available before, --jobs 1 / 2 |")
        w("|---|---|---|---|---|---|---|")
        w(f"| full build `--force` ({j1['runs']} / {j2['runs']} runs) | {s(j1['wall'])} | {s(j2['wall'])} | "
          f"{speedup:.2f}x | {speedup / 2 * 100:.0f}% | {s(j1['cpu'])} / {s(j2['cpu'])} | "
          f"{'n/a' if c1 is None else f'{c1:.2f}'} / {'n/a' if c2 is None else f'{c2:.2f}'} |")
        w("")
        cpu_note = ""
        if raw.get("engine_cpu"):
            cpu_note = (f"; in CPU time, {j1['cpu'] / raw['engine_cpu']:.2f}x the anchor's engine CPU time "
                        f"({s(j1['cpu'])} against {s(raw['engine_cpu'])}), a figure other load on the machine "
                        "disturbs less")
        over = j1["cpu"] / raw["engine_cpu"] if raw.get("engine_cpu") else j1["wall"] / engine
        w(f"Runs (s): --jobs 1 {_walls(j1['walls'])}. `--jobs 1` against the raw engine time: "
          f"{j1['wall'] / engine:.2f}x{cpu_note}. "
          + ("The excess over 1.0x is" if over > 1 else "There is no measurable excess over 1.0x; it would be")
          + " the build's own cost around the engine (PDF/A-3b, the embedded manifest, the URL fetcher, "
          "assembling the case dossier, start-up, loading, planning).")
        w("")

    w("## (e) Peak memory")
    w("")
    w("Maximum resident set size of the largest process (" + ("`/usr/bin/time`" if TIME else
      "`getrusage(RUSAGE_CHILDREN)` of a wrapper") + "), and, for builds, the largest sum over the whole process "
      "tree (the workers included), sampled every 0.2 s.")
    w("")
    w("| process | largest process | whole tree | target | verdict |")
    w("|---|---|---|---|---|")
    if "validate" in d:
        w(f"| libyaml parse, {c['items']:,} items (anchor) | {mb(d['anchor']['rss_mb'])} | | | |")
        for name in ("validate", "report"):
            rss = d[name]["rss_mb"]
            ratio = rss / TARGETS["memory_mb"] if rss else None
            v = verdict(ratio, 1.0)
            w(f"| `dossier {name}`, {c['items']:,} items | {mb(rss)} | | under {TARGETS['memory_mb']} MB | {v} |")
            summary_rows.append((f"peak memory, {name}", mb(rss), f"under {TARGETS['memory_mb']} MB", v))
    if "full_j2" in d:
        for name, label in (("full_j2", "full build --jobs 2"), ("full_j1", "full build --jobs 1"),
                            ("noop", "no-op rebuild"), ("edit", "one-item-edit rebuild")):
            r = d[name]
            w(f"| `dossier build`, {label}, {c['build_items']} items | {mb(r['rss_mb'])} | {mb(r['tree_mb'])} | "
              "none set (the target is for 10,000 items) | |")
    w("")

    w("## Summary")
    w("")
    w("| target | measured | target | verdict |")
    w("|---|---|---|---|")
    for row in summary_rows:
        w("| " + " | ".join(row) + " |")
    w("")
    w("## What holds back the missed targets")
    w("")
    for paragraph in explain(res):
        w(paragraph)
        w("")
    return "\n".join(out).rstrip() + "\n"


def explain(res: Results) -> list[str]:
    """Observations, from the figures of this run, on why a target is missed."""
    d = res.data
    notes: list[str] = []
    if "validate" in d:
        a, v, r = d["anchor"], d["validate"], d["report"]
        pv, pr = v["phases"], r["phases"]
        prof = d.get("profile", {}).get("load")
        missed_v = v["wall"] / a["wall"] > TARGETS["validate"]
        missed_r = r["wall"] / a["wall"] > TARGETS["report"]
        if missed_v or missed_r:
            text = (f"**Loading.** libyaml alone parses the {d['files']:,} files in {s(a['parse'])}; dossier's "
                    f"`load_case` takes {s(pv['load'])} for the same files ({pv['load'] / a['parse']:.1f}x), plus "
                    f"{s(pv['imports'])} of imports against {s(a['imports'])} for `import yaml`.")
            if prof:
                total = prof["total"] or 1
                top = prof["self"][:5]
                shares = ", ".join(f"{name} {t / total * 100:.0f}%"
                                   for name, t in list(prof.get("packages", {}).items())[:4])
                text += f" Under cProfile, own time by package: {shares}."
                text += (" The functions with the most own time: "
                         + ", ".join(f"`{t['func']}` ({t['tottime'] / total * 100:.0f}%, {t['calls']:,} calls)"
                                     for t in top) + ".")
                stages = prof.get("stages", {})
                labels = {"read_yaml": "`read_yaml` (parse and walk, all files)",
                          "walk": "of which `_Walker.walk`", "_mark": "of which `_mark`",
                          "validate": "pydantic validation (`_Loader.validate`)", "cross_check": "`cross_check`",
                          "consistency_warnings": "`consistency_warnings`", "_yaml_files": "finding the files",
                          "check_exhibits": "exhibit checks"}
                parts = [f"{label} {stages[k] / total * 100:.0f}%" for k, label in labels.items() if k in stages]
                if parts:
                    text += " Shares of `load_case` (cumulative): " + ", ".join(parts) + "."
                names = " ".join(t["func"] for t in prof["self"][:8])
                if "compose" in names:
                    text += (" Both processes build the same node tree with libyaml (`yaml.compose`: C parsing, "
                             "with one Python `Node` object per value; dossier's resolver is a trivial one, the anchor runs "
                             "PyYAML's regular expressions on every scalar); the anchor's `SafeConstructor` then only "
                             "builds the values, where dossier's `_Walker.walk` also refuses tags, duplicate keys "
                             "and alias bombs (positions are recorded only when a diagnostic needs them), then "
                             "dossier validates every file with pydantic and cross-checks the case.")
            if missed_r:
                text += (f" The report adds {s(pr['rest'])} after loading (the internal edition's assessment: every "
                         f"element of every charge of every incident, then {d['report_bytes'] / 1024:,.0f} KB of "
                         "formatted text).")
                rp = d.get("profile", {}).get("report")
                if rp:
                    shares = ", ".join(f"{name} {t / (rp['total'] or 1) * 100:.0f}%"
                                       for name, t in list(rp.get("packages", {}).items())[:4])
                    text += f" Own time after loading, by package: {shares}."
                    text += (" Its largest dossier functions (cumulative): "
                             + ", ".join(f"`{t['func']}` ({t['cumtime']:.2f} s)"
                                         for t in rp["dossier_cumulative"][1:6]) + ".")
            notes.append(text)
    if "full_j2" in d:
        raw, j2, j1, noop, edit = d["raw"], d["full_j2"], d["full_j1"], d["noop"], d["edit"]
        engine = raw["engine"]
        jobs = raw["jobs"]
        longest = max(jobs, key=lambda j: j["seconds"])
        kinds = _kinds(jobs)
        if j2["wall"] / engine > TARGETS["build"]:
            bound = max(longest["seconds"], engine / 2)
            text = (f"**Full build.** {j2['wall'] / engine:.2f}x the sequential raw engine time against a "
                    f"{TARGETS['build']}x target. With 2 cores the floor is {bound / engine:.2f}x (half the engine "
                    f"time, or the longest document, `{longest['name']}`, {s(longest['seconds'])}, if longer). "
                    "Engine time by kind of document: "
                    + ", ".join(f"{k} {t / engine * 100:.0f}%" for k, (_n, t) in kinds.items()) + ".")
            if raw.get("engine_cpu"):
                over = j1["cpu"] / raw["engine_cpu"]
                text += (f" In CPU time (which other load on the machine disturbs less than wall time) a `--jobs 1` "
                         f"build costs {over:.2f}x the anchor's engine CPU time ({s(j1['cpu'])} against "
                         f"{s(raw['engine_cpu'])})")
            else:
                over = j1["wall"] / engine
                text += f" A `--jobs 1` build takes {over:.2f}x the raw engine time"
            text += (": " + ("the excess over 1.0x is" if over > 1 else "it has no measurable excess over the "
                             "engine; were there one, it would be") +
                     " dossier's own cost around the engine (PDF/A-3b, the attached manifest, the URL fetcher, "
                     "the case dossier's front part rendered until its page numbers settle, the page-number "
                     "overlay, joining the parts with pikepdf, start-up, loading and planning: "
                     f"{s(raw['imports'] + raw['load'] + raw['plan'])} in the anchor process), and `--jobs 2` "
                     "can at best halve it.")
            text += (f" `--jobs 2` keeps {j2['cpu'] / j2['wall']:.2f} cores busy on average (speed-up "
                     f"{j1['wall'] / j2['wall']:.2f}x over `--jobs 1`; CPU {s(j2['cpu'])} against {s(j1['cpu'])}).")
            loads = [x for x in _LOADS if x == x]
            got = [v for k, v in _CAPACITY.items() if "full build --jobs 2" in k]
            if got and min(got) < 0.8 * (os.cpu_count() or 1):
                text += (f" Above all, this run could not have two cores: just before the `--jobs 2` build, two busy "
                         f"processes got {min(got):.2f} cores between them (1-minute load average up to "
                         f"{max(loads) if loads else float('nan'):.1f}; the machine is shared with other work), and "
                         f"the build itself kept {j2['cpu'] / j2['wall']:.2f} cores busy. A parallel build cannot "
                         "beat the sequential anchor by more than the cores it is given, so this figure says more "
                         "about the machine's load than about dossier; run the benchmark again on a quiet machine "
                         "to judge the 0.55x target.")
            elif loads and max(loads) > 1.0:
                text += (f" Other work on this shared machine (1-minute load average up to {max(loads):.1f} at the "
                         "start of a measurement) competes for the two cores, which hurts a parallel build more "
                         "than the sequential anchor.")
            notes.append(text)
        if noop["wall"] / j2["wall"] > TARGETS["noop"]:
            text = (f"**No-op rebuild.** {s(noop['wall'])} ({s(noop['cpu'])} CPU) against a full build of "
                    f"{s(j2['wall'])}: 2% would be {s(j2['wall'] * TARGETS['noop'])}. Nothing is rendered, so this "
                    "is the fixed cost of every build: start-up and imports, `load_case`, and `plan`, which "
                    "renders every document's HTML and manifest to compare its key with the last build's "
                    f"({s(raw['load'])} loading and {s(raw['plan'])} planning in the anchor process).")
            np_ = d.get("noop_profile")
            if np_:
                top = [r for r in np_["dossier_cumulative"] if not r["func"].split("(")[-1].startswith(
                    ("main", "wrapper", "build", "invoke", "<module>"))][:6]
                text += (f" In process, the imports take {np_['imports']:.2f} s and the build itself "
                         f"{np_['total']:.2f} s under cProfile; its largest dossier functions (cumulative): "
                         + ", ".join(f"`{r['func']}` ({r['cumtime']:.2f} s)" for r in top) + ".")
            notes.append(text)
        if edit["wall"] / j2["wall"] > TARGETS["edit"]:
            changed = edit.get("changed") or []
            known = {j["name"]: j["seconds"] for j in jobs}
            again = sum(known.get(name, 0.0) for name in changed)
            text = (f"**One-item edit.** {s(edit['wall'])}, {edit['wall'] / j2['wall'] * 100:.0f}% of the full "
                    f"build. The edit rewrote {len(changed)} PDF files under `out/`, whose raw engine time is "
                    f"{s(again)} ({again / engine * 100:.0f}% of the engine time of a full build); the rest is "
                    f"start-up, loading and planning (as in the no-op rebuild, {s(noop['wall'])}) and assembling "
                    "the case dossiers.")
            big = sorted((n for n in changed if n in known), key=lambda n: -known[n])[:3]
            if big:
                text += " The costliest of them: " + ", ".join(f"`{n}` ({s(known[n])})" for n in big) + "."
            why = d.get("edit_why") or {}
            only = [n for n in changed if why.get(n) == "manifest"]
            if only:
                cost = sum(known.get(n, 0.0) for n in only)
                text += (f" {len(only)} of them ({s(cost)} of engine time) were re-rendered although their HTML and "
                         "CSS did not change, only the manifest attached to them (it holds the sha256 of every item "
                         "the document cites, so editing an item changes it): "
                         + ", ".join(f"`{n}`" for n in only) + ". Attaching the manifest after rendering, "
                         "outside the render key, would spare those renders.")
            index = [n for n in changed if "index" in n.rsplit("/", 1)[-1] and "html" in str(why.get(n, ""))]
            if index:
                text += (" The exhibit index parts (" + ", ".join(f"`{n}`" for n in index) + ") hold every item "
                         "of the edition, so any item edit re-renders each of them whole.")
            notes.append(text)
    for key in ("validate", "report"):
        if key in d and d[key]["rss_mb"] > TARGETS["memory_mb"]:
            notes.append(f"**Memory ({key}).** {mb(d[key]['rss_mb'])}: every value's position is kept "
                         "(`YamlDoc.value_marks`, `key_marks`) for every file, for the whole run.")
    if not notes:
        notes.append("Every target is met in this run.")
    return notes


# --------------------------------------------------------------------------------------------------------------

def _sheets_only(args) -> int:
    """The spreadsheet section alone, replacing the one in --output (the rest of the file is kept)."""
    import re

    from sheets import bench_sheets, section

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    ws = workdir / "load"
    shutil.rmtree(ws, ignore_errors=True)
    make_case(ws, args.incidents, args.items, args.seed)
    figures = bench_sheets(ws, workdir, args.repeats, PYTHON, export=not args.sheets_import)
    text = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    old = re.search(r"\n## Spreadsheets\n.*?(?=\n## |\Z)", text, flags=re.S)
    new = section(figures, old.group(0) if old else "")
    text = re.sub(r"\n## Spreadsheets\n.*?(?=\n## |\Z)", "", text, flags=re.S).rstrip("\n")
    args.output.write_text(text + "\n\n" + new, encoding="utf-8")
    log(new)
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _kept_sections(path: Path) -> str:
    """The sections of ``path`` that other runs write (``--sheets``, ``--scale``): a full run keeps them."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    found = re.findall(r"\n(## (?:Spreadsheets|Scale)\n.*?)(?=\n## |\Z)", text, flags=re.S)
    return "".join("\n" + section.rstrip("\n") + "\n" for section in found)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if "--scale" in argv:  # the 200-incident measurements, with their own options (benchmarks/scale.py --help)
        from scale import main as scale_main
        return scale_main([a for a in argv if a != "--scale"])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="store_true",
                        help="only the scale measurements (issue 17), with scale.py's options: its section of --output")
    parser.add_argument("--items", type=int, default=10_000, help="items in the loading case")
    parser.add_argument("--incidents", type=int, default=250, help="incidents in the loading case")
    parser.add_argument("--build-items", type=int, default=160, help="items in the building case")
    parser.add_argument("--build-incidents", type=int, default=20, help="incidents in the building case")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each short timing (median kept)")
    parser.add_argument("--long", type=float, default=120.0,
                        help="a build taking at least this many seconds runs once; a third of it, twice")
    parser.add_argument("--budget", type=float, default=780.0,
                        help="seconds the building measurements may take before repeats are dropped")
    parser.add_argument("--quick", action="store_true", help="small cases, for a smoke run")
    # measure an installed program: compiled byte-code, as a regular install has (see setup.sh)
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "dossier")], check=False)
    parser.add_argument("--skip-loading", action="store_true")
    parser.add_argument("--sheets", action="store_true",
                        help="only the spreadsheet measurements: a section added to --output (see sheets.py)")
    parser.add_argument("--sheets-import", action="store_true",
                        help="only the import measurement of --sheets (the export figure in --output is kept)")
    parser.add_argument("--skip-building", action="store_true")
    parser.add_argument("--workdir", type=Path, default=None, help="where to generate the cases (kept)")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--helper", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.helper:
        name, *rest = args.helper
        print(json.dumps(HELPERS[name](*rest)))
        return 0

    if args.quick:
        args.items, args.incidents, args.build_items, args.build_incidents = 400, 20, 6, 2

    if args.sheets or args.sheets_import:
        return _sheets_only(args)

    res = Results()
    res.machine = machine_description()
    res.config = {"items": args.items, "incidents": args.incidents, "build_items": args.build_items,
                  "build_incidents": args.build_incidents, "seed": args.seed, "repeats": args.repeats}
    log(f"dossier benchmark on {res.machine['cpu']} ({res.machine['cores']} cores); "
        f"peak memory via {TIME or 'getrusage'}")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    try:
        if not args.skip_loading:
            ws = workdir / "load"
            shutil.rmtree(ws, ignore_errors=True)
            log(f"generating the loading case: {args.incidents} incidents, {args.items} items in {ws}")
            make_case(ws, args.incidents, args.items, args.seed)
            res.config["load_bytes"] = sum(p.stat().st_size for p in (ws / "evidence").rglob("*") if p.is_file())
            bench_loading(ws, args.repeats, res)
        else:
            res.config["load_bytes"] = 0
        if not args.skip_building:
            ws = workdir / "build"
            shutil.rmtree(ws, ignore_errors=True)
            log(f"generating the building case: {args.build_incidents} incidents, {args.build_items} items in {ws}")
            make_case(ws, args.build_incidents, args.build_items, args.seed)
            check(measure([*dossier_cmd(), "validate", "--workspace", str(ws), "--quiet"]), "validate build case")
            bench_building(ws, res, args.long, args.budget)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    res.config["elapsed"] = time.monotonic() - _T0
    args.output.write_text(render(res) + _kept_sections(args.output), encoding="utf-8")
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
