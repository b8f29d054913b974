"""The ignored-key check of `make verify-charts`: each value we set, removed in turn, must change the render.

Helm ignores a values key no template reads (a typo such as `replicaCountt`, or a key of another chart
version) without a word. Charts that generate material on every render (the AWS Load Balancer
Controller's and the CloudWatch chart's webhook certificates) are compared with that material masked.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from scripts.chart_render import key_in_defaults

MASK = "<generated on every render>"
TreePath = tuple[str, ...]


class CheckCannotRun(Exception):
    """The check could not be made for this release; the message is the line the run prints."""


def keyed_objects(objects: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Rendered objects by kind/namespace/name, so a removed or added object does not shift the others."""
    keyed: dict[str, Any] = {}
    for obj in objects:
        meta = obj.get("metadata") or {}
        base = f"{obj.get('kind')}/{meta.get('namespace', '')}/{meta.get('name')}"
        key, n = base, 1
        while key in keyed:
            n += 1
            key = f"{base}#{n}"
        keyed[key] = obj
    return keyed


def differing_paths(a: Any, b: Any, prefix: TreePath = ()) -> set[TreePath]:
    """The paths (object key first) at which two rendered trees differ; a list of another length as a whole."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        found: set[TreePath] = set()
        for key in set(a) | set(b):
            if key not in a or key not in b:
                found.add((*prefix, str(key)))
            else:
                found |= differing_paths(a[key], b[key], (*prefix, str(key)))
        return found
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return {p for i, (x, y) in enumerate(zip(a, b, strict=True)) for p in differing_paths(x, y, (*prefix, str(i)))}
    return set() if a == b else {prefix}


def _slot(node: Any, key: str) -> Any:
    """The dict key or list index `key` names in node, or None where the path does not exist."""
    if isinstance(node, dict):
        return key if key in node else None
    if isinstance(node, list) and key.isdigit() and int(key) < len(node):
        return int(key)
    return None


def masked(keyed: Mapping[str, Any], paths: set[TreePath]) -> dict[str, Any]:
    """A copy with the value at each path (where the path exists) replaced by MASK."""
    # Rendered objects are shared between renders (chart_render.rendered_documents): copy only those masked.
    result = dict(keyed)
    for name in {path[0] for path in paths if path and path[0] in result}:
        result[name] = copy.deepcopy(result[name])
    for path in paths:
        node: Any = result
        for depth, key in enumerate(path, start=1):
            slot = _slot(node, key)
            if slot is None:
                break
            if depth == len(path):
                node[slot] = MASK
            else:
                node = node[slot]
    return result


def _shown(paths: set[TreePath], limit: int = 3) -> str:
    shown = sorted("/".join(p) for p in paths)
    return ", ".join(shown[:limit]) + (f" and {len(shown) - limit} more" if len(shown) > limit else "")


def leaf_paths(values: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for key, value in values.items():
        path = (*prefix, str(key))
        if isinstance(value, Mapping) and value:
            yield from leaf_paths(value, path)
        else:
            yield path


def without(values: Mapping[str, Any], path: Sequence[str]) -> dict[str, Any]:
    copied = copy.deepcopy(dict(values))
    node = copied
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return copied


def _get(values: Mapping[str, Any], path: Sequence[str]) -> Any:
    node: Any = values
    for key in path:
        node = node[key]
    return node


def ineffective_values(
    values: Mapping[str, Any],
    render: Callable[[Mapping[str, Any]], list[dict[str, Any]]],
    defaults: Mapping[str, Any],
) -> tuple[list[str], list[str]]:
    """(findings, notes): each value we set whose removal leaves the render unchanged.

    A subtree that changes nothing is split into its leaves; one that does is searched key by key. A
    leaf the chart's values.yaml does not have is a finding (Helm ignores unknown keys silently: a
    typo, or a key of another chart version). One it has is a note: restating the default pins it, and
    some keys act only outside a render (test hooks, upgrades), which this check cannot see.

    Renders are compared with what the chart generates on every render (certificates, keys, their
    checksums) masked: the fields two renders of the same values disagree on. A third render that still
    differs means the comparison cannot work: CheckCannotRun, never a silent pass.
    """
    first = keyed_objects(render(values))
    generated = differing_paths(first, keyed_objects(render(values)))
    baseline = masked(first, generated)
    notes: list[str] = []
    if generated:
        third = masked(keyed_objects(render(values)), generated)
        if third != baseline:
            raise CheckCannotRun(
                f"ignored-key check SKIPPED: the chart renders differently every time, beyond the "
                f"{len(generated)} generated fields masked ({_shown(differing_paths(baseline, third))})"
            )
        notes.append(
            f"ignored-key check: {len(generated)} fields generated on every render masked ({_shown(generated)})"
        )
    findings: list[str] = []

    def changed_by_removing(path: tuple[str, ...]) -> bool:
        try:
            return masked(keyed_objects(render(without(values, path))), generated) != baseline
        except Exception:  # the chart requires it (a `required` or `fail`): it certainly matters
            return True

    def visit(prefix: tuple[str, ...]) -> None:
        node = _get(values, prefix) if prefix else values
        for key in node:
            path = (*prefix, str(key))
            if changed_by_removing(path):
                child = node[key]
                if isinstance(child, Mapping) and child:
                    visit(path)
                continue
            child = node[key]
            for leaf in leaf_paths(child, path) if isinstance(child, Mapping) and child else [path]:
                dotted = ".".join(leaf)
                present, default = key_in_defaults(leaf, defaults)
                if not present:
                    findings.append(f"value {dotted}: not a key of the chart's values.yaml; changes nothing (ignored)")
                elif default == _get(values, leaf):
                    notes.append(f"value {dotted}: restates the chart default")
                else:
                    notes.append(f"value {dotted}: changes nothing in the render (chart default {default!r})")

    visit(())
    return findings, notes
