"""The small records a template reads, each field documented: rows of tables, what every page shows, the
exhibits (``views.py`` has the incident and its analysis; ``templates.py`` says what each template receives).

Templates hold no logic beyond loops and conditionals over these records: every label, number, rounding,
ordering and chart is decided in ``context.py``, from an edition's view of the case and what analysis found
on it, so a template cannot reach data the edition withholds. ``tests/unit/test_template_context.py``
checks that every field is documented (the string under it) and that each template uses only the names its
context provides.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------- small rows


@dataclass(frozen=True)
class Row:
    """One labelled value of a two-column table."""

    label: str
    """What the value is ("Facility", "Channel", "Killed")."""
    value: str
    """The value, as printed."""


@dataclass(frozen=True)
class StatusCount:
    """How many elements have one status."""

    status: str
    """The status code: established, partial, contested or missing."""
    label: str
    """The status in words."""
    n: int
    """How many elements have it."""


@dataclass(frozen=True)
class PartyRow:
    """A party to the conflict, as the case lists it."""

    id: str
    """The party's id."""
    name: str
    """Its name."""
    treaties: str
    """The treaties it is bound by, comma-separated, or "none recorded"."""


@dataclass(frozen=True)
class CustodyRow:
    """One entry of an exhibit's chain of custody."""

    on: str
    """The date (ISO 8601)."""
    held_by: str
    """Who held the item: the name (internal edition) or the role, else "custodian"."""
    action: str
    """What was done (collected, received, preserved...)."""
    note: str
    """A note, or ""."""


@dataclass(frozen=True)
class ChronologyRow:
    """One line of an incident's chronology, in time order."""

    when: str
    """The date or instant, with "local" or "UTC" where known."""
    kind: str
    """strike, event, intercept, sighting, imagery, notification or witness."""
    text: str
    """What happened, with the exhibit it comes from."""


@dataclass(frozen=True)
class MatrixCell:
    """One element's status in a row of the completeness matrix."""

    element: str
    """The element's id within its norm."""
    status: str
    """The status code."""
    symbol: str
    """The status's symbol (● ◐ ▲ ○)."""
    label: str
    """The status in words."""


LINK_SCHEME = "dossier:"
"""How one part of an assembled document links to an anchor in another part: the engine, rendering the part alone,
keeps such a link as it is, and assembly turns it into a link inside the document."""


def part_anchor(prefix: str, anchor: str) -> str:
    """The name, in an assembled document, of ``anchor`` of a part whose link targets get ``prefix`` (a brief's
    anchors inside the case dossier are its incident's: each brief has an ``exh-EV-0001`` of its own)."""
    return f"{prefix}:{anchor}" if prefix else anchor


@dataclass(frozen=True)
class TocRow:
    """One row of the contents of an assembled document (the case dossier, the completeness report)."""

    label: str
    """The heading as printed."""
    anchor: str
    """The heading's anchor in the assembled document (a link target)."""
    page: int
    """Its page in the assembled document (0 until the parts are rendered)."""
    level: int
    """1 for a chapter, 2 for an incident."""
    here: bool = True
    """Whether the heading is in the part that prints the contents (else the link crosses parts)."""
    note: str = ""
    """What the row adds after its label (an incident's counts, in the completeness report)."""

    @property
    def href(self) -> str:
        """The link to the heading, within the part or across parts."""
        return f"#{self.anchor}" if self.here else f"{LINK_SCHEME}{self.anchor}"


@dataclass(frozen=True)
class ChapterRow:
    """An incident's chapter of the case dossier, as its contents name it."""

    id: str
    """The incident's id."""
    anchor: str
    """The anchor its brief opens with."""
    title: str
    """Its title."""
    when: str
    """Its date, in words."""


@dataclass(frozen=True)
class Appearance:
    """Where an exhibit is shown in the case dossier: in an incident's chapter, under the brief's own number."""

    incident: str
    """The incident's id."""
    label: str
    """Its number in that brief ("Exh. 3")."""
    href: str
    """The link to it."""


@dataclass(frozen=True)
class IndexRow:
    """One exhibit of the case dossier's exhibit index."""

    id: str
    """The item's id."""
    type_label: str
    """Its type in words."""
    source: str
    """Its source and grade."""
    date: str
    """Its date."""
    shown_in: tuple[Appearance, ...]
    """Each chapter that shows it, with its number there (empty: shown after the index)."""


@dataclass(frozen=True)
class Section:
    """A chapter of the case dossier: the one definition its heading, its running head and its contents row
    are made from."""

    label: str
    """The heading as printed ("1. The case")."""
    anchor: str
    """Its anchor (the contents link to it)."""
    running: str
    """The running head of its pages."""


@dataclass(frozen=True)
class DossierSections:
    """The case dossier's chapters."""

    summary: Section
    """The case."""
    patterns: Section
    """The patterns across incidents."""
    incidents: Section
    """The incidents, one chapter each."""
    exhibits: Section
    """The exhibit index."""


