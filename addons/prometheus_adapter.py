"""prometheus-adapter: the custom metrics API serving the backend HPA's `http_requests_per_second`.

It reads the in-cluster Prometheus (addons/prometheus.py), so it needs that release; its rules are
addons/prometheus_config.py's `adapter_rules`. No AWS role, no CRDs (it registers an APIService).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs import Construct

from addons import prometheus
from addons import prometheus_config as prom
from addons.base import InstalledMonitoring, MonitoringContext, monitoring_release, system_node_selector
from addons.monitoring_namespace import MONITORING_REPLICAS, MonitoringPlacement
from addons.pods import PodComponent, PodResources, component
from config import AppConfig
from k8s_charts.helm import HelmRelease
from k8s_charts.security import restricted_container_security_context, restricted_pod_security_context
from names import K8sNames, Ports

RELEASE = HelmRelease(
    chart="prometheus-adapter",
    repository="https://prometheus-community.github.io/helm-charts",
    # prometheus-adapter v0.12.0; the chart-releaser release/tag prometheus-adapter-5.3.0 of
    # prometheus-community/helm-charts (2026-02-19).
    version="5.3.0",
    release=K8sNames.PROMETHEUS_ADAPTER,
    namespace=K8sNames.MONITORING_NAMESPACE,
)
# The chart's commented example requests 100m/128Mi; it serves one metric.
RESOURCES = PodResources(cpu_request_m=50, memory_request_mib=128, memory_limit_mib=256)


def adapter_values(*, placement: MonitoringPlacement) -> dict[str, Any]:
    """Values of prometheus-adapter: the custom metrics API backed by the in-cluster Prometheus."""
    return {
        "prometheus": {"url": prometheus.PROMETHEUS_URL, "port": Ports.PROMETHEUS_SERVER},
        "rules": prom.adapter_rules(),
        "securityContext": restricted_container_security_context(),
        "podSecurityContext": restricted_pod_security_context(10001, fs_group=False),
        "replicas": MONITORING_REPLICAS,
        "resources": RESOURCES.values(),
        **placement.values(),
    }


class PrometheusAdapter:
    name = RELEASE.release
    needs = (prometheus.ADDON.name,)

    def enabled(self, *, config: AppConfig) -> bool:
        return True

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return adapter_values(placement=MonitoringPlacement(node_selector=system_node_selector(config)))

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return (
            component(
                name=K8sNames.PROMETHEUS_ADAPTER,
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
        self, scope: Construct, *, context: MonitoringContext, installed: Mapping[str, InstalledMonitoring]
    ) -> InstalledMonitoring:
        chart = monitoring_release(
            scope,
            "PrometheusAdapter",
            context=context,
            release=RELEASE,
            values=adapter_values(placement=MonitoringPlacement(node_selector=context.node_selector)),
        )
        chart.node.add_dependency(installed[prometheus.ADDON.name].release)
        return InstalledMonitoring(release=chart)


ADDON = PrometheusAdapter()
