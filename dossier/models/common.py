"""Shared field types with the messages a lawyer can act on.

Each type validates before pydantic's own checks and raises a custom error whose
text is printed as is, e.g. ``credibility: must be an integer from 1 to 6 (got 7)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from dossier.diagnostics import show_value
from dossier.textsafety import describe, first_dangerous

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")  # ASCII only: no dangerous character can pass
ID_RULE = "must be an id: ASCII letters, digits, '.', '_' or '-', starting with a letter or digit"
ID_MAX = 120
SHORT_MAX = 1_000
TEXT_MAX = 50_000


@dataclass(frozen=True)
class SetByEdition:
    """Marks a field the program sets when it filters an edition, never written by hand: it is not a
    column of the spreadsheets (export, the template workbook, import)."""


@dataclass(frozen=True)
class Personal:
    """Marks a field that names a person (a witness, an interviewer, a custodian, counsel...).

    Outside the ``internal`` edition no person is named anywhere: the edition filter replaces every
    field so marked, wherever it sits in a model, by ``stand_in`` (or by the value of the sibling
    field ``from_field`` when that is set), or removes it when ``stand_in`` is None.
    A new field that can name a person needs only this marker to be withheld.
    """

    stand_in: str | None = None
    from_field: str | None = None


class Strict(BaseModel):
    """Base of every model: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


def _fail(kind: str, message: str, value: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message + " (got {got})", {"got": show_value(value)})


def _id(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _fail("id", "must be an id (text)", value)
    if len(value) > ID_MAX:
        raise PydanticCustomError("id", f"is too long for an id ({len(value)} characters; at most {ID_MAX})")
    if not ID_RE.match(value):
        bad = first_dangerous(value)
        # an invisible character pasted with an id looks like a good id: say which one to remove
        remove = f"; remove {describe(bad)}" if bad is not None else ""
        raise PydanticCustomError("id", ID_RULE + " (got {got})" + remove, {"got": show_value(value)})
    return value


def _text(limit: int):
    def check(value: Any) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise _fail("text", "must be text", value)
        if len(value) > limit:
            raise PydanticCustomError("text", f"is too long ({len(value):,} characters; at most {limit:,})")
        return value

    return check


def _date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail("date", "must be a real date written YYYY-MM-DD", value)


def _instant(value: Any) -> datetime:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?",
                                               value):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise _fail("instant", "must be a real date and time, e.g. 2019-05-05T14:02:00Z", value) from None
        if parsed.tzinfo is None:
            raise _fail("instant", "needs a time-zone offset, e.g. 2019-05-05T14:02:00Z or +03:00", value)
        try:
            parsed.astimezone(UTC)
        except OverflowError:
            raise _fail("instant", "is out of range once converted to UTC", value) from None
        return parsed
    raise _fail("instant", "must be a date and time with offset, e.g. 2019-05-05T14:02:00Z", value)


def _int_range(low: int, high: int | None, what: str):
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
            raise _fail("range", f"must be {what}", value)
        return value

    return check


def _number_range(low: float, high: float, what: str):
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (low <= value <= high):
            raise _fail("range", f"must be {what}", value)
        return float(value)

    return check


def _sha256(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-fA-F]{64}", value):
        raise _fail("sha256", "must be a sha256 digest: 64 hexadecimal characters", value)
    return value.lower()


