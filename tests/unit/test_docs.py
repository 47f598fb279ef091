"""The user documentation (docs/, mkdocs.yml) builds with `mkdocs build --strict`: a broken link, a missing
anchor or a page missing from the nav's files fails the test suite. Nothing a user reads points outside the
project (the contract files beside it are not in a clone)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


def _mkdocs(root: Path, site: Path) -> subprocess.CompletedProcess:
    if importlib.util.find_spec("mkdocs") is None:
        pytest.fail("mkdocs is not installed: install the test extras (pip install -e '.[test]')")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                           str(root / "mkdocs.yml"), "--site-dir", str(site)],
                          cwd=root, capture_output=True, text=True, timeout=300)


def _copy_docs(dest: Path) -> Path:
    shutil.copytree(REPO / "docs", dest / "docs")
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def test_the_documentation_builds_without_a_warning(tmp_path):
    proc = _mkdocs(REPO, tmp_path / "site")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0 and "WARNING" not in output, f"mkdocs build --strict failed:\n{output}"
    for page in ("index", "guide", "case-format", "commands", "editions", "reading", "spreadsheets", "team"):
        assert (tmp_path / "site" / f"{page}.html").is_file(), page


@pytest.mark.parametrize("link", ["[the guide](gide.md)", "[a field](case-format.md#no-such-heading)",
                                  "[here](#nowhere)"])
def test_a_broken_link_fails_the_build(tmp_path, link):
    root = _copy_docs(tmp_path / "copy")
    page = root / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\nSee {link}.\n", encoding="utf-8")
    proc = _mkdocs(root, tmp_path / "site")
    assert proc.returncode != 0
    assert "WARNING" in proc.stdout + proc.stderr


def test_the_site_fetches_nothing_from_the_network(tmp_path):
    """The pages open from the disk: no script, style sheet or font from elsewhere."""
    site = tmp_path / "site"
    assert _mkdocs(REPO, site).returncode == 0
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for tag in ('<script src="http', "<link href=\"http", '<link rel="stylesheet" href="http'):
            assert tag not in text, (page.name, tag)


USER_FILES = ["README.md", "SECURITY.md", "BENCHMARKS.md", "mkdocs.yml", "setup.sh", "pyproject.toml"]
USER_FOLDERS = ["docs", "dossier", "templates", "legal_norms", "benchmarks"]


def test_nothing_a_user_reads_points_outside_the_project():
    paths = [REPO / name for name in USER_FILES]
    paths += [p for folder in USER_FOLDERS for p in sorted((REPO / folder).rglob("*"))
              if p.is_file() and p.suffix in {".md", ".py", ".yaml", ".yml", ".html", ".txt", ".css"}]
    found = [f"{p.relative_to(REPO)}:{n}" for p in paths for n, line in
             enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "../shared" in line or "shared/spec" in line]
    assert found == [], "point to the pages in docs/ instead:\n" + "\n".join(found)


def test_the_readme_links_the_documentation():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for page in ("docs/guide.md", "docs/case-format.md", "docs/commands.md", "docs/editions.md"):
        assert f"]({page}" in readme, page
