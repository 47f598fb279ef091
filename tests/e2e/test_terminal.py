"""What the program prints can never drive the terminal: every command, every stream, every message.

Values from a case file, from a PDF's embedded manifest (which anyone can rewrite), from a template
override or from an argument may hold terminal escapes (``ESC ]0;title BEL`` sets the window title,
``ESC [2J`` clears the screen), CR (overwrites a line), newlines (forge a line), direction overrides
(reorder it) and invisible characters. They must reach the terminal visibly (``\\u001b``), never raw.
Colours are the program's own, on a terminal only, never with ``NO_COLOR``.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import tty
from pathlib import Path

import pikepdf
import pytest

from conftest import MINIMAL_BRIEF_BUILD, cli_env, copy_root, dossier_command, run_dossier

INCIDENT = "INC-2022-06-10-LOWMERE"
# written out by hand (not dossier.textsafety's definition): C0 but tab and newline, DEL, C1, direction
# controls, line/paragraph separators, zero-width characters, BOM
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\u2060\ufeff]")
EVIL = "\x1b]0;PWNED\x07\x1b[2J\r\u202e\u2028\x85\u200e\u2066\ufeff\nforged: line"
EVIL_SHOWN = "\\u001b]0;PWNED\\u0007\\u001b[2J\\u000d\\u202e\\u2028\\u0085\\u200e\\u2066\\ufeff\\u000aforged: line"
# the same in YAML's double-quoted escapes, for case files
EVIL_YAML = "\\e]0;PWNED\\a\\e[2J\\r\\u202e\\u2028\\x85\\u200e\\u2066\\ufeff\\nforged: line"


def cli(*args) -> tuple[int, str, str]:
    """``python -m dossier *args`` -> (exit code, stdout, stderr)."""
    return run_dossier(args, timeout=600)


def assert_harmless(code: int, out: str, err: str) -> None:
    """No traceback, no internal error, no raw dangerous character on either stream."""
    log = out + err
    assert "Traceback" not in log and "internal error" not in log, log[-3000:]
    for name, text in (("stdout", out), ("stderr", err)):
        raw = RAW.findall(text)
        assert not raw, f"raw characters on {name}: {sorted(set(map(ascii, raw)))}\n{text[-2000:]!a}"


def set_yaml(path: Path, pattern: str, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    new = re.sub(pattern, lambda _m: line, text, count=1, flags=re.M)
    assert new != text, f"{pattern!r} not found in {path}"
    path.write_text(new, encoding="utf-8")


# ---------------------------------------------------------------- verify of a crafted manifest


@pytest.fixture(scope="module")
def built(built_workspace) -> Path:
    """tests/roots/minimal with one brief built (internal edition): the session's shared build, read-only."""
    return built_workspace(*MINIMAL_BRIEF_BUILD)


def craft(pdf: Path, dest: Path, change) -> Path:
    """A copy of ``pdf`` whose embedded manifest.json was rewritten by ``change(manifest)``."""
    with pikepdf.open(pdf) as document:
        manifest = json.loads(document.attachments["manifest.json"].get_file().read_bytes())
        change(manifest)
        data = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
        document.attachments["manifest.json"] = pikepdf.AttachedFileSpec(document, data, mime_type="application/json")
        document.save(dest)
    return dest


