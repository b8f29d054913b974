"""The Kubernetes objects the app applies, read back from the synthesized CloudFormation templates.

The kubectl provider's custom resources carry each manifest as a JSON string, sometimes joined with
CloudFormation tokens (a secret ARN, an endpoint). Tokens become placeholder strings so the objects
can be validated as they will be applied.
"""

from __future__ import annotations

import json
from typing import Any

MANIFEST_RESOURCE_TYPES = ("Custom::AWSCDK-EKS-KubernetesResource",)
PLACEHOLDER = "TOKEN"


def _flatten(value: Any) -> str:
    """Render a (possibly tokenized) CloudFormation string value with tokens as placeholders."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(_flatten(part) for part in parts)
    return PLACEHOLDER


def applied_manifests(template: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Kubernetes object applied by a template's manifest resources, in order."""
    objects: list[dict[str, Any]] = []
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") in MANIFEST_RESOURCE_TYPES:
            manifest = json.loads(_flatten(resource["Properties"]["Manifest"]))
            objects.extend(manifest if isinstance(manifest, list) else [manifest])
    return objects


def manifest_payloads(template: dict[str, Any]) -> dict[str, int]:
    """Size in bytes of each manifest resource's payload (what the kubectl Lambda receives)."""
    return {
        logical_id: len(json.dumps(resource["Properties"]).encode())
        for logical_id, resource in template.get("Resources", {}).items()
        if resource.get("Type") in MANIFEST_RESOURCE_TYPES or resource.get("Type") == "Custom::AWSCDK-EKS-HelmChart"
    }
