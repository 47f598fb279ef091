"""Incidents (``evidence/incidents/*.yaml``): one attack each."""

from __future__ import annotations

import datetime as dt  # `date` is also a field name here: annotations spell dt.date
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from dossier.models.case import Conflict
from dossier.models.common import (
    ConsentScope,
    Count,
    Date,
    ElementRef,
    Id,
    Latitude,
    LocalTime,
    Longitude,
    Meters,
    Personal,
    SetByEdition,
    Short,
    Strict,
    Text,
    UtcOffset,
    nonempty,
)

FacilityKind = Literal["hospital", "clinic", "medical_point", "ambulance", "school", "residential", "market", "other"]
Means = Literal["airstrike", "barrel_bomb", "artillery", "rocket", "ground_attack", "cluster_munition",
                "incendiary", "chemical", "other"]


class Window(Strict):
    from_: Date = Field(alias="from")
    to: Date

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.to < self.from_:
            raise PydanticCustomError("window", "ends before it starts ('to' is earlier than 'from')", {"at": ["to"]})
        return self


class Place(Strict):
    place: Short
    region: Short | None = None
    country: Short | None = None
    lat: Latitude
    lon: Longitude
    precision_m: Meters | None = None
    protect: bool = Field(False, description="Never print exact coordinates outside the internal edition")


class Facility(Strict):
    name: Short | None = None
    kind: FacilityKind = "other"
    medical: bool = False
    operator: Short | None = None


class Attack(Strict):
    means: list[Means] = Field(default_factory=list)
    attributed_to: list[Id] = nonempty("Party ids the attack is attributed to")
    description: Text | None = None


class Casualties(Strict):
    killed: Count | None = None
    injured: Count | None = None
    medical_staff_killed: Count | None = None
    children_killed: Count | None = None


class Event(Strict):
    """A line of the chronology written by the team (events the items do not date themselves)."""

    on: Date
    time: LocalTime | None = None
    text: Text


VictimCategory = Literal["patient", "medical_staff", "child", "civilian", "other"]
Harm = Literal["killed", "injured", "detained", "displaced", "other"]


class VictimConsent(Strict):
    """What a victim (or their family) agreed to: who may be told of them, and whether by name."""

    share_with: list[ConsentScope] = Field(
        default_factory=list, description="legal_team, un_bodies (every UN body but the IIIM), coi, iiim, "
                                          "special_procedures, mrm, courts, public")
    named: bool = Field(False, description="May the name go to the audiences in share_with (a submission to a body "
                                           "it names); otherwise the pseudonym stands")
    given_on: Date | None = None
    withdrawn_on: Date | None = Field(None, description="From this date the victim is in no edition or submission "
                                                        "but the internal edition")

    @model_validator(mode="after")
    def _dates(self) -> VictimConsent:
        if self.given_on is not None and self.withdrawn_on is not None and self.withdrawn_on < self.given_on:
            raise PydanticCustomError("withdrawn", "consent is withdrawn before it was given (withdrawn_on is "
                                      "earlier than given_on): check both dates", {"at": ["withdrawn_on"]})
        return self


class Victim(Strict):
    """A person harmed (id, pseudonym, name, category, harm, consent), or a group with no identity (``group``)."""

    id: Id | None = Field(None, description="The victim's id in the case (not printed)")
    pseudonym: Short | None = Field(None, description="Shown outside the internal edition only if consent allows")
    name: Annotated[Short | None, Personal()] = Field(
        None, description="Internal edition only; in a submission only with `named: true` for that body")
    category: VictimCategory | None = Field(None, description="patient | medical_staff | child | civilian | other")
    harm: Harm | None = Field(None, description="killed | injured | detained | displaced | other")
    consent: VictimConsent | None = None
    group: Short | None = Field(None, description="A group of persons harmed, with no identity (instead of a person)")

    @model_validator(mode="after")
    def _person_or_group(self) -> Victim:
        if self.group is not None:
            extra = [f for f in ("id", "pseudonym", "name", "consent") if getattr(self, f) is not None]
            if extra:
                raise PydanticCustomError("victim", "a group has no identity: remove `{field}`, or describe one "
                                          "person without `group`", {"field": extra[0], "at": [extra[0]]})
        elif self.id is None and self.pseudonym is None and self.name is None:
            raise PydanticCustomError("victim", "a victim is a person (give `id` and `pseudonym`) or a group "
                                      "(`group: ...`)", {})
        return self

    @property
    def withdrawn(self) -> bool:
        return self.consent is not None and self.consent.withdrawn_on is not None


