"""Warnings a reviewer must see: gaps in the record and facts that do not fit together.

Pure: takes the loaded Case, returns located warnings, each naming the ids it
concerns so an edition can drop warnings about what it withholds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from dossier.diagnostics import Diagnostic
from dossier.geometry import distance_km, rounding_error_km
from dossier.models import AnyItem, Incident, ItemBase
from dossier.models.item import PlaneSpotterLog, RadioIntercept
from dossier.models.loaded import Case

FAR_KM = 1.0
COLLECT_ACTIONS = {"collected", "recorded", "captured", "created", "obtained", "downloaded", "acquired", "taken",
                   "seized", "filmed", "photographed", "archived", "interviewed", "intercepted", "purchased",
                   "bought"}
TIME_ZONE_SLACK = timedelta(days=1)  # instants are UTC, incident dates local: allow a day either side


def _warn(out: list[Diagnostic], case: Case, code: str, message: str, kind: str, id_: str, path: tuple,
          field: str, subjects: tuple[str, ...]) -> None:
    out.append(Diagnostic("warning", code, message, case.loc(kind, id_, *path), field, subjects,
                          id_ if kind == "item" else ""))


def _outside(day: date, incident: Incident) -> bool:
    # on day numbers, not dates: an incident on 0001-01-01 or 9999-12-31 has no day before or after it
    slack = TIME_ZONE_SLACK.days
    return day.toordinal() < incident.start.toordinal() - slack or day.toordinal() > incident.end.toordinal() + slack


def consistency_warnings(case: Case) -> list[Diagnostic]:
    """Every warning about items and incidents (cli.md's list and more)."""
    out: list[Diagnostic] = []
    for incident in case.incidents.values():
        _incident_warnings(out, case, incident)
    for item in case.items.values():
        _item_warnings(out, case, item)
    return out


def _incident_warnings(out: list[Diagnostic], case: Case, incident: Incident) -> None:
    c = incident.casualties
    if c is not None and c.killed is not None:
        for field, label in (("medical_staff_killed", "medical staff"), ("children_killed", "children")):
            value = getattr(c, field)
            if value is not None and value > c.killed:
                label = "child" if (label == "children" and value == 1) else label
                _warn(out, case, "casualties-inconsistent", f"{c.killed} killed but {value} {label} killed",
                      "incident", incident.id, ("casualties", "killed"), "casualties.killed", (incident.id,))


def _item_warnings(out: list[Diagnostic], case: Case, item: AnyItem) -> None:
    sid = item.id
    subj = (sid,)
    if not item.supports:
        _warn(out, case, "no-supports", "the item supports no legal element: map it with `supports:` or note why "
              "it is kept", "item", sid, ("id",), "supports", subj)
    if not item.chain_of_custody:
        _warn(out, case, "no-chain-of-custody", "no chain of custody: record who collected the item, when, and "
              "every hand it passed through", "item", sid, ("id",), "chain_of_custody", subj)
    else:
        _custody_warnings(out, case, item)
    incidents = [case.incidents[i] for i in item.incidents if i in case.incidents]
    for i, support in enumerate(item.supports):
        norm_id = support.element.split("/")[0]
        targets = [case.incidents[support.incident]] if support.incident in case.incidents else incidents
        if support.incident is None and len(incidents) > 1:
            _warn(out, case, "support-all-incidents",
                  f"this item names {len(incidents)} incidents and the support does not say which: it is counted "
                  "for each; add `incident:` to be precise", "item", sid, ("supports", i), f"supports[{i}]", subj)
        for incident in targets:
            charged = case.charges_of(incident)
            if any(n not in case.norms for n in charged):
                continue  # an unknown norm in the charges is an error already: which was meant is not known
            if norm_id != "attribution" and norm_id in case.norms and norm_id not in charged:
                _warn(out, case, "element-not-charged",
                      f"{incident.id} is not charged with {norm_id}: this support is not analysed "
                      "(add the norm to the incident's or the case's charges)",
                      "item", sid, ("supports", i, "element"), f"supports[{i}].element", subj + (incident.id,))
    if item.type == "witness_statement":
        if getattr(item, "consent", None) is None:
            _warn(out, case, "witness-no-consent", "witness statement without consent: it is shown in the internal "
                  "edition only; record `consent.share_with`", "item", sid, ("witness",), "consent", subj)
        if item.witness.pseudonym is None:
            _warn(out, case, "witness-no-pseudonym", "the witness has no pseudonym: outside the internal edition "
                  "the statement is cited by item id only", "item", sid, ("witness",), "witness.pseudonym", subj)
        interview = getattr(item, "interview", None)
        if interview is not None and interview.on is not None:
            for incident in incidents:
                if interview.on < incident.start:
                    _warn(out, case, "interview-before-incident",
                          f"the interview ({interview.on}) is dated before the incident ({incident.when()})",
                          "item", sid, ("interview", "on"), "interview.on", subj + (incident.id,))
    elif item.type == "satellite_imagery":
        imagery = item.imagery
        for incident in incidents:
            _phase_warning(out, case, sid, imagery, incident, subj + (incident.id,))
        _distance_warnings(out, case, item, incidents, imagery.location, ("imagery", "location"), "imagery")
    elif item.type == "coordinate_sharing":
        block = item.deconfliction
        _distance_warnings(out, case, item, incidents, block.location, ("deconfliction", "location"),
                           "notified")
        _notification_warnings(out, case, item, block, incidents)
    elif isinstance(item, RadioIntercept | PlaneSpotterLog):
        block, name = (item.intercept, "intercept") if isinstance(item, RadioIntercept) else \
            (item.sighting, "sighting")
        for incident in incidents:
            if _outside(block.at.date(), incident):
                _warn(out, case, "time-outside-incident",
                      f"the {name} at {block.at.isoformat()} falls outside the incident's date ({incident.when()})",
                      "item", sid, (name, "at"), f"{name}.at", subj + (incident.id,))


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _phase_warning(out: list[Diagnostic], case: Case, sid: str, imagery, incident: Incident,
                   subjects: tuple) -> None:
    """An 'after' image captured before the attack, or a 'before' image after it: the instants are compared
    when the incident's time and UTC offset are known (11:10 UTC is before 15:30 at +02:00), the dates otherwise."""
    captured, moment = imagery.captured_at, incident.moment_utc()
    if moment is not None:
        early, late = captured < moment, captured > moment
        shown = f"{_utc(captured)}"
        when = f"{incident.when()} {incident.utc_offset}, that is {_utc(moment)}"
    else:
        early, late = captured.date() < incident.start, captured.date() > incident.end
        shown, when = f"{captured.date()}", incident.when()
    if imagery.phase == "after" and early:
        _warn(out, case, "after-image-before-incident", f"an 'after' image captured {shown}, before the incident "
              f"({when})", "item", sid, ("imagery", "captured_at"), "imagery.captured_at", subjects)
    if imagery.phase == "before" and late:
        _warn(out, case, "before-image-after-incident", f"a 'before' image captured {shown}, after the incident "
              f"({when})", "item", sid, ("imagery", "captured_at"), "imagery.captured_at", subjects)


def _notification_warnings(out, case: Case, item: ItemBase, block, incidents: list[Incident]) -> None:
    """A notice offered for what the attacker knew must precede the attack and reach the attacking party."""
    for i, support in enumerate(item.supports):
        if support.stance != "supports":
            continue
        norm_id, element_id = support.element.split("/")
        norm = case.norms.get(norm_id)
        element = norm.element(element_id) if norm else None
        if element is None or not element.notification_inference:
            continue
        for incident in incidents:
            if support.incident not in (None, incident.id):
                continue
            if block.shared_on >= incident.start:
                _warn(out, case, "notification-after-incident",
                      f"the coordinates were shared on {block.shared_on}, not before the incident "
                      f"({incident.when()}): this cannot show what the attacker knew", "item", item.id,
                      ("supports", i, "element"), f"supports[{i}].element", (item.id, incident.id))
            elif not set(block.recipients) & set(incident.attack.attributed_to):
                _warn(out, case, "notification-not-to-attacker",
                      f"the coordinates went to {', '.join(block.recipients) or 'no party'}, not to the party the "
                      f"attack is attributed to ({', '.join(incident.attack.attributed_to)})", "item", item.id,
                      ("supports", i, "element"), f"supports[{i}].element", (item.id, incident.id))


def _distance_warnings(out, case: Case, item: ItemBase, incidents: list[Incident], point, path: tuple,
                       what: str) -> None:
    if point is None:
        return
    for incident in incidents:
        km = distance_km(point.lat, point.lon, incident.location.lat, incident.location.lon)
        if case.edition != "internal" and incident.location.protect:
            # this edition holds only coordinates rounded to 0.1 degree (the exact ones are withheld): say only
            # what survives the rounding of both points, so no figure comes from the withheld coordinates
            at_least = km - 2 * rounding_error_km(incident.location.lat)
            if at_least > FAR_KM:
                _warn(out, case, "coordinates-far",
                      f"the {what} coordinates are at least {at_least:.0f} km from the incident's ({incident.id}), "
                      "judged from the coordinates rounded to 0.1 degree that this edition shows", "item", item.id,
                      path, ".".join(path), (item.id, incident.id))
        elif km > FAR_KM:
            _warn(out, case, "coordinates-far",
                  f"the {what} coordinates are {km:.1f} km from the incident's ({incident.id}); more than "
                  f"{FAR_KM:g} km apart", "item", item.id, path, ".".join(path), (item.id, incident.id))


def _custody_warnings(out: list[Diagnostic], case: Case, item: ItemBase) -> None:
    sid = item.id
    entries = item.chain_of_custody
    for i, entry in enumerate(entries):
        if entry.on < item.date:
            _warn(out, case, "custody-before-item",
                  f"custody entry dated {entry.on}, before the item itself ({item.date})",
                  "item", sid, ("chain_of_custody", i, "on"), f"chain_of_custody[{i}].on", (sid,))
        if i and entry.on < entries[i - 1].on:
            _warn(out, case, "custody-order", "custody entries must be oldest first; this one is older than the "
                  "one before it", "item", sid, ("chain_of_custody", i, "on"), f"chain_of_custody[{i}].on", (sid,))
    actions = [e.action.strip().lower() for e in entries]
    if not any(a in COLLECT_ACTIONS for a in actions):
        _warn(out, case, "custody-no-collection",
              "the chain of custody has no collection entry (collected, recorded, captured...): say who first "
              "obtained the item", "item", sid, ("chain_of_custody",), "chain_of_custody", (sid,))
