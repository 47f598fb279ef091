"""The one definition of dangerous characters (dossier/textsafety.py) and the one printer (dossier/console.py).

The characters are listed here by hand, not taken from the module: a test that shares the code's
definition cannot catch a character missing from it.
"""

from __future__ import annotations

import json

import pytest

from dossier import console
from dossier.console import Styled, render, render_line
from dossier.diagnostics import printable
from dossier.textsafety import DANGEROUS, MARKED_IN_TEXT, describe, first_dangerous, neutralise

# every character the project refuses in ids and paths and neutralises on a terminal
MUST_BE_DANGEROUS = (
    [chr(c) for c in range(0x00, 0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]  # C0, DEL, C1 (NEL)
    + list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")  # direction controls
    + list("\u2028\u2029")  # line and paragraph separators
    + list("\u200b\u200c\u200d\ufeff\u2060\u00ad")  # zero-width, BOM, word joiner, soft hyphen
)
# what real text and names hold, which must stay as it is
ORDINARY = ["Lowmere", "É", "ß", "Привет", "مستشفى", "שלום", "中文", "🙂", "files/EV-0012.pdf", " ", "·", "…", "⟨U+202E⟩"]


@pytest.mark.parametrize("ch", MUST_BE_DANGEROUS, ids=lambda ch: f"U+{ord(ch):04X}")
def test_every_dangerous_character_is_in_the_one_definition(ch):
    assert DANGEROUS.fullmatch(ch)
    assert first_dangerous(f"EV-{ch}1") == ch
    shown = printable(f"a{ch}b")
    assert shown == f"a\\u{ord(ch):04x}b"
    assert not DANGEROUS.search(shown)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_left_alone(text):
    assert first_dangerous(text) is None
    assert printable(text) == text
    assert not MARKED_IN_TEXT.search(text)


def test_rendered_text_marks_controls_and_direction_but_keeps_joiners_and_layout():
    # an Arabic excerpt may need ZWJ/ZWNJ; tab, newline and CR are layout in a template
    for ch in "\u200d\u200c\u2028\t\n\r":
        assert not MARKED_IN_TEXT.search(ch), ascii(ch)
    for ch in "\x1b\x07\x85\u202e\u2066\u200e\u200f\u061c":
        assert MARKED_IN_TEXT.fullmatch(ch), ascii(ch)


def test_neutralising_twice_changes_nothing():
    text = "Case \x1b]0;PWNED\x07\u202e\u2028\x85 \U000e0041 end"
    once = neutralise(text)
    assert neutralise(once) == once
    assert once == "Case \\u001b]0;PWNED\\u0007\\u202e\\u2028\\u0085 \\U000e0041 end"


@pytest.mark.parametrize("ch, words", [
    ("\x1b", "the control character U+001B (escape)"),
    ("\x85", "the control character U+0085 (next line)"),
    ("\x01", "the control character U+0001"),
    ("\u202e", "the direction control U+202E (right-to-left override)"),
    ("\u2028", "the line break U+2028 (line separator)"),
    ("\u200b", "the invisible character U+200B (zero width space)"),
])
def test_a_dangerous_character_is_described_for_a_message(ch, words):
    assert describe(ch) == words


def test_a_line_is_neutralised_whole_and_styled_after():
    line = (Styled("Case \x1b[2J", "bold"), "  (\u202e)\nforged")
    assert render_line(line) == "Case \\u001b[2J  (\\u202e)\\u000aforged"
    coloured = render_line(line, colour=True)
    assert coloured.startswith("\x1b[1mCase \\u001b[2J\x1b[0m")  # the program's own styling, the data's escaped
    assert render(["one", "two\nthree"]) == "one\ntwo\\u000athree\n"


def test_a_json_document_on_a_terminal_means_the_same(capsys):
    data = {"title": "Case \x1b]0;PWNED\x07\u202e\u2028\x85\u200e \U000e0041 \ud7ff end", "n": [1, 2]}
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    console.echo_document(text, "json")
    out = capsys.readouterr().out
    assert not DANGEROUS.search(out.replace("\n", ""))
    assert json.loads(out) == data


def test_an_html_document_on_a_terminal_means_the_same(capsys):
    console.echo_document("<p title=\"a\u202eb\">x\u2028y\x85</p>\n<p>two</p>\n", "html")
    assert capsys.readouterr().out == "<p title=\"a&#x202e;b\">x&#x2028;y&#x85;</p>\n<p>two</p>\n"


def test_no_colour_when_no_color_is_set(monkeypatch):
    class Tty:
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdout", Tty())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert console.colour_wanted()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not console.colour_wanted()
