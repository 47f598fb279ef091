"""Synthetic cases in the case format (docs/case-format.md), for the benchmark and for tests.

``make_case(root, incidents, items, seed)`` writes a complete, valid workspace into ``root``:
``evidence/case.yaml``, ``evidence/sources.yaml`` (about 40 sources, some relaying others),
``evidence/incidents/*.yaml`` and one item per file under ``evidence/items/<incident>/``, with a
realistic mix of item types and their type blocks, ``supports`` mapped to the elements of
``rs-8-2-e-iv`` and ``cihl-28``, chains of custody, excerpts, witness statements with consent,
items repeating other items, and some confidential items. The output depends only on the arguments:
the same seed gives byte-identical files.

No exhibit files are written (items carry ``url``/``archive`` instead), so the case validates without
warnings about missing files or hashes. ``dossier validate`` on it exits 0.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import yaml

try:
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Writes a shared value out each time, as a person would (no ``&id001`` anchors)."""

    def ignore_aliases(self, data) -> bool:
        return True

__all__ = ["make_case", "ELEMENTS", "ITEM_TYPE_WEIGHTS"]

CHARGES = ["rs-8-2-e-iv", "cihl-28"]
ELEMENTS = [f"{norm}/{n}" for norm in CHARGES for n in range(1, 6)]
"""Every element the synthetic items map to (both norms have elements 1 to 5)."""

ITEM_TYPE_WEIGHTS = {
    "report": 16, "video": 11, "photo": 9, "witness_statement": 12, "satellite_imagery": 9,
    "radio_intercept": 6, "plane_spotter_log": 7, "coordinate_sharing": 4, "document": 6,
    "official_statement": 4, "medical_record": 7, "munition_analysis": 5, "other": 4,
}
"""Relative frequency of each item type."""

# Which elements each type typically bears on (the first ones are the likeliest).
_TYPE_ELEMENTS = {
    "report": ["rs-8-2-e-iv/1", "cihl-28/1", "cihl-28/3", "rs-8-2-e-iv/4", "rs-8-2-e-iv/2"],
    "video": ["rs-8-2-e-iv/1", "cihl-28/3", "rs-8-2-e-iv/2"],
    "photo": ["cihl-28/3", "rs-8-2-e-iv/2", "cihl-28/1"],
    "witness_statement": ["rs-8-2-e-iv/2", "cihl-28/2", "cihl-28/4", "cihl-28/5", "rs-8-2-e-iv/1"],
    "satellite_imagery": ["cihl-28/4", "rs-8-2-e-iv/2", "cihl-28/3"],
    "radio_intercept": ["rs-8-2-e-iv/1", "rs-8-2-e-iv/3", "rs-8-2-e-iv/5"],
    "plane_spotter_log": ["rs-8-2-e-iv/1"],
    "coordinate_sharing": ["rs-8-2-e-iv/3", "rs-8-2-e-iv/5", "cihl-28/1"],
    "document": ["cihl-28/1", "cihl-28/2", "rs-8-2-e-iv/4"],
    "official_statement": ["rs-8-2-e-iv/4", "cihl-28/4", "rs-8-2-e-iv/3"],
    "medical_record": ["cihl-28/2", "cihl-28/3", "cihl-28/1"],
    "munition_analysis": ["rs-8-2-e-iv/1", "rs-8-2-e-iv/5", "cihl-28/3"],
    "other": ["rs-8-2-e-iv/4", "cihl-28/1"],
}

