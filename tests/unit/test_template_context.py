"""The template context is a contract (as Datasette's is): every record a template reads is a typed,
documented dataclass; each template receives exactly one context record; and each template uses only
the names its record provides. A template that reads a name no context gives it, or a field added
without a word on what it holds, fails here, not in a brief."""

from __future__ import annotations

import ast
import dataclasses
import inspect
from pathlib import Path

import pytest
from jinja2 import meta

from dossier.rendering import records, submission_records, templates, views
from dossier.rendering.env import environment
from dossier.resources import resource_dir

from conftest import REPO

MODULES = (records, views, templates, submission_records)
INCLUDED = {"_macros.html", "_head.html", "_dossier_open.html", "_completeness_open.html", "_submission.html"}  # included or imported by the documents


def _documented_fields(module) -> dict[str, dict[str, str]]:
    """For each dataclass of a module, each field's documentation: the string right below it."""
    tree = ast.parse(Path(inspect.getsourcefile(module)).read_text(encoding="utf-8"))
    found: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            docs: dict[str, str] = {}
            body = node.body
            for here, after in zip(body, body[1:] + [None], strict=True):
                if isinstance(here, ast.AnnAssign) and isinstance(here.target, ast.Name):
                    text = after.value.value if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) \
                        and isinstance(after.value.value, str) else ""
                    docs[here.target.id] = text.strip()
            found[node.name] = docs
    return found


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_context_field_is_documented(module):
    documented = _documented_fields(module)
    missing = []
    records_here = [c for c in vars(module).values()
                    if dataclasses.is_dataclass(c) and isinstance(c, type) and c.__module__ == module.__name__]
    assert records_here
    for cls in records_here:
        assert (cls.__doc__ or "").strip(), f"{cls.__name__} has no docstring"
        for f in dataclasses.fields(cls):
            if not documented.get(cls.__name__, {}).get(f.name):
                missing.append(f"{cls.__name__}.{f.name}")
    assert not missing, "context fields without a word on what they hold:\n" + "\n".join(missing)


def test_no_positional_tuples_of_values_in_the_context():
    """Rows are records with named fields, not tuples a template unpacks by position."""
    offenders = []
    for module in MODULES:
        for cls in vars(module).values():
            if dataclasses.is_dataclass(cls) and isinstance(cls, type) and cls.__module__ == module.__name__:
                for f in dataclasses.fields(cls):
                    text = str(f.type)
                    if "tuple[tuple" in text.replace(" ", "") or "tuple[str,str" in text.replace(" ", ""):
                        offenders.append(f"{cls.__name__}.{f.name}: {text}")
    assert not offenders, offenders


def test_every_document_template_is_registered():
    folder = resource_dir("templates")
    documents = {p.name for p in folder.glob("*.html")} - INCLUDED
    assert documents == set(templates.TEMPLATES), (documents, set(templates.TEMPLATES))


@pytest.mark.parametrize("name", sorted(templates.TEMPLATES))
def test_each_template_uses_only_what_its_context_gives(name):
    env = environment((resource_dir("templates"),))
    source = (resource_dir("templates") / name).read_text(encoding="utf-8")
    used = meta.find_undeclared_variables(env.parse(source))
    # a template includes the shared openings, which read the same context: their names count too
    for included in meta.find_referenced_templates(env.parse(source)):
        if included in INCLUDED and included not in ("_macros.html", "_submission.html"):
            used |= meta.find_undeclared_variables(env.parse((resource_dir("templates") / included)
                                                             .read_text(encoding="utf-8")))
    given = {f.name for f in dataclasses.fields(templates.TEMPLATES[name])}
    local = {"title", "description", "subject"}  # set by the template itself ({% with %}) for an include
    unknown = used - given - local
    assert not unknown, f"{name} reads {sorted(unknown)}, which {templates.TEMPLATES[name].__name__} does not give"


@pytest.mark.parametrize("name", ["_macros.html", "_submission.html"])
def test_the_macros_read_only_their_arguments(name):
    env = environment((resource_dir("templates"),))
    source = (resource_dir("templates") / name).read_text(encoding="utf-8")
    assert meta.find_undeclared_variables(env.parse(source)) == set()


def test_render_refuses_the_wrong_context():
    with pytest.raises(TypeError, match="brief.html is rendered from a BriefContext"):
        templates.render(None, "brief.html", object())


def test_the_repository_templates_are_the_packaged_ones():
    assert resource_dir("templates") == REPO / "templates"


def test_a_workspaces_own_templates_run_in_the_sandbox(tmp_path):
    """The built-in templates alone are the program's code; as soon as a workspace has templates of its own
    (files anyone with the workspace can change), every template renders in Jinja's immutable sandbox."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    from dossier.rendering.env import environment, template_dirs

    assert not isinstance(environment(tuple(template_dirs(None))), SandboxedEnvironment)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "probe.html").write_text("{{ [].__class__.__base__.__subclasses__() }}",
                                                       encoding="utf-8")
    env = environment(tuple(template_dirs(tmp_path)))
    assert isinstance(env, SandboxedEnvironment)
    with pytest.raises(SecurityError):
        env.get_template("probe.html").render()
