"""CoreDNS on system-nodes (no AWS role)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from addons.base import EksAddOn
from addons.pods import PodComponent, PodResources, Toleration, component
from config import AppConfig
from names import K8sNames

NAME = "coredns"
# The add-on's defaults (2 replicas, 100m/70Mi, 170Mi limit) from the CoreDNS deployment EKS ships.
REPLICAS = 2
RESOURCES = PodResources(cpu_request_m=100, memory_request_mib=70, memory_limit_mib=170)
DEFAULT_TOLERATIONS = (
    Toleration(key="CriticalAddonsOnly", operator="Exists"),
    Toleration(key="node-role.kubernetes.io/control-plane", operator="Exists", effect="NoSchedule"),
)


def configuration(node_selector: Mapping[str, str]) -> dict[str, Any]:
    return {"replicaCount": REPLICAS, "resources": RESOURCES.values(), "nodeSelector": dict(node_selector)}


def pods(config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
    return (
        component(
            name=NAME,
            namespace=K8sNames.KUBE_SYSTEM_NAMESPACE,
            kind="Deployment",
            source=NAME,
            source_kind="addon",
            values=values,
            replicas_key="replicaCount",
            default_replicas=2,
            default_tolerations=DEFAULT_TOLERATIONS,
        ),
    )


# A Deployment: degraded until nodes exist, so it comes after the node groups.
ADDON = EksAddOn(name=NAME, before_nodes=False, read_pods=pods, configuration=configuration)
