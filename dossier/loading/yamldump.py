"""Writing case files: YAML text that :func:`dossier.loading.yamlfile.read_yaml` reads back as the values written.

PyYAML's safe dumper quotes the text YAML 1.1 would read as something else (``yes``, ``1_000``, ``12:30``), but
``read_yaml`` reads YAML 1.2, where ``tRUE`` is a boolean and ``1e5`` a number: written unquoted,
``title: 1e5`` would come back as 100000.0. The dumper here quotes those too, so what a file is read back as is
known without reading it: :func:`read_back` (text for a date, as ``read_yaml`` keeps dates as text).

The nodes are built here rather than by PyYAML's representer (a third of the time of a dump, for the same
text); libyaml's emitter writes them.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dossier.loading.yamlfile import plain_is_text

_BASE: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter is about 10x faster
_T = "tag:yaml.org,2002:"


class _Quoting(yaml.resolver.Resolver):
    """The safe dumper's answer to 'may this scalar be plain?', quoting also the text YAML 1.2 would read as
    something else (a mixin: libyaml's dumper below, PyYAML's pure-Python one for the tests' comparison)."""

    def resolve(self, kind, value, implicit):  # noqa: D102 - asked by the serializer whether a scalar may be plain
        if kind is not ScalarNode:
            return super().resolve(kind, value, implicit)
        if not implicit[0] or (value and value[0] not in _FIRST):
            return _STR  # quoted, or text no resolver reads as anything else: as PyYAML's resolver answers
        tag = _TAGS.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if tag == _STR and not plain_is_text(value):
                tag = _T + "yaml-1.2"  # not text when unquoted (YAML 1.2): the emitter quotes it
            if len(value) <= 40 and len(_TAGS) < 50_000:  # field names and short values come back again and again
                _TAGS[value] = tag
        return tag


class Dumper(_Quoting, _BASE):
    """libyaml's safe dumper, quoting also the text YAML 1.2 would read as something else."""


class PyDumper(_Quoting, yaml.SafeDumper):
    """The same in pure Python (PyYAML's own emitter): what :class:`Dumper` writes is checked against it."""


_STR = _T + "str"
_TAGS: dict[str, str] = {}


class _Every:
    def __contains__(self, _: object) -> bool:
        return True


_FIRST: Any = frozenset(k for k in Dumper.yaml_implicit_resolvers if k) | frozenset("0123456789+-.~nNtTfF")
"""The first characters of the text PyYAML's resolver (YAML 1.1) or ``read_yaml`` (YAML 1.2) may read as other
than text (every character, should PyYAML have a resolver for any first character)."""
if None in Dumper.yaml_implicit_resolvers:  # pragma: no cover - not in PyYAML 6
    _FIRST = _Every()


class _Unusual(Exception):
    """A value of a type the node builder does not know: PyYAML's representer writes it."""


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text  # as SafeRepresenter


def _node(value: Any) -> Node:
    """The node SafeRepresenter makes (block style, keys in order), without its alias bookkeeping."""
    cls = value.__class__
    if cls is str:
        return ScalarNode(_T + "str", value)
    if cls is dict:
        return MappingNode(_T + "map", [(_node(k), _node(v)) for k, v in value.items()], flow_style=False)
    if cls is list or cls is tuple:
        return SequenceNode(_T + "seq", [_node(v) for v in value], flow_style=False)
    if cls is bool:
        return ScalarNode(_T + "bool", "true" if value else "false")
    if cls is int:
        return ScalarNode(_T + "int", str(value))
    if value is None:
        return ScalarNode(_T + "null", "null")
    if cls is float:
        return ScalarNode(_T + "float", _float(value))
    if cls is dt.date:
        return ScalarNode(_T + "timestamp", value.isoformat())
    raise _Unusual(cls)


def dump(data: Any) -> str:
    """``data`` as a YAML document (block style, keys in their order, lines of at most 100 characters)."""
    try:
        node = _node(data)
    except _Unusual:
        return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                         width=100)
    return yaml.serialize(node, Dumper=Dumper, allow_unicode=True, width=100)


def read_back(value: Any) -> Any:
    """What :func:`read_yaml` reads from the text :func:`dump` writes for ``value``."""
    cls = value.__class__
    if cls is dict:
        return {k: read_back(v) for k, v in value.items()}
    if cls is list or cls is tuple:
        return [read_back(v) for v in value]
    if cls is float and not math.isfinite(value):
        return _float(value)  # .inf is text in YAML 1.2's core schema, as read_yaml reads it
    if cls is dt.datetime:
        return value.isoformat(" ")
    if cls is dt.date:
        return value.isoformat()
    return value
