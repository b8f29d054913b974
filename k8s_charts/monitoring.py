"""The in-cluster monitoring stack's shared pieces: the namespace, the placement and the pinned charts.

The monitoring objects are split by component:
- here: `MonitoringNamespaceChart` (the `monitoring` namespace and the encrypted gp3 StorageClass that
  Prometheus and Alertmanager keep their data on; the cluster has no default StorageClass), the
  placement on system-nodes, and the pinned Helm releases (downloaded by the kubectl handler at deploy
  time);
- k8s_charts/exporters.py: the design's `postgres-exporter` (9187) and `redis-exporter` (9121);
- k8s_charts/prometheus.py: prometheus-community/prometheus (with Alertmanager publishing to SNS) and
  prometheus-adapter;
- k8s_charts/grafana.py: Grafana's values, its dashboard and its admin Secret (External Secrets);
- k8s_charts/cloudwatch_agent.py: the amazon-cloudwatch-observability add-on's agent configuration.

Every pod of ours satisfies the Pod Security Standards "restricted" profile; the charts are given the
same security contexts (k8s_charts/security.py) through their values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cdk8s
from cdk8s_plus_36 import k8s
from constructs import Construct

from k8s_charts.helm import HelmRelease
from k8s_charts.mesh_policy import prometheus_peer_authentication
from k8s_charts.platform import pod_security_labels
from names import K8sNames

# The charts' pods cannot all be proven "restricted" before they render; the namespace enforces
# "baseline" and warns and audits on "restricted", which their values are set to meet.
MONITORING_PSS_ENFORCE = "baseline"
MONITORING_PSS_AUDIT = "restricted"
STORAGE_CLASS = "monitoring-gp3"


@dataclass(frozen=True)
class MonitoringPlacement:
    """Monitoring runs next to the cluster's controllers on system-nodes (untainted, so no tolerations)."""

    node_selector: Mapping[str, str]

    def values(self) -> dict[str, Any]:
        return {"nodeSelector": dict(self.node_selector), "tolerations": []}


# --- cdk8s charts -------------------------------------------------------------------------------------


class MonitoringNamespaceChart(cdk8s.Chart):
    """The `monitoring` namespace and the StorageClass of the monitoring volumes."""

    def __init__(self, scope: Construct, id_: str, *, kubernetes_version: str, prometheus_meshed: bool = False) -> None:
        """`prometheus_meshed`: Prometheus joins the mesh as a client; its own inbound stays PERMISSIVE."""
        super().__init__(scope, id_, disable_resource_name_hashes=True)
        version = f"v{kubernetes_version}"
        labels = pod_security_labels(MONITORING_PSS_AUDIT, version)
        labels["pod-security.kubernetes.io/enforce"] = MONITORING_PSS_ENFORCE
        self.namespace_object = k8s.KubeNamespace(
            self, "Namespace", metadata=k8s.ObjectMeta(name=K8sNames.MONITORING_NAMESPACE, labels=labels)
        )
        self.storage_class = k8s.KubeStorageClass(
            self,
            "StorageClass",
            metadata=k8s.ObjectMeta(name=STORAGE_CLASS),
            provisioner="ebs.csi.aws.com",
            parameters={"type": "gp3", "encrypted": "true"},
            # A volume is created in the zone of the node its pod is scheduled to, not a random one.
            volume_binding_mode="WaitForFirstConsumer",
            allow_volume_expansion=True,
            reclaim_policy="Delete",
        )
        if prometheus_meshed:
            self.prometheus_mtls = prometheus_peer_authentication(self)


# --- Helm values ----------------------------------------------------------------------------------------


PROMETHEUS_CHART = HelmRelease(
    chart="prometheus",
    repository="https://prometheus-community.github.io/helm-charts",
    # Prometheus v3.4.1, Alertmanager 1.20.x and kube-state-metrics 5.33.x subcharts; published as the
    # chart-releaser release/tag prometheus-27.19.0 of prometheus-community/helm-charts (2025-06-01).
    version="27.19.0",
    release="prometheus",
    namespace=K8sNames.MONITORING_NAMESPACE,
)
PROMETHEUS_ADAPTER_CHART = HelmRelease(
    chart="prometheus-adapter",
    repository="https://prometheus-community.github.io/helm-charts",
    # prometheus-adapter v0.12.0; the chart-releaser release/tag prometheus-adapter-5.3.0 of
    # prometheus-community/helm-charts (2026-02-19).
    version="5.3.0",
    release=K8sNames.PROMETHEUS_ADAPTER,
    namespace=K8sNames.MONITORING_NAMESPACE,
)
# Grafana's charts moved to the community repository in 2026; the old one is frozen.
GRAFANA_CHART = HelmRelease(
    chart="grafana",
    repository="https://grafana-community.github.io/helm-charts",
    # Grafana 12.4.3; published in https://grafana-community.github.io/helm-charts/index.yaml
    # (grafana-community/helm-charts gh-pages: release asset grafana-11.6.1/grafana-11.6.1.tgz).
    version="11.6.1",
    release=K8sNames.GRAFANA,
    namespace=K8sNames.MONITORING_NAMESPACE,
)