_PLACES = [
    ("Tarmala", 35.58, 36.515), ("Kafr Nabl", 35.614, 36.561), ("Hass", 35.6, 36.59), ("Kafr Zita", 35.374, 36.601),
    ("Ariha", 35.813, 36.61), ("Darat Izza", 36.28, 36.85), ("Saraqib", 35.864, 36.8), ("Maarat al-Numan", 35.648,
                                                                                      36.672),
    ("Sarmin", 35.903, 36.726), ("Khan Shaykhun", 35.441, 36.648), ("Atarib", 36.139, 36.829),
    ("Jisr al-Shughur", 35.813, 36.319), ("Binnish", 35.95, 36.711), ("Idlib", 35.93, 36.63),
    ("Latamna", 35.32, 36.62), ("Kafranbel", 35.614, 36.56), ("Sheikh Idris", 35.35, 36.7),
    ("Azaz", 36.586, 37.046), ("Anadan", 36.29, 37.04), ("Al-Bab", 36.37, 37.52),
]
_REGIONS = ["Idlib governorate", "Aleppo governorate", "Hama governorate"]
_FACILITY_KINDS = ["hospital"] * 6 + ["clinic"] * 2 + ["medical_point", "ambulance", "school", "residential",
                                                       "market"]
_MEANS = ["airstrike", "barrel_bomb", "artillery", "rocket", "cluster_munition", "incendiary"]
_WORDS = (
    "hospital strike aircraft entrance ward patients staff blast roof corridor generator ambulance clinic "
    "surgical theatre evacuation rubble crater window basement dust shelling second impact rescue civil "
    "defence nurse doctor children maternity operating room pharmacy records coordinates notification "
    "deconfliction observers flight path runway jet helicopter munition fragments tail fin fuse warning "
    "no armed presence military vehicles compound courtyard fence gate power water supplies oxygen "
    "cylinders beds intensive care unit damaged destroyed collapsed casualties wounded killed injured "
    "night morning afternoon minutes later shortly before after reported confirmed matched timestamp "
    "footage image log transcript statement record invoice inventory registry map satellite"
).split()
_NAMES = ["Amal", "Basel", "Dana", "Fadi", "Hala", "Imad", "Jamila", "Khaled", "Lina", "Mazen", "Nour", "Omar",
          "Rasha", "Samir", "Tarek", "Wafa", "Yara", "Zaid"]
_ROLES = ["medical_staff", "patient", "civil_defence", "resident", "driver", "administrator"]
_CONSENTS = [
    ["legal_team"], ["legal_team", "courts"], ["legal_team", "un_bodies"], ["legal_team", "un_bodies", "courts"],
    ["legal_team", "un_bodies", "courts", "public"],
]
_AIRCRAFT = ["Su-24", "Su-34", "Su-22", "L-39", "Mi-8", "MiG-23"]
_BASES = ["Hmeimim air base", "Hama air base", "Shayrat air base", "Tiyas air base"]
_ACTIONS = ["collected", "recorded", "received", "preserved", "translated", "analysed"]

_RU = ("Цель наблюдаю, захожу.", "Сброс выполнил, ухожу вправо.", "Понял, результат доложите.",
       "Работу закончил, возвращаюсь.")
_RU_EN = ("Target in sight, going in.", "Release complete, turning right.", "Understood, report the result.",
          "Job done, returning.")
_AR = ("لم يحذرنا أحد قبل الضربة.", "كان المستشفى مليئاً بالمرضى.", "لم يكن هناك أي مسلحين في المكان.")
_AR_EN = ("Nobody warned us before the strike.", "The hospital was full of patients.",
          "There were no armed men at the site.")


def _sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = rng.choices(_WORDS, k=rng.randint(low, high))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random, sentences: tuple[int, int] = (2, 5)) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(*sentences)))


