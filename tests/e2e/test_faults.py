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
from datetime import UTC
from pathlib import Path

import pytest

from conftest import MINIMAL_BRIEF_BUILD, cli_env, dossier_command

INCIDENT = "INC-2022-06-10-LOWMERE"
BRIEF = f"internal/{INCIDENT}.pdf"
ONE_BRIEF = ["--edition", "internal", "--incident", INCIDENT, "--jobs", "1"]
LINK = "is a symbolic link; dossier writes only inside out/ and will not follow it: remove the link"
SUMMARY = re.compile(r"^built (\d+) rendered, (\d+) unchanged, (\d+) failed in [\d.]+ s$", re.M)


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


@pytest.fixture
def built(copy_built, tmp_path) -> Path:
    """A copy of tests/roots/minimal with one internal brief built (the session's shared build): it builds
    again without rendering."""
    return copy_built(MINIMAL_BRIEF_BUILD, tmp_path)


# ---------------------------------------------------------------- 1. one build at a time

HOLDER = """
import sys
from pathlib import Path
from dossier.pipeline.lock import build_lock
with build_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""


def hold_lock(out: Path) -> subprocess.Popen:
    """Another process holding the workspace's build lock, as a build does, until its stdin closes."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=cli_env())
    line = proc.stdout.readline()
    if line != "locked\n":
        proc.kill()
        pytest.fail(f"the helper could not take the lock: {line!r}")
    return proc


def release(holder: subprocess.Popen) -> None:
    holder.stdin.close()
    assert holder.wait(timeout=60) == 0


def refused_by(pid: int) -> str:
    return f"out/: error: another build (process {pid}) is writing this folder; wait for it to finish"


def test_a_second_build_stops_while_another_writes_out(make_ws, run_cli):
    ws = make_ws("minimal")
    (ws / "out").mkdir()
    state = ws / "out" / ".dossier-state.json"
    state.write_bytes(b'{"from": "the other build"}\n')
    holder = hold_lock(ws / "out")
    try:
        rc, _, err = run_cli(["build", "--workspace", ws, *ONE_BRIEF])
    finally:
        release(holder)
    clean(rc, err)
    assert rc == 1, err
    assert errors(err) == [refused_by(holder.pid) + ", or run the build with --wait"]
    assert state.read_bytes() == b'{"from": "the other build"}\n', "the state file was touched"
    assert not (ws / "out" / "internal").exists(), "the second build wrote outputs"


def test_the_lock_is_free_again_once_its_holder_ends(make_ws):
    ws = make_ws("minimal")
    release(hold_lock(ws / "out"))
    release(hold_lock(ws / "out"))  # would fail (BlockingIOError) if the first had left the lock held


@pytest.mark.slow
def test_a_lock_left_by_a_killed_build_does_not_block(built, tmp_path, run_cli):
    ws = built
    holder = hold_lock(ws / "out")
    holder.kill()  # SIGKILL: no cleanup runs
    holder.wait(timeout=60)
    assert (ws / "out" / ".dossier-lock").read_text(encoding="ascii").strip() == str(holder.pid), \
        "the helper did not leave its id in the lock file: the test proves nothing"
    rc, _, err = run_cli(["build", "--workspace", ws, *ONE_BRIEF])
    clean(rc, err)
    assert rc == 0, err
    assert summary(err) == (0, 1, 0)


@pytest.mark.slow
def test_build_wait_waits_for_the_other_build(built, tmp_path):
    ws = built
    holder = hold_lock(ws / "out")
    proc = subprocess.Popen(dossier_command("build", "--wait", "--workspace", ws, *ONE_BRIEF),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=cli_env())
    try:
        seen = []
        for line in proc.stderr:  # blocks until the build says it waits (or ends)
            seen.append(line)
            if line.startswith("waiting"):
                break
        assert seen and seen[-1] == f"waiting for another build (process {holder.pid}) to finish writing out/\n", \
            "".join(seen)
        assert proc.poll() is None, "the build did not wait for the lock"
        release(holder)
        rest = proc.stderr.read()
        assert proc.wait(timeout=600) == 0, rest
        assert summary(rest) == (0, 1, 0)
    finally:
        if proc.poll() is None:
            proc.kill()
        if holder.poll() is None:
            holder.kill()