def test_verify_shows_a_crafted_manifest_visibly(built, tmp_path):
    def change(manifest):
        manifest["case"] = "case" + EVIL
        manifest["subject"]["id"] = "INC" + EVIL
        manifest["build_date"] = EVIL
        manifest["program"]["version"] = EVIL
        manifest["norms"][0]["id"] = "norm" + EVIL
        with_file = next(e for e in manifest["items"] if "file" in e)
        with_file["file"] = EVIL
        with_file["file_sha256"] = "0" * 64
        manifest["items"].append({"id": "EV" + EVIL, "sha256": "0" * 64})

    pdf = craft(built / "out" / "internal" / f"{INCIDENT}.pdf", tmp_path / "crafted.pdf", change)
    code, out, err = cli("verify", pdf, "--workspace", built)
    assert_harmless(code, out, err)
    assert code == 1, out + err
    assert f"changed: case id is 'minimal-case', the PDF was built from case 'case{EVIL_SHOWN}'" in out
    assert f"removed: norm norm{EVIL_SHOWN}" in out
    assert f"removed: item EV{EVIL_SHOWN} " in out
    assert f"changed: exhibit file of EV-S1 ({EVIL_SHOWN})" in out
    assert f"made by dossier {EVIL_SHOWN}, evidence as of {EVIL_SHOWN}" in out
    # no value could add a line of its own
    for line in out.splitlines():
        assert line.startswith((str(pdf), "changed: ", "removed: ", "missing: ", "added: ")) or \
            re.fullmatch(r"\d+ differences?: .*", line), line


def test_verify_with_a_file_name_that_holds_escapes(built, tmp_path):
    pdf = tmp_path / "brief\x1b]0;PWNED\x07\u202e.pdf"
    shutil.copy(built / "out" / "internal" / f"{INCIDENT}.pdf", pdf)
    code, out, err = cli("verify", pdf, "--workspace", built)
    assert_harmless(code, out, err)
    assert code == 0 and "brief\\u001b]0;PWNED\\u0007\\u202e.pdf: internal edition" in out, out + err
    code, out, err = cli("verify", tmp_path / "absent\x1b[2J.pdf", "--workspace", built)
    assert_harmless(code, out, err)
    assert code == 2 and "absent\\u001b[2J.pdf: no such file" in err, err


# ---------------------------------------------------------------- hash


@pytest.mark.parametrize("written, shown", [
    ('"files/\\e]0;PWNED\\a\\e[2J\\u202e.txt"', "files/\\u001b]0;PWNED\\u0007\\u001b[2J\\u202e.txt"),
    # what the YAML reader lets through raw, and the old path check accepted: the file is then "missing"
    ('"files/x\\u2028\\x85\\u200e.txt"', "files/x\\u2028\\u0085\\u200e.txt"),
])
def test_hash_shows_an_unsafe_path_visibly(make_ws, written, shown):
    ws = make_ws("minimal")
    set_yaml(ws / "evidence/items/imagery.yaml", r"^  path: files/ev-s1-after.txt$", f"  path: {written}")
    for args in (["hash", "--check"], ["hash"]):
        code, out, err = cli(*args, "--workspace", ws)
        assert_harmless(code, out, err)
        assert code == 1, out + err
        assert out.startswith("evidence/items/imagery.yaml:11:3: error: file.path: must not contain control, "
                              "direction or invisible characters: it holds "), out
    set_yaml(ws / "evidence/items/imagery.yaml", r"^  path: .*$", "  path: files/ev-s1-after.txt")


# ---------------------------------------------------------------- every command on a hostile workspace


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """tests/roots/minimal with escapes in the case, an incident, an item, a source and a workspace norm,
    and a template override whose include names a template that does not exist (a build failure whose
    message quotes the name)."""
    ws = copy_root("minimal", tmp_path_factory.mktemp("hostile"))
    ev = ws / "evidence"
    set_yaml(ev / "case.yaml", r"^title: .*$", f'title: "Case {EVIL_YAML}"')
    set_yaml(ev / "incidents/one.yaml", r"^title: .*$", f'title: "Strike {EVIL_YAML}"')
    set_yaml(ev / "items/report.yaml", r"^summary: .*$", f'summary: "Report {EVIL_YAML}"')
    set_yaml(ev / "items/report.yaml", r"^title: .*$", f'title: "Report {EVIL_YAML}"')
    set_yaml(ev / "sources.yaml", r"^  name: .*$", f'  name: "Source {EVIL_YAML}"')
    (ws / "legal_norms").mkdir()
    (ws / "legal_norms/test-norm.yaml").write_text(
        f'id: test-norm\ntitle: "A rule {EVIL_YAML}"\ninstrument: "Test {EVIL_YAML}"\nprovision: art. 1\n'
        f'kind: rule\napplies_to: [NIAC]\nbinding: customary\nsummary: "Summary {EVIL_YAML}"\nelements:\n'
        f'  - {{id: "1", text: "First {EVIL_YAML}", kind: conduct}}\n', encoding="utf-8")
    (ws / "templates").mkdir()
    (ws / "templates/brief.html").write_text('{% include "missing' + EVIL + '.html" %}\n', encoding="utf-8")
    return ws


