"""Evidence items (``evidence/items/**/*.yaml``): a discriminated union on ``type``.

Each type with details of its own (a witness, an intercept, an image...) has a
required block of that name; the block is refused on every other type.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from dossier.models.common import (
    Confidentiality,
    ConsentScope,
    Credibility,
    Date,
    ElementRef,
    Id,
    Instant,
    ItemType,
    Lang,
    Latitude,
    Longitude,
    Meters,
    Personal,
    Sha256,
    Short,
    Strict,
    Text,
    Url,
)

__all__ = ["ConsentScope"]  # re-exported: it lives in common, shared with the victims of an incident


class Excerpt(Strict):
    text: Text = Field(description="Original wording")
    lang: Lang = "en"
    translation: Text | None = Field(None, description="English rendering, if not English")


class FileRef(Strict):
    path: Short = Field(description="Relative to evidence/, e.g. files/EV-0012.pdf")
    sha256: Sha256 | None = None
    media_type: Short | None = None


class Custody(Strict):
    on: Date
    by: Annotated[Short, Personal(stand_in="custodian", from_field="role")] = Field(
        description="The person or unit that held the item: internal edition only")
    role: Short | None = Field(None, description="Their role (field team, evidence unit...): what other editions show")
    action: Short
    note: Text | None = None


class Support(Strict):
    element: ElementRef = Field(description="NORM-ID/ELEMENT-ID")
    incident: Id | None = Field(None, description="Needed only when the item names several incidents")
    stance: Literal["supports", "contradicts"] = "supports"
    note: Text | None = None


class Point(Strict):
    lat: Latitude
    lon: Longitude


class Period(Strict):
    """When a case-wide item holds (inclusive)."""

    from_: Date | None = Field(None, alias="from")
    to: Date | None = None


class ItemBase(Strict):
    id: Id
    title: Short
    scope: Literal["incident", "case"] = Field(
        "incident", description="case: the item bears on the case as a whole (contextual elements only)")
    period: Period | None = Field(None, description="For a case-wide item: the dates it holds for (inclusive)")
    incidents: list[Id] = Field(default_factory=list, description="Incident ids this item concerns")
    source: Id = Field(description="The id of the item's source, as listed in evidence/sources.yaml")
    credibility: Credibility = Field(description="The grade of the information (Admiralty scale): 1 confirmed ... 5 improbable, 6 cannot be judged")
    date: Date = Field(description="When the item was made")
    confidentiality: Confidentiality = "restricted"
    derived_from: list[Id] = Field(default_factory=list, description="Items this one only repeats")
    summary: Text
    excerpts: list[Excerpt] = Field(default_factory=list)
    file: FileRef | None = None
    url: Url | None = None
    archive: Url | None = None
    publisher: Short | None = None
    published_on: Date | None = None
    chain_of_custody: list[Custody] = Field(default_factory=list)
    supports: list[Support] = Field(default_factory=list)

    @model_validator(mode="after")
    def _scoped(self) -> ItemBase:
        if self.scope == "incident" and not self.incidents:
            raise PydanticCustomError("scope", "name the incidents this item concerns (or say `scope: case` for an "
                                      "item about the case as a whole, such as the conflict's existence)",
                                      {"at": ["incidents"]})
        if self.scope == "case" and self.incidents:
            raise PydanticCustomError("scope", "a case-wide item (`scope: case`) names no incidents: it bears on every "
                                      "incident charged with the norm in its `period`; remove `incidents`",
                                      {"at": ["incidents"]})
        if self.period is not None and self.scope != "case":
            raise PydanticCustomError("scope", "`period` belongs to a case-wide item: add `scope: case`, or remove it",
                                      {"at": ["period"]})
        return self


class Witness(Strict):
    pseudonym: Id | None = Field(None, description="The only identity shown outside the internal edition")
    name: Annotated[Short | None, Personal()] = Field(None, description="Always confidential")
    contact: Annotated[Short | None, Personal()] = Field(None, description="Always confidential")
    role: Short | None = None


def _withdrawn_after_given(given_on, withdrawn_on) -> None:
    if given_on is not None and withdrawn_on is not None and withdrawn_on < given_on:
        raise PydanticCustomError("withdrawn", "consent is withdrawn before it was given (withdrawn_on is earlier "
                                  "than given_on): check both dates", {"at": ["withdrawn_on"]})


class Consent(Strict):
    share_with: list[ConsentScope] = Field(
        default_factory=list, description="legal_team, un_bodies (every UN body but the IIIM), coi, iiim, "
                                          "special_procedures, mrm, courts, public")
    given_on: Date | None = None
    withdrawn_on: Date | None = Field(None, description="From this date the statement goes into no edition or "
                                                        "submission but the internal edition")

    @model_validator(mode="after")
    def _dates(self) -> Consent:
        _withdrawn_after_given(self.given_on, self.withdrawn_on)
        return self


class Interview(Strict):
    on: Date | None = None
    method: Short | None = None
    language: Lang | None = None
    interviewer: Annotated[Short | None, Personal()] = Field(
        None, description="Who took the statement: internal edition only (naming them can lead to the witness)")


class Transcript(Strict):
    text: Text
    lang: Lang = "en"
    translation: Text | None = None


class Intercept(Strict):
    at: Instant
    channel: Short | None = None
    callsigns: list[Short] = Field(default_factory=list)
    aircraft: Short | None = None
    transcript: Transcript | None = None


class Imagery(Strict):
    provider: Short | None = None
    captured_at: Instant
    phase: Literal["before", "after"]
    location: Point | None = None
    resolution_m: Meters | None = None
    analysis: Text | None = None


class Deconfliction(Strict):
    facility: Short | None = None
    location: Point | None = None
    shared_on: Date
    shared_via: Short | None = None
    recipients: list[Id] = Field(default_factory=list, description="Party ids the coordinates were passed to")
    acknowledged_on: Date | None = None
    reference: Short | None = None


class Sighting(Strict):
    at: Instant
    observer: Short | None = None
    aircraft: Short | None = None
    origin: Short | None = None
    heading: Short | None = None


class WitnessStatement(ItemBase):
    type: Literal["witness_statement"]
    witness: Witness
    consent: Consent | None = None
    interview: Interview | None = None


class RadioIntercept(ItemBase):
    type: Literal["radio_intercept"]
    intercept: Intercept


class SatelliteImagery(ItemBase):
    type: Literal["satellite_imagery"]
    imagery: Imagery


class CoordinateSharing(ItemBase):
    type: Literal["coordinate_sharing"]
    deconfliction: Deconfliction


class PlaneSpotterLog(ItemBase):
    type: Literal["plane_spotter_log"]
    sighting: Sighting


class OtherItem(ItemBase):
    type: Literal["video", "photo", "document", "report", "official_statement", "medical_record",
                  "munition_analysis", "other"]


AnyItem = WitnessStatement | RadioIntercept | SatelliteImagery | CoordinateSharing | PlaneSpotterLog | OtherItem
"""A loaded item of any type: checking `item.type` tells the type checker which block it has."""
Item = Annotated[AnyItem, Field(discriminator="type")]

BLOCKS: dict[str, str] = {
    "witness_statement": "witness",
    "radio_intercept": "intercept",
    "satellite_imagery": "imagery",
    "coordinate_sharing": "deconfliction",
    "plane_spotter_log": "sighting",
}
"""The type-specific block each type requires."""
TYPE_OF_BLOCK = {block: type_ for type_, block in BLOCKS.items()} | {"consent": "witness_statement",
                                                                      "interview": "witness_statement"}

_MODELS: dict[str, type[ItemBase]] = {"witness_statement": WitnessStatement, "radio_intercept": RadioIntercept,
           "satellite_imagery": SatelliteImagery, "coordinate_sharing": CoordinateSharing,
           "plane_spotter_log": PlaneSpotterLog}


def model_for(item_type: str) -> type[ItemBase]:
    """The model class of an item type (every type without a block of its own shares OtherItem)."""
    return _MODELS.get(item_type, OtherItem)


assert set(ItemType.__args__) == set(_MODELS) | set(OtherItem.model_fields["type"].annotation.__args__)  # type: ignore