def _time(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        raise PydanticCustomError("time", 'must be quoted text like "14:30" (unquoted, YAML reads 14:30 as a number)')
    if not isinstance(value, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?", value):
        raise _fail("time", 'must be a local time written "HH:MM"', value)
    return value


def _offset(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[+-](0\d|1[0-4]):[0-5]\d", value):
        raise _fail("offset", 'must be an offset from UTC written "+03:00" or "-05:00" (quote it)', value)
    return value


def _url(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"https?://[^\s]+", value) or len(value) > 2000:
        raise _fail("url", "must be a web address starting with http:// or https://", value)
    return value


def _lang(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        raise _fail("lang", "must be a language tag such as en, ar, ru or fr-CH", value)
    return value


def _element_ref(value: Any) -> str:
    if not isinstance(value, str) or value.count("/") != 1 or not all(ID_RE.match(p) for p in value.split("/")):
        raise _fail("element-ref", "must be an element reference NORM-ID/ELEMENT-ID, e.g. rs-8-2-e-iv/2", value)
    return value


Id = Annotated[str, BeforeValidator(_id), WithJsonSchema({"type": "string", "pattern": ID_RE.pattern})]
Short = Annotated[str, BeforeValidator(_text(SHORT_MAX)), WithJsonSchema({"type": "string", "maxLength": SHORT_MAX})]
Text = Annotated[str, BeforeValidator(_text(TEXT_MAX)), WithJsonSchema({"type": "string", "maxLength": TEXT_MAX})]
Date = Annotated[date, BeforeValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]
Instant = Annotated[datetime, BeforeValidator(_instant), WithJsonSchema({"type": "string", "format": "date-time"})]
LocalTime = Annotated[str, BeforeValidator(_time), WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}$"})]
UtcOffset = Annotated[str, BeforeValidator(_offset), WithJsonSchema({"type": "string", "pattern": r"^[+-]\d{2}:\d{2}$"})]
Url = Annotated[str, BeforeValidator(_url), WithJsonSchema({"type": "string", "format": "uri"})]
Lang = Annotated[str, BeforeValidator(_lang), WithJsonSchema({"type": "string"})]
Sha256 = Annotated[str, BeforeValidator(_sha256), WithJsonSchema({"type": "string", "pattern": "^[0-9a-fA-F]{64}$"})]
ElementRef = Annotated[str, BeforeValidator(_element_ref),
                       WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$"})]
Latitude = Annotated[float, BeforeValidator(_number_range(-90, 90, "a latitude in decimal degrees from -90 to 90")),
                     WithJsonSchema({"type": "number", "minimum": -90, "maximum": 90})]
Longitude = Annotated[float, BeforeValidator(_number_range(-180, 180, "a longitude in decimal degrees from -180 to 180")),
                      WithJsonSchema({"type": "number", "minimum": -180, "maximum": 180})]
Count = Annotated[int, BeforeValidator(_int_range(0, None, "a whole number, 0 or more")),
                  WithJsonSchema({"type": "integer", "minimum": 0})]
Credibility = Annotated[int, BeforeValidator(_int_range(1, 6, "an integer from 1 to 6")),
                        WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 6})]
Meters = Annotated[float, BeforeValidator(_number_range(0, 1e7, "a distance in metres, 0 or more")),
                   WithJsonSchema({"type": "number", "minimum": 0})]

ConsentScope = Literal["legal_team", "un_bodies", "coi", "iiim", "special_procedures", "mrm", "courts", "public"]
"""Who a witness or a victim agreed to share with. ``un_bodies`` is every UN body but the IIIM, which shares
material only with its source's consent and so needs an explicit ``iiim``."""
UN_BODY_SCOPES: tuple[str, ...] = ("coi", "iiim", "special_procedures", "mrm")
"""The scopes that name one UN body."""

Reliability = Literal["A", "B", "C", "D", "E", "F"]
Confidentiality = Literal["public", "restricted", "confidential"]
Classification = Literal["NIAC", "IAC"]
Edition = Literal["internal", "un", "public"]
EDITIONS: tuple[Edition, ...] = ("internal", "un", "public")
ItemType = Literal[
    "witness_statement", "radio_intercept", "satellite_imagery", "coordinate_sharing", "plane_spotter_log",
    "video", "photo", "document", "report", "official_statement", "medical_record", "munition_analysis", "other",
]
ITEM_TYPES: tuple[str, ...] = ItemType.__args__  # type: ignore[attr-defined]


def nonempty(description: str):
    """A list field that must have at least one entry."""
    return Field(min_length=1, description=description)