def _sources(rng: random.Random) -> list[dict]:
    """About 40 sources; the media outlets and a few others only relay an original source."""
    originals = [
        ("SRC-AMNESTY", "Amnesty International", "ngo", "B"), ("SRC-HRW", "Human Rights Watch", "ngo", "B"),
        ("SRC-PHR", "Physicians for Human Rights", "ngo", "B"), ("SRC-SNHR", "Syrian Network for Human Rights",
                                                                  "ngo", "C"),
        ("SRC-AIRWARS", "Airwars", "ngo", "C"), ("SRC-BELLINGCAT", "Bellingcat", "ngo", "C"),
        ("SRC-SAMS", "Syrian American Medical Society", "medical", "B"),
        ("SRC-UOSSM", "Union of Medical Care and Relief Organizations", "medical", "C"),
        ("SRC-MSF", "Médecins Sans Frontières", "medical", "B"), ("SRC-IDLIB-HD", "Idlib Health Directorate",
                                                                  "medical", "C"),
        ("SRC-OCHA", "UN OCHA", "un", "B"), ("SRC-WHO", "World Health Organization", "un", "B"),
        ("SRC-UN-COI", "Commission of Inquiry on the Syrian Arab Republic", "un", "B"),
        ("SRC-UN-BOI", "UN Headquarters Board of Inquiry", "un", "B"),
        ("SRC-WHITE-HELMETS", "Syria Civil Defence", "observer_network", "C"),
        ("SRC-SPOTTERS", "Plane-spotter network (synthetic)", "observer_network", "C"),
        ("SRC-SENTRY", "Early-warning observatory (synthetic)", "observer_network", "C"),
        ("SRC-INTERCEPTS", "Radio monitoring network (synthetic)", "intercept_network", "C"),
        ("SRC-IMAGERY", "Commercial satellite imagery provider (synthetic)", "commercial_imagery", "A"),
        ("SRC-IMAGERY-2", "Second imagery provider (synthetic)", "commercial_imagery", "B"),
        ("SRC-TEAM", "Legal team investigators", "investigator", "B"),
        ("SRC-MOD-RUS", "Ministry of Defence of the Russian Federation", "government", "E"),
        ("SRC-SANA", "Syrian Arab News Agency", "government", "E"),
        ("SRC-OTHER", "Other open sources", "other", "F"),
    ]
    sources = [{"id": i, "name": n, "kind": k, "reliability": r, "derived_from": []} for i, n, k, r in originals]
    relays = [
        ("SRC-NYT", "The New York Times"), ("SRC-BBC", "BBC News"), ("SRC-GUARDIAN", "The Guardian"),
        ("SRC-REUTERS", "Reuters"), ("SRC-AFP", "Agence France-Presse"), ("SRC-AP", "Associated Press"),
        ("SRC-ALJAZEERA", "Al Jazeera"), ("SRC-ENAB", "Enab Baladi"), ("SRC-SMART", "SMART News Agency"),
        ("SRC-ORIENT", "Orient News"),
    ]
    ngo_ids = [s["id"] for s in sources if s["kind"] in ("ngo", "medical", "un", "observer_network")]
    for i, (sid, name) in enumerate(relays):
        derived = sorted(rng.sample(ngo_ids, rng.randint(0, 2))) if i % 3 else []
        sources.append({"id": sid, "name": name, "kind": "media", "reliability": rng.choice("BCD"),
                        "derived_from": derived})
    # Two second-hand compilations that relay relays (lineage two levels deep).
    sources.append({"id": "SRC-DIGEST", "name": "Weekly conflict digest (synthetic)", "kind": "media",
                    "reliability": "D", "derived_from": ["SRC-REUTERS", "SRC-AFP"]})
    sources.append({"id": "SRC-BLOG", "name": "Conflict monitoring blog (synthetic)", "kind": "other",
                    "reliability": "E", "derived_from": ["SRC-DIGEST", "SRC-ENAB"]})
    for n in range(1, 5):
        sources.append({"id": f"SRC-WIT-{n:02d}", "name": f"Witnesses interviewed by the team, group {n}",
                        "kind": "witness", "reliability": "C", "derived_from": []})
    for s in sources:
        if not s["derived_from"]:
            del s["derived_from"]
    return sources


