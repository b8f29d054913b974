"""metrics-server: resource metrics for the seed's HPAs. It calls no AWS API, so it has no AWS role."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from constructs import Construct, IDependable

from addons.base import ClusterContext, InstalledController, helm_release, system_node_selector
from addons.pods import PodComponent, PodResources, component
from config import AppConfig
from k8s_charts.helm import HelmRelease
from names import K8sNames

RELEASE = HelmRelease(
    chart="metrics-server",
    repository="https://kubernetes-sigs.github.io/metrics-server/",
    # metrics-server v0.8.0; published in https://kubernetes-sigs.github.io/metrics-server/index.yaml
    # (kubernetes-sigs/metrics-server gh-pages: release asset metrics-server-helm-chart-3.13.0/metrics-server-3.13.0.tgz).
    version="3.13.0",
    namespace=K8sNames.KUBE_SYSTEM_NAMESPACE,
    release="metrics-server",
)
# The chart's default requests (100m/200Mi), sized by upstream for clusters up to ~100 nodes.
REPLICAS = 1
RESOURCES = PodResources(cpu_request_m=100, memory_request_mib=200, memory_limit_mib=400)


def values(*, node_selector: Mapping[str, str]) -> dict[str, Any]:
    return {
        "replicas": REPLICAS,
        "resources": RESOURCES.values(),
        "nodeSelector": dict(node_selector),
        "tolerations": [],
    }


class MetricsServer:
    name = RELEASE.release

    def enabled(self, *, config: AppConfig) -> bool:
        return True

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return values(node_selector=system_node_selector(config))

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return (
            component(
                name=RELEASE.release,
                namespace=RELEASE.namespace,
                kind="Deployment",
                source=RELEASE.release,
                source_kind="helm",
                values=values,
                replicas_key="replicas",
                default_replicas=1,
            ),
        )

    def install(
        self, scope: Construct, *, context: ClusterContext, prerequisites: Sequence[IDependable]
    ) -> InstalledController:
        chart = helm_release(
            context.cluster, "MetricsServer", RELEASE, values=values(node_selector=context.node_selector)
        )
        chart.node.add_dependency(*prerequisites)
        return InstalledController(release=chart, role=None)


ADDON = MetricsServer()
