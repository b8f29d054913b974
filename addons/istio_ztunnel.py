"""Istio `ztunnel`: the per-node L4 proxy of ambient mode (mTLS, workload identity, L4 authorization).

A DaemonSet on every node; unlike istio-cni it is not hostNetwork and takes a pod IP as well as a slot. It
tolerates every NoSchedule and NoExecute taint by the chart's default. Sized for this cluster on purpose:
the chart's 200m / 512Mi is "enough for ~200k pod cluster or 100k concurrently open connections" (its
values.yaml); here a node holds at most 17 pods, so it asks for 100m / 128Mi, with 512Mi as its memory limit
(no CPU limit: it carries every meshed connection of its node). It resolves istiod by its Service name, so it
is installed after CoreDNS (stacks/constructs/eks_mesh.py).
"""

from __future__ import annotations

from typing import Any

from addons.istio_release import NAMESPACE, NodeAgent
from addons.pods import PodResources
from k8s_charts.helm import HelmRelease
from names import Mesh

RELEASE = HelmRelease(
    chart="ztunnel",
    repository="https://istio-release.storage.googleapis.com/charts",
    # Istio 1.31.1 (https://istio.io/latest/es/news/releases/1.31.x/announcing-1.31.1/); the same release as base.
    version="1.31.1",
    namespace=NAMESPACE,
    release=Mesh.ZTUNNEL,
)
REQUIRES = ("istio-cni",)
RESOURCES = PodResources(cpu_request_m=100, memory_request_mib=128, memory_limit_mib=512)


def values() -> dict[str, Any]:
    return {"resources": RESOURCES.values()}


ADDON = NodeAgent(
    release=RELEASE,
    pod_name=Mesh.ZTUNNEL,
    construct_id="Ztunnel",
    requires=REQUIRES,
    chart_values=values,
)
