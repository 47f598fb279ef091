"""The HTML report is one self-contained page that opens in headless Chromium without console errors."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from conftest import copy_root, run_dossier

    tmp = tmp_path_factory.mktemp("html")
    out = tmp / "report.html"
    code, _, err = run_dossier(["report", "--format", "html", "--edition", "un", "--output", out,
                             "--workspace", copy_root("editions", tmp)])
    assert code == 0, err
    return out


def test_report_is_self_contained(report):
    html = report.read_text(encoding="utf-8")
    # no external resource of any kind: no src/href to a scheme, no @import, no url()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|file:|//)""", html, re.I)
    assert "@import" not in html and "url(" not in html
    assert "default-src 'none'" in html  # the page forbids itself any fetch


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (setup.sh installs it)")
def test_report_opens_in_chromium_without_console_errors(report, tmp_path):
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                           report.as_uri()], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == [], console
    dom = proc.stdout
    # the filter script ran: it writes the number of elements shown
    assert re.search(r'id="count">\d+ elements? shown<', dom), dom[-2000:]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (setup.sh installs it)")
def test_filter_script_has_no_syntax_error(report, tmp_path):
    # a page that throws reports it on the console with --enable-logging; a broken page also leaves no count
    broken = tmp_path / "broken.html"
    broken.write_text(report.read_text(encoding="utf-8").replace('"use strict";', '"use strict"; nosuchfunction();'),
                      encoding="utf-8")
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                           broken.as_uri()], capture_output=True, text=True, timeout=120)
    assert "Uncaught" in proc.stderr or "CONSOLE" in proc.stderr  # the check above can fail
