"""The case file (``evidence/case.yaml``) and the sources list (``evidence/sources.yaml``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, PlainValidator, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from dossier.codes import UNSUPPRESSIBLE, WARNINGS
from dossier.diagnostics import show_value
from dossier.models.common import (
    ID_RE,
    Classification,
    Count,
    Date,
    Id,
    Reliability,
    Short,
    Strict,
    Text,
    Url,
    _id,
    nonempty,
)
from dossier.words import count

if TYPE_CHECKING:
    from dossier.diagnostics import Diagnostic

StandardOfProof = Literal["reasonable_basis", "reasonable_grounds", "balance_of_probabilities",
                          "substantial_grounds", "clear_and_convincing", "beyond_reasonable_doubt"]
STANDARDS: tuple[str, ...] = StandardOfProof.__args__  # type: ignore[attr-defined]

SourceKind = Literal["ngo", "un", "media", "government", "medical", "witness", "intercept_network",
                     "observer_network", "commercial_imagery", "investigator", "other"]


PartyKind = Literal["state", "armed_group"]
IccJurisdiction = Literal["none", "state_party", "art_12_3_declaration", "security_council_referral"]
Forum = Literal["icc", "coi", "iiim", "special_procedures", "universal_jurisdiction", "icj", "treaty_body"]


class Conflict(Strict):
    classification: Classification = Field(description="NIAC or IAC")
    territory: Id | None = Field(None, description="Party on whose territory the conflict takes place")
    description: Text | None = Field(None, description="How the conflict was classified and why")
    ap2_threshold: bool = Field(False, description="The AP II art. 1(1) threshold is met (responsible command, "
                                                   "territorial control enabling sustained and concerted operations)")
    between: list[Id] | None = Field(None, description="Only on an incident's own conflict: the party ids of the "
                                                       "belligerents of that relationship")


class Party(Strict):
    id: Id
    name: Short
    kind: PartyKind = Field("state", description="state or armed_group")
    treaties: list[Id] = Field(default_factory=list,
                               description="Treaties the party is bound by: GC, API, APII, APIII, RS, CCM, CCW, "
                                           "CCW-P3, ICCPR, ICESCR, CRC, CAT")


class Jurisdiction(Strict):
    """What a criminal forum could try: the ICC's basis of jurisdiction, if any (Rome Statute arts 12-13)."""

    icc: IccJurisdiction = Field("none", description="none | state_party | art_12_3_declaration "
                                                     "| security_council_referral")
    note: Text | None = Field(None, description="Why, e.g. a vetoed referral")


class Threshold(Strict):
    """When support for an element is enough: counts of independent source groups."""

    sources: Count = Field(1, description="Independent sources needed, whatever their grade")
    qualified: Count = Field(1, description="Of them, how many graded A-C with credibility 1-3")
    strong: Count = Field(0, description="Of them, how many graded A-B with credibility 1-2")

    def phrase(self) -> str:
        """What the screen needs, in words: '2 independent sources, at least 1 of them graded A-C/1-3'."""
        t = self
        sources = count(t.sources, "independent source")
        if t.qualified >= t.sources:
            text = f"{sources} graded A-C with credibility 1-3"
        elif t.qualified:
            text = (f"{sources}, at least {t.qualified} of them graded A-C with "
                    "credibility 1-3")
        else:
            text = sources
        if t.strong:
            text += f", at least {t.strong} of them graded A-B with credibility 1-2"
        return text


DEFAULT_THRESHOLDS: dict[str, Threshold] = {  # the corroboration screen of cli.md (v2), weakest to strongest
    "reasonable_basis": Threshold(sources=1, qualified=1, strong=0),
    "reasonable_grounds": Threshold(sources=2, qualified=1, strong=0),
    "balance_of_probabilities": Threshold(sources=2, qualified=2, strong=0),
    "substantial_grounds": Threshold(sources=2, qualified=2, strong=1),
    "clear_and_convincing": Threshold(sources=3, qualified=2, strong=1),
    "beyond_reasonable_doubt": Threshold(sources=3, qualified=3, strong=1),
}


class Thresholds(Strict):
    reasonable_basis: Threshold | None = None
    reasonable_grounds: Threshold | None = None
    balance_of_probabilities: Threshold | None = None
    substantial_grounds: Threshold | None = None
    clear_and_convincing: Threshold | None = None
    beyond_reasonable_doubt: Threshold | None = None


class Submission(Strict):
    """What a submission to a UN body asks for and what must stay confidential (shown in the `un` edition)."""

    requests: list[Text] = Field(default_factory=list, description="What the submitter asks the UN body to do")
    confidential: list[Text] = Field(default_factory=list,
                                     description="Information the UN body must keep confidential")


