"""Capacity model: does every node group hold what the pod inventory places on it, at desired and at maximum size?

Per node (EKS AL2023 managed nodes, VPC CNI without prefix delegation):
- pod slots: the ENI formula ENIs x (IPv4 addresses per ENI - 1) + 2, the maxPods nodeadm gives the kubelet;
- allocatable CPU: vCPUs minus kube-reserved (6 % of the first core, 1 % of the second, 0.5 % of the next two,
  0.25 % of every further core);
- allocatable memory: the kernel's MemTotal (the nominal size less ~7 % the kernel and firmware keep) minus
  kube-reserved (255 MiB + 11 MiB per maxPods) and the 100 MiB hard eviction threshold;
- minus one pod of every DaemonSet that tolerates the group's taints.
Placed on the group: every Deployment/StatefulSet pinned there, at its desired replicas (HPA minimum) and at
its maximum (HPA maximum), plus one rolling-update surge of the largest Deployment there.
A group that cannot hold its pods at its maximum size, or at its desired size (where the deploy's Helm
releases wait for their pods before the autoscaler could add a node), is a configuration error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from addons.pods import PodComponent
from config import AppConfig, ConfigError
from config.eks import SPOT_APP_NODE_GROUP
from config.instances import INSTANCE_SHAPES, InstanceShape
from config.schema import NodeGroupConfig
from fit.inventory import pod_inventory
from fit.placement import accepts

KERNEL_SHARE = 0.07  # of nominal memory, not in the kubelet's capacity
EVICTION_HARD_MIB = 100
TIMES = "\u00d7"  # the multiplication sign of "3 x t3.small"
TARGET_HEADROOM = 0.20  # the aim at each group's maximum size (README: capacity)


def config_key(group: NodeGroupConfig) -> str:
    """Where the group is configured: the Spot twin has a section of its own."""
    return "eks.spot_app_nodes" if group.name == SPOT_APP_NODE_GROUP else f"eks.node_groups.{group.name}"


def instance_type(group: NodeGroupConfig) -> InstanceShape:
    try:
        return INSTANCE_SHAPES[group.instance_type]
    except KeyError:
        raise ConfigError(
            f"{config_key(group)}.instance_type",
            f"{group.instance_type!r} has no entry in the capacity model (config/instances.py INSTANCE_SHAPES)",
            ", ".join(INSTANCE_SHAPES),
        ) from None


def kube_reserved_cpu_m(vcpus: int) -> int:
    shares = [60, 10, 5, 5]  # millicores reserved of the 1st, 2nd, 3rd and 4th core
    return sum(shares[:vcpus]) + math.ceil(max(0, vcpus - 4) * 2.5)


def kube_reserved_memory_mib(max_pods: int) -> int:
    return 255 + 11 * max_pods


@dataclass(frozen=True)
class NodeShape:
    """What one node of a group offers its non-DaemonSet pods."""

    max_pods: int
    allocatable_cpu_m: int
    allocatable_memory_mib: int
    daemonset_pods: int
    daemonset_cpu_m: int
    daemonset_memory_mib: int

    @property
    def free_pods(self) -> int:
        return self.max_pods - self.daemonset_pods

    @property
    def free_cpu_m(self) -> int:
        return self.allocatable_cpu_m - self.daemonset_cpu_m

    @property
    def free_memory_mib(self) -> int:
        return self.allocatable_memory_mib - self.daemonset_memory_mib


def node_shape(group: NodeGroupConfig, daemonsets: Sequence[PodComponent]) -> NodeShape:
    shape = instance_type(group)
    landing = [d for d in daemonsets if accepts(group, d.node_selector, d.tolerations)]
    capacity_mib = int(shape.memory_mib * (1 - KERNEL_SHARE))
    return NodeShape(
        max_pods=shape.max_pods,
        allocatable_cpu_m=shape.vcpus * 1000 - kube_reserved_cpu_m(shape.vcpus),
        allocatable_memory_mib=capacity_mib - kube_reserved_memory_mib(shape.max_pods) - EVICTION_HARD_MIB,
        daemonset_pods=len(landing),
        daemonset_cpu_m=sum(d.cpu_request_m for d in landing),
        daemonset_memory_mib=sum(d.memory_request_mib for d in landing),
    )


@dataclass(frozen=True)
class Demand:
    pods: int
    cpu_m: int
    memory_mib: int


@dataclass(frozen=True)
class GroupCapacity:
    group: NodeGroupConfig
    node: NodeShape
    components: tuple[PodComponent, ...]
    at_desired: Demand
    at_max: Demand  # every HPA at its maximum, plus one rolling-update surge

    def available(self, nodes: int) -> Demand:
        return Demand(
            pods=nodes * self.node.free_pods,
            cpu_m=nodes * self.node.free_cpu_m,
            memory_mib=nodes * self.node.free_memory_mib,
        )

    @property
    def available_at_desired(self) -> Demand:
        return self.available(self.group.desired_size)

    @property
    def available_at_max(self) -> Demand:
        return self.available(self.group.max_size)

    def headroom(self) -> tuple[float, float, float]:
        """(pods, CPU, memory) share of the maximum size's capacity left at the maximum demand."""
        available, need = self.available_at_max, self.at_max

        def share(free: int, used: int) -> float:
            return (free - used) / free if free > 0 else -1.0

        return (
            share(available.pods, need.pods),
            share(available.cpu_m, need.cpu_m),
            share(available.memory_mib, need.memory_mib),
        )

    def shortfalls(self) -> list[str]:
        """Why the group cannot hold its pods at its desired or maximum size (empty: it can)."""
        group, node = self.group, self.node
        problems = []
        for label, nodes, need, have in (
            ("max", group.max_size, self.at_max, self.available_at_max),
            ("desired", group.desired_size, self.at_desired, self.available_at_desired),
        ):
            where = f"{nodes} {TIMES} {group.instance_type}"
            at = f" at {label} size" if label == "desired" else ""
            if need.pods > have.pods:
                problems.append(
                    f"{need.pods} pods need {need.pods} slots{at}, {where} give {have.pods} "
                    f"({node.max_pods} per node, {node.daemonset_pods} taken by DaemonSets)"
                )
            if need.cpu_m > have.cpu_m:
                problems.append(f"{need.cpu_m}m CPU requested{at}, {where} leave {have.cpu_m}m after DaemonSets")
            if need.memory_mib > have.memory_mib:
                problems.append(
                    f"{need.memory_mib}Mi memory requested{at}, {where} leave {have.memory_mib}Mi after DaemonSets"
                )
            if problems:
                break
        for component in self.components:
            if component.cpu_request_m > node.free_cpu_m or component.memory_request_mib > node.free_memory_mib:
                problems.append(
                    f"a {component.name} pod ({component.cpu_request_m}m, {component.memory_request_mib}Mi) is larger "
                    f"than one {group.instance_type} node leaves ({node.free_cpu_m}m, {node.free_memory_mib}Mi)"
                )
        return problems


