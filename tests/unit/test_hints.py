"""did-you-mean hints: one guess only when the match is strong and unambiguous, else the ids near it."""

import pytest

from dossier.diagnostics import did_you_mean

SOURCES = ["SRC-AP", "SRC-AMNESTY", "SRC-NGO", "SRC-UN"]
NORMS = ["rs-8-2-b-i", "rs-8-2-b-ii", "rs-8-2-b-iv", "rs-8-2-b-ix", "rs-8-2-e-iv", "rs-8-2-e-xii", "cihl-9",
         "cihl-28"]


@pytest.mark.parametrize("word, choices, expected", [
    # a prefix wins over an edit distance
    ("SRC-APNEWS", SOURCES, " (did you mean 'SRC-AP'?)"),
    ("SRC-NGOO", SOURCES, " (did you mean 'SRC-NGO'?)"),
    # Roman and Arabic numerals are the same token
    ("rs-8-2-b-9", NORMS, " (did you mean 'rs-8-2-b-ix'?)"),
    ("RS-8-2-B-IX", NORMS, " (did you mean 'rs-8-2-b-ix'?)"),
    ("cihl28", NORMS, " (did you mean 'cihl-28'?)"),
    ("cihl-28x", NORMS, " (did you mean 'cihl-28'?)"),
    # a guess never changes a number: another number is another crime
    ("cihl-99", NORMS, " (valid ids near it: 'cihl-9', 'cihl-28')"),
    ("rs-8-2-e-xx", NORMS, " (valid ids near it: 'rs-8-2-e-xii', 'rs-8-2-b-ix', 'rs-8-2-e-iv', 'rs-8-2-b-i', "
                           "'rs-8-2-b-ii')"),
    ("rs-8-2-b-v", NORMS, " (valid ids near it: 'rs-8-2-b-iv', 'rs-8-2-b-i', 'rs-8-2-b-ii', 'rs-8-2-b-ix', "
                          "'rs-8-2-e-iv')"),
    # several prefixes: no single strong match, list them
    ("SRC-A", SOURCES, " (valid ids near it: 'SRC-AMNESTY', 'SRC-AP')"),
    # the same letters in another order, a clear edit-distance winner
    ("VLA", ["VAL", "NLF"], " (did you mean 'VAL'?)"),
    ("SRC-MEDA", ["SRC-MEDIA", "SRC-NGO"], " (did you mean 'SRC-MEDIA'?)"),
    ("credibilty", ["credibility", "reliability", "summary"], " (did you mean 'credibility'?)"),
    # no strong match: the ids near it, never one wrong guess
    ("SRC-UNX", ["SRC-UNICEF", "SRC-UNHRC"], " (valid ids near it: 'SRC-UNHRC', 'SRC-UNICEF')"),
    ("SRC-ONU", ["SRC-NGO", "SRC-IMG"], " (valid ids near it: 'SRC-NGO')"),
    # nothing near
    ("zzz", NORMS, ""),
])
def test_did_you_mean(word, choices, expected):
    assert did_you_mean(word, choices) == expected


def test_the_noun_of_the_list():
    assert did_you_mean("CCW-P5", ["CCW", "CCW-P3", "GC"], "values") == " (valid values near it: 'CCW-P3', 'CCW')"
