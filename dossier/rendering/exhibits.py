"""Each evidence item as the exhibit annex and the citations show it, numbered for one edition."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from html import unescape

from dossier.files import image_problem, resolve_exhibit, shown_as_image
from dossier.models import AnyItem
from dossier.models.item import Custody
from dossier.models.loaded import Case
from dossier.rendering import charts
from dossier.rendering.labels import (
    CONSENT_LABELS,
    CREDIBILITY_WORDS,
    LANGUAGES,
    RELIABILITY_WORDS,
    RTL_LANGS,
    SOURCE_KIND_LABELS,
    TYPE_LABELS,
    grade,
)
from dossier.rendering.records import CustodyRow, Excerpt, Exhibit, Row
from dossier.rendering.views import Citation


def exhibit_numbers(case: Case) -> dict[str, int]:
    """Exhibit numbers of this edition: by the first incident an item concerns (its date, then id), then the
    item's date and id, so the exhibits of one incident are numbered together."""
    def first_incident(item: AnyItem) -> tuple[date, str]:
        return min(((case.incidents[i].start, i) for i in item.incidents if i in case.incidents),
                   default=(item.date, ""))

    ordered = sorted(case.items.values(), key=lambda i: (first_incident(i), i.date, i.id))
    return {item.id: n for n, item in enumerate(ordered, 1)}


_CITED = re.compile(r"\bExh\. (\d+)\b")


def numbers_in_citation_order(html: str, annex: Sequence[str], numbers: dict[str, int]) -> dict[str, int]:
    """A brief's own exhibit numbers: its annex's items (``annex``) from 1, in the order the brief ``html``
    (rendered with ``numbers``, one number an item) first cites them, in reading order: the chronology, the
    timeline, the analysis; those it does not cite after them, in annex order; every other item of ``numbers``
    after those (the brief shows none of them). A brief of a case's fifth incident starts at Exh. 1, not at
    the number the case dossier gives it."""
    shown = set(annex)
    by_number = {n: i for i, n in numbers.items()}
    cited = (by_number.get(int(n)) for n in _CITED.findall(unescape(html)))
    order = list(dict.fromkeys(i for i in cited if i in shown))
    order += [i for i in annex if i not in set(order)]
    order += sorted((i for i in numbers if i not in shown), key=lambda i: numbers[i])
    return {item_id: n for n, item_id in enumerate(order, 1)}


def excerpt(text: str, lang: str, translation: str | None) -> Excerpt:
    """A quotation with its language's name and direction."""
    base = lang.split("-")[0].lower()
    return Excerpt(text, lang, base in RTL_LANGS, translation or "", LANGUAGES.get(base, lang))


def _details(item: AnyItem, case: Case) -> tuple[Row, ...]:
    parties = {p.id: p.name for p in case.case.parties}
    rows: list[tuple[str, str]] = []
    if item.type == "witness_statement":
        w = item.witness
        rows.append(("Witness", w.pseudonym or "unnamed (no pseudonym recorded)"))
        if w.name:
            rows.append(("Name (internal only)", w.name))
        if w.contact:
            rows.append(("Contact (internal only)", w.contact))
        if w.role:
            rows.append(("Role", w.role.replace("_", " ")))
        consent = item.consent
        rows.append(("Consent to share with",
                     ", ".join(CONSENT_LABELS.get(s, s) for s in consent.share_with) + (
                         f" (given {consent.given_on})" if consent.given_on else "") + (
                         f"; WITHDRAWN on {consent.withdrawn_on}: in no other edition or submission"
                         if consent.withdrawn_on else "") if consent else "none recorded"))
        interview = item.interview
        if interview:
            language = interview.language and LANGUAGES.get(interview.language.split("-")[0].lower(),
                                                             interview.language)
            parts = [str(p) for p in (interview.on, interview.method and interview.method.replace("_", " "),
                                      language and f"in {language}", interview.interviewer) if p]
            rows.append(("Interview", ", ".join(parts)))
    elif item.type == "radio_intercept":
        b = item.intercept
        rows += [("Intercepted at", charts.utc_minute(b.at))]
        rows += [(k, v) for k, v in (("Channel", b.channel), ("Callsigns", ", ".join(b.callsigns)),
                                      ("Aircraft", b.aircraft)) if v]
    elif item.type == "satellite_imagery":
        b = item.imagery
        rows += [(k, v) for k, v in (
            ("Provider", b.provider), ("Captured at", charts.utc_minute(b.captured_at)),
            ("Phase", f"{b.phase} the incident"),
            ("Location", f"{b.location.lat!r}, {b.location.lon!r}" if b.location else ""),
            ("Resolution", f"{b.resolution_m:g} m" if b.resolution_m else ""), ("Analysis", b.analysis)) if v]
    elif item.type == "coordinate_sharing":
        b = item.deconfliction
        rows += [(k, v) for k, v in (
            ("Facility notified", b.facility), ("Shared on", b.shared_on.isoformat()), ("Shared via", b.shared_via),
            ("Recipients", ", ".join(parties.get(r, r) for r in b.recipients)),
            ("Acknowledged on", b.acknowledged_on.isoformat() if b.acknowledged_on else ""),
            ("Reference", b.reference),
            ("Location", f"{b.location.lat!r}, {b.location.lon!r}" if b.location else "")) if v]
    elif item.type == "plane_spotter_log":
        b = item.sighting
        rows += [(k, v) for k, v in (
            ("Sighted at", charts.utc_minute(b.at)), ("Observer", b.observer),
            ("Aircraft", b.aircraft), ("Origin", b.origin), ("Heading", b.heading)) if v]
    if item.publisher:
        rows.append(("Publisher", item.publisher))
    if item.published_on:
        rows.append(("Published on", item.published_on.isoformat()))
    return tuple(Row(label, value) for label, value in rows)


