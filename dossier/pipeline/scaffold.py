"""`dossier new`: a commented YAML file for a new item, incident or source, ready to fill in.

Required fields hold the placeholder ``FILL IN`` (a value the loader reports as one clear error each, see
:mod:`dossier.loading.placeholders`); optional ones are written commented out, with an example value. Every
line says, in a comment, what the field holds: the model's own description, else a few words of our own,
else what kind of value it takes. A fresh id, used nowhere in the workspace; no file is ever overwritten.
"""

from __future__ import annotations

import os
import re
import typing
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from dossier.atomic import cannot_write, write_text_atomic
from dossier.diagnostics import UsageError, did_you_mean
from dossier.loading.placeholders import PLACEHOLDER
from dossier.models import Incident, Source
from dossier.models.columns import _is_model, _kind, _strip
from dossier.models.common import ID_RE, ITEM_TYPES, SetByEdition, _offset
from dossier.models.item import BLOCKS, model_for

KINDS = ("item", "incident", "source")
PREFIX = {"item": "EV", "incident": "INC", "source": "SRC"}
COLUMN = 34  # where the comments start

WORDS = {  # fields the models do not describe: what a lawyer needs to know to fill them in
    "id": "this {kind}'s id, unique in the case (letters, digits, . _ -)",
    "type": "the kind of evidence: it decides the other fields (`dossier new item TYPE`)",
    "title": "a short title, printed on the briefs",
    "source": "the id of the source (in evidence/sources.yaml) that provided it",
    "summary": "in a few sentences of your own: what happened, or what the item shows",
    "excerpts": "quotations in the original language, each {text: ..., lang: ..., translation: ...}",
    "file": "the exhibit file under evidence/files/ (`dossier hash` records its sha256)",
    "url": "where it was published",
    "archive": "an archived copy of the url (web.archive.org, archive.today ...)",
    "publisher": "who published it",
    "published_on": "when it was published",
    "chain_of_custody": "who held it, from collection on: each {on: DATE, by: ..., role: ..., action: ...}",
    "supports": "the legal elements it bears on (`dossier norms` lists them): {element: NORM/ELEMENT}",
    "witness": "who gave the statement",
    "consent": "what the witness agreed to share, and with whom",
    "interview": "how the statement was taken",
    "intercept": "the intercepted communication",
    "imagery": "the image and what it shows",
    "deconfliction": "the notification of the facility's coordinates",
    "sighting": "what the spotter saw",
    "name": "its name, as the briefs cite it",
    "kind": "what kind of source it is",
    "description": "a few words on it",
    "location": "where it happened",
    "place": "the place's name",
    "lat": "latitude in decimal degrees (north positive)",
    "lon": "longitude in decimal degrees (east positive)",
    "attack": "the attack: means and the party it is attributed to",
    "means": "how the attack was carried out",
    "facility": "the object attacked",
    "casualties": "the figures recorded",
    "window": "when the day is not known: {from: DATE, to: DATE}, in place of date",
    "time": "local time of the attack",
    "charges": "this incident's own norm ids, in place of the case's charges",
    "chronology": "events no item dates: each {on: DATE, time: HH:MM, text: ...}",
    "at": "when",
    "captured_at": "when the image was taken",
    "phase": "before or after the strike",
    "shared_on": "when the coordinates were shared",
    "confidentiality": "who may see it (restricted: not the public edition; confidential: internal edition only)",
    "role": "their role (nurse, doctor, resident ...): shown where the name is not",
    "channel": "the radio channel or frequency",
    "callsigns": "the call signs heard",
    "aircraft": "the aircraft type (Su-25, Mi-8 ...)",
    "transcript": "what was said: {text: ..., lang: ..., translation: ...}",
    "provider": "who supplied the image",
    "resolution_m": "ground resolution in metres",
    "analysis": "what the image shows, in the analyst's words",
    "shared_via": "the mechanism (UN OCHA deconfliction, ICRC ...)",
    "acknowledged_on": "when receipt was acknowledged",
    "reference": "the notification's reference number",
    "observer": "who saw it (a role, not a name)",
    "origin": "where the aircraft came from",
    "heading": "the direction it flew",
    "date": "the day of the attack",
    "region": "the region or governorate",
    "country": "the country",
    "precision_m": "how precise the coordinates are, in metres",
}
KIND_WORDS = {"date": "YYYY-MM-DD", "instant": "with its UTC offset: 2024-01-31T14:02:00Z",
              "time": "HH:MM", "bool": "true or false", "int": "a whole number", "number": "a number", "text": ""}