def _demand(components: Sequence[PodComponent], *, at_max: bool) -> Demand:
    def count(c: PodComponent) -> int:
        return c.max_replicas if at_max else c.replicas

    pods = sum(count(c) for c in components)
    cpu = sum(count(c) * c.cpu_request_m for c in components)
    memory = sum(count(c) * c.memory_request_mib for c in components)
    if at_max:
        surging = [c for c in components if c.max_surge > 0]
        if surging:
            largest = max(surging, key=lambda c: (c.memory_request_mib, c.cpu_request_m))
            pods += largest.max_surge
            cpu += largest.max_surge * largest.cpu_request_m
            memory += largest.max_surge * largest.memory_request_mib
    return Demand(pods=pods, cpu_m=cpu, memory_mib=memory)


def capacity(config: AppConfig, inventory: Sequence[PodComponent] | None = None) -> tuple[GroupCapacity, ...]:
    """The capacity of every node group against what the inventory places on it."""
    pods = tuple(pod_inventory(config) if inventory is None else inventory)
    daemonsets = [c for c in pods if c.kind == "DaemonSet"]
    result = []
    for group in config.eks.all_node_groups:
        placed = tuple(c for c in pods if c.node_group == group.name)
        result.append(
            GroupCapacity(
                group=group,
                node=node_shape(group, daemonsets),
                components=placed,
                at_desired=_demand(placed, at_max=False),
                at_max=_demand(placed, at_max=True),
            )
        )
    return tuple(result)


