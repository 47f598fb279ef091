"""The progress bar of a build names what it renders in words, never a path under out/.parts/."""

from __future__ import annotations

import pytest

from dossier.pipeline.progress import Progress, describe


@pytest.mark.parametrize(("rel", "words"), [
    ("un/INC-0001.pdf", "un brief INC-0001"),
    ("public/case-dossier.pdf", "public case dossier"),
    ("internal/completeness.pdf", "internal completeness report"),
    (".parts/un/front.pdf", "un case dossier: cover and contents"),
    (".parts/un/index.pdf", "un case dossier: exhibit index"),
    (".parts/public/brief-INC-0001.pdf", "public brief INC-0001"),
    (".parts/un/completeness-head.pdf", "un completeness report: cover and contents"),
    (".parts/un/completeness-incident-INC-0001.pdf", "un completeness report: INC-0001"),
    (".parts/un/completeness-case.pdf", "un completeness report: case-wide warnings"),
    (".parts/submissions/SUB-COI-1.pdf", "submission SUB-COI-1"),
    (".parts/page-numbers-42.pdf", "page numbers (42 pages)"),
    ("submissions/SUB-COI-1/SUB-COI-1.pdf", "submission SUB-COI-1"),
])
def test_an_output_is_described_in_words(rel, words):
    assert describe(rel) == words


class _Bar:
    def __init__(self):
        self.descriptions: list[str] = []

    def update(self, task, advance=0, description=None):
        self.descriptions.append(description)


def test_the_bar_shows_the_label_of_a_part_not_its_path():
    progress = Progress(3, quiet=True)
    progress.bar, progress.task = _Bar(), 1  # type: ignore[assignment]
    progress.start(".parts/un/completeness-incident-INC-0003.pdf", "un completeness report: incident 3 of 14")
    progress.advance("un completeness report: incident 3 of 14")
    progress.done("un/INC-0001.pdf")
    assert progress.bar.descriptions == ["un completeness report: incident 3 of 14",  # type: ignore[attr-defined]
                                         "un completeness report: incident 3 of 14", "un brief INC-0001"]
    assert not any(".parts" in d for d in progress.bar.descriptions)  # type: ignore[attr-defined]


def test_the_label_is_no_input_of_the_key():
    from dossier.pipeline.jobs import RenderJob

    job = RenderJob("un", "brief-X.pdf", "", "", (), "2020-01-01", ".parts/un", "un brief X")
    same = RenderJob("un", "brief-X.pdf", "", "", (), "2020-01-01", ".parts/un")
    assert job.key() == same.key()  # the words are no input: a build stays byte-identical and incremental