_SOURCES_BY_TYPE = {
    "report": ["SRC-AMNESTY", "SRC-HRW", "SRC-PHR", "SRC-SNHR", "SRC-AIRWARS", "SRC-UN-COI", "SRC-UN-BOI",
               "SRC-WHO", "SRC-NYT", "SRC-BBC", "SRC-GUARDIAN", "SRC-REUTERS", "SRC-DIGEST", "SRC-BLOG",
               "SRC-BELLINGCAT", "SRC-AP", "SRC-ALJAZEERA"],
    "video": ["SRC-WHITE-HELMETS", "SRC-SAMS", "SRC-SMART", "SRC-ORIENT", "SRC-ENAB", "SRC-OTHER"],
    "photo": ["SRC-WHITE-HELMETS", "SRC-SAMS", "SRC-UOSSM", "SRC-AFP", "SRC-OTHER"],
    "witness_statement": ["SRC-WIT-01", "SRC-WIT-02", "SRC-WIT-03", "SRC-WIT-04"],
    "satellite_imagery": ["SRC-IMAGERY", "SRC-IMAGERY-2"],
    "radio_intercept": ["SRC-INTERCEPTS"],
    "plane_spotter_log": ["SRC-SPOTTERS", "SRC-SENTRY"],
    "coordinate_sharing": ["SRC-OCHA"],
    "document": ["SRC-SAMS", "SRC-UOSSM", "SRC-IDLIB-HD", "SRC-MSF", "SRC-TEAM"],
    "official_statement": ["SRC-MOD-RUS", "SRC-SANA"],
    "medical_record": ["SRC-SAMS", "SRC-MSF", "SRC-IDLIB-HD", "SRC-UOSSM"],
    "munition_analysis": ["SRC-TEAM", "SRC-BELLINGCAT", "SRC-HRW", "SRC-AMNESTY"],
    "other": ["SRC-OTHER", "SRC-TEAM"],
}


def _incident(rng: random.Random, n: int, day: date) -> dict:
    place, lat, lon = rng.choice(_PLACES)
    kind = rng.choice(_FACILITY_KINDS)
    medical = kind in ("hospital", "clinic", "medical_point", "ambulance")
    incident: dict = {
        "id": f"INC-{day.isoformat()}-{n:04d}",
        "title": f"Attack on a {kind.replace('_', ' ')} in {place} (synthetic incident {n})",
    }
    if rng.random() < 0.85:
        incident["date"] = day
        if rng.random() < 0.4:
            incident["time"] = f"{rng.randint(0, 23):02d}:{rng.choice(['00', '15', '30', '45'])}"
    else:
        incident["window"] = {"from": day, "to": day + timedelta(days=rng.randint(1, 3))}
    incident["location"] = {
        "place": place, "region": rng.choice(_REGIONS),
        "lat": round(lat + rng.uniform(-0.02, 0.02), 4), "lon": round(lon + rng.uniform(-0.02, 0.02), 4),
        "precision_m": rng.choice([100, 250, 500, 1000, 2000]), "protect": rng.random() < 0.3,
    }
    incident["facility"] = {"name": f"{place} {kind.replace('_', ' ')} {n}", "kind": kind, "medical": medical}
    if medical and rng.random() < 0.6:
        incident["facility"]["operator"] = rng.choice(["SAMS", "UOSSM", "Idlib Health Directorate", "MSF"])
    incident["attack"] = {"means": sorted(rng.sample(_MEANS, rng.randint(1, 2))),
                          "attributed_to": rng.choice([["SYR"], ["RUS"], ["RUS"], ["SYR", "RUS"]])}
    staff, children = rng.randint(0, 3), rng.randint(0, 8)
    incident["casualties"] = {"killed": staff + children + rng.randint(0, 20), "injured": rng.randint(0, 80),
                              "medical_staff_killed": staff, "children_killed": children}
    incident["summary"] = _paragraph(rng, (3, 6)) + "\n"
    return incident