def make_exhibit(case: Case, item: AnyItem, number: int) -> Exhibit:
    """One item as the exhibit annex shows it."""
    source = case.sources.get(item.source)
    reliability = source.reliability if source else "F"
    transcript = None
    block = getattr(item, "intercept", None)
    if block is not None and block.transcript is not None:
        transcript = excerpt(block.transcript.text, block.transcript.lang, block.transcript.translation)
    thumbnail = thumbnail_note = ""
    if item.file and shown_as_image(item.file.path, item.file.media_type):
        target = resolve_exhibit(case.root, item.file.path)
        if target is not None:
            image = image_problem(target)  # also a warning at validation: never silently left out
            if image is None:
                thumbnail = target.as_uri()
            else:
                thumbnail_note = image[1]
    return Exhibit(
        number=number, label=f"Exh. {number}", anchor=f"exh-{item.id}", id=item.id, type=item.type,
        type_label=TYPE_LABELS[item.type], title=item.title, source_id=item.source,
        source_name=source.name if source else item.source,
        source_kind=SOURCE_KIND_LABELS.get(source.kind, source.kind) if source else "",
        reliability=reliability, credibility=item.credibility, grade=grade(source, item.credibility),
        grade_words=f"{RELIABILITY_WORDS[reliability]}; {CREDIBILITY_WORDS[item.credibility]}",
        date=item.date.isoformat(), confidentiality=item.confidentiality, summary=item.summary,
        incidents=tuple(item.incidents),
        excerpts=tuple(excerpt(e.text, e.lang, e.translation) for e in item.excerpts),
        details=_details(item, case), transcript=transcript,
        file_path=f"evidence/{item.file.path}" if item.file else "",
        file_sha256=(item.file.sha256 or "not recorded") if item.file else "",
        file_media_type=(item.file.media_type or "") if item.file else "", thumbnail=thumbnail,
        thumbnail_note=thumbnail_note,
        url=item.url or "", archive=item.archive or "", derived_from=tuple(item.derived_from),
        custody=tuple(CustodyRow(c.on.isoformat(), _custodian(c, case.edition), c.action, c.note or "")
                      for c in item.chain_of_custody),
    )


def _custodian(entry: Custody, edition: str) -> str:
    """Who held the item: outside `internal` the edition filter has already put the role (or "custodian") in
    ``by``; the internal edition shows the name with the role."""
    if edition == "internal" and entry.role and entry.role.casefold() not in entry.by.casefold():
        return f"{entry.by} ({entry.role})"
    return entry.by


def citation(case: Case, numbers: dict[str, int], item_id: str, note: str) -> Citation:
    """An exhibit as an element's analysis cites it: number, kind, source and grade."""
    item = case.items[item_id]
    source = case.sources.get(item.source)
    who = getattr(item, "witness", None)
    label = f"{TYPE_LABELS[item.type]}" + (f" of {who.pseudonym}" if who is not None and who.pseudonym else "")
    return Citation(f"Exh. {numbers[item_id]}", f"exh-{item_id}", item_id, note,
                    f"{label}, {source.name if source else item.source}, graded {grade(source, item.credibility)}")
