"""The edition's view of the case holds only what the edition shows: walked in process, object by object.

The leak tests (tests/e2e/test_leaks.py) search the files a build writes. These search what the rest
of the program can reach: the Case returned by ``apply_edition`` (every attribute, cached ones included,
every model, the positions of the files it came from, origins, warnings), the assessment and patterns
computed on it, and every render job a build prepares (HTML, CSS, manifest bytes), the dossier contexts
and the data files. No PDF is rendered.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path, PurePath

import pytest
from pydantic import BaseModel

from canaries import SEED, Plan, make_workspace

EDITIONS = ("un", "public")


def strings_in(obj, seen: dict[int, object] | None = None, depth: int = 0):
    """Every string reachable from ``obj``: attributes (also those a cached_property stored), model fields,
    keys and values of mappings, members of collections, bytes decoded, paths as text. (``seen`` keeps what it
    visited alive: the temporary dict of a model's fields would otherwise free its id for the next one, which
    would then be skipped as seen.)"""
    seen = {} if seen is None else seen
    if depth > 200:
        raise AssertionError("the view nests too deeply to walk")
    if isinstance(obj, str):
        yield obj
        return
    if isinstance(obj, (bytes, bytearray)):
        yield bytes(obj).decode("utf-8", "replace")
        return
    if isinstance(obj, PurePath):
        yield str(obj)
        return
    if obj is None or isinstance(obj, (bool, int, float, complex)) or callable(obj) and not hasattr(obj, "__dict__"):
        return
    if id(obj) in seen:
        return
    seen[id(obj)] = obj
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from strings_in(key, seen, depth + 1)
            yield from strings_in(value, seen, depth + 1)
        return
    if isinstance(obj, (list, tuple, set, frozenset)):
        for value in obj:
            yield from strings_in(value, seen, depth + 1)
        return
    if isinstance(obj, BaseModel):
        yield from strings_in(dict(obj.__dict__), seen, depth + 1)
        return
    if dataclasses.is_dataclass(obj) or hasattr(obj, "__dict__") or hasattr(obj, "__slots__"):
        values = dict(getattr(obj, "__dict__", {}))
        for name in getattr(type(obj), "__slots__", ()):
            if hasattr(obj, name):
                values[name] = getattr(obj, name)
        yield from strings_in(values, seen, depth + 1)
        return
    yield str(obj)  # dates, enums: their text


@pytest.fixture(scope="module")
def canary_case(tmp_path_factory):
    from dossier.pipeline.session import load as load_case

    plan = Plan(random.Random(SEED))
    ws, _renamed = make_workspace(tmp_path_factory.mktemp("view"), plan)
    return plan, load_case(ws)


def _views(case, edition: str) -> dict[str, object]:
    """What a build of one edition computes before rendering, by name."""
    from dossier.pipeline import session
    from dossier.pipeline.plan import plan

    seen = session.edition(case, edition)
    view = seen.case
    view.items_of(next(iter(view.incidents)))  # fill the cached index too, so it is walked
    documents, data_files, failures = plan(case, [edition], [])
    assert not failures, failures
    assert documents and data_files
    # a front part is made when its page numbers are known: made here, it is walked too
    fronts = [d.front(d.guess, [1] * len(d.parts)) for d in documents if d.front]
    assert len(fronts) == 2  # the case dossier's and the completeness report's
    return {"the edition's Case": view, "its assessment": seen.assessment, "its patterns": seen.patterns,
            "the documents and their parts": documents, "their front parts": fronts, "the data files": data_files}


def _leaks(plan: Plan, named: dict[str, object], edition: str) -> list[str]:
    found = []
    for what, obj in named.items():
        text = "\n".join(strings_in(obj))
        for canary in plan.canaries:
            if edition in canary.absent_in and (canary.text in text or
                                                canary.text.startswith("CANARY-") and canary.text[7:15] in text):
                found.append(f"{canary.where} ({canary.text}) in {what}")
    return found


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_edition_view_and_its_render_jobs_hold_no_canary(canary_case, edition):
    plan, case = canary_case
    leaks = _leaks(plan, _views(case, edition), edition)
    assert not leaks, f"{len(leaks)} withheld value(s) reachable in the {edition} edition:\n" + "\n".join(leaks)


def test_the_walker_finds_the_canaries_in_the_internal_view(canary_case):
    """The same walk over the internal edition finds what un must not hold: the test can fail."""
    plan, case = canary_case
    flagged = {leak.split(" (CANARY-")[0] for leak in _leaks(plan, _views(case, "internal"), "un")}
    for expected in ("witness statement ED-WIT-PUBLIC interviewer (shown item)",
                     "witness statement ED-WIT-PUBLIC custodian (shown item)",
                     "custodian of the shown item ED-PUB-REPORT",
                     "distance computed from the exact protected coordinates"):
        assert any(f.startswith(expected) for f in flagged), (expected, sorted(flagged))
    assert len(flagged) >= 25, sorted(flagged)


def test_the_raw_case_holds_no_parsed_file(canary_case):
    """The loaded case keeps where each object was written (positions), never the file's parsed data."""
    plan, case = canary_case
    for key, where in case.where.items():
        assert not hasattr(where, "doc"), key
        texts = "\n".join(strings_in(where))
        assert "CANARY-" not in texts, (key, texts[:200])


