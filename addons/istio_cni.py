"""Istio `cni` (ambient profile): the node agent that redirects meshed pods' traffic to ztunnel.

A DaemonSet on every node (hostNetwork; it still takes a pod slot), chained onto the VPC CNI's conflist (EKS
needs no platform profile). It tolerates every NoSchedule and NoExecute taint by the chart's default, so it
starts on a node still carrying `cni.istio.io/not-ready`; once it is ready there, istiod removes the taint
and the node takes other pods. Requests are the chart's (100m / 100Mi); the memory limit is ours.
"""

from __future__ import annotations

from typing import Any

from addons.istio_release import NAMESPACE, NodeAgent
from addons.pods import PodResources
from k8s_charts.helm import HelmRelease
from names import Mesh

RELEASE = HelmRelease(
    chart="cni",
    repository="https://istio-release.storage.googleapis.com/charts",
    # Istio 1.31.1 (https://istio.io/latest/es/news/releases/1.31.x/announcing-1.31.1/); the same release as base.
    version="1.31.1",
    namespace=NAMESPACE,
    release="istio-cni",
)
REQUIRES = ("istiod",)
RESOURCES = PodResources(cpu_request_m=100, memory_request_mib=100, memory_limit_mib=256)


def values() -> dict[str, Any]:
    return {"profile": "ambient", "resources": RESOURCES.values()}


ADDON = NodeAgent(
    release=RELEASE,
    pod_name=Mesh.ISTIO_CNI,
    construct_id="IstioCni",
    requires=REQUIRES,
    chart_values=values,
)
