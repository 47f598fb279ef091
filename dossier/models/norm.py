"""Norms and their elements (``legal_norms/*.yaml``, built in or the workspace's own)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from dossier.models.common import Id, ItemType, Short, Strict, Text, nonempty

ElementKind = Literal["conduct", "circumstance", "consequence", "mental", "contextual"]
NormKind = Literal["crime", "rule", "human_rights"]
AppliesTo = Literal["NIAC", "IAC", "any"]
TreatyId = Literal["GC", "API", "APII", "APIII", "RS", "CCM", "CCW", "CCW-P3", "ICCPR", "ICESCR", "CRC", "CAT"]
TREATY_IDS: tuple[str, ...] = TreatyId.__args__  # type: ignore[attr-defined]
Binding = Literal["customary", "GC", "API", "APII", "APIII", "RS", "CCM", "CCW", "CCW-P3", "ICCPR", "ICESCR", "CRC",
                  "CAT"]
assert Binding.__args__[1:] == TREATY_IDS  # type: ignore[attr-defined]


class Element(Strict):
    id: Id
    text: Text
    kind: ElementKind
    means_of_proof: list[ItemType] = Field(default_factory=list)
    notification_inference: bool = Field(
        False, description="A deconfliction notice to the attacking party is circumstantial evidence for this element")
    note: Text | None = None
    alternative: Id | None = Field(
        None, description="Elements of a norm sharing this label are alternatives: the group is met when any one is")


class Norm(Strict):
    id: Id
    title: Short
    instrument: Short
    provision: Short
    kind: NormKind = Field(description="crime | rule (IHL, treaty or customary) | human_rights")
    applies_to: list[AppliesTo] = nonempty("Conflict classifications the norm applies in; `any`: in and out of "
                                           "armed conflict")
    binding: Binding = Field(description="A rule or human-rights norm: 'customary', or the treaty id a party must be "
                                         "bound by. A crime: where the conduct is criminalised ('customary' or 'RS')")
    summary: Text | None = None
    sources: list[Short] = Field(default_factory=list, description="Further provisions behind the rule")
    elements: list[Element] = nonempty("The elements evidence is mapped against")

    @model_validator(mode="after")
    def _unique_elements(self) -> Norm:
        seen: set[str] = set()
        for i, element in enumerate(self.elements):
            if element.id in seen:
                raise PydanticCustomError("element", "element id '{id}' appears twice in this norm; ids must be unique",
                                          {"id": element.id, "at": ["elements", i, "id"]})
            seen.add(element.id)
        groups: dict[str, list[int]] = {}
        for i, element in enumerate(self.elements):
            if element.alternative is not None:
                groups.setdefault(element.alternative, []).append(i)
        for label, members in groups.items():
            if len(members) == 1:
                raise PydanticCustomError(
                    "alternative", "no other element of this norm shares the alternative label '{label}': an "
                    "alternative needs at least one sibling with the same label (or remove the label)",
                    {"label": label, "at": ["elements", members[0], "alternative"]})
        return self

    def alternatives(self) -> dict[str, tuple[str, ...]]:
        """Each alternative label with the ids of its elements, in the norm's order."""
        out: dict[str, list[str]] = {}
        for element in self.elements:
            if element.alternative is not None:
                out.setdefault(element.alternative, []).append(element.id)
        return {label: tuple(ids) for label, ids in out.items()}

    def element(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.id == element_id), None)