def test_withheld_origins_are_opaque(canary_case):
    """A public item relaying a statement withheld in `public` keeps its own origin group, under a token."""
    from dossier.analysis.editions import apply_edition

    plan, case = canary_case
    view = apply_edition(case, "public")
    relay = view.origins["ED-PRESS-RELAY"]
    assert relay and all(o.startswith("withheld-origin-") for o in relay), relay
    assert case.origins["ED-PRESS-RELAY"] != relay  # internally it names the witness's source
    assert all(o in view.sources or o.startswith("withheld-origin-") for o in set().union(*view.origins.values()))


def test_custodians_become_their_role_outside_internal(canary_case):
    from dossier.analysis.editions import apply_edition

    plan, case = canary_case
    internal, un = case.items["ED-PUB-REPORT"], apply_edition(case, "un").items["ED-PUB-REPORT"]
    assert internal.chain_of_custody[0].by.startswith("CANARY-")
    assert un.chain_of_custody[0].by == "field team"
    witness = apply_edition(case, "un").items["ED-WIT-PUBLIC"]
    assert witness.chain_of_custody[0].by == "custodian"  # no role recorded: the generic word
    assert witness.interview.interviewer is None


def test_distance_warnings_outside_internal_use_only_rounded_coordinates(canary_case):
    from dossier.pipeline.session import view

    plan, case = canary_case
    internal = [w.message for w in case.warnings if w.code == "coordinates-far"]
    assert any(" km from the incident's" in m for m in internal), internal
    for edition in EDITIONS:
        messages = [w.message for w in view(case, edition).warnings if w.code == "coordinates-far"]
        assert not any(m in internal for m in messages), messages
        assert all("rounded to 0.1 degree" in m for m in messages), messages


def test_every_field_that_names_a_person_is_marked():
    """The person filter works on markers: a model field with a person's name in it must carry one."""
    import typing

    from dossier import models
    from dossier.models import case as case_models
    from dossier.models import incident, item
    from dossier.models.common import Personal

    names = {"name", "contact", "by", "interviewer"}
    unmarked = []
    for module in (case_models, incident, item, models):
        for cls in vars(module).values():
            if isinstance(cls, type) and issubclass(cls, BaseModel):
                for field, info in cls.model_fields.items():
                    marked = any(isinstance(m, Personal) for m in info.metadata)
                    if field in names and not marked and not _allowed(cls, field):
                        unmarked.append(f"{cls.__name__}.{field}")
    assert not unmarked, unmarked
    assert typing  # used by _allowed's annotations


def _allowed(cls: type, field: str) -> bool:
    """Fields called `name` that name no person: a party, a source (a witness-kind source is handled
    whole by the edition filter), a facility."""
    return (cls.__name__, field) in {("Party", "name"), ("Source", "name"), ("Facility", "name"),
                                     ("Location", "name")}


def test_the_positions_of_a_view_point_at_the_right_lines(canary_case):
    """Positions without data still locate: a warning of the `un` view names a real line."""
    from dossier.analysis.editions import apply_edition

    plan, case = canary_case
    view = apply_edition(case, "un")
    where = view.where["item:ED-PUB-REPORT"]
    location = where.loc("summary")
    line = Path(view.root, location.file).read_text(encoding="utf-8").splitlines()[location.line - 1]
    assert "summary" in line


def test_victims_as_each_edition_may_show_them(canary_case):
    """A victim's name only in `internal`; the pseudonym where consent names the edition's audience; a withdrawn
    victim in no edition but `internal`; a group as it is."""
    from dossier.analysis.editions import apply_edition

    plan, case = canary_case
    incident = "INC-2021-07-09-ASHFORD"
    internal = {v.id or v.group: v for v in case.incidents[incident].victims}
    assert internal["V-NAMED"].name.startswith("CANARY-") and internal["V-WITHDRAWN"].pseudonym.startswith("CANARY-")
    un = {v.id or v.group: v for v in apply_edition(case, "un").incidents[incident].victims}
    assert set(un) == {"V-NAMED", "V-UNNAMED", "V-NOCONSENT", "the traders of the market square"}
    assert un["V-NAMED"].pseudonym == internal["V-NAMED"].pseudonym and un["V-NAMED"].name is None
    assert un["V-UNNAMED"].pseudonym is None and un["V-NOCONSENT"].pseudonym is None  # iiim only / no consent
    assert un["V-UNNAMED"].harm == "killed" and un["V-UNNAMED"].category == "child"
    public = {v.id or v.group: v for v in apply_edition(case, "public").incidents[incident].victims}
    assert public["V-NAMED"].pseudonym is None and "V-WITHDRAWN" not in public


def test_a_withdrawn_consent_withholds_the_statement_everywhere_but_internal(canary_case):
    from dossier.analysis.editions import apply_edition

    plan, case = canary_case
    withdrawn = [i for i, item in case.items.items() if getattr(item, "consent", None) and item.consent.withdrawn_on]
    assert len(withdrawn) == 1
    assert case.items[withdrawn[0]].consent.share_with == ["legal_team", "un_bodies", "iiim", "courts", "public"]
    for edition in EDITIONS:
        assert withdrawn[0] not in apply_edition(case, edition).items


def test_the_walker_finds_victims_and_withdrawn_statements_in_the_internal_view(canary_case):
    plan, case = canary_case
    flagged = {leak.split(" (CANARY-")[0] for leak in _leaks(plan, _views(case, "internal"), "un")}
    for expected in ("name of a victim named to UN bodies", "pseudonym of a victim whose consent was withdrawn",
                     "pseudonym of a victim without consent", "witness statement ED-WIT-WITHDRAWN pseudonym",
                     "witness statement ED-WIT-IIIM summary"):
        assert any(f.startswith(expected) for f in flagged), (expected, sorted(flagged))