@pytest.mark.slow
def test_verify_reads_while_a_build_holds_the_lock(built, tmp_path, run_cli):
    ws = built
    holder = hold_lock(ws / "out")
    try:
        rc, out, err = run_cli(["verify", ws / "out" / BRIEF, "--workspace", ws])
    finally:
        release(holder)
    clean(rc, err)
    assert rc == 0, out + err


@pytest.mark.slow
def test_two_real_builds_do_not_overlap(built, tmp_path, run_cli):
    """A real build is stopped (SIGSTOP) once it holds the lock; a second build must stop, naming it."""
    ws = built
    lock, state = ws / "out" / ".dossier-lock", ws / "out" / ".dossier-state.json"
    first = subprocess.Popen(dossier_command("build", "--force", "--quiet", "--workspace", ws, *ONE_BRIEF),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=cli_env(),
                             start_new_session=True)
    try:
        while first.poll() is None and lock.read_text(encoding="ascii").strip() != str(first.pid):
            time.sleep(0.01)  # the build writes its id once it holds the lock
        os.killpg(first.pid, signal.SIGSTOP)
        assert first.poll() is None, "the first build finished before it could be stopped: the test proves nothing"
        before = state.read_bytes()
        rc, _, err = run_cli(["build", "--workspace", ws, *ONE_BRIEF])
        clean(rc, err)
        assert rc == 1, err
        assert errors(err) == [refused_by(first.pid) + ", or run the build with --wait"]
        assert state.read_bytes() == before, "the second build touched the state file"
        os.killpg(first.pid, signal.SIGCONT)
        assert first.wait(timeout=600) == 0, first.stderr.read()
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGCONT)
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
    rc, _, err = run_cli(["build", "--workspace", ws, *ONE_BRIEF])
    assert rc == 0, err
    assert summary(err) == (0, 1, 0), "the first build's state was not saved whole"


# ---------------------------------------------------------------- 2. no writing through a link


@pytest.mark.parametrize("link, edition_args", [
    ("out", ONE_BRIEF),
    ("out/internal", ONE_BRIEF),
    ("out/.parts", ["--edition", "internal", "--jobs", "1"]),
    ("out/.parts/internal", ["--edition", "internal", "--jobs", "1"]),
])
def test_a_linked_folder_under_out_is_refused(make_ws, run_cli, tmp_path, link, edition_args):
    ws = make_ws("minimal")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ".tmp-keep").write_text("not dossier's", encoding="utf-8")
    (ws / link).parent.mkdir(parents=True, exist_ok=True)
    (ws / link).symlink_to(outside, target_is_directory=True)
    rc, _, err = run_cli(["build", "--workspace", ws, *edition_args])
    clean(rc, err)
    assert rc == 1, err
    assert errors(err) == [f"{link}: error: {LINK}"]
    assert listing(outside) == {".tmp-keep": b"not dossier's"}, "the build wrote or removed a file outside out/"
    assert (ws / link).is_symlink()


@pytest.mark.slow
@pytest.mark.parametrize("rel", [BRIEF, ".dossier-state.json"])
def test_a_linked_output_file_is_refused(make_ws, run_cli, tmp_path, rel):
    ws = make_ws("minimal")
    target = tmp_path / "outside.bin"
    target.write_bytes(b"not dossier's")
    (ws / "out" / rel).parent.mkdir(parents=True, exist_ok=True)
    (ws / "out" / rel).symlink_to(target)
    rc, _, err = run_cli(["build", "--workspace", ws, *ONE_BRIEF])
    clean(rc, err)
    assert rc == 1, err
    assert f"out/{rel}: error: {LINK}" in errors(err)
    assert summary(err)[2] == 1
    assert target.read_bytes() == b"not dossier's"
    assert (ws / "out" / rel).is_symlink(), "the user's link was replaced"