def _item(rng: random.Random, number: int, incidents: list[dict], home: int, earlier: list[str]) -> dict:
    """One item concerning ``incidents[home]`` (and, for some reports, a neighbouring incident)."""
    types, weights = zip(*ITEM_TYPE_WEIGHTS.items(), strict=True)
    kind = rng.choices(types, weights)[0]
    incident = incidents[home]
    concerns = [incident["id"]]
    if kind in ("report", "official_statement") and len(incidents) > 1 and rng.random() < 0.25:
        other = incidents[(home + rng.randint(1, len(incidents) - 1)) % len(incidents)]["id"]
        concerns.append(other)
    day = incident.get("date") or incident["window"]["from"]
    made = day + timedelta(days=rng.randint(0, 120)) if kind not in ("coordinate_sharing",) \
        else day - timedelta(days=rng.randint(20, 400))
    if kind in ("radio_intercept", "plane_spotter_log"):
        made = day
    if kind == "coordinate_sharing":
        confidentiality = "confidential"
    else:
        confidentiality = rng.choices(["public", "restricted", "confidential"], [35, 50, 15])[0]
    item: dict = {
        "id": f"EV-{number:06d}",
        "type": kind,
        "title": f"{kind.replace('_', ' ').capitalize()} on the {incident['location']['place']} attack, no. {number}",
        "incidents": concerns,
        "source": rng.choice(_SOURCES_BY_TYPE[kind]),
        "credibility": rng.choices([1, 2, 3, 4, 5, 6], [5, 35, 35, 12, 3, 10])[0],
        "date": made,
        "confidentiality": confidentiality,
    }
    if earlier and kind in ("report", "video", "photo", "other") and rng.random() < 0.12:
        item["derived_from"] = sorted(rng.sample(earlier, min(len(earlier), rng.randint(1, 2))))
    item["summary"] = _paragraph(rng)
    if kind in ("report", "official_statement", "document"):
        item["publisher"] = rng.choice(["Amnesty International", "Human Rights Watch", "The New York Times",
                                        "UN OHCHR", "SANA"])
        item["published_on"] = made
    if kind in ("report", "video", "photo", "official_statement") and rng.random() < 0.7:
        item["url"] = f"https://example.org/{kind}/{number}"
        if rng.random() < 0.5:
            item["archive"] = f"https://archive.example.org/{kind}/{number}"
    if rng.random() < 0.3:
        if rng.random() < 0.5:
            k = rng.randrange(len(_AR))
            item["excerpts"] = [{"text": _AR[k], "lang": "ar", "translation": _AR_EN[k]}]
        else:
            item["excerpts"] = [{"text": _sentence(rng), "lang": "en"}]
    if kind == "witness_statement":
        w = rng.randint(1, 9999)
        item["witness"] = {"pseudonym": f"W-{number:06d}", "name": f"{rng.choice(_NAMES)} Synthetic-{w}",
                           "contact": f"+000 {w:04d} {rng.randint(0, 9999):04d}", "role": rng.choice(_ROLES)}
        item["consent"] = {"share_with": rng.choice(_CONSENTS), "given_on": made}
        item["interview"] = {"on": made, "method": rng.choice(["in_person", "remote_video", "phone"]),
                             "language": "ar", "interviewer": f"Investigator {rng.randint(1, 6)}"}
    elif kind == "radio_intercept":
        k = rng.randrange(len(_RU))
        item["intercept"] = {
            "at": f"{day.isoformat()}T{rng.randint(5, 20):02d}:{rng.randint(0, 59):02d}:00Z",
            "channel": "VHF air-to-ground net (synthetic)",
            "callsigns": [f"CALL-{rng.randint(10, 99)}", f"CALL-{rng.randint(10, 99)}"],
            "aircraft": rng.choice(_AIRCRAFT),
            "transcript": {"text": _RU[k], "lang": "ru", "translation": _RU_EN[k]},
        }
    elif kind == "satellite_imagery":
        loc = incident["location"]
        phase = rng.choice(["before", "after"])
        last = incident.get("date") or incident["window"]["to"]
        shot = day - timedelta(days=rng.randint(1, 30)) if phase == "before" else last + timedelta(days=rng.randint(
            1, 30))
        made = item["date"] = shot
        item["imagery"] = {
            "provider": "Commercial satellite imagery provider (synthetic)",
            "captured_at": f"{shot.isoformat()}T08:{rng.randint(0, 59):02d}:00Z",
            "phase": phase,
            "location": {"lat": loc["lat"], "lon": loc["lon"]},
            "resolution_m": rng.choice([0.3, 0.5, 0.8]),
            "analysis": _sentence(rng),
        }
    elif kind == "coordinate_sharing":
        loc = incident["location"]
        item["deconfliction"] = {
            "facility": incident["facility"]["name"], "location": {"lat": loc["lat"], "lon": loc["lon"]},
            "shared_on": made, "shared_via": "UN OCHA humanitarian notification system",
            "recipients": list(incident["attack"]["attributed_to"]),
            "acknowledged_on": made + timedelta(days=rng.randint(1, 10)), "reference": f"HNS-SYN-{number:06d}",
        }
    elif kind == "plane_spotter_log":
        item["sighting"] = {
            "at": f"{day.isoformat()}T{rng.randint(5, 20):02d}:{rng.randint(0, 59):02d}:00Z",
            "observer": f"Observer post {rng.randint(1, 40)} (synthetic)", "aircraft": rng.choice(_AIRCRAFT),
            "origin": rng.choice(_BASES), "heading": rng.choice(["north", "south-east", "west", "circling"]),
        }
    custody_day = max(made, day)
    steps = []
    for action in _ACTIONS[: rng.randint(1, 4)]:
        step = {"on": custody_day, "by": f"Evidence unit member {rng.randint(1, 9)}", "action": action}
        if rng.random() < 0.3:
            step["note"] = _sentence(rng, 5, 10)
        steps.append(step)
        custody_day += timedelta(days=rng.randint(0, 5))
    item["chain_of_custody"] = steps
    supports = []
    likely = _TYPE_ELEMENTS[kind]
    for inc in concerns:
        chosen = sorted(set(rng.sample(likely, rng.randint(1, min(3, len(likely))))
                            + ([rng.choice(ELEMENTS)] if rng.random() < 0.2 else [])))
        for element in chosen:
            support = {"element": element}
            if len(concerns) > 1:
                support["incident"] = inc
            support["stance"] = "contradicts" if kind == "official_statement" or rng.random() < 0.04 else "supports"
            if rng.random() < 0.8:
                support["note"] = _sentence(rng, 6, 14)
            supports.append(support)
    item["supports"] = supports
    return item


