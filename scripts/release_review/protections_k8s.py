"""Weakened protections the cluster's objects carry: the ALB's TLS floor, HPA minimums, disruption budgets.

The ALB is not in any template: the AWS Load Balancer Controller builds it from the Ingress's
annotations (listen ports, ssl-redirect, ssl-policy, backend protocol), so its TLS floor is read there.
The rules are a table (`RULES`) keyed by object kind, as `protections.RULES` is by resource type.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from scripts.release_review.kubernetes import ClusterState
from scripts.release_review.model import DANGER, WARNING, Finding
from scripts.release_review.templates import short

Obj = dict[str, Any]
Rule = Callable[[Obj, Obj | None], Iterator[str]]
ANNOTATION = "alb.ingress.kubernetes.io/"
# ELBSecurityPolicy-<family>-1-<minimum TLS minor>-<variant>-...: the minimum protocol is in the name; among
# equal minimums the cipher set narrows from Ext/Ext2 over Ext1 to the plain and the Res(tricted) policy.
# The dated 2015-05/2016-08 policies start at TLS 1.0 with legacy ciphers. FIPS/PQ suffixes keep the floor.
SSL_POLICY = re.compile(
    r"^ELBSecurityPolicy-(?:(?P<family>TLS13|TLS|FS)-(?:1-(?P<tls>[0-3])-)?(?P<variant>Res|Ext1|Ext2|Ext)?|20\d\d-\d\d$)"
)
CIPHERS = {"TLS13": {"Res": 3, "": 2, "Ext1": 1}, "TLS": {"Res": 2, "": 1}, "FS": {"Res": 2, "": 1}}


def ssl_policy_strength(name: Any) -> tuple[int, int] | None:
    """(minimum TLS minor version, cipher rank) of an ALB security policy; None when the name cannot be read."""
    match = SSL_POLICY.match(name) if isinstance(name, str) else None
    if not match:
        return None
    family, tls, variant = match["family"], match["tls"], match["variant"] or ""
    if family is None:
        return 0, 0
    return (int(tls) if tls else 0), CIPHERS[family].get(variant, 0)


def _annotations(obj: Obj) -> dict[str, str]:
    values = (obj.get("metadata") or {}).get("annotations") or {}
    return {k[len(ANNOTATION) :]: str(v) for k, v in values.items() if k.startswith(ANNOTATION)}


def _listeners(annotations: dict[str, str]) -> set[tuple[str, int]]:
    """(protocol, port) of every listener; the controller's default is HTTP 80, or HTTPS 443 with a certificate."""
    text = annotations.get("listen-ports")
    if text is None:
        return {("HTTPS", 443)} if "certificate-arn" in annotations else {("HTTP", 80)}
    try:
        entries = json.loads(text)
    except json.JSONDecodeError:
        return set()
    return {(str(k), int(v)) for entry in entries if isinstance(entry, dict) for k, v in entry.items()}


def _plain_http(annotations: dict[str, str]) -> set[int]:
    """The ports where the ALB answers plain HTTP (ssl-redirect sends every HTTP listener to HTTPS)."""
    if "ssl-redirect" in annotations:
        return set()
    return {port for protocol, port in _listeners(annotations) if protocol == "HTTP"}


