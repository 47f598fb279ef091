"""Canary strings in every field an edition must withhold: the workspace shared by the leak tests.

``make_workspace`` copies tests/roots/editions and writes random canary strings (``CANARY-`` + 12
letters, from a fixed seed) into every field an edition must withhold (case-format.md, "Editions"),
recording for each which editions must not show it. ``tests/e2e/test_leaks.py`` searches every
output for them; ``tests/unit/test_edition_view.py`` searches the edition's view of the case and every
prepared render job, in process.
"""

from __future__ import annotations

import hashlib
import random
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from conftest import Yaml12Loader, copy_root

SEED = 20240611
SUB_SP, SUB_IIIM = "SUB-SP", "SUB-IIIM"
"""The canary workspace's two submissions (to the Special Procedures and to the IIIM): their ids are also the
labels of what each must not show, beside the editions' names, in ``Canary.absent_in``."""
SUBMISSIONS = frozenset({SUB_SP, SUB_IIIM})
WITHHELD_OUTSIDE_INTERNAL = frozenset({"un", "public"}) | SUBMISSIONS
WITHHELD_IN_PUBLIC = frozenset({"public"})
EDITION_NAMES = frozenset({"un", "public"})


@dataclass
class Canary:
    text: str
    where: str
    absent_in: frozenset[str]
    shown_internal: bool = True  # the internal edition must show it (the brief's exhibit annex does)


@dataclass
class Plan:
    rng: random.Random
    canaries: list[Canary] = field(default_factory=list)

    def new(self, where: str, absent_in: frozenset[str], shown_internal: bool = True) -> str:
        text = "CANARY-" + "".join(self.rng.choice(string.ascii_uppercase) for _ in range(12))
        self.canaries.append(Canary(text, where, absent_in, shown_internal))
        return text

    def literal(self, text: str, where: str, absent_in: frozenset[str], shown_internal: bool = True) -> str:
        self.canaries.append(Canary(text, where, absent_in, shown_internal))
        return text

    def coordinate(self) -> str:
        """Five decimals, none of them 0, so that the 5-, 4- and 3-decimal renderings are all distinct."""
        return f"{self.rng.randint(11, 59)}." + "".join(str(self.rng.randint(1, 9)) for _ in range(5))



# --------------------------------------------------------------------------- the workspace



def _load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8")


def _fill_item(plan: Plan, ws: Path, item: dict, absent: frozenset[str], label: str) -> None:
    """Canaries in every field of an item that an edition withholding it must not show."""
    c = lambda what: plan.new(f"{label} {what}", absent)  # noqa: E731
    item["title"] = c("title")
    item["summary"] = c("summary") + " " + c("summary (second word)")
    item["excerpts"] = [{"text": c("excerpt text"), "lang": "fr", "translation": c("excerpt translation")}]
    item["url"] = "https://example.org/" + c("url")
    item["archive"] = "https://archive.example.org/" + c("archive url")
    item["publisher"] = c("publisher")
    # no person is named outside `internal`, whatever the item's own confidentiality
    by = plan.new(f"{label} custody by", WITHHELD_OUTSIDE_INTERNAL)
    item["chain_of_custody"] = [{"on": item["date"], "by": by, "action": c("custody action"),
                                 "note": c("custody note")}]
    for support in item.get("supports", []):
        support["note"] = c("support note")
    name = c("file name")
    content = (c("file content") + "\n").encode()
    plan.canaries[-1].shown_internal = False  # an exhibit's content is never printed
    (ws / "evidence" / "files").mkdir(exist_ok=True)
    (ws / "evidence" / "files" / f"{name}.txt").write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()
    item["file"] = {"path": f"files/{name}.txt", "sha256": plan.literal(digest, f"{label} file sha256", absent),
                    "media_type": "text/plain"}