"""What a value is written as, after the field's words (a whole number, a number: only for a field without)."""
EXAMPLES = {"date": "2024-01-31", "instant": "2024-01-31T14:02:00Z", "time": '"14:02"', "bool": "false",
            "int": "1", "number": "0.0", "text": "TEXT"}
OFFSET_EXAMPLE = '"+03:00"'


def new_file(root: Path, kind: str, item_type: str | None, wanted_id: str | None, incident: str | None) -> list[str]:
    """Write the new file (an item or an incident) or add the new source to sources.yaml; returns the lines to print."""
    evidence = root / "evidence"
    if not evidence.is_dir():
        raise UsageError(f"{root} has no evidence/ folder: run `dossier init` first, or give --workspace")
    if kind == "item":
        if item_type not in ITEM_TYPES:
            hint = did_you_mean(str(item_type), ITEM_TYPES, "types") if item_type else ""
            raise UsageError(f"`dossier new item` needs a TYPE{f', not {item_type!r}' if item_type else ''}{hint}: "
                             f"one of {', '.join(ITEM_TYPES)}")
    elif item_type is not None:
        raise UsageError(f"`dossier new {kind}` takes no TYPE (got {item_type!r})")
    used = used_ids(evidence, kind)
    if wanted_id is not None:
        if not ID_RE.match(wanted_id):
            raise UsageError(f"--id {wanted_id!r}: an id is letters, digits and . _ - (starting with a letter or digit)")
        if wanted_id.lower() in used:
            article = "an" if kind[0] in "aeiou" else "a"
            raise UsageError(f"--id {wanted_id}: {article} {kind} with this id exists already "
                             f"({used[wanted_id.lower()]})")
    if kind == "source":
        return _add_source(evidence, wanted_id or fresh_id(kind, used, lambda _id: False))
    folder = evidence / ("items" if kind == "item" else "incidents")

    def taken(id_: str) -> bool:
        return (folder / f"{id_.lower()}.yaml").exists() or (folder / f"{id_}.yaml").exists()

    new_id = wanted_id or fresh_id(kind, used, taken)
    path = folder / f"{new_id.lower()}.yaml"
    if path.exists() or path.is_symlink():
        raise UsageError(f"{path.relative_to(root).as_posix()} exists already: it is never overwritten; "
                         "choose another --id")
    text = item_text(new_id, str(item_type), _incident_for(evidence, incident)) if kind == "item" \
        else incident_text(new_id)
    _write_new(path, text)
    rel = path.relative_to(root).as_posix()
    return [f"wrote {rel}: fill in every {PLACEHOLDER}, then run `dossier validate`"]


def used_ids(evidence: Path, kind: str) -> dict[str, str]:
    """The ids of this kind in the workspace (lower case -> the file), read from the text of its files: a
    workspace with errors (a file from `dossier new` not filled in yet) has ids too."""
    if kind == "source":
        files = [evidence / "sources.yaml"]
    else:
        folder = evidence / ("items" if kind == "item" else "incidents")
        files = sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml")) if folder.is_dir() else []
    found: dict[str, str] = {}
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for match in re.finditer(r"^[ \t]*(?:-[ \t]+)?id:[ \t]*['\"]?([A-Za-z0-9][A-Za-z0-9._-]*)", text, re.M):
            found.setdefault(match.group(1).lower(), path.relative_to(evidence.parent).as_posix())
    return found


def fresh_id(kind: str, used: dict[str, str], taken) -> str:
    """``EV-0034``: the prefix of the kind, one more than the highest number used with it, and free."""
    prefix = PREFIX[kind]
    numbers = [int(m.group(1)) for i in used if (m := re.fullmatch(rf"{prefix.lower()}-(\d+)", i))]
    n = max(numbers, default=0) + 1
    while f"{prefix}-{n:04d}".lower() in used or taken(f"{prefix}-{n:04d}"):
        n += 1
    return f"{prefix}-{n:04d}"


