"""Where information comes from: follow ``derived_from`` to the origins; group dependent items.

Two items corroborate each other only if their origin sets do not overlap. Five
outlets repeating one NGO are one source.
"""

from __future__ import annotations

from typing import Iterable

from dossier.loading.case import Case


def source_origins(case: Case) -> dict[str, frozenset[str]]:
    """For each source, the sources at the end of its ``derived_from`` chains (itself if it relays no one)."""
    memo: dict[str, frozenset[str]] = {}

    def origins(source_id: str, trail: frozenset[str]) -> frozenset[str]:
        if source_id in memo:
            return memo[source_id]
        source = case.sources.get(source_id)
        parents = [p for p in (source.derived_from if source else []) if p in case.sources and p not in trail]
        result = frozenset().union(*(origins(p, trail | {source_id}) for p in parents)) if parents else \
            frozenset({source_id})
        memo[source_id] = result
        return result

    return {sid: origins(sid, frozenset()) for sid in case.sources}


def item_origins(case: Case) -> dict[str, frozenset[str]]:
    """For each item, the origin sources of its information.

    An item that only repeats other items (``derived_from``) has their origins, not
    its own source's; otherwise its origins are those of its source.
    """
    by_source = source_origins(case)
    memo: dict[str, frozenset[str]] = {}

    def origins(item_id: str, trail: frozenset[str]) -> frozenset[str]:
        if item_id in memo:
            return memo[item_id]
        item = case.items[item_id]
        parents = [p for p in item.derived_from if p in case.items and p not in trail]
        if parents:
            result = frozenset().union(*(origins(p, trail | {item_id}) for p in parents))
        else:
            result = by_source.get(item.source, frozenset({item.source}))
        memo[item_id] = result
        return result

    import sys
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        return {item_id: origins(item_id, frozenset()) for item_id in case.items}
    finally:
        sys.setrecursionlimit(limit)


def independent_groups(item_ids: Iterable[str], origins: dict[str, frozenset[str]]) -> list[list[str]]:
    """Partition items into groups whose origin sets overlap (transitively). Order follows the input."""
    ids = list(dict.fromkeys(item_ids))
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[str, str] = {}
    for item_id in ids:
        for origin in origins.get(item_id, frozenset({item_id})):
            if origin in owner:
                a, b = find(owner[origin]), find(item_id)
                if a != b:
                    parent[b] = a
            else:
                owner[origin] = item_id
    groups: dict[str, list[str]] = {}
    for item_id in ids:
        groups.setdefault(find(item_id), []).append(item_id)
    return list(groups.values())