DOSSIER_SECTIONS = DossierSections(
    Section("1. The case", "summary", "The case"), Section("2. Pattern analysis", "patterns", "Pattern analysis"),
    Section("3. The incidents", "incidents", "The incidents"), Section("4. Exhibit index", "exhibits", "Exhibit index"))

FIRST_GAPS = 25
"""How many gaps the head of a completeness report lists across the case: a bounded list, so the head does not
grow with the case (each incident's section lists all of its own)."""


@dataclass(frozen=True)
class NotifiedRow:
    """An incident at a facility whose coordinates had been notified."""

    incident: str
    """The incident's id."""
    facility: str
    """The facility notified."""
    shared_on: str
    """When the coordinates were shared."""
    recipients: str
    """The parties they were passed to."""
    days_before: str
    """How many days before the attack."""
    to_attacker: str
    """"yes" if a recipient is a party the attack is attributed to, else "no"."""


@dataclass(frozen=True)
class RepeatRow:
    """A facility struck more than once."""

    facility: str
    """The facility."""
    incidents: str
    """The incidents, comma-separated."""
    dates: str
    """Their dates."""
    intervals: str
    """The days between strikes."""


# ---------------------------------------------------------------- every page


@dataclass(frozen=True)
class Meta:
    """What every page of every output shows: case, edition marking, build date, standard of proof."""

    program: str
    """The program and version that made the document."""
    case_id: str
    """The case's id."""
    case_title: str
    """The case's title."""
    prepared_by: str
    """Who prepared it, or ""."""
    language: str
    """The documents' language (BCP 47)."""
    edition: str
    """internal, un or public."""
    edition_title: str
    """The edition in words, for the cover."""
    marking: str
    """The marking every page carries."""
    build_date: str
    """The date of the evidence or analysis (ISO 8601), never the clock's."""
    build_date_long: str
    """The same date, written out."""
    build_date_note: str
    """Where that date comes from (the case's as_of, the latest material, SOURCE_DATE_EPOCH)."""
    date_of: str
    """What the date is: ``evidence``, ``findings`` (counsel's latest), ``analysis`` (as_of) or ``build``."""
    date_words: str
    """The date with what it is, for a cover: "Evidence as of 12 March 2020", "Analysis as of ..."."""
    standard: str
    """The standard of proof's code."""
    standard_label: str
    """The standard of proof in words."""
    standard_note: str
    """Who uses that standard, and what it is not."""
    threshold_text: str
    """What the corroboration screen needs under that standard, in words."""
    classification: str
    """The conflict's classification, in words."""
    conflict_description: str
    """How the conflict was classified and why, or ""."""
    withheld: int
    """How many items this edition withholds."""
    parties: tuple[PartyRow, ...]
    """The parties to the conflict."""


# ---------------------------------------------------------------- exhibits


@dataclass(frozen=True)
class Excerpt:
    """A quotation from an item, in its original language."""

    text: str
    """The original wording."""
    lang: str
    """Its language tag."""
    rtl: bool
    """Whether the language is written right to left."""
    translation: str
    """The English rendering, or ""."""
    language: str
    """The language's name, for the label."""


@dataclass(frozen=True)
class Exhibit:
    """One evidence item as the annex shows it, with its exhibit number in this edition."""

    number: int
    """Its exhibit number in this edition."""
    label: str
    """"Exh. N"."""
    anchor: str
    """Its anchor (a link target)."""
    id: str
    """The item's id."""
    type: str
    """The item's type code."""
    type_label: str
    """The type in words."""
    title: str
    """The item's title."""
    source_id: str
    """Its source's id."""
    source_name: str
    """Its source's name (a witness source only by its id outside internal)."""
    source_kind: str
    """The kind of source, in words."""
    reliability: str
    """The source's reliability letter (A-F)."""
    credibility: int
    """The information's credibility figure (1-6)."""
    grade: str
    """Both together ("B2")."""
    grade_words: str
    """The grade in words."""
    date: str
    """When the item was made."""
    confidentiality: str
    """public, restricted or confidential."""
    summary: str
    """What the item shows, in the analyst's words."""
    incidents: tuple[str, ...]
    """The incidents it concerns."""
    excerpts: tuple[Excerpt, ...]
    """Quotations from it."""
    details: tuple[Row, ...]
    """Its type's own details (witness, intercept, imagery...)."""
    transcript: Excerpt | None
    """An intercept's transcript, if any."""
    file_path: str
    """The exhibit file's path in the workspace, or ""."""
    file_sha256: str
    """Its recorded sha256, "not recorded", or ""."""
    file_media_type: str
    """Its media type, or ""."""
    thumbnail: str
    """The file URL of an image exhibit inside evidence/files/, or ""."""
    thumbnail_note: str
    """Why an image exhibit is not shown (too large, unreadable), or ""."""
    url: str
    """Where it was published, or ""."""
    archive: str
    """An archived copy, or ""."""
    derived_from: tuple[str, ...]
    """The items it only repeats (those this edition shows)."""
    custody: tuple[CustodyRow, ...]
    """Its chain of custody, oldest first."""
