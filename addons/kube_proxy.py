"""kube-proxy: the Service rules on every node, as EKS ships it (no role, no configuration)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from addons.base import EksAddOn
from addons.pods import PodComponent, PodResources, daemonset
from config import AppConfig
from names import K8sNames

NAME = "kube-proxy"
# The add-on's manifest requests 100m and no memory.
KUBE_PROXY = PodResources(cpu_request_m=100, memory_request_mib=0, memory_limit_mib=0)


def pods(config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
    return (daemonset("kube-proxy", K8sNames.KUBE_SYSTEM_NAMESPACE, NAME, KUBE_PROXY),)


ADDON = EksAddOn(name=NAME, before_nodes=True, read_pods=pods)
