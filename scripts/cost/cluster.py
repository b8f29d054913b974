"""What the cluster objects a stack applies will bill outside CloudFormation: the ALBs the load-balancer
controller creates for Ingresses, and the EBS volumes behind persistent volume claims (Helm values too).

Manifests and Helm values reach the templates as JSON strings, sometimes joined around deploy-time tokens
(`Fn::Join`); a token becomes the string TOKEN, which never matters for what is priced here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

TOKEN = "TOKEN"
GIB = re.compile(r"^(\d+(?:\.\d+)?)(Gi|G|Ti|T|Mi|M)$")
GIB_FACTORS = {"Gi": 1.0, "G": 1.0, "Ti": 1024.0, "T": 1000.0, "Mi": 1 / 1024, "M": 1 / 1000}
GROUP = "alb.ingress.kubernetes.io/group.name"
SCHEME = "alb.ingress.kubernetes.io/scheme"


def decoded(value: Any) -> Any:
    """A manifest or Helm values document as data; None when it cannot be read."""
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        for stand_in in (TOKEN, json.dumps(TOKEN)):
            text = separator.join(p if isinstance(p, str) else stand_in for p in parts)
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                continue
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return None
    return value


def gib(size: Any) -> float | None:
    match = GIB.match(str(size))
    return float(match.group(1)) * GIB_FACTORS[match.group(2)] if match else None


@dataclass(frozen=True)
class LoadBalancer:
    name: str  # the Ingress group, or namespace/name of a lone Ingress
    internet_facing: bool


@dataclass(frozen=True)
class Volume:
    name: str
    size_gib: float
    storage_class: str


def load_balancers(objects: list[Any]) -> list[LoadBalancer]:
    """One ALB per Ingress group (or per lone Ingress) of class alb."""
    found: dict[str, LoadBalancer] = {}
    for obj in objects:
        if not isinstance(obj, dict) or obj.get("kind") != "Ingress":
            continue
        meta = obj.get("metadata") or {}
        annotations = meta.get("annotations") or {}
        spec = obj.get("spec") or {}
        if spec.get("ingressClassName") != "alb" and annotations.get("kubernetes.io/ingress.class") != "alb":
            continue
        name = annotations.get(GROUP) or f"{meta.get('namespace', 'default')}/{meta.get('name')}"
        found[name] = LoadBalancer(name, annotations.get(SCHEME, "internal") == "internet-facing")
    return list(found.values())


def claims(objects: list[Any]) -> list[Volume]:
    """PersistentVolumeClaims and StatefulSet claim templates (times replicas)."""
    out: list[Volume] = []
    for obj in objects:
        if not isinstance(obj, dict):
            continue
        name = f"{(obj.get('metadata') or {}).get('namespace', 'default')}/{(obj.get('metadata') or {}).get('name')}"
        if obj.get("kind") == "PersistentVolumeClaim":
            out.extend(_claim(name, obj.get("spec") or {}, 1))
        elif obj.get("kind") == "StatefulSet":
            spec = obj.get("spec") or {}
            for template in spec.get("volumeClaimTemplates") or []:
                out.extend(_claim(name, template.get("spec") or {}, int(spec.get("replicas", 1))))
    return out


def _claim(name: str, spec: dict[str, Any], copies: int) -> Iterator[Volume]:
    size = gib(((spec.get("resources") or {}).get("requests") or {}).get("storage"))
    if size is not None:
        yield Volume(name, size * copies, str(spec.get("storageClassName") or "default"))


def helm_volumes(chart: str, values: Any, path: str = "") -> Iterator[Volume]:
    """Enabled persistence blocks of a chart's values ({enabled: true, size: 20Gi, storageClass: ...})."""
    if isinstance(values, dict):
        if values.get("enabled") is True and gib(values.get("size")) is not None:
            yield Volume(f"{chart}{path}", gib(values["size"]) or 0.0, str(values.get("storageClass") or "default"))
        for key, value in values.items():
            yield from helm_volumes(chart, value, f"{path}.{key}")


def storage_classes(objects: list[Any]) -> dict[str, str]:
    """EBS StorageClasses by name: the volume type they provision (gp3, gp2, io2, ...)."""
    out: dict[str, str] = {}
    for obj in objects:
        if isinstance(obj, dict) and obj.get("kind") == "StorageClass" and obj.get("provisioner") == "ebs.csi.aws.com":
            out[str((obj.get("metadata") or {}).get("name"))] = str((obj.get("parameters") or {}).get("type", "gp3"))
    return out
