"""Counted nouns (dossier/words.py): one helper, used wherever a message counts something."""

from __future__ import annotations

import re

import pytest

from dossier.models.case import Threshold
from dossier.words import count, joined

from conftest import REPO


@pytest.mark.parametrize(("n", "expected"), [(0, "0 items"), (1, "1 item"), (2, "2 items"), (10, "10 items")])
def test_regular_plural(n, expected):
    assert count(n, "item") == expected


def test_irregular_plural():
    assert count(1, "missing hash", "missing hashes") == "1 missing hash"
    assert count(3, "missing hash", "missing hashes") == "3 missing hashes"
    assert count(2, "child killed", "children killed") == "2 children killed"


def test_threshold_phrase_agrees_with_its_count():
    assert Threshold(sources=1, qualified=1).phrase() == "1 independent source graded A-C with credibility 1-3"
    assert Threshold(sources=2, qualified=1).phrase() == ("2 independent sources, at least 1 of them graded A-C "
                                                          "with credibility 1-3")


# a noun made plural by hand: f"{n} item{'s' if n != 1 else ''}" or f"{n} item{'' if n == 1 else 's'}"
HAND_PLURAL = re.compile(r"""\{\s*(['"])s\1\s+if\s+[^{}]*!=\s*1\s+else\s+(['"])\2\s*\}"""
                         r"""|\{\s*(['"])\3\s+if\s+[^{}]*==\s*1\s+else\s+(['"])s\4\s*\}""")


def test_no_hand_written_plural_in_the_package():
    found = [f"{path.relative_to(REPO)}:{n}: {line.strip()}"
             for path in sorted((REPO / "dossier").rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if HAND_PLURAL.search(line)]
    assert not found, "use dossier.words.count:\n" + "\n".join(found)


def test_the_scan_sees_a_hand_written_plural():
    assert HAND_PLURAL.search("f\"{n} item{'s' if n != 1 else ''}\"")
    assert HAND_PLURAL.search("f\"{n} item{'' if n == 1 else 's'}\"")
    assert not HAND_PLURAL.search("f\"rest{'s' if len(x) == 1 else ''}\"")  # a verb agreeing, not a plural


@pytest.mark.parametrize(("words", "expected"), [([], ""), (["a"], "a"), (["a", "b"], "a and b"),
                                                 (("a", "b", "c"), "a, b and c")])
def test_joined(words, expected):
    assert joined(words) == expected