def make_workspace(tmp_path: Path, plan: Plan) -> tuple[Path, dict[str, str]]:
    ws = copy_root("editions", tmp_path)
    ev = ws / "evidence"
    renamed: dict[str, str] = {}

    # protected incident: exact coordinates with 5 decimals
    west_path = ev / "incidents" / "westmere.yaml"
    west = _load(west_path)
    lat, lon = plan.coordinate(), plan.coordinate()
    west["location"]["lat"], west["location"]["lon"] = float(lat), float(lon)
    assert west["location"]["protect"] is True
    _dump(west_path, west)
    coordinates = {"lat": lat, "lon": lon}
    # a public item's coordinates of the protected facility, about 2.4 km apart: the internal edition warns
    # with the distance, which no other edition may compute from the exact coordinates
    nlat, nlon = f"{float(lat) + 0.02111:.5f}", f"{float(lon) - 0.00373:.5f}"
    coordinates.update(notif_lat=nlat, notif_lon=nlon)
    from dossier.geometry import distance_km

    km = distance_km(float(lat), float(lon), float(nlat), float(nlon))
    assert 1.5 < km < 3.5, km
    plan.literal(f"{km:.1f} km from the incident", "distance computed from the exact protected coordinates",
                 WITHHELD_OUTSIDE_INTERNAL, shown_internal=False)
    for name, value in coordinates.items():
        x = float(value)
        plan.literal(value, f"protected coordinate {name} (5 decimals)", WITHHELD_OUTSIDE_INTERNAL,
                     shown_internal=name in ("lat", "lon"))
        plan.literal(f"{x:.4f}", f"protected coordinate {name} (4 decimals)", WITHHELD_OUTSIDE_INTERNAL,
                     shown_internal=False)
        plan.literal(f"{x:.3f}", f"protected coordinate {name} (3 decimals)", WITHHELD_OUTSIDE_INTERNAL,
                     shown_internal=False)

    # documents.yaml: a confidential intercept, two restricted items, public items
    docs_path = ev / "items" / "documents.yaml"
    docs = _load(docs_path)
    for item in docs:
        if item["confidentiality"] == "confidential":
            absent = WITHHELD_OUTSIDE_INTERNAL
        elif item["confidentiality"] == "restricted":
            absent = WITHHELD_IN_PUBLIC
        else:
            absent = None
        if item["id"] == "ED-NOTIF-PUB":
            item["deconfliction"]["location"] = {"lat": float(nlat), "lon": float(nlon)}
        if absent is None:
            if item.get("chain_of_custody"):
                # a shown item: its custodian is named in `internal` only; the others show the role
                item["chain_of_custody"][0]["by"] = plan.new(f"custodian of the shown item {item['id']}",
                                                             WITHHELD_OUTSIDE_INTERNAL)
                item["chain_of_custody"][0]["role"] = "field team"
            continue
        label = f"{item['confidentiality']} {item['type']} {item['id']}"
        new_id = plan.new(f"{label} id", absent)
        renamed[item["id"]] = new_id
        item["id"] = new_id
        _fill_item(plan, ws, item, absent, label)
        if item["type"] == "radio_intercept":
            b = item["intercept"]
            b["channel"] = plan.new(f"{label} channel", absent)
            b["aircraft"] = plan.new(f"{label} aircraft", absent)
            b["callsigns"] = [plan.new(f"{label} callsign 1", absent), plan.new(f"{label} callsign 2", absent)]
            b["transcript"] = {"text": plan.new(f"{label} transcript", absent), "lang": "ru",
                               "translation": plan.new(f"{label} transcript translation", absent)}
        if item["type"] == "satellite_imagery":
            b = item["imagery"]
            b["provider"] = plan.new(f"{label} imagery provider", absent)
            b["analysis"] = plan.new(f"{label} imagery analysis", absent)
            b["location"] = {"lat": float(lat), "lon": float(lon)}

    # witness statements
    needs = {"ED-WIT-LEGAL": WITHHELD_OUTSIDE_INTERNAL,      # consent: legal team only
             "ED-WIT-NOCONSENT": WITHHELD_OUTSIDE_INTERNAL,  # no consent at all
             "ED-WIT-UN": WITHHELD_IN_PUBLIC | {SUB_IIIM},   # consent: legal team and UN bodies (not the IIIM)
             "ED-WIT-PUBLIC": frozenset({SUB_IIIM}),         # consent for everyone but the IIIM: name, contact withheld
             "ED-WIT-IIIM": EDITION_NAMES | {SUB_SP},        # consent: legal team and the IIIM only
             "ED-WIT-SP": EDITION_NAMES | {SUB_IIIM},        # consent: the Special Procedures only
             "ED-WIT-WITHDRAWN": WITHHELD_OUTSIDE_INTERNAL}  # consent for everyone, then withdrawn
    sources_path = ev / "sources.yaml"
    sources = _load(sources_path)
    template = _load(ev / "items" / "witnesses" / "ed-wit-un.yaml")
    for new_id, source_id, consent in (
            ("ED-WIT-IIIM", "SRC-WI", {"share_with": ["legal_team", "iiim"], "given_on": "2021-06-11"}),
            ("ED-WIT-SP", "SRC-WS", {"share_with": ["special_procedures"], "given_on": "2021-06-11"}),
            ("ED-WIT-WITHDRAWN", "SRC-WW", {"share_with": ["legal_team", "un_bodies", "iiim", "courts", "public"],
                                            "given_on": "2021-06-11", "withdrawn_on": "2022-01-10"})):
        copy = {**template, "id": new_id, "source": source_id, "consent": consent, "confidentiality": "public",
                "witness": {**template["witness"], "pseudonym": f"WIT-{new_id}"}}
        _dump(ev / "items" / "witnesses" / f"{new_id.lower()}.yaml", copy)
        sources.append({"id": source_id, "name": f"Witness {source_id}", "kind": "witness", "reliability": "C"})
    for path in sorted((ev / "items" / "witnesses").glob("*.yaml")):
        item = _load(path)
        old_id = item["id"]
        absent = needs[old_id]
        label = f"witness statement {old_id}"
        item["witness"]["name"] = plan.new(f"{label} witness name", WITHHELD_OUTSIDE_INTERNAL)
        item["witness"]["contact"] = "+999 " + plan.new(f"{label} witness contact", WITHHELD_OUTSIDE_INTERNAL)
        for source in sources:
            if source["id"] == item["source"]:
                source["name"] = plan.new(f"{label} name of the witness's source", WITHHELD_OUTSIDE_INTERNAL)
                # not printed today, in any edition: absence is still checked, should a template start printing them
                source["description"] = plan.new(f"{label} description of the witness's source",
                                                 WITHHELD_OUTSIDE_INTERNAL, shown_internal=False)
                source["url"] = "https://example.org/" + plan.new(f"{label} url of the witness's source",
                                                                  WITHHELD_OUTSIDE_INTERNAL, shown_internal=False)
        if not absent & EDITION_NAMES and old_id == "ED-WIT-PUBLIC":
            # shown everywhere: still, the interviewer and the custodian are named in `internal` only
            item["interview"]["interviewer"] = plan.new(f"{label} interviewer (shown item)", WITHHELD_OUTSIDE_INTERNAL)
            item["chain_of_custody"][0]["by"] = plan.new(f"{label} custodian (shown item)", WITHHELD_OUTSIDE_INTERNAL)
        if absent & EDITION_NAMES:
            # the witness's source is withheld wherever the statement is: its id must not reach those editions,
            # not even through the origins of an item that relays the statement
            source_id = plan.new(f"{label} id of the witness's source", absent, shown_internal=False)  # name shown
            for source in sources:
                if source["id"] == item["source"]:
                    source["id"] = source_id
            item["source"] = source_id
            new_id = plan.new(f"{label} id", absent)
            renamed[old_id] = new_id
            item["id"] = new_id
            item["witness"]["pseudonym"] = plan.new(f"{label} pseudonym", absent)
            item["witness"]["role"] = plan.new(f"{label} role", absent)
            item["interview"]["interviewer"] = plan.new(f"{label} interviewer", WITHHELD_OUTSIDE_INTERNAL)
            _fill_item(plan, ws, item, absent, label)
        _dump(path, item)
    _dump(sources_path, sources)

    # references to renamed items
    for item in docs:
        item["derived_from"] = [renamed.get(ref, ref) for ref in item.get("derived_from", [])]
    _dump(docs_path, docs)
    _victims(plan, ev)
    _submissions(plan, ev)
    return ws, renamed


