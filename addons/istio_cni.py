"""Istio `cni` (ambient profile): the node agent that redirects meshed pods' traffic to ztunnel.

A DaemonSet on every node (hostNetwork; it still takes a pod slot), chained onto the VPC CNI's conflist (EKS
needs no platform profile). It tolerates every NoSchedule and NoExecute taint by the chart's default, so it
starts on a node still carrying `cni.istio.io/not-ready`; once it is ready there, istiod removes the taint
and the node takes other pods. Requests are the chart's (100m / 100Mi); the memory limit is ours.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from constructs import Construct, IDependable

from addons.base import ClusterContext, InstalledController, helm_release
from addons.istio_release import NAMESPACE, mesh_enabled
from addons.pods import PodComponent, PodResources, Toleration, component
from config import AppConfig
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
# The chart's default tolerations (values.yaml): every NoSchedule and NoExecute taint, CriticalAddonsOnly.
CHART_TOLERATIONS = (
    Toleration(key=None, operator="Exists", effect="NoSchedule"),
    Toleration(key="CriticalAddonsOnly", operator="Exists"),
    Toleration(key=None, operator="Exists", effect="NoExecute"),
)


# The chart's DaemonSet selects Linux nodes itself (its template, not a value).
CHART_NODE_SELECTOR = {"kubernetes.io/os": "linux"}


def values() -> dict[str, Any]:
    return {"profile": "ambient", "resources": RESOURCES.values()}


class IstioCni:
    name = RELEASE.release
    requires = REQUIRES

    def enabled(self, *, config: AppConfig) -> bool:
        return mesh_enabled(config)

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return values()

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return (
            dataclasses.replace(
                component(
                    name=Mesh.ISTIO_CNI,
                    namespace=RELEASE.namespace,
                    kind="DaemonSet",
                    source=RELEASE.release,
                    source_kind="helm",
                    values=values,
                    replicas_key=None,
                    default_replicas=1,
                    default_tolerations=CHART_TOLERATIONS,
                ),
                node_selector=CHART_NODE_SELECTOR,
            ),
        )

    def install(
        self, scope: Construct, *, context: ClusterContext, prerequisites: Sequence[IDependable]
    ) -> InstalledController:
        chart = helm_release(context.cluster, "IstioCni", RELEASE, values=values())
        chart.node.add_dependency(*prerequisites)
        return InstalledController(release=chart, role=None)


ADDON = IstioCni()
