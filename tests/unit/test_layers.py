"""Imports point down: a test of the package's layering, made by parsing every module's imports.

The layers, from the top: ``cli`` uses ``pipeline``; ``pipeline`` uses ``rendering``, ``analysis`` and
``loading``; each of those three uses only ``models`` and the small shared modules at the top of the package
(``codes``, ``diagnostics``, ``console``, ``textsafety``, ``atomic``, ``geometry``, ``files``, ``resources``, ``words``,
the version);
``models``
uses only those. Imports inside functions count as much as those at the top, and no two modules may import
each other, directly or through others.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "dossier"
SHARED = {"dossier", "dossier.codes", "dossier.diagnostics", "dossier.console", "dossier.textsafety", "dossier.atomic",
          "dossier.geometry", "dossier.files", "dossier.resources", "dossier.words"}
LAYERS = {  # a module may import its own layer's modules and those of the layers listed for it
    "cli": {"pipeline", "models", "shared", "schemas", "starter"},
    "main": {"cli"},
    "starter": {"shared"},
    "schemas": {"models", "shared"},
    "pipeline": {"rendering", "analysis", "loading", "models", "shared", "starter"},
    "rendering": {"models", "shared"},
    "analysis": {"models", "shared"},
    "loading": {"models", "shared"},
    "models": {"shared"},
    "shared": {"shared"},
}


def layer_of(module: str) -> str:
    if module in SHARED:
        return "shared"
    part = module.split(".")[1]
    return {"__main__": "main"}.get(part, part)


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(REPO).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``module`` imports (``from dossier.x import y`` counts ``dossier.x.y`` when
    that is a module, else ``dossier.x``)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in known else node.module
                     for alias in node.names]
        for name in names:
            if name.split(".")[0] == "dossier" and name != module:
                out.add(name)
    return out


def test_every_module_belongs_to_a_layer():
    unknown = [m for m in modules() if layer_of(m) not in LAYERS]
    assert not unknown, f"modules outside every layer (add them to LAYERS or move them): {unknown}"


def test_imports_point_down():
    found = modules()
    upward = []
    for module, path in found.items():
        mine = layer_of(module)
        for target in sorted(imports_of(module, path, set(found))):
            theirs = layer_of(target)
            if theirs != mine and theirs not in LAYERS[mine]:
                upward.append(f"{module} ({mine}) imports {target} ({theirs})")
    assert not upward, "imports that do not point down:\n" + "\n".join(upward)


def test_no_import_cycles():
    found = modules()
    graph = {m: {t for t in imports_of(m, p, set(found)) if t in found and t != "dossier"} for m, p in found.items()}
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_no_module_is_long():
    """A newcomer reads a module whole: none is much over 400 lines."""
    long = {m: n for m, p in modules().items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420}
    assert not long, long