_CODE_SCHEMA = {"type": "string", "enum": [c for c in WARNINGS if c not in UNSUPPRESSIBLE]}
_SUPPRESSION_SCHEMA = {"anyOf": [_CODE_SCHEMA, {
    "type": "object", "propertyNames": _CODE_SCHEMA,
    "additionalProperties": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": ID_RE.pattern}}}]}
_SHAPE = "each entry is a warning code (`- no-supports`), or a code with the ids it is suppressed for " \
         "(`- no-supports: [EV-0012]`)"


def _suppression(value: Any) -> str | dict[str, list[str]]:
    """One entry of ``suppress_warnings``: a code, or ``{code: [id, ...]}``. Whether the codes and ids exist is
    checked where they are written (``loading.suppress_checks``), with the case's ids at hand."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict) or not value:
        raise PydanticCustomError("suppression", _SHAPE + " (got {got})", {"got": show_value(value)})
    out: dict[str, list[str]] = {}
    for code, ids in value.items():
        if not isinstance(code, str):
            raise PydanticCustomError("suppression", _SHAPE + " (got {got})", {"got": show_value(code)})
        if not isinstance(ids, list) or not ids:
            raise PydanticCustomError(
                "suppression", f"list the ids the warning is suppressed for, e.g. `{code}: [EV-0012]`, or write "
                f"`- {code}` alone to suppress it everywhere (got {{got}})", {"got": show_value(ids), "at": [code]})
        for n, id_ in enumerate(ids):
            try:
                _id(id_)
            except PydanticCustomError as exc:
                raise PydanticCustomError("id", exc.message(), {"at": [code, n]}) from None
        out[code] = [str(i) for i in ids]
    return out


Suppression = Annotated[str | dict[str, list[str]], PlainValidator(_suppression), WithJsonSchema(_SUPPRESSION_SCHEMA)]


class CaseFile(Strict):
    id: Id
    title: Short
    prepared_by: Short | None = None
    language: Id = "en"
    as_of: Date | None = Field(None, description="Date of the analysis printed on covers; default: latest input date")
    conflict: Conflict
    parties: list[Party] = nonempty("Parties to the conflict / alleged perpetrators")
    standard_of_proof: StandardOfProof
    charges: list[Id] = nonempty("Norms analysed for every incident unless it overrides them")
    jurisdiction: Jurisdiction | None = Field(None, description="What a criminal forum could try")
    forums: list[Forum] = Field(default_factory=list, description="Who the analysis is framed for")
    thresholds: Thresholds | None = None
    submission: Submission | None = None
    summary: Text | None = None
    suppress_warnings: list[Suppression] | None = Field(
        None, description="Warnings a reviewer has accepted, by code (docs/warnings.md): not printed, counted or "
                          "reported. A code alone suppresses it everywhere; `CODE: [ID, ...]` only for those items "
                          "(or incidents, or submissions)")

    @field_validator("conflict")
    @classmethod
    def _no_case_belligerents(cls, conflict: Conflict) -> Conflict:
        # the case's conflict is the general one; a relationship between particular belligerents
        # (an inter-State clash inside a wider NIAC) is the incident's own `conflict:`
        if conflict.between is not None:
            raise PydanticCustomError(
                "between", "only an incident's own `conflict:` names its belligerents; remove `between` here and "
                "give the incidents of that relationship their own `conflict:` with `between: [...]`",
                {"at": ["between"]})
        return conflict

    def suppressions(self) -> dict[str, frozenset[str] | None]:
        """Code -> the ids it is suppressed for, or None: for every one."""
        out: dict[str, frozenset[str] | None] = {}
        for entry in self.suppress_warnings or ():
            if isinstance(entry, str):
                out[entry] = None
            else:
                for code, ids in entry.items():
                    if code not in out or out[code] is not None:
                        out[code] = (out.get(code) or frozenset()) | frozenset(ids)
        return out

    def keeps(self, warnings: tuple[Diagnostic, ...] | list[Diagnostic]) -> tuple[Diagnostic, ...]:
        """``warnings`` but those ``suppress_warnings`` suppresses (a warning's id: its item, else its first
        subject). Errors, and the codes that cannot be suppressed, are always kept."""
        if not self.suppress_warnings:
            return tuple(warnings)
        table = self.suppressions()

        def dropped(d: Diagnostic) -> bool:
            if d.level != "warning" or d.code in UNSUPPRESSIBLE or d.code not in table:
                return False
            ids = table[d.code]
            return ids is None or (d.item or (d.subjects[0] if d.subjects else "")) in ids

        return tuple(d for d in warnings if not dropped(d))

    def threshold(self) -> Threshold:
        custom = getattr(self.thresholds, self.standard_of_proof, None) if self.thresholds else None
        return custom or DEFAULT_THRESHOLDS[self.standard_of_proof]


class Source(Strict):
    id: Id
    name: Short
    kind: SourceKind
    reliability: Reliability = Field(description="The grade of the source (Admiralty scale): A completely reliable ... E unreliable, "
                                                 "F cannot be judged")
    derived_from: list[Id] = Field(default_factory=list, description="Sources this one only relays")
    url: Url | None = None
    description: Text | None = None
