"""Which node group each pod of the inventory lands on, by its nodeSelector and tolerations.

The add-ons declare their pods (addons/pods.py) without a group; `placed` counts each Deployment and
StatefulSet on a node group that accepts it, and a pod no group accepts is a configuration error. The
capacity model (fit/capacity.py) uses `accepts` for the DaemonSets as well.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from addons.pods import PodComponent, Toleration
from config import AppConfig, ConfigError
from config.schema import NodeGroupConfig


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


def placed(config: AppConfig, pod: PodComponent) -> PodComponent:
    """The pod with the node group it is counted on (a DaemonSet stays on every node: None)."""
    if pod.kind == "DaemonSet":
        return pod
    return dataclasses.replace(pod, node_group=place(config, pod.name, pod.node_selector, pod.tolerations))
