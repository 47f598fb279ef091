"""Spreadsheet measurements for benchmarks/run.py (``--sheets``): importing N items against openpyxl's own bare
read of the same workbook (target: within 2x), and the export of the sample case.

The workbook is the export of the generated loading case (``synth.make_case``); the import goes into a workspace
made by ``dossier init --empty`` with the same case.yaml. Wall-clock seconds of whole processes, median of runs.
"""

from __future__ import annotations

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


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{proc.stderr[-2000:]}")
    return took


def bench_sheets(ws: Path, workdir: Path, repeats: int, python: str = sys.executable) -> dict:
    """Figures: bare read, import, their ratio, items, and the sample case's export."""
    dossier = [python, "-m", "dossier"]
    book = workdir / "log.xlsx"
    _timed(dossier + ["export", "--workspace", str(ws), "--output", str(book)])
    bare, imports = [], []
    for run in range(repeats):
        bare.append(_timed([python, "-c", BARE_READ, str(book)]))
        fresh = workdir / f"fresh-{run}"
        shutil.rmtree(fresh, ignore_errors=True)
        _timed(dossier + ["init", "--empty", str(fresh)])
        shutil.copyfile(ws / "evidence" / "case.yaml", fresh / "evidence" / "case.yaml")
        if (ws / "evidence" / "files").is_dir():
            shutil.copytree(ws / "evidence" / "files", fresh / "evidence" / "files")
        imports.append(_timed(dossier + ["import", str(book), "--workspace", str(fresh)]))
        shutil.rmtree(fresh, ignore_errors=True)
    exports = [_timed(dossier + ["export", "--workspace", str(REPO), "--output", str(workdir / "sample.xlsx")])
               for _ in range(repeats)]
    items = sum(1 for _ in (ws / "evidence" / "items").rglob("*.yaml"))
    b, i = statistics.median(bare), statistics.median(imports)
    return {"items": items, "bare_read_s": b, "import_s": i, "ratio": i / b, "export_sample_s": statistics.median(exports)}


def section(f: dict) -> str:
    """The BENCHMARKS.md section."""
    verdict = "met" if f["ratio"] <= 2 else f"missed ({f['ratio']:.2f}x)"
    return (f"## Spreadsheets\n\n"
            f"`benchmarks/run.py --sheets`: `dossier import` of a workbook of {f['items']:,} items (the export of the "
            f"generated loading case) into a workspace from `init --empty`, against openpyxl's own bare read-only "
            f"read of the same workbook; and `dossier export` of the sample case. Whole processes, wall clock, "
            f"median.\n\n"
            f"| measurement | seconds | target | verdict |\n|---|---|---|---|\n"
            f"| openpyxl bare read (anchor) | {f['bare_read_s']:.2f} | | |\n"
            f"| `dossier import` | {f['import_s']:.2f} ({f['ratio']:.2f}x the anchor) | within 2x | {verdict} |\n"
            f"| `dossier export`, sample case (xlsx) | {f['export_sample_s']:.2f} | | |\n")
