"""Patterns across incidents: counts by alleged party, means, facility kind and month; strikes on notified
facilities; facilities struck more than once and the intervals between strikes; casualty totals.

A pattern may contribute to the proof of the contextual element of a crime against humanity (a widespread
or systematic attack directed against a civilian population); it is never that proof by itself (cli.md,
"Patterns across incidents"). Counts by party are of *alleged* attribution: an incident attributed to
several parties (jointly or in the alternative) is counted under each, and how many are is said.
"""

from __future__ import annotations

from collections import Counter

from dossier.geometry import distance_km
from dossier.models.loaded import Case
from dossier.models.results import Notified, Patterns, Repeat

REPEAT_KM = 0.5  # two incidents this close, or at a facility of the same name, hit the same facility


def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def patterns(case: Case) -> Patterns:
    """The pattern analysis of an (edition-filtered) case."""
    incidents = sorted(case.incidents.values(), key=lambda i: (i.start, i.id))
    parties = {p.id: p.name for p in case.case.parties}
    by_party = Counter(p for i in incidents for p in dict.fromkeys(i.attack.attributed_to))
    jointly = [i.id for i in incidents if len(dict.fromkeys(i.attack.attributed_to)) > 1]
    by_means = Counter(m for i in incidents for m in dict.fromkeys(i.attack.means))
    by_kind = Counter((i.facility.kind if i.facility else "other") for i in incidents)
    by_month = Counter(f"{i.start.year:04d}-{i.start.month:02d}" for i in incidents)
    months = _months(min(by_month), max(by_month)) if by_month else []
    # a long case would make an unreadable chart of empty months: keep only months with strikes past 48
    month_rows = [(m, by_month.get(m, 0)) for m in months] if len(months) <= 48 else sorted(by_month.items())
    notified = []
    for incident in incidents:
        for item in case.items_of(incident.id):
            block = getattr(item, "deconfliction", None)
            if block is None or block.shared_on >= incident.start:
                continue
            matched = tuple(r for r in block.recipients if r in incident.attack.attributed_to)
            notified.append(Notified(incident.id, item.id, block.facility or (incident.facility.name
                                                                              if incident.facility else "") or "",
                                     block.shared_on.isoformat(), tuple(block.recipients),
                                     (incident.start - block.shared_on).days, bool(matched)))
    repeats = _repeats(incidents)
    totals = Counter[str]()
    for incident in incidents:
        if incident.casualties:
            for key in ("killed", "injured", "medical_staff_killed", "children_killed"):
                value = getattr(incident.casualties, key)
                if value:
                    totals[key] += value
    return Patterns(
        incidents=len(incidents),
        first=incidents[0].start.isoformat() if incidents else "",
        last=incidents[-1].end.isoformat() if incidents else "",
        by_party=tuple((parties.get(p, p), n) for p, n in by_party.most_common()),
        jointly_attributed=tuple(jointly),
        by_means=tuple(by_means.most_common()),
        by_facility_kind=tuple(by_kind.most_common()),
        by_month=tuple(month_rows),
        medical_incidents=sum(1 for i in incidents if i.facility and i.facility.medical),
        notified=tuple(notified),
        repeats=repeats,
        totals=tuple((k, totals[k]) for k in ("killed", "injured", "medical_staff_killed", "children_killed")
                     if k in totals),
    )


def _repeats(incidents) -> tuple[Repeat, ...]:
    groups: list[list] = []
    for incident in incidents:
        name = (incident.facility.name or "").strip().lower() if incident.facility else ""
        for group in groups:
            first = group[0]
            same_name = name and first.facility and (first.facility.name or "").strip().lower() == name
            close = distance_km(first.location.lat, first.location.lon, incident.location.lat,
                                incident.location.lon) <= REPEAT_KM
            if same_name or (close and incident.facility and first.facility):
                group.append(incident)
                break
        else:
            groups.append([incident])
    out = []
    for group in groups:
        if len(group) < 2:
            continue
        dates = [i.start for i in group]
        name = (group[0].facility.name if group[0].facility else None) or group[0].location.place
        out.append(Repeat(name, tuple(i.id for i in group), tuple(d.isoformat() for d in dates),
                          tuple((b - a).days for a, b in zip(dates, dates[1:], strict=False))))
    return tuple(out)
