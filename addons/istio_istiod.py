"""Istio `istiod` (ambient profile): the mesh's control plane and CA, on system-nodes.

Sized for this mesh on purpose instead of the chart's 500m / 2 GiB and HPA 1-5, which Istio sizes for
large meshes (istio.io "performance and scalability": about 1 vCPU and 1.5 GB for 1000 services and 2000
workloads). This cluster meshes the app namespace: two Services and at most ~40 pods at every HPA's
maximum. istiod still watches every pod, Service and EndpointSlice of the cluster, so memory gets 512Mi.
Two replicas always (one per zone's system node; the chart adds a PodDisruptionBudget when the minimum is
above one), at most three, one per system node at the group's maximum.

istiod also runs the node untaint controller (`taint.enabled`): it removes `cni.istio.io/not-ready` from a
node once the istio-cni pod there is ready (it never adds it; the node groups register with it). So istiod
itself tolerates that taint: on a fresh cluster every node carries it until istiod is up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from constructs import Construct, IDependable

from addons.base import ClusterContext, InstalledController, helm_release, system_node_selector
from addons.istio_release import NAMESPACE, STARTUP_TAINT_TOLERATION, mesh_enabled
from addons.pods import PodComponent, PodResources, component
from config import AppConfig
from k8s_charts.helm import HelmRelease
from names import Mesh

RELEASE = HelmRelease(
    chart="istiod",
    repository="https://istio-release.storage.googleapis.com/charts",
    # Istio 1.31.1 (https://istio.io/latest/es/news/releases/1.31.x/announcing-1.31.1/); the same release as base.
    version="1.31.1",
    namespace=NAMESPACE,
    release=Mesh.ISTIOD,
)
REQUIRES = ("istio-base",)
MIN_REPLICAS = 2
MAX_REPLICAS = 3
RESOURCES = PodResources(cpu_request_m=250, memory_request_mib=512, memory_limit_mib=2048)


def values(*, node_selector: Mapping[str, str]) -> dict[str, Any]:
    return {
        "profile": "ambient",
        "autoscaleMin": MIN_REPLICAS,
        "autoscaleMax": MAX_REPLICAS,
        # One extra pod per rolling update (the chart's 100 % would double istiod on the system nodes).
        "rollingMaxSurge": 1,
        "resources": RESOURCES.values(),
        "nodeSelector": dict(node_selector),
        "tolerations": [STARTUP_TAINT_TOLERATION],
        "taint": {"enabled": True, "namespace": NAMESPACE},
    }


class Istiod:
    name = RELEASE.release
    requires = REQUIRES

    def enabled(self, *, config: AppConfig) -> bool:
        return mesh_enabled(config)

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return values(node_selector=system_node_selector(config))

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return (
            component(
                name=Mesh.ISTIOD,
                namespace=RELEASE.namespace,
                kind="Deployment",
                source=RELEASE.release,
                source_kind="helm",
                values=values,
                replicas_key="autoscaleMin",
                default_replicas=1,
                max_replicas=int(values.get("autoscaleMax", 5)),
            ),
        )

    def install(
        self, scope: Construct, *, context: ClusterContext, prerequisites: Sequence[IDependable]
    ) -> InstalledController:
        chart = helm_release(context.cluster, "Istiod", RELEASE, values=values(node_selector=context.node_selector))
        chart.node.add_dependency(*prerequisites)
        return InstalledController(release=chart, role=None)


ADDON = Istiod()
