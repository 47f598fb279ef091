"""Spreadsheet measurements for benchmarks/run.py (``--sheets``): importing N items against openpyxl's own bare
read of the same workbook (target: within 2x), and the export of the sample case; ``--sheets-import``: the import
alone (the export figure already in the file is kept).

The workbook is the export of the generated loading case (``synth.make_case``); the import goes into a workspace
made by ``dossier init --empty`` with the same case.yaml. The bare read and the import run interleaved (read,
import, read, import ...), so that other load on the machine falls on both alike. Wall-clock seconds of whole
processes, median of runs; the CPU seconds (user + system) of each are given too, which other load disturbs less.

The workspaces imported into are removed after the last run, not after each: on an ext4 file system without a
journal (this benchmark's machine), creating a file skips, one by one, every inode deleted in the last minute or
more (``recently_deleted`` in the kernel's inode allocator), so removing one run's 10,000 files made the next run's
10,000 creations cost 2 to 5 s of system time instead of 0.3 s: each run slower than the one before, measuring the
harness's clean-up, not the import.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BARE_READ = """
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
n = 0
for ws in book.worksheets:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                n += 1
print(n)
"""


def _run(cmd: list[str]) -> tuple[float, float, float]:
    """Wall-clock, CPU (user + system) and system seconds (the process and its children) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{proc.stderr[-2000:]}")
    system = after.ru_stime - before.ru_stime
    return took, after.ru_utime - before.ru_utime + system, system


def _timed(cmd: list[str]) -> float:
    return _run(cmd)[0]


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:  # pragma: no cover
        return float("nan")


def bench_sheets(ws: Path, workdir: Path, repeats: int, python: str = sys.executable, export: bool = True) -> dict:
    """Figures: bare read, import, their ratio, items, each run's figures, and the sample case's export."""
    dossier = [python, "-m", "dossier"]
    book = workdir / "log.xlsx"
    _timed(dossier + ["export", "--workspace", str(ws), "--output", str(book)])
    bare, imports, loads = [], [], []
    for run in range(repeats):
        loads.append(_load())
        bare.append(_run([python, "-c", BARE_READ, str(book)]))
        fresh = workdir / f"fresh-{run}"
        shutil.rmtree(fresh, ignore_errors=True)
        _timed(dossier + ["init", "--empty", str(fresh)])
        shutil.copyfile(ws / "evidence" / "case.yaml", fresh / "evidence" / "case.yaml")
        if (ws / "evidence" / "files").is_dir():
            shutil.copytree(ws / "evidence" / "files", fresh / "evidence" / "files")
        imports.append(_run(dossier + ["import", str(book), "--workspace", str(fresh)]))
    loads.append(_load())
    for run in range(repeats):  # only now: see the module's docstring
        shutil.rmtree(workdir / f"fresh-{run}", ignore_errors=True)
    items = sum(1 for _ in (ws / "evidence" / "items").rglob("*.yaml"))
    b, i = statistics.median(r[0] for r in bare), statistics.median(r[0] for r in imports)
    bc, ic = statistics.median(r[1] for r in bare), statistics.median(r[1] for r in imports)
    figures = {"items": items, "bare_read_s": b, "import_s": i, "ratio": i / b, "bare_cpu_s": bc, "import_cpu_s": ic,
               "cpu_ratio": ic / bc, "import_sys_s": statistics.median(r[2] for r in imports), "runs": {"bare": bare, "import": imports}, "loads": loads,
               "cores": os.cpu_count() or 1}
    if export:
        figures["export_sample_s"] = statistics.median(
            _timed(dossier + ["export", "--workspace", str(REPO), "--output", str(workdir / "sample.xlsx")])
            for _ in range(repeats))
    return figures


def section(f: dict, previous: str = "") -> str:
    """The BENCHMARKS.md section (the export row taken from ``previous`` when this run did not measure it)."""
    verdict = "met" if f["ratio"] <= 2 else f"missed ({f['ratio']:.2f}x)"
    if "export_sample_s" in f:
        export_row = f"| `dossier export`, sample case (xlsx) | {f['export_sample_s']:.2f} | | |\n"
    else:
        found = re.search(r"^\| `dossier export`, sample case[^|]*", previous, re.M)
        rest = previous[found.end():].split("\n", 1)[0] if found else ""
        export_row = f"{found.group(0).rstrip()} (from the last `--sheets` run) {rest}\n".replace(
            " (from the last `--sheets` run) (from the last `--sheets` run)", " (from the last `--sheets` run)") \
            if found else ""
    runs = lambda key: ", ".join(f"{w:.1f} ({c:.1f}; {s:.1f})" for w, c, s in f["runs"][key])  # noqa: E731
    loads = ", ".join(f"{x:.1f}" for x in f["loads"])
    return (f"## Spreadsheets\n\n"
            f"`benchmarks/run.py --sheets` (`--sheets-import` for the import alone): `dossier import` of a workbook "
            f"of {f['items']:,} items (the export of the generated loading case) into a workspace from "
            f"`init --empty`, against openpyxl's own bare read-only read of the same workbook; and `dossier "
            f"export` of the sample case. Whole processes, wall clock, median of {len(f['runs']['import'])} runs; "
            f"the bare read and the import run interleaved (read, import, read, import ...), so that other load on "
            f"the machine falls on both alike; the workspaces imported into are removed only after the last run "
            f"(files deleted within the last minute slow the creation of new ones: see `benchmarks/sheets.py`).\n\n"
            f"| measurement | seconds | target | verdict |\n|---|---|---|---|\n"
            f"| openpyxl bare read (anchor) | {f['bare_read_s']:.2f} | | |\n"
            f"| `dossier import` | {f['import_s']:.2f} ({f['ratio']:.2f}x the anchor) | within 2x | {verdict} |\n"
            f"{export_row}\n"
            f"Runs, wall clock (CPU, user + system; system alone) in seconds: bare read {runs('bare')}; import "
            f"{runs('import')}. In CPU time the import is {f['cpu_ratio']:.2f}x the bare read ({f['import_cpu_s']:.1f} s "
            f"against {f['bare_cpu_s']:.1f} s, medians; of the import's, {f['import_sys_s']:.1f} s in the kernel, most "
            f"of it creating the files). Load average (1 min) before each pair of runs and after the "
            f"last: {loads}, on {f['cores']} cores.\n")
