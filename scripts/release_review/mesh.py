"""The service mesh's danger class: a release that lets more traffic through than the baseline did.

- a new edge in the reachability map (fit/reachability.py over both sides' objects: a source that can now
  reach a workload port it could not), including edges the NetworkPolicies alone admit outside the mesh;
- a loosened policy: an AuthorizationPolicy removed, a PeerAuthentication (or one of its ports) moving from
  STRICT to PERMISSIVE or DISABLE or removed while STRICT, a namespace leaving the mesh.

Each is a danger in prod (`fail`) and a warning elsewhere, like broadened IAM and security-group access;
`--accept mesh/...` lets a reviewed one through.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fit.reachability import Edge, edges, meshed_namespaces, peers, policy_namespaces
from scripts.release_review.kubernetes import ClusterState, ObjectKey
from scripts.release_review.model import DANGER, WARNING, Finding

STRICT = "STRICT"


def _objects(state: ClusterState) -> list[dict[str, Any]]:
    return [obj for _, obj in state.objects.values()]


def _alb_cidrs(objects: list[dict[str, Any]]) -> tuple[str, ...]:
    """The ALB's subnets as the app's NetworkPolicies name them (the same on both sides of a review)."""
    blocks = set()
    for obj in objects:
        if obj.get("kind") != "NetworkPolicy":
            continue
        for rule in (obj.get("spec") or {}).get("ingress") or []:
            for peer in rule.get("from") or []:
                cidr = (peer.get("ipBlock") or {}).get("cidr")
                if cidr and not cidr.startswith("169.254."):
                    blocks.add(cidr)
    return tuple(sorted(blocks))


def reachable(state: ClusterState, alb_cidrs: tuple[str, ...]) -> set[tuple[str, str, int]]:
    objects = _objects(state)
    meshed = meshed_namespaces(objects)
    scope = meshed | policy_namespaces(objects)
    found: list[Edge] = edges(
        objects, peers(alb_cidrs=alb_cidrs, prometheus_meshed=bool(meshed)), meshed=meshed, scope=scope
    )
    return {(e.source, e.target, e.port) for e in found if e.reachable}


def _modes(obj: Mapping[str, Any]) -> dict[str, str]:
    spec = obj.get("spec") or {}
    modes = {"workload": str((spec.get("mtls") or {}).get("mode", "UNSET"))}
    modes.update({f"port {port}": str(v.get("mode", "UNSET")) for port, v in (spec.get("portLevelMtls") or {}).items()})
    return modes


def mesh_findings(old: ClusterState, new: ClusterState, *, fail: bool) -> list[Finding]:
    severity = DANGER if fail else WARNING
    found: list[Finding] = []

    def add(key: str, message: str) -> None:
        found.append(Finding(severity, "mesh", f"mesh/{key}", message))

    alb = _alb_cidrs(_objects(new)) or _alb_cidrs(_objects(old))
    for source, target, port in sorted(reachable(new, alb) - reachable(old, alb)):
        add(f"{source}->{target}:{port}", f"new edge in the reachability map: {source} can now reach {target}:{port}")

    def keys(state: ClusterState, kind: str) -> dict[ObjectKey, dict[str, Any]]:
        return {key: obj for key, (_, obj) in state.objects.items() if key[0] == kind}

    old_authz, new_authz = keys(old, "AuthorizationPolicy"), keys(new, "AuthorizationPolicy")
    for key in sorted(set(old_authz) - set(new_authz)):
        add(f"{key[1]}/{key[2]}", f"AuthorizationPolicy {key[1]}/{key[2]} is removed")
    old_pa, new_pa = keys(old, "PeerAuthentication"), keys(new, "PeerAuthentication")
    for key, before in sorted(old_pa.items()):
        after = new_pa.get(key)
        for scope, mode in _modes(before).items():
            if mode != STRICT:
                continue
            now = _modes(after).get(scope, "UNSET") if after is not None else "removed"
            if now != STRICT:
                add(f"{key[1]}/{key[2]}/{scope}", f"PeerAuthentication {key[1]}/{key[2]} {scope}: STRICT -> {now}")
    left = meshed_namespaces(_objects(old)) - meshed_namespaces(_objects(new))
    for namespace in sorted(left):
        add(f"namespace/{namespace}", f"namespace {namespace} leaves the mesh: its pods lose mTLS and their policies")
    return found
