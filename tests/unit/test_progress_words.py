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
    (".parts/public/chapter-INC-0001.pdf", "public case dossier: chapter INC-0001"),
    (".parts/public/exhibits-0002-INC-0001.pdf", "public case dossier: exhibits of INC-0001"),
    (".parts/page-numbers-42.pdf", "page numbers of the case dossiers"),
    ("submissions/SUB-COI-1/SUB-COI-1.pdf", "submission SUB-COI-1"),
])
def test_an_output_is_described_in_words(rel, words):
    assert describe(rel) == words


class _Bar:
    def __init__(self):
        self.descriptions: list[str] = []

    def update(self, task, advance=0, description=None):
        self.descriptions.append(description)


def test_the_bar_shows_the_label_of_a_chapter_not_its_path():
    progress = Progress(3, quiet=True)
    progress.bar, progress.task = _Bar(), 1  # type: ignore[assignment]
    progress.start(".parts/un/chapter-INC-0003.pdf", "un case dossier: chapter 3 of 14")
    progress.done("un/INC-0001.pdf")
    assert progress.bar.descriptions == ["un case dossier: chapter 3 of 14", "un brief INC-0001"]  # type: ignore[attr-defined]
    assert not any(".parts" in d for d in progress.bar.descriptions)  # type: ignore[attr-defined]


def test_the_label_is_no_input_of_the_key():
    from dossier.pipeline.jobs import RenderJob

    job = RenderJob("un", "chapter-X.pdf", "", "", (), b"", "2020-01-01", ".parts/un", "un case dossier: chapter 1 of 2")
    same = RenderJob("un", "chapter-X.pdf", "", "", (), b"", "2020-01-01", ".parts/un")
    assert job.key() == same.key()  # the words are no input: a build stays byte-identical and incremental
