"""What `dossier hash` says: each line true of what it did (with --check, nothing is recorded), and the command
that fixes what is left, exactly. On copies of tests/roots/minimal (EV-S1 is its one exhibit file)."""

from __future__ import annotations

SHA = "  sha256: 019e84c61dc02f5d5c7f34a769f1d4280091ed42dcb54b0a432025aa96799809\n"
FILE = "evidence/files/ev-s1-after.txt"


def _lines(run_cli, ws, *args) -> tuple[int, list[str]]:
    code, out, err = run_cli(["hash", *args, "--workspace", ws])
    assert "Traceback" not in out + err and err == "", err
    return code, out.splitlines()


def test_check_with_a_hash_missing_records_nothing_and_says_to_run_hash(make_ws, edit, run_cli):
    ws = make_ws("minimal")
    edit(ws, "evidence/items/imagery.yaml", SHA, "")
    before = (ws / "evidence/items/imagery.yaml").read_text(encoding="utf-8")
    assert _lines(run_cli, ws, "--check") == (1, [
        "evidence/items/imagery.yaml:10:1: EV-S1: sha256 019e84c61dc0… not recorded",
        "1 hash to record, nothing written (--check): run `dossier hash`"])
    assert (ws / "evidence/items/imagery.yaml").read_text(encoding="utf-8") == before
    assert _lines(run_cli, ws) == (0, ["evidence/items/imagery.yaml:10:1: EV-S1: sha256 019e84c61dc0… recorded"])
    assert _lines(run_cli, ws, "--check") == (0, ["every exhibit hash is recorded and matches its file"])


def test_check_with_a_changed_file_says_only_update_fixes_it(make_ws, run_cli):
    ws = make_ws("minimal")
    with open(ws / FILE, "a", encoding="utf-8") as handle:
        handle.write("x\n")
    changed = ("evidence/items/imagery.yaml:12:3: error: EV-S1: file.sha256: the exhibit file changed since it was "
               "hashed (now 86ed8048bb4c…, recorded 019e84c61dc0…); find out why, then record the new hash with "
               "`dossier hash --update`")
    summary = "1 exhibit file changed since it was hashed: find out why, then run `dossier hash --update`"
    assert _lines(run_cli, ws, "--check") == (1, [changed, summary])  # never "0 hash(es) to record: run `dossier hash`"
    assert _lines(run_cli, ws) == (1, [changed, summary])
    assert _lines(run_cli, ws, "--check", "--update") == (1, [
        "evidence/items/imagery.yaml:10:1: EV-S1: sha256 86ed8048bb4c… not recorded (the recorded 019e84c61dc0… no "
        "longer matches)",
        "1 hash to replace, nothing written (--check): run `dossier hash --update`"])
    assert _lines(run_cli, ws, "--update") == (0, [
        "evidence/items/imagery.yaml:10:1: EV-S1: sha256 86ed8048bb4c… replaced (was 019e84c61dc0…)"])
