"""The pieces of the pod inventory: a pod-producing component, its tolerations, and how one is read from values.

fit/inventory.py lists the platform's components with these builders; the capacity model
(fit/capacity.py) places every `PodComponent` on a node group with `accepts`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from config import AppConfig, ConfigError
from config.schema import NodeGroupConfig
from fit import sizing
from k8s_charts import workloads as app
from k8s_charts.web_workload import Autoscaling, Resources

Kind = Literal["Deployment", "StatefulSet", "DaemonSet"]
SourceKind = Literal["helm", "addon", "cdk8s"]
# The cdk8s chart id WorkloadsStack gives the application chart.
WORKLOADS_CHART = "Workloads"


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
    node_group: str | None  # None: a DaemonSet, one pod on every node it tolerates
    node_selector: Mapping[str, str] = field(default_factory=dict)
    tolerations: tuple[Toleration, ...] = ()
    max_surge: int = 0  # extra pods a rolling update starts (0: Recreate, StatefulSet, DaemonSet)
    declared: bool = True  # False: requests left to a chart default we did not choose
    source_kind: SourceKind = "helm"

    @property
    def resources(self) -> sizing.PodResources:
        return sizing.PodResources(
            cpu_request_m=self.cpu_request_m,
            memory_request_mib=self.memory_request_mib,
            memory_limit_mib=self.memory_limit_mib,
            cpu_limit_m=self.cpu_limit_m,
        )


def accepts(group: NodeGroupConfig, node_selector: Mapping[str, str], tolerations: Sequence[Toleration]) -> bool:
    """True when a pod with this selector and these tolerations may be scheduled on the group's nodes."""
    # The labels the kubelet and EKS put on every managed node, besides the configured ones.
    labels = {"kubernetes.io/os": "linux", "eks.amazonaws.com/nodegroup": group.name, **group.labels}
    if any(labels.get(key) != value for key, value in node_selector.items()):
        return False
    return all(any(t.tolerates(taint.key, taint.value, taint.effect) for t in tolerations) for taint in group.taints)


def place(config: AppConfig, name: str, selector: Mapping[str, str], tolerations: Sequence[Toleration]) -> str:
    """The node group a workload is counted on; none accepting it is a configuration error."""
    groups = [g.name for g in config.eks.node_groups if accepts(g, selector, tolerations)]
    allowed = ", ".join(f"{g.name} (labels {dict(g.labels)}, taints {len(g.taints)})" for g in config.eks.node_groups)
    if not groups:
        raise ConfigError(
            f"eks.node_groups ({name})",
            f"no node group accepts {name} (nodeSelector {dict(selector)}, "
            f"{len(tolerations)} tolerations): its pods would stay Pending",
            allowed,
        )
    # Several groups may accept a workload (e.g. an on-demand and a Spot group with the same labels): it is
    # counted whole on the first in configuration order, so it still fits when the others have no nodes.
    return groups[0]


def rolling_surge(replicas: int) -> int:
    """A Deployment's default RollingUpdate maxSurge (25 %, rounded up)."""
    return max(1, math.ceil(replicas * 0.25))


def component(
    config: AppConfig,
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
    extra: sizing.PodResources | None = None,
    default_tolerations: tuple[Toleration, ...] = (),
    surge: bool = True,
    max_replicas: int | None = None,
    declared_resources: bool | None = None,
) -> PodComponent:
    """An entry from a chart's or add-on's values (a missing key falls back to the chart's default)."""
    replicas = int(values.get(replicas_key, default_replicas)) if replicas_key else default_replicas
    raw_resources = values.get("resources") or {}
    resources = sizing.PodResources.from_values(raw_resources).times(containers)
    if extra is not None:
        resources = resources.plus(extra)
    selector = dict(values.get("nodeSelector") or {})
    if "tolerations" in values:
        tolerations = tuple(Toleration.from_values(t) for t in values["tolerations"] or ())
    else:
        tolerations = default_tolerations
    node_group = None if kind == "DaemonSet" else place(config, name, selector, tolerations)
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
        node_group=node_group,
        node_selector=selector,
        tolerations=tolerations,
        max_surge=rolling_surge(replicas) if surge and kind == "Deployment" else 0,
        declared=bool(raw_resources) if declared_resources is None else declared_resources,
        source_kind=source_kind,
    )


def web_workload(
    config: AppConfig, *, name: str, resources: Resources, autoscaling: Autoscaling, values: app.WorkloadsValues
) -> PodComponent:
    parsed = sizing.PodResources.from_values(
        {
            "requests": {"cpu": resources.request_cpu, "memory": resources.request_memory},
            "limits": {"cpu": resources.limit_cpu, "memory": resources.limit_memory},
        }
    )
    tolerations = tuple(Toleration(key=t.key, value=t.value, effect=t.effect) for t in values.placement.tolerations)
    selector = dict(values.placement.node_labels)
    return PodComponent(
        name=name,
        namespace=values.namespace,
        kind="Deployment",
        source=WORKLOADS_CHART,
        source_kind="cdk8s",
        replicas=autoscaling.min_replicas,
        max_replicas=autoscaling.max_replicas,
        cpu_request_m=parsed.cpu_request_m,
        memory_request_mib=parsed.memory_request_mib,
        cpu_limit_m=parsed.cpu_limit_m,
        memory_limit_mib=parsed.memory_limit_mib,
        node_group=place(config, name, selector, tolerations),
        node_selector=selector,
        tolerations=tolerations,
        max_surge=1,  # WebWorkload's RollingUpdate maxSurge
    )


def cdk8s_deployment(
    config: AppConfig,
    *,
    name: str,
    namespace: str,
    source: str,
    replicas: int,
    resources: sizing.PodResources,
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
        node_group=place(config, name, selector, tolerations),
        node_selector=dict(selector),
        tolerations=tolerations,
        max_surge=rolling_surge(replicas),
        source_kind="cdk8s",
    )


def daemonset(
    name: str, namespace: str, source: str, resources: sizing.PodResources, *, declared: bool = False
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
        node_group=None,
        tolerations=TOLERATE_ALL,
        declared=declared,
        source_kind="addon",
    )
