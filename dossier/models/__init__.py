"""pydantic models of everything a user writes (no I/O here)."""

from dossier.models.case import CaseFile, Party, Source, Threshold
from dossier.models.incident import Incident
from dossier.models.item import BLOCKS, AnyItem, Item, ItemBase, model_for
from dossier.models.norm import Element, Norm

__all__ = ["AnyItem", "BLOCKS", "CaseFile", "Element", "Incident", "Item", "ItemBase", "Norm", "Party", "Source", "Threshold",
           "model_for"]
