"""The command line: parse options, call one function, map errors to exit codes.

Exit codes: 0 success (warnings allowed), 1 the input has errors or an output cannot be written, 2 bad usage.
No traceback for bad input, usage or a file-system fault: errors are printed as ``path:line:col: error: ...``
(``path: error: ...`` for an output). Every message goes through the one printer, ``console.echo``, which
neutralises the control and direction characters a case file, a PDF's manifest or an argument may hold.
(click's own usage errors quote the arguments with ``repr``, which escapes them too.)
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from dossier import __version__
from dossier.atomic import OutputError
from dossier.console import echo, echo_document
from dossier.diagnostics import Diagnostic, InputError, UsageError
from dossier.models.common import EDITIONS
from dossier.words import count


def _print_diagnostics(diags: list[Diagnostic]) -> None:
    lines = [d.format() for d in sorted(diags, key=Diagnostic.shown_key)]  # errors first, then warnings
    errors = sum(1 for d in diags if d.level == "error")
    warnings = len(diags) - errors
    if diags:
        lines.append(f"{count(errors, 'error')}, {count(warnings, 'warning')}")
        echo(lines, err=True)


def command(func):
    """Run a command body, turning our exceptions into messages and exit codes."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            _print_diagnostics(exc.diagnostics)
            sys.exit(1)
        except UsageError as exc:
            echo(f"dossier: {exc}", err=True)
            sys.exit(2)
        except OutputError as exc:  # a full disk, a read-only folder, a link in out/, another build
            echo(str(exc), err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            echo("dossier: interrupted", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # a bug: say so plainly, the traceback only on request
            if os.environ.get("DOSSIER_DEBUG"):
                raise
            echo(f"dossier: internal error (this is a bug, please report it): {type(exc).__name__}: {exc}", err=True)
            sys.exit(3)

    return wrapper


workspace_option = click.option("--workspace", "-w", "workspace", type=click.Path(file_okay=False, path_type=Path),
                                default=None, help="Workspace folder (default: the current folder).")
edition_choice = click.Choice(EDITIONS)


def _load(workspace: Path | None, strict: bool = False):
    from dossier.pipeline import session
    from dossier.pipeline.submissions import checked

    case = checked(session.load(session.find_workspace(workspace)))  # with the checks before sending
    if strict and case.warnings:
        raise InputError([w.as_strict() for w in case.warnings])
    return case


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dossier")
def main() -> None:
    """Map evidence of attacks on protected objects to the elements of IHL norms and crimes,
    and compile PDF briefs in internal, un and public editions."""


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--empty", is_flag=True, help="Only evidence/case.yaml, to fill in before `dossier import`.")
@command
def init(directory: Path, empty: bool) -> None:
    """Make a new workspace with a small, valid, commented example case."""
    from dossier.starter import make_workspace

    make_workspace(directory, empty)
    if empty:
        echo(f"created workspace {directory} with only evidence/case.yaml: fill it in, then run "
             f"`dossier import LOG.xlsx --workspace {directory}`")
    else:
        echo(f"created workspace {directory}: edit evidence/, then run `dossier validate --workspace {directory}`")


@main.command(name="new")
@click.argument("kind", type=click.Choice(["item", "incident", "source"]))
@click.argument("item_type", metavar="[TYPE]", required=False)
@workspace_option
@click.option("--id", "wanted_id", default=None, help="The new object's id (default: the next free EV-, INC- or "
                                                     "SRC- number).")
@click.option("--incident", default=None, help="For an item: the incident it concerns (default: the case's only "
                                               "incident, if it has one).")
@command
def new(kind: str, item_type: str | None, workspace: Path | None, wanted_id: str | None, incident: str | None) -> None:
    """Write a commented YAML file for a new item (of TYPE), incident or source, to fill in."""
    from dossier.pipeline.scaffold import new_file
    from dossier.pipeline.session import find_workspace

    echo(new_file(find_workspace(workspace), kind, item_type, wanted_id, incident))


@main.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@workspace_option
@click.option("--kind", type=click.Choice(["items", "sources", "incidents"]), default=None,
              help="What a CSV file holds (default: told by its columns).")
@click.option("--into", default=None, help="Folder for new items, relative to the workspace "
                                           "(default: evidence/items/imported).")
@click.option("--update", is_flag=True, help="Change objects that already exist (only the fields that differ).")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@command
def import_(file: Path, workspace: Path | None, kind: str | None, into: str | None, update: bool,
            dry_run: bool) -> None:
    """Read an evidence log (.xlsx or .csv) into the workspace's YAML files, all or nothing."""
    from dossier.pipeline.importing import import_table
    from dossier.pipeline.session import find_workspace

    echo(import_table(file, str(file), find_workspace(workspace), kind, into, update, dry_run))


@main.command()
@workspace_option
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option("--edition", type=edition_choice, default="internal", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="The workbook to write (with --format csv: a folder, one CSV a sheet).")
@click.option("--template", "template", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write an empty workbook to fill in: headers, notes, lists of allowed values.")
@command
def export(workspace: Path | None, fmt: str, edition: str, output: Path | None, template: Path | None) -> None:
    """Write the workspace, and its completeness matrix, as a workbook or CSV files, for one edition."""
    from dossier.pipeline.exporting import export_case, export_template

    if template is not None:
        echo(export_template(template, workspace))
        return
    if output is None:
        raise UsageError("export needs --output FILE (or --template FILE.xlsx)")
    echo(export_case(_load(workspace), edition, fmt, output))


def _diagnostics_json(diags: list[Diagnostic]) -> str:
    """The problems as data, for a script or an editor: ``{"diagnostics": [...], "errors": N, "warnings": M}``."""
    import json

    shown = sorted(diags, key=Diagnostic.shown_key)
    errors = sum(1 for d in shown if d.level == "error")
    data = {"diagnostics": [d.as_json() for d in shown], "errors": errors, "warnings": len(shown) - errors}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


@main.command()
@workspace_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--quiet", "-q", is_flag=True, help="Print problems only, no summary.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: the problems as data on standard output, and nothing else.")
@command
def validate(workspace: Path | None, strict: bool, quiet: bool, fmt: str) -> None:
    """Load and check everything; print every problem, not just the first."""
    if fmt == "json":
        try:
            diags = list(_load(workspace, strict).warnings)
        except InputError as exc:
            echo_document(_diagnostics_json(exc.diagnostics), "json")
            sys.exit(1)
        echo_document(_diagnostics_json(diags), "json")
        return
    case = _load(workspace, strict)
    _print_diagnostics(list(case.warnings))
    if not quiet:
        from dossier.pipeline.listing import validate_summary

        echo(validate_summary(case) + [""])


@main.command()
@workspace_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "pdf"]), default="text",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--edition", type=edition_choice, default="internal", show_default=True)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@command
def report(workspace: Path | None, fmt: str, output: Path | None, edition: str, strict: bool) -> None:
    """The completeness report: which elements are established, partial, contested or missing."""
    from dossier.pipeline.outputs import write_report

    case = _load(workspace, strict)
    if fmt == "pdf" and output is None:
        raise UsageError("--format pdf needs --output FILE")
    shown = write_report(case, edition, fmt, output)
    if isinstance(shown, list):
        echo(shown)
    elif shown is not None:
        echo_document(shown, "json" if fmt == "json" else "html")


@main.command()
@workspace_option
@click.option("--edition", "editions", type=edition_choice, multiple=True, help="Edition(s) to build (default: all).")
@click.option("--incident", "incidents", multiple=True, help="Only these incidents' briefs (repeatable).")
@click.option("--submission", "submissions", multiple=True,
              help="Only this submission to a UN body, into out/submissions/ID/ (repeatable).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Parallel renderers (default: cores).")
@click.option("--force", is_flag=True, help="Rebuild everything, even outputs whose inputs did not change.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--wait", is_flag=True,
              help="If another build is writing out/, wait for it to finish instead of stopping.")
@command
def build(workspace: Path | None, editions: tuple[str, ...], incidents: tuple[str, ...], submissions: tuple[str, ...],
          jobs: int | None, force: bool, quiet: bool, strict: bool, wait: bool) -> None:
    """Render the PDFs into out/<edition>/, and each submission into out/submissions/<id>/."""
    from dossier.pipeline.build import changed_exhibits, run_build
    from dossier.pipeline.submissions import chosen

    case = _load(workspace, strict)
    # no option: every edition and every submission; --submission alone: only those submissions
    subs = chosen(case, submissions) if submissions or not (editions or incidents) else []
    eds = () if submissions and not (editions or incidents) else (editions or EDITIONS)
    refused = changed_exhibits(case, eds, subs)
    if refused:  # printed in place of the warnings they replace
        keys = {(d.location, d.subjects) for d in refused}
        raise InputError(refused + [w for w in case.warnings if (w.location, w.subjects) not in keys])
    if not quiet:
        _print_diagnostics(list(case.warnings))
    ok = run_build(case, eds, incidents, jobs, force, quiet, wait, subs)
    if not ok:
        sys.exit(1)


@main.command()
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@workspace_option
@command
def verify(pdf: Path, workspace: Path | None) -> None:
    """Check a built PDF against the workspace and its exhibit files."""
    from dossier.pipeline.session import find_workspace
    from dossier.pipeline.verify import verify_pdf

    ok, lines = verify_pdf(pdf, find_workspace(workspace))
    echo(lines)
    if not ok:
        sys.exit(1)


@main.command(name="hash")
@workspace_option
@click.option("--check", is_flag=True, help="Only report; change no file.")
@click.option("--update", is_flag=True, help="Also replace recorded hashes that no longer match their files.")
@command
def hash_(workspace: Path | None, check: bool, update: bool) -> None:
    """Compute the sha256 of exhibit files and record the missing ones in the items' YAML."""
    from dossier.pipeline.hashing import record_hashes
    from dossier.pipeline.session import find_workspace

    ok, lines = record_hashes(find_workspace(workspace), write=not check, update=update)
    echo(lines)
    if not ok:
        sys.exit(1)


@main.command()
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"),
              show_default=True, help="Folder to write the JSON Schemas into.")
@command
def schema(output: Path) -> None:
    """Write JSON Schemas for case, source, incident, item, norm and submission files (for editors)."""
    from dossier.schemas import write_schemas

    echo([f"wrote {path}" for path in write_schemas(output)])


@main.command()
@click.argument("norm_id", required=False)
@workspace_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@command
def norms(norm_id: str | None, workspace: Path | None, fmt: str) -> None:
    """List the norms library, or show one norm with its elements, applicability, binding and alternatives."""
    from dossier.pipeline.listing import norms_listing

    shown = norms_listing(norm_id, workspace, fmt)
    if isinstance(shown, str):
        echo_document(shown, "json")
    else:
        echo(shown)