def test_a_file_where_out_belongs_is_a_clean_error(make_ws, run_cli):
    ws = make_ws("minimal")
    (ws / "out").write_text("notes", encoding="utf-8")
    rc, _, err = run_cli(["build", "--workspace", ws, *ONE_BRIEF])
    clean(rc, err)
    assert rc == 1, err
    assert errors(err) == ["out: error: is not a folder; dossier needs a folder here: move the file away"]


# ---------------------------------------------------------------- 3. real file-system faults

def in_namespace(script: str, *args) -> subprocess.CompletedProcess:
    """Run a shell script as root of new user and mount namespaces: its mounts vanish when it ends."""
    return subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh",
                           *map(str, args)], env=cli_env(), capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def namespaces(tmp_path_factory) -> None:
    """Skip, saying why, where a small, a full or a read-only file system cannot be mounted for a test."""
    probe = tmp_path_factory.mktemp("probe")
    if shutil.which("unshare") is None:
        pytest.skip("no unshare(1): real full-disk and read-only faults cannot be made here")
    proc = in_namespace('mount -t tmpfs -o size=4k,nr_inodes=4 tmpfs "$1" && mount -o remount,ro "$1" && '
                        'mount --bind /dev/full /dev/full', probe)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs in a user and mount namespace ({proc.stderr.strip()}): real full-disk "
                    "and read-only faults cannot be made here")


# the dossier commands' exit code and stderr go to files beside out/ (on the real disk), to be read afterwards
RUN = '"$py" -m dossier "$@" 2>"$ws/err"; echo $? >"$ws/rc"; find "$ws/out" -name ".tmp-*" >"$ws/temps"'


def results(ws: Path) -> tuple[int, str]:
    rc, err = int((ws / "rc").read_text()), (ws / "err").read_text(encoding="utf-8")
    clean(rc, err)
    assert (ws / "temps").read_text() == "", "a temporary file was left behind"
    return rc, err


@pytest.mark.slow
def test_a_full_disk_keeps_the_old_output_whole(namespaces, make_ws):
    ws = make_ws("minimal")
    (ws / "out").mkdir()
    script = f'''ws=$1; py=$2; shift 2
        mount -t tmpfs -o size=1m tmpfs "$ws/out" || exit 90
        "$py" -m dossier build --workspace "$ws" --quiet {" ".join(ONE_BRIEF)} || exit 91
        sha256sum "$ws/out/{BRIEF}" >"$ws/before"
        dd if=/dev/zero of="$ws/out/filler" bs=4k 2>/dev/null  # until the disk is full
        {RUN}
        sha256sum "$ws/out/{BRIEF}" >"$ws/after"; ls -A "$ws/out" >"$ws/listing"'''
    proc = in_namespace(script, ws, sys.executable, "build", "--workspace", ws, "--force", *ONE_BRIEF)
    assert proc.returncode == 0, proc.stderr
    rc, err = results(ws)
    assert rc == 1, err
    part = BRIEF.replace("internal/", ".parts/internal/brief-")  # the engine's rendering, kept for the dossier too
    assert errors(err) == [f"out/{BRIEF}: error: cannot write: No space left on device (at out/{part})",
                           "out/.dossier-state.json: error: cannot write: No space left on device"]
    assert summary(err) == (0, 0, 2)
    assert (ws / "before").read_text() == (ws / "after").read_text(), "the brief was changed by the failed build"
    # the old state may call current what this build tried to replace: it is removed, the next build is full
    assert ".dossier-state.json" not in (ws / "listing").read_text().split()