def _dump(path: Path, data, header: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=100)
    path.write_text(header + text, encoding="utf-8")


def make_case(root: Path, incidents: int, items: int, seed: int = 0) -> Path:
    """Write a valid synthetic workspace into ``root`` (created if needed); returns ``root``.

    ``items`` are spread evenly over ``incidents`` (at least one item per incident is not required).
    """
    if incidents < 1 or items < 0:
        raise ValueError("need at least one incident and a non-negative number of items")
    root = Path(root)
    evidence = root / "evidence"
    evidence.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    _dump(evidence / "case.yaml", {
        "id": f"synthetic-{incidents}-{items}-{seed}",
        "title": f"Synthetic case: {incidents} incidents, {items} evidence items",
        "prepared_by": "dossier benchmark generator",
        "language": "en",
        "conflict": {"classification": "NIAC", "territory": "SYR",
                     "description": "Synthetic non-international armed conflict used to measure dossier."},
        "parties": [{"id": "SYR", "name": "Syrian Arab Republic (government forces)", "treaties": ["GC", "API"]},
                    {"id": "RUS", "name": "Russian Federation (armed forces)", "treaties": ["GC", "API", "APII"]}],
        "standard_of_proof": "reasonable_grounds",
        "charges": list(CHARGES),
    }, "# Synthetic case written by benchmarks/synth.py; not real data.\n")
    _dump(evidence / "sources.yaml", _sources(rng))
    start = date(2019, 1, 1)
    incs = []
    for n in range(1, incidents + 1):
        inc = _incident(rng, n, start + timedelta(days=(n * 7 + rng.randint(0, 6)) % 900))
        incs.append(inc)
        _dump(evidence / "incidents" / f"{inc['id'].lower()}.yaml", inc)
    number = 0
    per, extra = divmod(items, incidents)
    for home, inc in enumerate(incs):
        earlier: list[str] = []
        folder = evidence / "items" / inc["id"].lower()
        for _ in range(per + (1 if home < extra else 0)):
            number += 1
            item = _item(rng, number, incs, home, earlier)
            earlier.append(item["id"])
            _dump(folder / f"{item['id'].lower()}.yaml", item)
    return root


if __name__ == "__main__":  # pragma: no cover - a convenience: python benchmarks/synth.py DIR INCIDENTS ITEMS
    import sys

    make_case(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 0)
