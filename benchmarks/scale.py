"""The scale benchmark (issue 17): a whole-conflict case, 200 incidents of 10 items each, three editions.

    .venv/bin/python benchmarks/scale.py                 # the real run (a long one: about 15 to 25 minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --scale           # the same
    .venv/bin/python benchmarks/scale.py --incidents 6 --items 4 --sample 4 --plan-items 0 --output /tmp/b.md  # smoke

It generates the case with benchmarks/synth.py (``make_case``, seed 0) and measures, every build with the default
``--jobs`` (one worker per core):

- a full cold build (``out/`` removed first): wall, CPU, peak memory of the whole process tree;
- a no-op rebuild: wall, median of 3;
- a one-item edit (the summary of a public item of the middle incident that concerns that incident alone, as
  run.py's ``_edit_summary`` edits it), then a rebuild: wall (median of ``--edit-runs``), and which outputs and
  parts were rendered again: the records of ``out/.dossier-state.json`` whose key or sha256 changed, or which are
  new, by kind (``kind_of``);
- the edit's anchor: that incident's own briefs (three editions) rendered alone by bare WeasyPrint, sequentially
  in one process (run.py's ``_helper_raw_weasyprint`` with a filter on the job names);
- the full build's anchor: the sequential raw WeasyPrint time of the briefs and the completeness reports (all
  editions); with ``--sample N``, a kind with more than N jobs (the briefs) is measured on a random sample of N,
  stratified by edition, and extrapolated edition by edition (the section says so, with the sample size);
- the largest single engine call of the full build (the job with the most HTML, always rendered in the anchor);
- peak memory of planning at ``--plan-items`` items per incident (20,000 items by default): a helper process that
  loads the case and plans every edition, computing every key, without rendering.

It writes the ``## Scale`` section of ``--output`` (BENCHMARKS.md), replacing only that section, and with
``--json`` the figures, from which ``--from-json`` writes the section again without measuring.
Benchmarks measure; tests never assert timings. Progress goes to standard error.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402
from synth import make_case  # noqa: E402

PYTHON = sys.executable
GOALS = {"edit": 3.0, "noop_s": 3.0, "build": 0.6, "plan_bytes": 10**9}
MIB = 1024 * 1024
ANCHOR_KINDS = ("brief", "brief part", "completeness", "completeness head part", "completeness incident part",
                "completeness warnings part")
"""What the full build's anchor renders: the briefs and the completeness reports, whole or in parts."""


# --------------------------------------------------------------------------------------------------------------
# Naming what was rendered: the one place that knows the layout of out/ (adjust it to a new layout)

def kind_of(rel: str, incidents: frozenset[str] | set[str] = frozenset()) -> str:
    """The kind of an output or part, from its path under out/ (a state record, or a job's ``rel``).

    Layouts known: ``<edition>/<incident>.pdf`` (a brief), ``<edition>/case-dossier.pdf``,
    ``<edition>/completeness.pdf``; under ``.parts/``: ``front.pdf``, ``index.pdf``, ``chapter-*``, ``exhibits-*``,
    ``page-numbers-*`` (or ``overlay*``), ``completeness-*`` / ``report-*`` (head or front, warnings, or one per
    incident), and a part named after an incident (``<incident>.pdf``, ``brief-<incident>.pdf``,
    ``engine-<incident>.pdf``): a brief part. ``incidents`` (the case's ids) tells a brief part by its name."""
    parts = rel.split("/")
    name = parts[-1]
    stem = name.rsplit(".", 1)[0]
    if name.endswith(".json"):
        return "data"
    if parts[0] == "submissions":
        return "submission"
    if parts[0] != ".parts":
        return {"case-dossier.pdf": "dossier", "completeness.pdf": "completeness"}.get(name, "brief")
    if len(parts) > 1 and parts[1] == "submissions":
        return "submission part"
    if stem.startswith(("page-numbers", "overlay")):
        return "overlay"
    if stem.startswith(("completeness", "report")):
        rest = stem.split("-", 1)[1] if "-" in stem else ""
        if rest.startswith(("head", "front")) or not rest:
            return "completeness head part"
        if rest.startswith("warning") or rest == "case":
            return "completeness warnings part"
        return "completeness incident part"
    if stem.startswith("front"):
        return "dossier front part"
    if stem.startswith("index"):
        return "dossier index part"
    if stem.startswith("chapter"):
        return "dossier chapter part"
    if stem.startswith("exhibits"):
        return "dossier exhibits part"
    bare = re.sub(r"^(brief|engine)-", "", stem)
    if bare in incidents or stem.startswith(("brief", "engine")):
        return "brief part"
    return "part (unclassified)"