def check_capacity(config: AppConfig, inventory: Sequence[PodComponent] | None = None) -> tuple[GroupCapacity, ...]:
    """Raise ConfigError (one line) for the first node group that cannot hold its pods at its maximum size."""
    groups = capacity(config, inventory)
    for group in groups:
        problems = group.shortfalls()
        if problems:
            raise ConfigError(
                config_key(group.group),
                "; ".join(problems),
                "a larger instance_type, a higher max_size, or fewer or smaller pods (see `make capacity`)",
            )
    return groups


def _percent(value: float) -> str:
    return f"{value * 100:.0f} %"


def table(groups: Sequence[GroupCapacity]) -> str:
    """The Markdown capacity table `make capacity` prints and the README embeds."""
    lines = [
        "| node group | nodes (desired/max) | per node: slots, CPU, memory free after DaemonSets "
        "| resource | needed at desired | needed at max | available at desired | available at max | headroom at max |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for g in groups:
        node = g.node
        head = (
            f"| {g.group.name} | {g.group.desired_size}/{g.group.max_size} {TIMES} {g.group.instance_type} "
            f"| {node.free_pods} of {node.max_pods}, {node.free_cpu_m}m, {node.free_memory_mib}Mi "
        )
        pods, cpu, memory = g.headroom()
        desired, maximum = g.available_at_desired, g.available_at_max
        rows = [
            ("pods", g.at_desired.pods, g.at_max.pods, desired.pods, maximum.pods, pods, ""),
            ("CPU", g.at_desired.cpu_m, g.at_max.cpu_m, desired.cpu_m, maximum.cpu_m, cpu, "m"),
            (
                "memory",
                g.at_desired.memory_mib,
                g.at_max.memory_mib,
                desired.memory_mib,
                maximum.memory_mib,
                memory,
                "Mi",
            ),
        ]
        for index, (name, need_d, need_m, have_d, have_m, room, unit) in enumerate(rows):
            prefix = head if index == 0 else "| | | "
            lines.append(
                f"{prefix}| {name} | {need_d}{unit} | {need_m}{unit} | {have_d}{unit} | {have_m}{unit} | {_percent(room)} |"
            )
    return "\n".join(lines)


def inventory_table(inventory: Sequence[PodComponent]) -> str:
    """Every pod-producing component, as `make capacity` lists it under the capacity table."""
    lines = [
        "| component | kind | source | node group | replicas (desired/max) | requests (CPU, memory) | limits (CPU, memory) |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in inventory:
        cpu_limit = f"{c.cpu_limit_m}m" if c.cpu_limit_m is not None else "none"
        where = c.node_group or "every node"
        replicas = "1 per node" if c.kind == "DaemonSet" else f"{c.replicas}/{c.max_replicas}"
        default = "" if c.declared else " (EKS/chart default)"
        lines.append(
            f"| {c.namespace}/{c.name} | {c.kind} | {c.source} | {where} | {replicas} "
            f"| {c.cpu_request_m}m, {c.memory_request_mib}Mi{default} | {cpu_limit}, {c.memory_limit_mib}Mi |"
        )
    return "\n".join(lines)
