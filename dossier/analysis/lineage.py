"""Where information comes from: follow ``derived_from`` to the origins; group dependent items.

Two items corroborate each other only if their origin sets do not overlap. Five
outlets repeating one NGO are one source.
"""

from __future__ import annotations

from collections.abc import Iterable

from dossier.models.loaded import Case


def source_origins(case: Case) -> dict[str, frozenset[str]]:
    """For each source, the sources at the end of its ``derived_from`` chains (itself if it relays no one)."""
    memo: dict[str, frozenset[str]] = {}
    return {sid: _source_origins(case, memo, sid, frozenset()) for sid in case.sources}


def _source_origins(case: Case, memo: dict[str, frozenset[str]], source_id: str,
                    trail: frozenset[str]) -> frozenset[str]:
    # a module function, not a closure calling itself: such a closure is a reference cycle that would keep the
    # whole case alive until the cyclic collector finds it (a third of a second for 10,000 items)
    if source_id in memo:
        return memo[source_id]
    source = case.sources.get(source_id)
    parents = [p for p in (source.derived_from if source else []) if p in case.sources and p not in trail]
    result = frozenset().union(*(_source_origins(case, memo, p, trail | {source_id}) for p in parents)) \
        if parents else frozenset({source_id})
    memo[source_id] = result
    return result


def item_origins(case: Case) -> dict[str, frozenset[str]]:
    """For each item, the origin sources of its information.

    An item that only repeats other items (``derived_from``) has their origins, not
    its own source's; otherwise its origins are those of its source.
    """
    by_source = source_origins(case)
    memo: dict[str, frozenset[str]] = {}

    import sys
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        return {item_id: _item_origins(case, by_source, memo, item_id, frozenset()) for item_id in case.items}
    finally:
        sys.setrecursionlimit(limit)


def _item_origins(case: Case, by_source: dict[str, frozenset[str]], memo: dict[str, frozenset[str]], item_id: str,
                  trail: frozenset[str]) -> frozenset[str]:
    if item_id in memo:
        return memo[item_id]
    item = case.items[item_id]
    parents = [p for p in item.derived_from if p in case.items and p not in trail]
    if parents:
        result = frozenset().union(*(_item_origins(case, by_source, memo, p, trail | {item_id}) for p in parents))
    else:
        result = by_source.get(item.source, frozenset({item.source}))
    memo[item_id] = result
    return result


def independent_groups(item_ids: Iterable[str], origins: dict[str, frozenset[str]]) -> list[list[str]]:
    """Group items into independent sources: the most items whose origin sets are pairwise disjoint.

    Items with overlapping origins cannot corroborate each other, so each chosen
    group's origins are disjoint from every other group's; every other item joins
    the first group it shares an origin with. The groups come in the order of their first item. A relay that cites two independent
    origins does not merge them: Amnesty and HRW stay two sources when a newspaper
    quotes both. Five outlets repeating one NGO stay one source. The choice is the
    exact maximum for up to 20 distinct origin sets (always the case in practice),
    else a greedy one that prefers the narrowest origin sets.
    """
    ids = list(dict.fromkeys(item_ids))
    by_set: dict[frozenset[str], list[str]] = {}
    for item_id in ids:
        by_set.setdefault(origins.get(item_id, frozenset({item_id})), []).append(item_id)
    sets = sorted(by_set, key=lambda s: (len(s), sorted(s)))
    chosen = _max_disjoint(sets) if len(sets) <= 20 else _greedy_disjoint(sets)
    groups: dict[frozenset[str], list[str]] = {s: [] for s in chosen}
    owner = {origin: n for n, s in enumerate(chosen) for origin in s}  # chosen sets are disjoint
    for item_id in ids:
        mine = origins.get(item_id, frozenset({item_id}))
        homes = [owner[o] for o in mine if o in owner]
        groups[chosen[min(homes) if homes else 0]].append(item_id)
    position = {item_id: n for n, item_id in enumerate(ids)}
    return sorted((g for g in groups.values() if g), key=lambda g: position[g[0]])  # in input order


def _greedy_disjoint(sets: list[frozenset[str]]) -> list[frozenset[str]]:
    chosen: list[frozenset[str]] = []
    used: set[str] = set()
    for s in sets:
        if not (s & used):
            chosen.append(s)
            used |= s
    return chosen


def _max_disjoint(sets: list[frozenset[str]]) -> list[frozenset[str]]:
    """Exact maximum set packing by branch and bound (sets sorted narrowest first)."""
    best: list[frozenset[str]] = _greedy_disjoint(sets)

    def search(start: int, used: frozenset[str], picked: list[frozenset[str]]) -> None:
        nonlocal best
        if len(picked) + (len(sets) - start) <= len(best):
            return
        for i in range(start, len(sets)):
            if len(picked) + (len(sets) - i) <= len(best):
                return
            s = sets[i]
            if not (s & used):
                picked.append(s)
                if len(picked) > len(best):
                    best = list(picked)
                search(i + 1, used | s, picked)
                picked.pop()

    search(0, frozenset(), [])
    return best
