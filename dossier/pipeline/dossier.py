"""The case dossier of each edition: its front part rendered with the contents' page numbers (which depend
on the front's own length, so it converges over a few renderings), then assembled from the cached parts."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from dossier.atomic import OutputError, is_output_file, write_output
from dossier.pipeline.assemble import assemble, page_anchors, parts_key
from dossier.pipeline.executor import Renderer
from dossier.pipeline.jobs import RenderJob, prepare_dossier_front, prepare_page_numbers
from dossier.pipeline.plan import DossierPlan
from dossier.rendering.records import TocRow
from dossier.rendering.templates import DossierContext


def build_dossiers(renderer: Renderer, dossiers: list[DossierPlan]) -> None:
    """Render each dossier's front part with the contents' page numbers, then assemble what changed."""
    out = renderer.out
    ready = []
    for dossier in dossiers:
        if any(p.rel in renderer.failed for p in dossier.parts):
            renderer.result.failed.append((dossier.rel, "a part of the dossier could not be rendered"))
            renderer.progress.failed(dossier.rel, "a part of the dossier could not be rendered")
        else:
            ready.append(dossier)
    parts = {d.rel: [page_anchors(out / p.rel) for p in d.parts] for d in ready}
    fronts: dict[str, RenderJob] = {}
    guesses: dict[str, tuple[int, dict[str, int]]] = {}
    for dossier in ready:
        path = out / f".parts/{dossier.view.edition}/front.pdf"
        guesses[dossier.rel] = _anchors_or_guess(path)
    unsettled = list(ready)
    for _attempt in range(4):  # the contents' numbers depend on the front's own length: converge
        if not unsettled:
            break
        for dossier in unsettled:
            toc = _toc(dossier.context, guesses[dossier.rel], parts[dossier.rel])
            fronts[dossier.rel] = prepare_dossier_front(dossier.view, dataclasses.replace(dossier.context, toc=toc))
        renderer.render([fronts[d.rel] for d in unsettled])
        still = []
        for dossier in unsettled:
            front = fronts[dossier.rel]
            if front.rel in renderer.failed:
                continue
            actual = page_anchors(out / front.rel)
            if actual != guesses[dossier.rel]:
                guesses[dossier.rel] = actual
                still.append(dossier)
        unsettled = still
    numbers = {}
    for dossier in ready:
        front = fronts.get(dossier.rel)
        if front is None or front.rel in renderer.failed:
            renderer.result.failed.append((dossier.rel, "the front part could not be rendered"))
            continue
        total = guesses[dossier.rel][0] + sum(n for n, _ in parts[dossier.rel])
        numbers[dossier.rel] = prepare_page_numbers(total, front.build_date)
    renderer.render(list({j.rel: j for j in numbers.values()}.values()))
    for dossier in ready:
        if dossier.rel in numbers:
            _assemble(renderer, dossier, fronts[dossier.rel], numbers[dossier.rel])


def _assemble(renderer: Renderer, dossier: DossierPlan, front: RenderJob, numbers: RenderJob) -> None:
    out, rel = renderer.out, dossier.rel
    if numbers.rel in renderer.failed:
        renderer.result.failed.append((rel, "the page numbers could not be rendered"))
        return
    key = parts_key(front.key(), numbers.key(), *(p.key() for p in dossier.parts))
    if not renderer.force and renderer.state.fresh(rel, key):
        renderer.result.skipped.append(rel)
        renderer.progress.skip(1)
        return
    renderer.progress.start(rel)
    try:
        write_output(out, rel, assemble(out / front.rel, [out / p.rel for p in dossier.parts], out / numbers.rel))
    except Exception as exc:  # noqa: BLE001 - reported, the build goes on
        renderer.result.failed.append((rel, str(exc) if isinstance(exc, OutputError) else
                                       f"{type(exc).__name__}: {exc}"))
        renderer.progress.failed(rel, exc)
        return
    renderer.state.record(rel, key)
    renderer.result.rendered.append(rel)
    renderer.progress.done(rel)


def _anchors_or_guess(path: Path) -> tuple[int, dict[str, int]]:
    """The front part's page count and anchors from its last rendering, a first guess if it is absent or damaged
    (it is rendered again either way when the contents' numbers change)."""
    try:
        return page_anchors(path) if is_output_file(path) else _FIRST_GUESS
    except Exception:  # noqa: BLE001 - a damaged part is only a worse guess
        return _FIRST_GUESS


_FIRST_GUESS = (6, {"summary": 2, "patterns": 3})


def _toc(context: DossierContext, front: tuple[int, dict[str, int]],
         parts: list[tuple[int, dict[str, int]]]) -> tuple[TocRow, ...]:
    """The contents, from where each chapter's anchor landed in its part."""
    where: dict[str, int] = {name: index + 1 for name, index in front[1].items()}
    offset = front[0]
    for count, anchors in parts:
        for name, index in anchors.items():
            where.setdefault(name, offset + index + 1)
        offset += count
    s = context.sections
    rows = [(s.summary.label, s.summary.anchor, 1), (s.patterns.label, s.patterns.anchor, 1),
            (s.incidents.label, s.incidents.anchor, 1)]
    rows += [(f"{inc.when} · {inc.title}", inc.anchor, 2) for inc in context.incidents]
    rows.append((s.exhibits.label, s.exhibits.anchor, 1))
    return tuple(TocRow(label, anchor, where.get(anchor, 0), level) for label, anchor, level in rows)