def _incident_for(evidence: Path, incident: str | None) -> str:
    if incident is not None:
        if not ID_RE.match(incident):
            raise UsageError(f"--incident {incident!r} is not an incident id")
        return incident
    ids = sorted(set(used_ids(evidence, "incident")))
    known = {i.lower(): i for i in _ids_as_written(evidence / "incidents")}
    return known.get(ids[0], PLACEHOLDER) if len(ids) == 1 else PLACEHOLDER


def _ids_as_written(folder: Path) -> list[str]:
    out = []
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        match = re.search(r"^id:[ \t]*['\"]?([A-Za-z0-9][A-Za-z0-9._-]*)", path.read_text(encoding="utf-8",
                                                                                          errors="replace"), re.M)
        if match:
            out.append(match.group(1))
    return out


# --------------------------------------------------------------------------- the text


def item_text(new_id: str, item_type: str, incident: str) -> str:
    head = [f"# A new evidence item ({item_type.replace('_', ' ')}), written by `dossier new item {item_type}`.",
            *_HOW]
    given = {"id": new_id, "type": item_type, "incidents": f"[{incident}]"}
    block = BLOCKS.get(item_type)
    order = ["id", "type", *(n for n in model_for(item_type).model_fields if n not in (block, "id", "type"))]
    if block:  # the type's own block right after the common required fields
        cut = max(i for i, n in enumerate(order) if model_for(item_type).model_fields[n].is_required()) + 1
        order = order[:cut] + [block] + order[cut:]
    return "\n".join(head + _fields(model_for(item_type), given, "item", order)) + "\n"


def incident_text(new_id: str) -> str:
    head = ["# A new incident, written by `dossier new incident`.", *_HOW]
    given = {"id": new_id, "date": PLACEHOLDER}
    return "\n".join(head + _fields(Incident, given, "incident", list(Incident.model_fields))) + "\n"


def source_text(new_id: str) -> list[str]:
    lines = _fields(Source, {"id": new_id}, "source", list(Source.model_fields))
    return ["- " + lines[0]] + ["  " + line for line in lines[1:]]


_HOW = ["# Replace every FILL IN with its value (the comment on its line says what it holds); to use an",
        "# optional field, remove the `#` before it. Then run `dossier validate`: it names each FILL IN left.",
        "# Every field is described in docs/case-format.md."]


def _fields(model: type[BaseModel], given: dict[str, str], kind: str, order: list[str], indent: str = "") -> list[str]:
    lines: list[str] = []
    for name in order:
        info = model.model_fields[name]
        if any(isinstance(m, SetByEdition) for m in info.metadata):
            continue
        key = info.alias or name
        words = _words(key, info, kind)
        metadata = list(info.metadata)
        annotation, _ = _strip(info.annotation, metadata)
        required = info.is_required() or key in given
        if key in given:
            lines.append(_line(f"{indent}{key}: {given[key]}", words))
        elif required and _is_model(annotation):
            lines.append(_line(f"{indent}{key}:", words))
            sub = list(annotation.model_fields)
            inner = _fields(annotation, {}, kind, sub, indent + "  ")
            if not any(not line.lstrip().startswith("#") for line in inner):
                # a block with no required field: its first field is the one to fill in (a witness's pseudonym)
                first = annotation.model_fields[sub[0]]
                inner = [_line(f"{indent}  {first.alias or sub[0]}: {PLACEHOLDER}", _words(sub[0], first, kind))] \
                    + inner[1:]
            lines.extend(inner)
        elif required:
            lines.append(_line(f"{indent}{key}: {_placeholder(annotation)}", words))
        else:
            lines.append(_line(f"{indent}# {key}: {_example(info, annotation, metadata)}", words))
    return lines


def _line(text: str, words: str) -> str:
    return f"{text.ljust(COLUMN - 1)} # {words}" if words else text