def by_engine(kind: str, kinds: set[str]) -> str:
    """Whether a record of ``kind`` changing means an engine call, given every kind in the state file: a brief
    or a completeness report finished from parts of its own (the new layout) is joined, stamped and given its
    manifest without the engine; the case dossier is always assembled from parts."""
    if kind == "brief":
        return "no: finished from its part" if "brief part" in kinds else "yes"
    if kind == "completeness":
        return "no: joined from its parts" if any(k.startswith("completeness ") for k in kinds) else "yes"
    if kind in ("dossier", "data", "submission"):
        return "no: assembled" if kind == "dossier" else "no"
    return "yes"


def incident_of(rel: str, incidents: frozenset[str] | set[str]) -> str | None:
    """The incident a brief or brief part is of (its file name holds the incident id), or None."""
    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    found = [i for i in incidents if i == stem or stem.endswith("-" + i) or stem.startswith(i + "-")]
    return max(found, key=len) if found else None


# --------------------------------------------------------------------------------------------------------------
# Helpers run in a fresh interpreter (scale.py --helper NAME ...)

def _helper_raw(workspace: str, incident: str, sample: str, seed: str) -> dict:
    """Raw WeasyPrint, sequentially, after one untimed warm-up render: the incident's own briefs, the full
    build's anchor (a stratified sample of any kind with more than ``sample`` jobs; 0: every job) and the job
    with the most HTML. Also the HTML size of every planned job (to find the largest engine call)."""
    ids = frozenset(incident_ids(Path(workspace)))
    k, rng = int(sample), random.Random(int(seed))
    info: dict = {}

    def select(jobs):
        # once each: a part shared by two outputs (a brief's part in the case dossier) is one engine call
        unique: dict[str, object] = {}
        for _k, job in jobs:
            unique.setdefault(bench_name(job), job)
        named = [(kind_of(name, ids), job) for name, job in unique.items()]
        info["planned"] = [{"name": bench_name(job), "kind": kind, "html_bytes": len(job.html.encode())}
                           for kind, job in named]
        own = [j for kind, j in named if kind in ("brief", "brief part") and incident_of(bench_name(j), ids) == incident]
        chosen: dict[str, object] = {bench_name(j): j for j in own}
        strata: dict[str, dict] = {}
        for kind in ANCHOR_KINDS:
            of_kind = [j for kd, j in named if kd == kind]
            if not of_kind:
                continue
            if k and len(of_kind) > k:
                by_edition: dict[str, list] = {}
                for j in of_kind:
                    by_edition.setdefault(j.edition, []).append(j)
                editions = sorted(by_edition)
                share = {e: k // len(editions) + (1 if n < k % len(editions) else 0) for n, e in enumerate(editions)}
                picked = [j for e in editions for j in rng.sample(by_edition[e], min(share[e], len(by_edition[e])))]
                strata[kind] = {e: {"jobs": len(by_edition[e]), "sampled": [bench_name(j) for j in picked
                                                                            if j.edition == e]} for e in editions}
            else:
                picked = of_kind
                strata[kind] = {"all": {"jobs": len(of_kind), "sampled": [bench_name(j) for j in of_kind]}}
            chosen.update((bench_name(j), j) for j in picked)
        if named:
            largest = max((j for _kd, j in named), key=lambda j: len(j.html))
            chosen[bench_name(largest)] = largest
            info["largest"] = bench_name(largest)
        info["strata"] = strata
        info["own"] = [bench_name(j) for j in own]
        return [("", j) for j in chosen.values()], []

    result = bench._helper_raw_weasyprint(workspace, select=select, warm=True)
    return {**result, **info}


PHASES = (
    ("load the workspace", "dossier/loading/workspace.py", "load_case"),
    ("each edition's view and analysis", "dossier/pipeline/session.py", "edition"),
    ("the briefs: scope, key, kept plan read back or prepared", "dossier/pipeline/memo.py", "brief"),
    ("completeness.json", "dossier/rendering/report.py", "report_json"),
    ("all template rendering (the briefs prepared anew, fronts, index, report sections)", "dossier/rendering/templates.py", "render"),
    ("state: the sha256 of every output and part on disk", "dossier/pipeline/state.py", "file_sha256"),
    ("render the parts that changed", "dossier/pipeline/executor.py", "render"),
    ("assemble the documents that changed", "dossier/pipeline/executor.py", "assemble"),
)
"""Where a rebuild's time goes: (what, file, function), cumulative time under cProfile."""


def _helper_phases(workspace: str) -> dict:
    """One ``dossier build --quiet --jobs 1`` in this process under cProfile: the share of each phase (cProfile
    slows Python code down, so the shares are the figure, not the seconds)."""
    import cProfile
    import os
    import pstats
    import time

    os.chdir(workspace)
    from dossier.cli import main as cli

    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    try:
        cli(["build", "--quiet", "--jobs", "1"])
    except SystemExit:
        pass
    profile.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    found = {}
    for what, path, name in PHASES:
        found[what] = sum(v[3] for (file, _line, func), v in stats.items() if file.endswith(path) and func == name)
    return {"profiled_wall": wall, "phases": found}


def incident_ids(ws: Path) -> list[str]:
    """The case's incident ids, from its incident files (without loading the case)."""
    import yaml

    found = []
    for path in sorted((ws / "evidence" / "incidents").rglob("*.y*ml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found.append(data["id"])
    return found


def bench_name(job) -> str:
    return getattr(job, "rel", None) or f"{job.edition}/{job.name}"


def _helper_plan_memory(workspace: str) -> dict:
    """Load the case and plan every edition (every job prepared and keyed), rendering nothing."""
    import resource
    import time

    start = time.perf_counter()
    from dossier.pipeline.session import load
    case = load(Path(workspace))
    loaded = time.perf_counter()
    jobs, notes = bench._plan_jobs(case)
    keys = {job.key() for _kind, job in jobs}
    return {"load_s": loaded - start, "plan_s": time.perf_counter() - loaded, "jobs": len(jobs), "keys": len(keys),
            "notes": notes, "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


HELPERS = {"raw": _helper_raw, "plan-memory": _helper_plan_memory, "phases": _helper_phases}


# --------------------------------------------------------------------------------------------------------------
# The measurements

def records(out: Path) -> dict[str, tuple[str, str]]:
    """The state file's records: path under out/ -> (render key, sha256 of the bytes written)."""
    try:
        data = json.loads((out / ".dossier-state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = {}
    for rel, entry in (data.get("outputs") or {}).items():
        if isinstance(entry, dict):
            found[rel] = (str(entry.get("key")), str(entry.get("sha256")))
    return found


def rerendered(before: dict[str, tuple[str, str]], after: dict[str, tuple[str, str]]) -> list[dict]:
    """Records new, or whose key or sha256 changed (and why)."""
    changed = []
    for rel, (key, sha) in sorted(after.items()):
        old = before.get(rel)
        if old != (key, sha):
            why = "new" if old is None else "+".join(w for w, a, b in (("key", old[0], key), ("sha256", old[1], sha))
                                                     if a != b)
            changed.append({"rel": rel, "why": why})
    return changed


def edited_item(ws: Path) -> Path:
    """A public item (not a witness statement: every edition shows it) of the middle incident, or the nearest,
    that concerns that incident alone (an edit to it touches one incident's briefs)."""
    import yaml

    folders = sorted(p for p in (ws / "evidence" / "items").iterdir() if p.is_dir())
    middle = len(folders) // 2
    for folder in sorted(folders, key=lambda p: abs(folders.index(p) - middle)):
        for path in sorted(folder.glob("*.yaml")):
            item = yaml.safe_load(path.read_text(encoding="utf-8"))
            if item.get("confidentiality") == "public" and item.get("type") != "witness_statement" \
                    and len(item.get("incidents") or ()) == 1 and "summary" in item:
                return path
    raise SystemExit("benchmark: no public single-incident item to edit")


def _build(ws: Path, what: str) -> bench.Run:
    run = bench.check(bench.measure([*bench.dossier_cmd(), "build", "--workspace", str(ws)], sample_tree=True), what)
    run.counts = bench._counts(run)  # type: ignore[attr-defined]
    return run


def _figures(run: bench.Run) -> dict:
    return {"wall": run.wall, "cpu": (run.user or 0) + (run.sys or 0), "max_mb": (run.maxrss_kb or 0) / 1024,
            "tree_mb": (run.tree_peak_kb or 0) / 1024, "counts": run.counts}  # type: ignore[attr-defined]


def measure_all(args) -> dict:
    work = args.workdir or Path(tempfile.mkdtemp(prefix="dossier-scale-"))
    ws = work / "scale"
    shutil.rmtree(ws, ignore_errors=True)
    items = args.incidents * args.items
    bench.log(f"generating the case: {args.incidents} incidents, {items} items in {ws}")
    make_case(ws, args.incidents, items, args.seed)
    bench.check(bench.measure([*bench.dossier_cmd(), "validate", "--workspace", str(ws), "--quiet"]), "validate")
    res: dict = {"incidents": args.incidents, "items": items, "incident_ids": incident_ids(ws), "seed": args.seed, "sample": args.sample,
                 "machine": bench.machine_description(), "capacity": {}}
    res["capacity"]["before the full build"] = bench.capacity("before the full build")
    bench.log("full cold build (default --jobs)")
    full = _build(ws, "full build")
    res["full"] = _figures(full)
    built = records(ws / "out")
    res["built"] = sorted(built)
    bench.log(f"    {full.wall:.1f} s, {len(built)} records in the state file")
    noops = []
    for n in range(3):
        noops.append(_figures(_build(ws, "no-op rebuild")))
        bench.log(f"    no-op {n + 1}/3: {noops[-1]['wall']:.2f} s")
    res["noop"] = noops
    item = edited_item(ws)
    res["item"], res["incident"] = item.relative_to(ws).as_posix(), item.parent.name.upper()
    edits = []
    for n in range(1, args.edit_runs + 1):
        before = records(ws / "out")
        bench._edit_summary(item, n)
        run = _build(ws, "one-item-edit rebuild")
        edits.append({**_figures(run), "rerendered": rerendered(before, records(ws / "out"))})
        bench.log(f"    edit {n}/{args.edit_runs}: {run.wall:.2f} s, {len(edits[-1]['rerendered'])} records changed")
    res["edit"] = edits
    bench.log("where a no-op and a one-item edit spend their time (one profiled build each, --jobs 1)")
    res["phases"] = {"no-op": bench.helper("phases", str(ws), script=__file__)}
    item = bench._public_item(ws)
    bench._edit_summary(item, args.edit_runs + 1)
    res["phases"]["one-item edit"] = bench.helper("phases", str(ws), script=__file__)
    res["capacity"]["before the raw anchor"] = bench.capacity("before the raw anchor")
    bench.log(f"raw WeasyPrint anchors (sample {args.sample or 'none: every job'})")
    res["raw"] = bench.helper("raw", str(ws), res["incident"], str(args.sample), str(args.seed), script=__file__)
    if args.plan_items:
        mem = work / "plan-memory"
        shutil.rmtree(mem, ignore_errors=True)
        total = args.incidents * args.plan_items
        bench.log(f"planning memory: {args.incidents} incidents, {total} items")
        make_case(mem, args.incidents, total, args.seed)
        run = bench.check(bench.measure([PYTHON, str(Path(__file__).resolve()), "--helper", "plan-memory", str(mem)]),
                          "planning memory")
        res["plan"] = {"items": total, "maxrss_kb": run.maxrss_kb, "wall": run.wall,
                       **json.loads(run.stdout.strip().splitlines()[-1])}
        shutil.rmtree(mem, ignore_errors=True)
    res["capacity"]["after"] = bench.capacity("after the measurements")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return res


# --------------------------------------------------------------------------------------------------------------
# The section of BENCHMARKS.md

def anchor_estimate(raw: dict) -> tuple[float, bool, list[str]]:
    """The full build's anchor in seconds (extrapolated stratum by stratum), whether any part of it was
    extrapolated, and a sentence per kind saying how it was found."""
    seconds = {j["name"]: j["seconds"] for j in raw["jobs"]}
    total, extrapolated, how = 0.0, False, []
    for kind, strata in raw["strata"].items():
        est, jobs, sampled = 0.0, 0, 0
        for stratum in strata.values():
            times = [seconds[n] for n in stratum["sampled"] if n in seconds]
            if times:
                est += sum(times) / len(times) * stratum["jobs"]
            jobs, sampled = jobs + stratum["jobs"], sampled + len(times)
        total += est
        if sampled < jobs:
            extrapolated = True
            per = ", ".join(f"{e} {len(s['sampled'])} of {s['jobs']}" for e, s in strata.items())
            how.append(f"{kind}: {jobs} jobs, estimated from a random sample of {sampled} stratified by edition "
                       f"({per}) as {est:.1f} s")
        else:
            how.append(f"{kind}: {jobs} jobs, all rendered, {est:.1f} s")
    return total, extrapolated, how


def verdict(ok: bool, how: str) -> str:
    return "met" if ok else f"missed ({how})"


def section(res: dict) -> str:
    ids = frozenset(res.get("incident_ids", ()))
    raw, full = res["raw"], res["full"]
    seconds = {j["name"]: j["seconds"] for j in raw["jobs"]}
    own = sum(seconds.get(n, 0.0) for n in raw["own"])
    noop = bench.median([r["wall"] for r in res["noop"]]) or 0.0
    edit = bench.median([r["wall"] for r in res["edit"]]) or 0.0
    anchor, extrapolated, how = anchor_estimate(raw)
    planned = sorted(raw["planned"], key=lambda j: -j["html_bytes"])
    largest = next((j for j in planned if j["name"] == raw.get("largest")), planned[0] if planned else None)
    whole = [j["name"] for j in planned if j["kind"] == "completeness"]
    lines = ["## Scale", "",
             f"`benchmarks/scale.py` (or `benchmarks/run.py --scale`), {res['machine']['date']}: {res['incidents']} "
             f"incidents, {res['items']:,} items ({res['items'] // res['incidents']} per incident), three editions, "
             f"generated by `benchmarks/synth.py` (seed {res['seed']}); every build with the default `--jobs` "
             f"({res['machine']['cores']} cores). Wall-clock seconds of whole processes. The anchors are bare "
             "WeasyPrint (`HTML(...).write_pdf()`, no PDF/A, no attachment) on the HTML and CSS the build plans, "
             "sequentially in one process after one untimed warm-up render.", "",
             "| goal | figure | anchor | ratio | verdict |", "|---|---|---|---|---|"]
    e = edit / own if own else float("inf")
    lines.append(f"| one-item edit: at most {GOALS['edit']:.0f}x the anchor | {edit:.2f} s (median of "
                 f"{len(res['edit'])}) | {own:.2f} s: the incident's own {len(raw['own'])} briefs alone | {e:.2f}x | "
                 f"{verdict(e <= GOALS['edit'], f'{e:.2f}x')} |")
    lines.append(f"| no-op rebuild: at most {GOALS['noop_s']:.0f} s | {noop:.2f} s (median of {len(res['noop'])}) | | | "
                 f"{verdict(noop <= GOALS['noop_s'], f'{noop:.2f} s')} |")
    b = full["wall"] / anchor if anchor else float("inf")
    lines.append(f"| full cold build: at most {GOALS['build']}x the anchor | {full['wall']:.1f} s ({full['cpu']:.0f} s "
                 f"CPU, tree peak {full['tree_mb']:,.0f} MiB) | {anchor:.0f} s: briefs and completeness reports"
                 f"{' (extrapolated from a sample, below)' if extrapolated else ''} | {b:.2f}x | "
                 f"{verdict(b <= GOALS['build'], f'{b:.2f}x')} |")
    if "plan" in res:
        pm = res["plan"]
        got = (pm["maxrss_kb"] or 0) * 1024
        lines.append(f"| planning {pm['items']:,} items: peak memory under 1 GB ({GOALS['plan_bytes'] / MIB:.0f} MiB) "
                     f"| {got / MIB:,.0f} MiB | | | {verdict(got < GOALS['plan_bytes'], f'{got / MIB:,.0f} MiB')} |")
    if largest is not None:
        big_s = seconds.get(largest["name"])
        share = big_s / full["wall"] if big_s is not None and full["wall"] else None
        ok = not whole and share is not None and share <= 0.1
        lines.append(f"| no document that grows with the case is one engine call | largest call `{largest['name']}` "
                     f"({largest['kind']}), {largest['html_bytes'] / 1024:,.0f} KB of HTML, "
                     f"{bench.s(big_s)} | full build {full['wall']:.1f} s | "
                     f"{'n/a' if share is None else f'{share:.3f}x'} | "
                     f"{verdict(ok, 'the completeness report is one call' if whole else 'over 0.1x the build')} |")
    cap = "; ".join(f"{k}: {v:.2f}" for k, v in res["capacity"].items())
    lines += ["", f"Machine load: cores this benchmark could get (one busy process per core for 2 s, CPU time given "
              f"over wall time; {res['machine']['cores']:.2f} on an idle machine): {cap}. "
              f"{res['machine']['cpu']}, WeasyPrint {res['machine']['weasyprint']}, Python {res['machine']['python']}.", ""]
    lines.append("Anchor of the full build: " + "; ".join(how) + ".")
    if extrapolated:
        lines.append(f"The sample (`--sample {res['sample']}`, seed {res['seed']}) is extrapolated edition by edition: "
                     "the mean of the sampled jobs times the number of jobs of that edition.")
    lines += ["", "Largest engine calls of the full build (HTML size; seconds where the anchor rendered them): " +
              ", ".join(f"`{j['name']}` ({j['kind']}, {j['html_bytes'] / 1024:,.0f} KB"
                        + (f", {seconds[j['name']]:.2f} s" if j["name"] in seconds else "") + ")" for j in planned[:5])
              + "." + (f" The completeness report is rendered whole: {', '.join(f'`{n}`' for n in whole)}."
                       if whole else ""), ""]
    first = res["edit"][0]["rerendered"]
    kinds: dict[str, list[dict]] = {}
    for r in first:
        kinds.setdefault(kind_of(r["rel"], ids), []).append(r)
    counts = ", ".join(str(len(r["rerendered"])) for r in res["edit"])
    lines += [f"Re-rendered by the one-item edit (`{res['item']}`, incident {res['incident']}, public: every edition "
              f"shows it): the records of `out/.dossier-state.json` that are new or whose key or sha256 changed, "
              f"after the first edit (records changed in each of the {len(res['edit'])} edits: {counts}); edit walls "
              + ", ".join(f"{r['wall']:.2f}" for r in res["edit"]) + " s; no-op walls "
              + ", ".join(f"{r['wall']:.2f}" for r in res["noop"]) + " s."
              + (" The build's own summary of the first edit: {rendered} rendered, {unchanged} unchanged, {failed} "
                 "failed.".format(**res["edit"][0]["counts"]) if res["edit"][0].get("counts") else ""), "",
              "| kind | count | engine call | outputs and parts (what changed) |", "|---|---|---|---|"]
    present = {kind_of(rel, ids) for rel in res.get("built", ())}
    calls = 0
    for kind, rows in sorted(kinds.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        engine = by_engine(kind, present)
        calls += len(rows) if engine == "yes" else 0
        lines.append(f"| {kind} | {len(rows)} | {engine} | "
                     + ", ".join(f"`{r['rel']}` ({r['why']})" for r in rows) + " |")
    if not first:
        lines.append("| (nothing) | 0 | | |")
    lines += ["", f"{len(first)} records changed, of which {calls} engine calls; the kinds are told by their paths "
              "(`kind_of` in `benchmarks/scale.py`)."]
    if res.get("phases"):
        lines += ["", "Where a rebuild spends its time: one `dossier build --quiet --jobs 1` of each kind, in one "
                  "process under cProfile (which slows Python code down: read the shares, not the seconds). A phase's "
                  "share is its cumulative time over the profiled wall; the briefs' line includes their HTML for "
                  "those prepared anew, the parts' line the engine.", "",
                  "| phase | " + " | ".join(res["phases"]) + " |", "|---|" + "---|" * len(res["phases"])]
        for what, _path, _name in PHASES:
            lines.append(f"| {what} | " + " | ".join(
                f"{p['phases'].get(what, 0) / p['profiled_wall']:.0%}" for p in res["phases"].values()) + " |")
        lines.append("| (profiled wall) | " + " | ".join(f"{p['profiled_wall']:.1f} s" for p in res["phases"].values())
                     + " |")
        lines += ["", *held_back(res, anchor, largest, seconds)]
    notes = [*raw.get("notes", []), *res.get("plan", {}).get("notes", [])]
    if notes:
        lines += ["", "Notes from the helpers: " + "; ".join(dict.fromkeys(notes)) + "."]
    return "\n".join(lines) + "\n"


def held_back(res: dict, anchor: float, largest: dict | None, seconds: dict[str, float]) -> list[str]:
    """What holds each missed goal back, from the phases measured (a sentence each)."""
    phases = res["phases"]
    share = {k: {what: v / p["profiled_wall"] for what, v in p["phases"].items()} for k, p in phases.items()}
    planning = ("load the workspace", "each edition's view and analysis",
                "the briefs: scope, key, kept plan read back or prepared", "completeness.json")
    noop = bench.median([r["wall"] for r in res["noop"]]) or 0.0
    out = ["What holds the goals back:", ""]
    if noop > GOALS["noop_s"] and "no-op" in share:
        out.append(f"- **No-op.** A rebuild plans every edition from the workspace before it can know that nothing "
                   f"changed: loading, the three views and their analysis, each brief's scope and key, the data "
                   f"files are {sum(share['no-op'].get(w, 0) for w in planning):.0%} of it; rendering and assembling "
                   "nothing costs the rest (the no-op was 5.6 s when issue 17 was filed; briefs are now read back, "
                   "not prepared). The next step is the analysis and the views: one per edition, each assessing "
                   "every element again.")
    if "one-item edit" in share:
        edit = share["one-item edit"]
        out.append(f"- **One-item edit.** Rendering the incident's 3 brief parts is "
                   f"{edit.get('render the parts that changed', 0):.0%} of the edit, and assembling the documents "
                   f"that rest on the item {edit.get('assemble the documents that changed', 0):.0%}: each case "
                   f"dossier and completeness report is joined again from its {res['incidents']} chapters or "
                   "sections (pikepdf copies every page and its fonts, about 3 s for a dossier of 200 briefs), "
                   "then planning as for the no-op.")
    full = res["full"]
    if anchor and full["wall"] / anchor > GOALS["build"]:
        extra = ""
        if largest is not None and largest["name"] in seconds:
            extra = (f"; the largest single call is the case dossier's exhibit index "
                     f"(`{largest['name']}`, {seconds[largest['name']]:.1f} s), one part per edition that grows "
                     "with the number of exhibits: it does not set the wall time, but it is the next part to cut")
        out.append(f"- **Full build.** {full['cpu']:.0f} s of CPU against an anchor of {anchor:.0f} s: beyond the "
                   "briefs and the report sections, the build renders the dossiers' fronts and exhibit indexes and "
                   "the page-number overlays, writes PDF/A, and assembles and attaches a manifest to "
                   f"{res['incidents'] * 3 + 6}"
                   f" documents{extra}.")
    return out


def write_section(path: Path, text: str) -> None:
    """Replace the ``## Scale`` section of ``path`` (up to the next ``## `` heading), keeping the rest."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(r"\n## Scale\n.*?(?=\n## |\Z)", flags=re.S)
    if pattern.search("\n" + old):
        new = pattern.sub(lambda _m: "\n" + text.rstrip("\n") + "\n", "\n" + old, count=1)[1:]
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=200)
    parser.add_argument("--items", type=int, default=10, help="items per incident")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sample", type=int, default=0,
                        help="render N jobs of each kind with more than N (the briefs), stratified by edition, and "
                             "extrapolate (0: render every job; 600 briefs take about 8 minutes)")
    parser.add_argument("--edit-runs", type=int, default=3, help="one-item edits, each followed by a rebuild")
    parser.add_argument("--plan-items", type=int, default=100,
                        help="items per incident for the planning-memory case (0: skip)")
    parser.add_argument("--workdir", type=Path, default=None, help="where to generate the cases (kept)")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--from-json", type=Path, default=None, help="write the section from saved figures")
    parser.add_argument("--helper", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.helper:
        name, *rest = args.helper
        print(json.dumps(HELPERS[name](*rest)))
        return 0
    if args.from_json:
        res = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        # measure an installed program: compiled byte-code, as a regular install has (as run.py does)
        subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "dossier")], check=False)
        res = measure_all(args)
        if args.json:
            args.json.write_text(json.dumps(res, indent=1), encoding="utf-8")
    text = section(res)
    write_section(args.output, text)
    bench.log(f"wrote the Scale section of {args.output}")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
