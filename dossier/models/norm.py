"""Norms and their elements (``legal_norms/*.yaml``, built in or the workspace's own)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from dossier.models.common import Classification, Id, ItemType, Short, Strict, Text, nonempty

ElementKind = Literal["conduct", "circumstance", "consequence", "mental", "contextual"]


class Element(Strict):
    id: Id
    text: Text
    kind: ElementKind
    means_of_proof: list[ItemType] = Field(default_factory=list)
    notification_inference: bool = Field(
        False, description="A deconfliction notice to the attacking party is circumstantial evidence for this element")
    note: Text | None = None


class Norm(Strict):
    id: Id
    title: Short
    instrument: Short
    provision: Short
    kind: Literal["crime", "rule"]
    applies_to: list[Classification] = nonempty("Conflict classifications the norm applies in")
    binding: Id = Field(description="'customary', or the treaty id a party must be bound by")
    summary: Text | None = None
    sources: list[Short] = Field(default_factory=list, description="Further provisions behind the rule")
    elements: list[Element] = nonempty("The elements evidence is mapped against")

    @model_validator(mode="after")
    def _unique_elements(self) -> "Norm":
        seen: set[str] = set()
        for i, element in enumerate(self.elements):
            if element.id in seen:
                raise PydanticCustomError("element", "element id '{id}' appears twice in this norm; ids must be unique",
                                          {"id": element.id, "at": ["elements", i, "id"]})
            seen.add(element.id)
        return self

    def element(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.id == element_id), None)