def _words(key: str, info: FieldInfo, kind: str) -> str:
    annotation, _ = _strip(info.annotation, metadata := list(info.metadata))
    base = (info.description or WORDS.get(key, "")).replace("{kind}", kind).rstrip(".")
    is_list = typing.get_origin(annotation) is list
    inner = typing.get_args(annotation)[0] if is_list else annotation
    inner_meta: list = []
    inner, _ = _strip(inner, inner_meta)
    hint = ""
    if key == "type":
        return base
    if typing.get_origin(inner) is Literal:
        choices = [str(a) for a in typing.get_args(inner)]
        hint = ("one of: " if not is_list else "any of: ") + ", ".join(choices)
        if len(hint) > 90:
            hint = ("one of: " if not is_list else "any of: ") + ", ".join(choices[:6]) + " ... (docs/case-format.md)"
    elif not _is_model(inner):
        value_kind = _kind(inner, metadata if not is_list else inner_meta)[0]
        hint = "" if base and value_kind in ("int", "number") else KIND_WORDS[value_kind]
    if info.default is not None and not info.is_required() and not callable(info.default_factory) \
            and isinstance(info.default, (str, bool, int)) and key != "scope":
        hint = (hint + "; " if hint else "") + f"default {str(info.default).lower() if isinstance(info.default, bool) else info.default}"
    return "; ".join(p for p in (base, hint) if p) or key.replace("_", " ")


def _placeholder(annotation: Any) -> str:
    return f"[{PLACEHOLDER}]" if typing.get_origin(annotation) is list else PLACEHOLDER


def _example(info: FieldInfo, annotation: Any, metadata: list) -> str:
    """An example value for a field written commented out: its default, or one of the kind it takes."""
    if typing.get_origin(annotation) is list:
        meta: list = []
        inner, _ = _strip(typing.get_args(annotation)[0], meta)
        if _is_model(inner):
            return "[" + _flow(inner) + "]"
        return f"[{_scalar(inner, meta)}]"
    if _is_model(annotation):
        return _flow(annotation)
    if info.default is not None and isinstance(info.default, (str, int, float)) and not isinstance(info.default, bool):
        return str(info.default)
    if any(getattr(m, "func", None) is _offset for m in metadata):
        return OFFSET_EXAMPLE
    return _scalar(annotation, metadata)


def _flow(model: type[BaseModel]) -> str:
    """``{on: 2024-01-31, by: TEXT, action: TEXT}``: a model's required fields (its first, if none is)."""
    names = [n for n, f in model.model_fields.items() if f.is_required()] or list(model.model_fields)[:1]
    parts = []
    for name in names:
        info = model.model_fields[name]
        metadata = list(info.metadata)
        annotation, _ = _strip(info.annotation, metadata)
        parts.append(f"{info.alias or name}: {_example(info, annotation, metadata)}")
    return "{" + ", ".join(parts) + "}"


def _scalar(annotation: Any, metadata: list) -> str:
    if typing.get_origin(annotation) is Literal:
        return str(typing.get_args(annotation)[0])
    if annotation in (date, datetime) or not _is_model(annotation):
        return EXAMPLES[_kind(annotation, metadata)[0]]
    return "{}"


# --------------------------------------------------------------------------- writing


def _write_new(path: Path, text: str) -> None:
    """Write ``path``, which must not exist: made next to it, then linked into place (which fails, changing
    nothing, if a file of that name appeared meanwhile)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".tmp-new-{os.getpid()}-{path.name}")
    try:
        temp.write_text(text, encoding="utf-8")
        os.link(temp, path)
    except FileExistsError:
        raise UsageError(f"{path.name} exists already: it is never overwritten; choose another --id") from None
    except OSError as exc:
        raise cannot_write(str(path), exc) from None
    finally:
        temp.unlink(missing_ok=True)


def _add_source(evidence: Path, new_id: str) -> list[str]:
    """Add the new source at the end of sources.yaml (one list for the whole case), changing nothing else in
    it; or write the file, when there is none."""
    path = evidence / "sources.yaml"
    entry = ["", "# A new source, written by `dossier new source`.", *_HOW, *source_text(new_id)]
    if not path.exists():
        _write_new(path, "\n".join(entry[1:]) + "\n")
        return [f"wrote evidence/sources.yaml with source {new_id}: fill in every {PLACEHOLDER}, then run "
                "`dossier validate`"]
    old = path.read_text(encoding="utf-8")
    body = [line for line in old.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if body and not body[0].startswith("-"):
        raise UsageError("evidence/sources.yaml is not written as a list of `- id: ...` entries, one a line "
                         "block: add the new source by hand (see docs/case-format.md)")
    write_text_atomic(path, old + ("" if old.endswith("\n") or not old else "\n") + "\n".join(entry) + "\n")
    return [f"added source {new_id} at the end of evidence/sources.yaml: fill in every {PLACEHOLDER}, then run "
            "`dossier validate`"]