def _victims(plan: Plan, ev: Path) -> None:
    """Victims on the Ashford incident: a name is shown in `internal` and, with `named: true`, in a submission to
    a body its consent names; a pseudonym only where consent allows; a withdrawn victim nowhere but `internal`."""
    path = ev / "incidents" / "ashford.yaml"
    incident = _load(path)
    incident["victims"] = [
        {"id": "V-NAMED", "pseudonym": plan.new("pseudonym of a victim who consented (UN bodies)", WITHHELD_IN_PUBLIC
                                                | {SUB_IIIM}),
         "name": plan.new("name of a victim named to UN bodies", EDITION_NAMES | {SUB_IIIM}),
         "category": "civilian", "harm": "injured", "consent": {"share_with": ["un_bodies"], "named": True}},
        {"id": "V-UNNAMED", "pseudonym": plan.new("pseudonym of a victim who consented to the IIIM, not named",
                                                  EDITION_NAMES | {SUB_SP}),
         "name": plan.new("name of a victim not to be named", WITHHELD_OUTSIDE_INTERNAL),
         "category": "child", "harm": "killed", "consent": {"share_with": ["iiim"], "named": False}},
        {"id": "V-NOCONSENT", "pseudonym": plan.new("pseudonym of a victim without consent", WITHHELD_OUTSIDE_INTERNAL),
         "name": plan.new("name of a victim without consent", WITHHELD_OUTSIDE_INTERNAL),
         "category": "civilian", "harm": "injured"},
        {"id": "V-WITHDRAWN", "pseudonym": plan.new("pseudonym of a victim whose consent was withdrawn",
                                                    WITHHELD_OUTSIDE_INTERNAL),
         "name": plan.new("name of a victim whose consent was withdrawn", WITHHELD_OUTSIDE_INTERNAL),
         "category": "patient", "harm": "killed",
         "consent": {"share_with": ["un_bodies", "iiim", "public"], "named": True, "withdrawn_on": "2022-02-01"}},
        {"group": "the traders of the market square"},
    ]
    _dump(path, incident)


