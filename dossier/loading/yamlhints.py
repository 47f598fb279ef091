"""What to do about a YAML syntax error: the mistakes people who are not programmers make.

PyYAML says "mapping values are not allowed here"; a legal officer needs "put the title in quotes".
:func:`conflict_markers` is checked before parsing (the markers can parse as text); :func:`explain`
turns a syntax error into an instruction at the line of the mistake, or returns None when the mistake
is none of the known ones (the parser's own words are printed then).
"""

from __future__ import annotations

import re

_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?=\s|$)", re.M)
_FIELD = re.compile(r"^(?P<indent>\s*(?:- +)*)(?P<key>[^\s#:'\"][^:#]*?):(?:\s+(?P<value>.*?))?\s*$")
_CURLY = "“”‘’„«»"

Hint = tuple[str, str, int, int]
"""(code, message, line, column) of a YAML mistake, 1-based."""


def conflict_markers(text: str) -> Hint | None:
    """The first git merge-conflict marker (``<<<<<<<``, ``=======``, ``>>>>>>>``) at the start of a line."""
    match = _CONFLICT.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    return ("yaml-merge-conflict", f"this file has unresolved merge-conflict markers `{match[1]}`: resolve them "
            "(keep the right version of the lines between <<<<<<< and >>>>>>>, delete the marker lines)", line, 1)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_indent(line: str) -> int:
    """Where a line's content starts: after its spaces and any ``- `` list markers."""
    match = re.match(r"\s*(?:- +)*", line)
    return match.end() if match else 0


def _previous(lines: list[str], index: int) -> int | None:
    """The index of the last line before ``index`` that holds something (not blank, not a comment)."""
    for i in range(index - 1, -1, -1):
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            return i
    return None


def _tab(lines: list[str], upto: int) -> Hint | None:
    for i, line in enumerate(lines[: upto + 1]):
        lead = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in lead:
            return ("yaml-tab", "a tab is used for indentation; YAML indents with spaces only: replace the tab "
                    "by spaces", i + 1, lead.index("\t") + 1)
    return None


def _curly(line: str, number: int) -> Hint | None:
    field = _FIELD.match(line)
    value = (field["value"] or "") if field else line.strip()
    if value and value[0] in _CURLY:
        col = line.index(value) + 1
        return ("yaml-curly-quotes", f"curly quotes such as {value[0]} are not quotes in YAML (a word processor typed "
                "them): write straight quotes \" instead", number, col)
    return None


def _over_indented(lines: list[str], index: int) -> Hint | None:
    before = _previous(lines, index)
    if before is None:
        return None
    previous, line = lines[before], lines[index]
    field = _FIELD.match(previous)
    if field and field["value"] and _content_indent(line) > _content_indent(previous):
        return ("yaml-indentation", f"this line is indented more than the line above, so it cannot be read as a "
                f"field of its own: indent it as '{field['key'].strip()}' above (line {before + 1})",
                index + 1, _indent(line) + 1)
    return None


def explain(text: str, line: int, col: int, problem: str) -> Hint | None:
    """An instruction for the syntax error the parser found at ``line``/``col`` (1-based), if one is known."""
    lines = text.splitlines()
    index = min(max(line - 1, 0), len(lines) - 1) if lines else 0
    if not lines:
        return None
    tab = _tab(lines, index)
    if tab is not None:
        return tab
    here = lines[index]
    curly = _curly(here, line)
    if curly is not None:
        return curly
    indentation = ("mapping values are not allowed", "expected <block end>", "did not find expected key")
    if any(words in problem for words in indentation):
        over = _over_indented(lines, index)
        if over is not None:
            return over
    if "mapping values are not allowed" in problem:
        field = _FIELD.match(here)
        if field and field["value"]:
            key, value = field["key"].strip(), field["value"]
            quoted = f'"{value}"' if '"' not in value else "'" + value.replace("'", "''") + "'"
            return ("yaml-colon-in-value", f"a colon and a space in an unquoted value start a new field: put the "
                    f"{key} in quotes: {key}: {quoted}", line, col)
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return ("yaml-indentation", "the indentation of this line does not match the lines above: indent it as the "
                "field it belongs with", line, _indent(here) + 1)
    return None
