"""What an add-on declares about its pods, for the pod inventory (fit/inventory.py) and the capacity model.

`PodResources` (requests and limits, as the values carry them), `Toleration`, and `PodComponent` (one
pod-producing workload: replicas, requests/limits, selector, tolerations) with the readers that build one
from a chart's or add-on's values (`component`), from our own cdk8s Deployment (`cdk8s_deployment`) or for a
DaemonSet (`daemonset`). Where a value is not set, the chart's own default is used and `declared` says so.
Which node group a pod lands on is the fit checks' question (fit/placement.py): `node_group` is filled in there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

_CPU_RE = re.compile(r"^(\d+(?:\.\d+)?)(m?)$")
_MEMORY_UNITS = {
    "Ki": 1 / 1024,
    "Mi": 1,
    "Gi": 1024,
    "K": 1000 / 1024**2,
    "M": 1000**2 / 1024**2,
    "G": 1000**3 / 1024**2,
}
_MEMORY_RE = re.compile(r"^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$")


def cpu_millicores(quantity: str | int | float) -> int:
    """A Kubernetes CPU quantity ("250m", "1", 0.5) in millicores."""
    match = _CPU_RE.match(str(quantity))
    if not match:
        raise ValueError(f"not a CPU quantity: {quantity!r}")
    number, milli = float(match.group(1)), match.group(2)
    return round(number if milli else number * 1000)


def memory_mib(quantity: str | int) -> int:
    """A Kubernetes memory quantity ("128Mi", "1Gi", bytes) in MiB, rounded up."""
    match = _MEMORY_RE.match(str(quantity))
    if not match:
        raise ValueError(f"not a memory quantity: {quantity!r}")
    number, unit = float(match.group(1)), match.group(2)
    value = number * _MEMORY_UNITS[unit] if unit else number / 1024**2
    return -int(-value // 1)


@dataclass(frozen=True)
class PodResources:
    """Requests and limits of one pod (all its containers together when it has several)."""

    cpu_request_m: int
    memory_request_mib: int
    memory_limit_mib: int
    # No CPU limit by default: a throttled controller misses its leases; memory limits stop a leak.
    cpu_limit_m: int | None = None

    def __post_init__(self) -> None:
        if self.memory_limit_mib < self.memory_request_mib:
            raise ValueError(f"memory limit {self.memory_limit_mib}Mi below request {self.memory_request_mib}Mi")
        if self.cpu_limit_m is not None and self.cpu_limit_m < self.cpu_request_m:
            raise ValueError(f"CPU limit {self.cpu_limit_m}m below request {self.cpu_request_m}m")

    def values(self) -> dict[str, Any]:
        """As Helm values / add-on configuration (`resources:`)."""
        limits: dict[str, str] = {"memory": f"{self.memory_limit_mib}Mi"}
        if self.cpu_limit_m is not None:
            limits["cpu"] = f"{self.cpu_limit_m}m"
        return {
            "requests": {"cpu": f"{self.cpu_request_m}m", "memory": f"{self.memory_request_mib}Mi"},
            "limits": limits,
        }

    @classmethod
    def from_values(cls, resources: dict[str, Any]) -> PodResources:
        """Back from a `resources:` mapping (what a chart or manifest carries)."""
        requests, limits = resources.get("requests", {}), resources.get("limits", {})
        return cls(
            cpu_request_m=cpu_millicores(requests.get("cpu", 0)),
            memory_request_mib=memory_mib(requests.get("memory", 0)),
            memory_limit_mib=memory_mib(limits.get("memory", requests.get("memory", 0))),
            cpu_limit_m=cpu_millicores(limits["cpu"]) if "cpu" in limits else None,
        )

    def times(self, containers: int) -> PodResources:
        """The pod's total when every one of `containers` containers gets these resources."""
        return PodResources(
            cpu_request_m=self.cpu_request_m * containers,
            memory_request_mib=self.memory_request_mib * containers,
            memory_limit_mib=self.memory_limit_mib * containers,
            cpu_limit_m=None if self.cpu_limit_m is None else self.cpu_limit_m * containers,
        )

    def plus(self, other: PodResources) -> PodResources:
        return PodResources(
            cpu_request_m=self.cpu_request_m + other.cpu_request_m,
            memory_request_mib=self.memory_request_mib + other.memory_request_mib,
            memory_limit_mib=self.memory_limit_mib + other.memory_limit_mib,
            cpu_limit_m=None
            if self.cpu_limit_m is None or other.cpu_limit_m is None
            else self.cpu_limit_m + other.cpu_limit_m,
        )


Kind = Literal["Deployment", "StatefulSet", "DaemonSet"]
SourceKind = Literal["helm", "addon", "cdk8s"]


