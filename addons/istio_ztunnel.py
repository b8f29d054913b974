"""Istio `ztunnel`: the per-node L4 proxy of ambient mode (mTLS, workload identity, L4 authorization).

A DaemonSet on every node; unlike istio-cni it is not hostNetwork and takes a pod IP as well as a slot. It
tolerates every NoSchedule and NoExecute taint by the chart's default. Sized for this cluster on purpose:
the chart's 200m / 512Mi is "enough for ~200k pod cluster or 100k concurrently open connections" (its
values.yaml); here a node holds at most 17 pods, so it asks for 100m / 128Mi, with 512Mi as its memory limit
(no CPU limit: it carries every meshed connection of its node). It resolves istiod by its Service name, so it
is installed after CoreDNS (stacks/constructs/eks_mesh.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from constructs import Construct, IDependable

from addons.base import ClusterContext, InstalledController, helm_release
from addons.istio_cni import CHART_NODE_SELECTOR, CHART_TOLERATIONS
from addons.istio_release import NAMESPACE, mesh_enabled
from addons.pods import PodComponent, PodResources, component
from config import AppConfig
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


class Ztunnel:
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
                    name=Mesh.ZTUNNEL,
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
        chart = helm_release(context.cluster, "Ztunnel", RELEASE, values=values())
        chart.node.add_dependency(*prerequisites)
        return InstalledController(release=chart, role=None)


ADDON = Ztunnel()