def _submissions(plan: Plan, ev: Path) -> None:
    """A Special Procedures and an IIIM submission of both incidents; the submitter's contact is printed in a
    submission only (marked confidential), never in an edition."""
    (ev / "submissions").mkdir(exist_ok=True)
    for sub_id, body, to in ((SUB_SP, "special_procedures", ["Special Rapporteur on the right to health"]),
                             (SUB_IIIM, "iiim", ["International, Impartial and Independent Mechanism"])):
        contact = plan.new(f"submitter contact of {sub_id}", EDITION_NAMES, shown_internal=False)
        _dump(ev / "submissions" / f"{sub_id.lower()}.yaml", {
            "id": sub_id, "body": body, "to": to, "language": "en",
            "incidents": ["INC-2021-06-02-WESTMERE", "INC-2021-07-09-ASHFORD"],
            "submitter": {"organisation": "Canary Relief Legal Team", "contact": contact, "confidential": True},
            "steps_taken": ["Letters to the permanent mission of Norland, 1 March 2022."],
            "requests": ["Transmit a communication to the Government of Norland."] if body == "special_procedures"
            else ["Receive the material for the Mechanism's central repository."]})



def squeeze(text: str) -> str:
    """The text with line breaks, spaces and the hyphens the layout inserts (U+2010, soft hyphens) removed,
    so a word broken over two lines is found whole."""
    return re.sub(r"\s+", "", re.sub(r"[\u2010\u00ad]\s*", "", text))


def found_in(canary: Canary, text: str, squeezed: str) -> bool:
    if canary.text in text or canary.text in squeezed:
        return True
    # a canary cut short ("CANARY-ABCDEFGH…") or broken at its hyphen is still a leak
    return canary.text.startswith("CANARY-") and canary.text[7:15] in squeezed