@pytest.mark.slow
def test_no_inode_left_for_completeness_json_or_a_folder(namespaces, make_ws):
    """Three inodes: out/, the lock file, out/internal/; then completeness.json, .parts/ and every PDF fail."""
    ws = make_ws("minimal")
    (ws / "out").mkdir()
    script = f'ws=$1; py=$2; shift 2; mount -t tmpfs -o nr_inodes=3 tmpfs "$ws/out" || exit 90; {RUN}'
    proc = in_namespace(script, ws, sys.executable, "build", "--workspace", ws, "--edition", "internal",
                        "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    rc, err = results(ws)
    assert rc == 1, err
    found = errors(err)
    for line in ("out/internal/completeness.json: error: cannot write: No space left on device",
                 f"out/{BRIEF}: error: cannot write: No space left on device (at out/.parts)",
                 "out/internal/completeness.pdf: error: cannot write: No space left on device (at out/.parts)",
                 "out/.dossier-state.json: error: cannot write: No space left on device"):
        assert line in found, err
    rendered, _, failed = summary(err)
    assert rendered == 0 and failed >= 4


@pytest.mark.parametrize("mount,reason", [("nr_inodes=1", "No space left on device"),
                                          ("ro", "Read-only file system")], ids=["no-inode-for-the-lock", "read-only"])
def test_an_out_folder_that_cannot_be_written(namespaces, make_ws, mount, reason):
    """No inode left for the lock file, or a read-only out/: the first write (the lock) fails cleanly."""
    ws = make_ws("minimal")
    (ws / "out").mkdir()
    script = f'ws=$1; py=$2; shift 2; mount -t tmpfs -o {mount} tmpfs "$ws/out" || exit 90; {RUN}'
    proc = in_namespace(script, ws, sys.executable, "build", "--workspace", ws, *ONE_BRIEF)
    assert proc.returncode == 0, proc.stderr
    rc, err = results(ws)
    assert rc == 1, err
    assert errors(err) == [f"out/.dossier-lock: error: cannot write: {reason}"]


def test_report_output_onto_a_read_only_file_system(namespaces, make_ws, tmp_path):
    ws = make_ws("minimal")
    (ws / "out").mkdir()
    target = tmp_path / "read-only"
    target.mkdir()
    script = f'ws=$1; py=$2; shift 2; mount -t tmpfs -o ro tmpfs "{target}" || exit 90; {RUN}'
    proc = in_namespace(script, ws, sys.executable, "report", "--workspace", ws, "--format", "json",
                        "--output", target / "report.json")
    assert proc.returncode == 0, proc.stderr
    rc, err = results(ws)
    assert rc == 1, err
    assert errors(err) == [f"{target}/report.json: error: cannot write: Read-only file system"]


def test_report_output_onto_dev_full(namespaces, make_ws):
    """/dev/full is written into (ENOSPC), never replaced by a file: it is bind-mounted onto itself in the
    namespace, so a program that tried to rename over it could not harm the machine's /dev/full."""
    ws = make_ws("minimal")
    (ws / "out").mkdir()
    script = f'ws=$1; py=$2; shift 2; mount --bind /dev/full /dev/full || exit 90; {RUN}; ' \
             'test -c /dev/full || echo "/dev/full is no longer a device" >>"$ws/err"'
    proc = in_namespace(script, ws, sys.executable, "report", "--workspace", ws, "--format", "json",
                        "--output", "/dev/full")
    assert proc.returncode == 0, proc.stderr
    rc, err = results(ws)
    assert rc == 1, err
    assert err.splitlines() == ["/dev/full: error: cannot write: No space left on device"]


def test_report_output_below_a_file(make_ws, run_cli, tmp_path):
    ws = make_ws("minimal")
    (tmp_path / "notes").write_text("a file", encoding="utf-8")
    rc, _, err = run_cli(["report", "--workspace", ws, "--format", "json", "--output", tmp_path / "notes" / "r.json"])
    clean(rc, err)
    assert rc == 1, err
    assert errors(err) == [f"{tmp_path}/notes/r.json: error: cannot write: Not a directory"]


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
    # the error, then the warnings about what did validate (printed with the errors since warning codes)
    assert [line for line in lines if ": error: " in line] == [
        "evidence/incidents/one.yaml:5:1: error: utc_offset: date, time and utc_offset make a moment out of range "
        "once converted to UTC"]
    assert lines[0].startswith("evidence/incidents/one.yaml:5:1: error: ")


def test_a_timeline_at_the_ends_of_the_calendar():
    from datetime import datetime

    from dossier.rendering import charts

    for at in (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)):
        svg = charts.timeline([charts.TimelineEvent(at, "sighting", "sighting")], "t")
        assert f"{at:%d %b %H:%M}" in svg
    assert charts.utc_minute(datetime(1, 1, 1, 0, 10, tzinfo=UTC)) == "0001-01-01 00:10 UTC"
