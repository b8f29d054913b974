"""Resources found by what they are (type and telling properties), never by their hashed logical ID.

A logical ID is the construct path plus a hash: a harmless refactor changes it. Tests locate a resource
by meaning with `Locator`; tests/test_logical_ids.py alone asserts the IDs that must never change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aws_cdk.assertions import Template


def matches(pattern: Any, value: Any) -> bool:
    """Match.object_like semantics in plain Python (the templates are dicts; a jsii Template per lookup is slow):
    a dict pattern needs its keys, recursively; a list pattern needs each of its items somewhere in the list."""
    if isinstance(pattern, Mapping):
        return isinstance(value, Mapping) and all(k in value and matches(v, value[k]) for k, v in pattern.items())
    if isinstance(pattern, list):
        return isinstance(value, list) and all(any(matches(p, v) for v in value) for p in pattern)
    return bool(pattern == value)


def name_tag(value: str) -> dict[str, list[dict[str, str]]]:
    """The properties pattern of a resource carrying this Name tag."""
    return {"Tags": [{"Key": "Name", "Value": value}]}


@dataclass(frozen=True)
class Locator:
    """One resource of a template: its type and the properties that tell it apart from its siblings."""

    type: str
    properties: Mapping[str, Any] = field(default_factory=dict)

    def find(self, template: Mapping[str, Any] | Template) -> dict[str, dict[str, Any]]:
        resources = (template.to_json() if isinstance(template, Template) else template)["Resources"]
        return {
            lid: r
            for lid, r in resources.items()
            if r["Type"] == self.type and matches(self.properties, r.get("Properties", {}))
        }

    def id(self, template: Mapping[str, Any] | Template) -> str:
        """The logical ID of the one matching resource (a test fails if none or several match)."""
        found = self.find(template)
        assert len(found) == 1, f"{len(found)} {self.type} match {dict(self.properties)}: {sorted(found)}"
        return next(iter(found))

    def resource(self, template: Mapping[str, Any] | Template) -> dict[str, Any]:
        (resource,) = self.find(template).values()
        return resource

    def props(self, template: Mapping[str, Any] | Template) -> dict[str, Any]:
        properties: dict[str, Any] = self.resource(template)["Properties"]
        return properties

    def ref(self, template: Mapping[str, Any] | Template) -> dict[str, str]:
        return {"Ref": self.id(template)}

    def get_att(self, template: Mapping[str, Any] | Template, attribute: str) -> dict[str, list[str]]:
        return {"Fn::GetAtt": [self.id(template), attribute]}
