"""References across the whole app: which resources a resource uses, following stack outputs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scripts.release_review.templates import references

Node = tuple[str, str]  # (stack, logical id)


class AppGraph:
    """Every reference of one side of the review (old or new templates), across stacks."""

    def __init__(self, templates: dict[str, dict[str, Any]]) -> None:
        self.templates = templates
        self._exports: dict[str, tuple[str, str]] = {}
        for stack, template in templates.items():
            for name, output in (template.get("Outputs") or {}).items():
                export = (output.get("Export") or {}).get("Name")
                if isinstance(export, str):
                    self._exports[export] = (stack, name)

    def resource(self, node: Node) -> dict[str, Any] | None:
        resource: dict[str, Any] | None = ((self.templates.get(node[0]) or {}).get("Resources") or {}).get(node[1])
        return resource

    def type_of(self, node: Node) -> str | None:
        resource = self.resource(node)
        return str(resource.get("Type")) if resource else None

    def uses(self, stack: str, value: Any) -> set[Node]:
        """The resources a template value refers to directly, outputs of other stacks resolved."""
        found: set[Node] = set()
        for ref in references(value):
            if ref[0] == "local":
                if self.resource((stack, ref[1])) is not None:
                    found.add((stack, ref[1]))
            else:
                target = (ref[1], ref[2]) if ref[0] == "output" else self._exports.get(ref[1])
                if target is None:
                    continue
                output = ((self.templates.get(target[0]) or {}).get("Outputs") or {}).get(target[1])
                if output is not None:
                    found |= self.uses(target[0], output.get("Value"))
        return found

    def closure(self, start: Node, through: Iterable[str] | None = None) -> set[Node]:
        """Everything reachable from a resource's properties; `through` limits which types are followed."""
        allowed = set(through) if through is not None else None
        seen: set[Node] = set()
        frontier = [start]
        while frontier:
            node = frontier.pop()
            resource = self.resource(node) or {}
            for used in self.uses(node[0], resource.get("Properties")):
                if used in seen or used == start:
                    continue
                seen.add(used)
                if allowed is None or self.type_of(used) in allowed:
                    frontier.append(used)
        return seen

    def users_of(self, target: Node, types: Iterable[str] | None = None) -> set[Node]:
        wanted = set(types) if types is not None else None
        result = set()
        for stack, template in self.templates.items():
            for lid, resource in (template.get("Resources") or {}).items():
                if wanted is not None and resource.get("Type") not in wanted:
                    continue
                if target in self.uses(stack, resource.get("Properties")):
                    result.add((stack, lid))
        return result