Finding = Literal["met", "not_met", "contested", "open"]


class CounselAssessment(Strict):
    """Counsel's reasoned finding on one element (or on attribution to a party), for this incident."""

    element: ElementRef = Field(description="NORM-ID/ELEMENT-ID, or attribution/PARTY")
    finding: Finding = Field(description="met | not_met | contested | open")
    reasoning: Text = Field(description="Why, in counsel's words (required, never empty)")
    relies_on: list[Id] = Field(default_factory=list, description="The items the reasoning rests on")
    by: Annotated[Short | None, Personal()] = Field(None, description="Counsel (role): internal edition only")
    on: Date | None = None
    on_material_not_shown: Annotated[bool, SetByEdition()] = Field(
        False, description="Set by an edition that withholds an item the assessment relies on (not written by hand)")

    @model_validator(mode="after")
    def _reasoned(self) -> CounselAssessment:
        if not self.reasoning.strip():
            raise PydanticCustomError("reasoning", "must say why, in counsel's words: an assessment without "
                                      "reasoning is not a finding", {"at": ["reasoning"]})
        return self


class Incident(Strict):
    id: Id
    title: Short
    date: Date | None = None
    window: Window | None = None
    time: LocalTime | None = None
    utc_offset: UtcOffset | None = Field(None, description="Offset of the local time from UTC, e.g. +03:00")
    location: Place
    facility: Facility | None = None
    attack: Attack
    casualties: Casualties | None = None
    charges: list[Id] | None = None
    conflict: Conflict | None = Field(None, description="This incident's own conflict (with `between`), replacing "
                                                        "the case's for it")
    chronology: list[Event] = Field(default_factory=list)
    summary: Text
    assessments: list[CounselAssessment] = Field(default_factory=list,
                                                 description="Counsel's reasoned findings on elements and attribution")
    victims: list[Victim] = Field(default_factory=list, description="Persons or groups harmed (not the building)")

    @model_validator(mode="after")
    def _one_date(self) -> Incident:
        if (self.date is None) == (self.window is None):
            raise PydanticCustomError(
                "date", "give either 'date' or 'window: {from: ..., to: ...}'"
                + (" (not both)" if self.date else ""), {"at": ["date"]})
        if self.date and self.time and self.utc_offset:
            try:
                self.moment_utc()
            except OverflowError:  # 0001-01-01 00:30 +03:00 is in year 0 in UTC, which no date can hold
                raise PydanticCustomError("instant", "date, time and utc_offset make a moment out of range once "
                                          "converted to UTC", {"at": ["utc_offset"]}) from None
        return self

    def moment_utc(self) -> datetime | None:
        """The moment of the attack in UTC, when date, time and UTC offset are all given."""
        if not (self.date and self.time and self.utc_offset):
            return None
        return datetime.fromisoformat(f"{self.date}T{self.time}{self.utc_offset}").astimezone(UTC)

    @property
    def start(self) -> dt.date:
        return self.date or self.window.from_  # type: ignore[union-attr]

    @property
    def end(self) -> dt.date:
        return self.date or self.window.to  # type: ignore[union-attr]

    def when(self) -> str:
        if self.date:
            return self.date.isoformat() + (f" {self.time}" if self.time else "")
        return f"{self.window.from_.isoformat()} to {self.window.to.isoformat()}"  # type: ignore[union-attr]