def ingress(old: Obj, new: Obj | None) -> Iterator[str]:
    if new is None:
        return
    before, after = _annotations(old), _annotations(new)
    served = sorted(_plain_http(after) - _plain_http(before))
    if served:
        redirect = f"ssl-redirect {before.get('ssl-redirect', '(absent)')} → {after.get('ssl-redirect', '(absent)')}"
        ports = f"listen-ports {before.get('listen-ports', '(default)')} → {after.get('listen-ports', '(default)')}"
        cause = redirect if before.get("ssl-redirect") != after.get("ssl-redirect") else ports
        yield f"ALB serves plain HTTP on {', '.join(map(str, served))} where it redirected or had no HTTP ({cause})"
    https_before = {p for proto, p in _listeners(before) if proto == "HTTPS"}
    https_after = {p for proto, p in _listeners(after) if proto == "HTTPS"}
    for port in sorted(https_before - https_after):
        yield f"ALB HTTPS listener {port} removed (listen-ports {before.get('listen-ports')} → {after.get('listen-ports', '(default)')})"
    if https_after:
        old_policy, new_policy = before.get("ssl-policy"), after.get("ssl-policy")
        old_rank, new_rank = ssl_policy_strength(old_policy), ssl_policy_strength(new_policy)
        if old_rank and old_policy != new_policy and (new_rank is None or new_rank < old_rank):
            floor = (
                f"minimum TLS 1.{old_rank[0]} → 1.{new_rank[0]}"
                if new_rank and new_rank[0] < old_rank[0]
                else f"minimum TLS 1.{old_rank[0]}, more and weaker ciphers"
                if new_rank
                else "a policy the review cannot rank: check its floor"
            )
            shown = new_policy or "(absent: the controller's default)"
            yield f"ALB SSL policy {old_policy} → {shown} ({floor})"
    if before.get("backend-protocol") == "HTTPS" and after.get("backend-protocol", "HTTP") != "HTTPS":
        yield f"ALB backend protocol HTTPS → {after.get('backend-protocol', 'HTTP (the default)')}"


def hpa(old: Obj, new: Obj | None) -> Iterator[str]:
    before = (old.get("spec") or {}).get("minReplicas", 1)
    if new is None:
        yield f"removed (it kept at least {before} replicas of {(old.get('spec') or {}).get('scaleTargetRef', {}).get('name')})"
        return
    after = (new.get("spec") or {}).get("minReplicas", 1)
    if isinstance(before, int) and isinstance(after, int) and after < before:
        yield f"minReplicas {before} → {after}"


def _budget(spec: Obj) -> tuple[str, str, float] | None:
    for field in ("minAvailable", "maxUnavailable"):
        value = spec.get(field)
        if isinstance(value, int):
            return field, "", float(value)
        if isinstance(value, str) and value.endswith("%") and value[:-1].isdigit():
            return field, "%", float(value[:-1])
    return None


def pdb(old: Obj, new: Obj | None) -> Iterator[str]:
    old_spec = old.get("spec") or {}
    before = _budget(old_spec)
    if new is None:
        yield "removed" + (f" (it allowed {before[0]} {old_spec[before[0]]})" if before else "")
        return
    new_spec = new.get("spec") or {}
    after = _budget(new_spec)
    if before and after and before[:2] == after[:2]:
        looser = after[2] > before[2] if before[0] == "maxUnavailable" else after[2] < before[2]
        if looser:
            yield f"{before[0]} {old_spec[before[0]]} → {new_spec[after[0]]}"
    elif before and before != after:
        changed = f"{before[0]} {old_spec.get(before[0])} → " + (
            f"{after[0]} {new_spec.get(after[0])}" if after else "(no budget)"
        )
        yield f"{changed} (not comparable: review it as a loosening)"
    if old_spec.get("selector") != new_spec.get("selector"):
        yield f"selector {short(old_spec.get('selector'), 60)} → {short(new_spec.get('selector'), 60)} (it may no longer cover the pods)"
    old_policy = old_spec.get("unhealthyPodEvictionPolicy", "IfHealthyBudget")
    if old_policy == "IfHealthyBudget" and new_spec.get("unhealthyPodEvictionPolicy") == "AlwaysAllow":
        yield "unhealthyPodEvictionPolicy IfHealthyBudget → AlwaysAllow"


RULES: dict[str, tuple[str, Rule]] = {
    "Ingress": ("tls", ingress),
    "HorizontalPodAutoscaler": ("availability", hpa),
    "PodDisruptionBudget": ("availability", pdb),
}


def weakenings(old: ClusterState, new: ClusterState, fail: bool) -> list[Finding]:
    """Every object of a kind in RULES that existed before, compared with what replaces it (None: deleted)."""
    severity = DANGER if fail else WARNING
    found: list[Finding] = []
    for key in sorted(k for k in old.objects if k[0] in RULES):
        kind, namespace, name = key
        category, rule = RULES[kind]
        owner, before = old.objects[key]
        after = new.objects.get(key)
        stack = owner.split("/", 1)[0]
        found += [
            Finding(severity, category, f"{stack}/{'/'.join(key)}", f"{stack}: {kind} {namespace}/{name} {line}")
            for line in rule(before, after[1] if after else None)
        ]
    return found
