"""Faults a user can meet, each a clean located error with exit 1, never a traceback or a half-written file.

1. Two builds of one workspace: the second stops, naming the first (or waits with ``--wait``); a lock left
   by a killed build does not block the next one; ``verify`` takes no lock.
2. Symbolic links under ``out/`` (``out`` itself, an edition folder, ``.parts``, one output): refused, and
   the folder they point to is left as it was.
3. Real file-system faults, made in a user and mount namespace (``unshare``): a full disk (a tiny tmpfs,
   or one with no inodes left), a read-only ``out/``, ``report --output`` onto a read-only file system or
   ``/dev/full``. Skipped, saying why, where no namespace can be made.
4. Dates at the ends of the calendar (0001-01-01, 9999-12-31) with sightings and intercepts: no overflow.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INCIDENT = "INC-2022-06-10-LOWMERE"
BRIEF = f"internal/{INCIDENT}.pdf"
ONE_BRIEF = ["--edition", "internal", "--incident", INCIDENT, "--jobs", "1"]
LINK = "is a symbolic link; dossier writes only inside out/ and will not follow it: remove the link"
SUMMARY = re.compile(r"^built (\d+) rendered, (\d+) unchanged, (\d+) failed in [\d.]+ s$", re.M)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("DOSSIER_DEBUG", None)
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


def clean(rc: int, err: str) -> None:
    """No traceback, no "internal error": a fault is the user's to fix, and the message must say how."""
    assert "Traceback" not in err and "internal error" not in err and rc != 3, f"a bug, not a clean error:\n{err}"


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": error: " in line]


def summary(err: str) -> tuple[int, int, int]:
    match = SUMMARY.search(err)
    assert match, f"no build summary on stderr:\n{err}"
    return tuple(int(g) for g in match.groups())


def listing(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (links not followed)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """tests/roots/minimal with one internal brief built: a copy of it builds again without rendering."""
    ws = tmp_path_factory.mktemp("built") / "minimal"
    shutil.copytree(REPO / "tests" / "roots" / "minimal", ws)
    proc = subprocess.run([sys.executable, "-m", "dossier", "build", "--workspace", str(ws), *ONE_BRIEF],
                          env=_env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return ws


def copy_of(ws: Path, dest: Path) -> Path:
    target = dest / "ws"
    shutil.copytree(ws, target, symlinks=True)
    return target


# ---------------------------------------------------------------- 4. the ends of the calendar

EXTREMES = {  # incident day and time (UTC), sighting, intercept, image: all within two hours
    "first": ("0001-01-01", "00:30", "0001-01-01T00:10:00Z", "0001-01-01T00:20:00Z", "0001-01-01T00:50:00Z"),
    "last": ("9999-12-31", "23:30", "9999-12-31T23:50:00Z", "9999-12-31T23:40:00Z", "9999-12-31T23:10:00Z"),
}


def extreme(make_ws, edit, which: str, offset: str = "+00:00") -> Path:
    """tests/roots/minimal moved to the first or last day of the calendar, with a sighting and an intercept."""
    day, clock, sighted, intercepted, captured = EXTREMES[which]
    ws = make_ws("minimal")
    edit(ws, "evidence/incidents/one.yaml", "date: 2022-06-10", f"date: {day}")
    edit(ws, "evidence/incidents/one.yaml", 'time: "09:40"', f'time: "{clock}"\nutc_offset: "{offset}"')
    edit(ws, "evidence/items/imagery.yaml", "captured_at: 2022-06-11T08:10:00Z", f"captured_at: {captured}")
    common = f"incidents: [{INCIDENT}]\nsource: SRC-IMG\ncredibility: 2\ndate: {day}\nconfidentiality: public\n" \
             "supports:\n  - element: rs-8-2-e-iv/1\n"
    (ws / "evidence/items/sighting.yaml").write_text(
        f"id: EV-SIGHT\ntype: plane_spotter_log\ntitle: Jet seen over the clinic\n{common}"
        f"summary: A jet was seen.\nsighting:\n  at: {sighted}\n  observer: Post 4\n  aircraft: Su-24\n",
        encoding="utf-8")
    (ws / "evidence/items/intercept.yaml").write_text(
        f"id: EV-ICPT\ntype: radio_intercept\ntitle: Pilot's call\n{common}"
        f"summary: The pilot reports the target.\nintercept:\n  at: {intercepted}\n  callsigns: [SOKOL-21]\n",
        encoding="utf-8")
    return ws


@pytest.mark.parametrize("which", sorted(EXTREMES))
def test_validate_at_the_ends_of_the_calendar(make_ws, edit, run_cli, which):
    ws = extreme(make_ws, edit, which)
    rc, out, err = run_cli(["validate", "--workspace", ws])
    clean(rc, err)
    assert rc == 0, err
    assert EXTREMES[which][0] in out


@pytest.mark.parametrize("which", sorted(EXTREMES))
def test_report_json_at_the_ends_of_the_calendar(make_ws, edit, run_cli, which):
    ws = extreme(make_ws, edit, which)
    rc, out, err = run_cli(["report", "--workspace", ws, "--format", "json"])
    clean(rc, err)
    assert rc == 0, err
    assert json.loads(out)


@pytest.mark.slow
@pytest.mark.parametrize("which", sorted(EXTREMES))
def test_build_at_the_ends_of_the_calendar(make_ws, edit, run_cli, which):
    ws = extreme(make_ws, edit, which)
    rc, _, err = run_cli(["build", "--workspace", ws, *ONE_BRIEF])
    clean(rc, err)
    assert rc == 0, err
    assert (ws / "out" / BRIEF).is_file()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(ws / "out" / BRIEF), "-"], capture_output=True, text=True).stdout
        sighted = EXTREMES[which][2]
        assert f"{sighted[:10]} {sighted[11:16]} UTC" in text, "the sighting's time is not printed in full"


@pytest.mark.parametrize("which, offset", [("first", "+03:00"), ("last", "-03:00")])
def test_an_incident_moment_outside_the_calendar_is_a_located_error(make_ws, edit, diagnose, which, offset):
    """0001-01-01 00:30 at +03:00 is in the year 0 in UTC: no date holds it, so it is refused, located."""
    ws = extreme(make_ws, edit, which, offset)
    case, lines = diagnose(ws)
    assert case is None
    assert lines == ["evidence/incidents/one.yaml:5:1: error: utc_offset: date, time and utc_offset make a moment "
                     "out of range once converted to UTC"]


def test_a_timeline_at_the_ends_of_the_calendar():
    from datetime import datetime, timezone

    from dossier.rendering import charts

    for at in (datetime.min.replace(tzinfo=timezone.utc), datetime.max.replace(tzinfo=timezone.utc)):
        svg = charts.timeline([charts.TimelineEvent(at, "sighting", "sighting")], "t")
        assert f"{at:%d %b %H:%M}" in svg
    assert charts.utc_minute(datetime(1, 1, 1, 0, 10, tzinfo=timezone.utc)) == "0001-01-01 00:10 UTC"