@dataclass(frozen=True)
class Toleration:
    """A pod toleration; `key` None with operator Exists tolerates every taint."""

    key: str | None
    operator: str = "Equal"
    value: str | None = None
    effect: str | None = None

    def tolerates(self, key: str, value: str, effect: str) -> bool:
        if self.effect is not None and self.effect != effect:
            return False
        if self.key is None:
            return self.operator == "Exists"
        if self.key != key:
            return False
        return self.operator == "Exists" or self.value == value

    @classmethod
    def from_values(cls, raw: Mapping[str, Any]) -> Toleration:
        return cls(
            key=raw.get("key"), operator=raw.get("operator", "Equal"), value=raw.get("value"), effect=raw.get("effect")
        )


TOLERATE_ALL = (Toleration(key=None, operator="Exists"),)


@dataclass(frozen=True)
class PodComponent:
    """One pod-producing workload: how many pods, what each asks for, where they land."""

    name: str
    namespace: str
    kind: Kind
    source: str  # the Helm release, EKS add-on or cdk8s chart (its id) that produces it
    replicas: int  # at the group's desired size: the HPA minimum for our autoscaled workloads
    max_replicas: int  # every HPA at its maximum
    cpu_request_m: int
    memory_request_mib: int
    cpu_limit_m: int | None
    memory_limit_mib: int
    node_selector: Mapping[str, str] = field(default_factory=dict)
    tolerations: tuple[Toleration, ...] = ()
    max_surge: int = 0  # extra pods a rolling update starts (0: Recreate, StatefulSet, DaemonSet)
    declared: bool = True  # False: requests left to a chart default we did not choose
    source_kind: SourceKind = "helm"
    # The group it is counted on (fit/placement.py `placed`); None: not placed yet, or a DaemonSet (one
    # pod on every node it tolerates).
    node_group: str | None = None

    @property
    def resources(self) -> PodResources:
        return PodResources(
            cpu_request_m=self.cpu_request_m,
            memory_request_mib=self.memory_request_mib,
            memory_limit_mib=self.memory_limit_mib,
            cpu_limit_m=self.cpu_limit_m,
        )


def rolling_surge(replicas: int) -> int:
    """A Deployment's default RollingUpdate maxSurge (25 %, rounded up)."""
    return max(1, math.ceil(replicas * 0.25))


def component(
    *,
    name: str,
    namespace: str,
    kind: Kind,
    source: str,
    source_kind: SourceKind,
    values: Mapping[str, Any],
    replicas_key: str | None,
    default_replicas: int,
    containers: int = 1,
    extra: PodResources | None = None,
    default_tolerations: tuple[Toleration, ...] = (),
    surge: bool = True,
    max_replicas: int | None = None,
    declared_resources: bool | None = None,
) -> PodComponent:
    """An entry from a chart's or add-on's values (a missing key falls back to the chart's default)."""
    replicas = int(values.get(replicas_key, default_replicas)) if replicas_key else default_replicas
    raw_resources = values.get("resources") or {}
    resources = PodResources.from_values(raw_resources).times(containers)
    if extra is not None:
        resources = resources.plus(extra)
    selector = dict(values.get("nodeSelector") or {})
    if "tolerations" in values:
        tolerations = tuple(Toleration.from_values(t) for t in values["tolerations"] or ())
    else:
        tolerations = default_tolerations
    return PodComponent(
        name=name,
        namespace=namespace,
        kind=kind,
        source=source,
        replicas=replicas,
        max_replicas=max_replicas if max_replicas is not None else replicas,
        cpu_request_m=resources.cpu_request_m,
        memory_request_mib=resources.memory_request_mib,
        cpu_limit_m=resources.cpu_limit_m,
        memory_limit_mib=resources.memory_limit_mib,
        node_selector=selector,
        tolerations=tolerations,
        max_surge=rolling_surge(replicas) if surge and kind == "Deployment" else 0,
        declared=bool(raw_resources) if declared_resources is None else declared_resources,
        source_kind=source_kind,
    )


def cdk8s_deployment(
    *,
    name: str,
    namespace: str,
    source: str,
    replicas: int,
    resources: PodResources,
    selector: Mapping[str, str],
    tolerations: tuple[Toleration, ...] = (),
) -> PodComponent:
    return PodComponent(
        name=name,
        namespace=namespace,
        kind="Deployment",
        source=source,
        replicas=replicas,
        max_replicas=replicas,
        cpu_request_m=resources.cpu_request_m,
        memory_request_mib=resources.memory_request_mib,
        cpu_limit_m=resources.cpu_limit_m,
        memory_limit_mib=resources.memory_limit_mib,
        node_selector=dict(selector),
        tolerations=tolerations,
        max_surge=rolling_surge(replicas),
        source_kind="cdk8s",
    )


def daemonset(
    name: str, namespace: str, source: str, resources: PodResources, *, declared: bool = False
) -> PodComponent:
    return PodComponent(
        name=name,
        namespace=namespace,
        kind="DaemonSet",
        source=source,
        replicas=1,
        max_replicas=1,
        cpu_request_m=resources.cpu_request_m,
        memory_request_mib=resources.memory_request_mib,
        cpu_limit_m=resources.cpu_limit_m,
        memory_limit_mib=resources.memory_limit_mib,
        tolerations=TOLERATE_ALL,
        declared=declared,
        source_kind="addon",
    )