COMMANDS = {
    "validate": ["validate"],
    "validate-strict": ["validate", "--strict"],
    "report-text": ["report"],
    "report-json": ["report", "--format", "json"],
    "report-html": ["report", "--format", "html"],
    "norms": ["norms"],
    "norm": ["norms", "test-norm"],
    "hash-check": ["hash", "--check"],
    "build": ["build", "--edition", "internal", "--jobs", "1"],
    "build-unknown-incident": ["build", "--incident", "INC" + EVIL],
    "norm-unknown": ["norms", "rule" + EVIL],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_command_prints_a_raw_dangerous_character(hostile, name):
    code, out, err = cli(*COMMANDS[name], "--workspace", hostile)
    assert_harmless(code, out, err)
    assert code in (0, 1, 2), out + err
    if name == "build":
        assert code == 1, err
        # (Jinja reads the template's CR as a newline)
        shown = EVIL_SHOWN.replace("\\u000d", "\\u000a")
        assert f"out/internal/{INCIDENT}.pdf: error: could not render: TemplateNotFound: missing{shown}.html" \
            in err.splitlines(), err
        # the case dossier's chapters are the briefs: without the brief there is no dossier
        assert "out/internal/case-dossier.pdf: error: could not render: a brief it holds could not be prepared" \
            in err.splitlines(), err
        assert re.search(r"^built \d+ rendered, 0 unchanged, 2 failed in ", err, re.M), err
    elif name == "report-json":
        assert json.loads(out)["title"] == "Case " + EVIL  # the same data, in JSON escapes
    elif name in ("report-text", "validate", "norms", "norm"):
        assert EVIL_SHOWN in out, out
    elif name in ("build-unknown-incident", "norm-unknown"):
        assert code == 2 and EVIL_SHOWN in err, err


def test_init_and_schema_show_a_folder_name_visibly(tmp_path):
    folder = tmp_path / "ws\x1b]0;PWNED\x07\u202e"
    code, out, err = cli("init", folder)
    assert_harmless(code, out, err)
    assert code == 0 and "ws\\u001b]0;PWNED\\u0007\\u202e" in out, out + err
    code, out, err = cli("schema", "--output", tmp_path / "schemas\x1b[2J")
    assert_harmless(code, out, err)
    assert code == 0 and "schemas\\u001b[2J" in out, out + err


# ---------------------------------------------------------------- colours


def on_a_terminal(args, extra_env=None) -> str:
    """stdout of ``dossier *args`` written to a pseudo-terminal (raw mode: no newline translation)."""
    master, slave = pty.openpty()
    tty.setraw(slave)
    proc = subprocess.Popen(dossier_command(*args), stdout=slave, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, env=cli_env(extra_env), cwd="/tmp")
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=300) == 0
    return b"".join(chunks).decode("utf-8")


def test_report_colours_only_its_own_styling_on_a_terminal(hostile):
    out = on_a_terminal(["report", "--workspace", hostile])
    assert "\x1b[1m" in out and "\x1b[32m" in out, ascii(out[:500])  # bold titles, green "established"
    styling = re.compile(r"\x1b\[[0-9;]*m")
    assert not RAW.search(styling.sub("", out)), ascii(out[:2000])
    assert f"Case {EVIL_SHOWN}" in styling.sub("", out)


def test_no_colour_with_no_color(hostile):
    out = on_a_terminal(["report", "--workspace", hostile], {"NO_COLOR": "1"})
    assert "\x1b" not in out, ascii(out[:500])
    assert "● corroborated (screen)" in out  # the status word and its basis, uncoloured
