"""The monitoring namespace: the first monitoring add-on, which every other one in that namespace needs.

`MonitoringNamespaceChart`: the `monitoring` namespace and the encrypted gp3 StorageClass that Prometheus
and Alertmanager keep their data on (the cluster has no default StorageClass), applied by the Monitoring
stack; `MonitoringPlacement`: the monitoring pods run next to the cluster's controllers on system-nodes.
The charts of the namespace are the add-ons addons/prometheus.py, addons/prometheus_adapter.py and
addons/grafana.py; every pod of ours satisfies the Pod Security Standards "restricted" profile, and the
charts are given the same security contexts (k8s_charts/security.py) through their values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cdk8s
from aws_cdk import aws_eks_v2 as eks
from cdk8s_plus_36 import k8s
from constructs import Construct

from addons.base import InstalledMonitoring, MonitoringContext
from addons.pods import PodComponent
from config import AppConfig
from k8s_charts.mesh_policy import joins_mesh, prometheus_peer_authentication
from k8s_charts.platform import pod_security_labels
from names import K8sNames

# The charts' pods cannot all be proven "restricted" before they render; the namespace enforces
# "baseline" and warns and audits on "restricted", which their values are set to meet.
MONITORING_PSS_ENFORCE = "baseline"
MONITORING_PSS_AUDIT = "restricted"
STORAGE_CLASS = "monitoring-gp3"
# One Prometheus, Alertmanager and Grafana each: their volumes are ReadWriteOnce.
MONITORING_REPLICAS = 1


@dataclass(frozen=True)
class MonitoringPlacement:
    """Monitoring runs next to the cluster's controllers on system-nodes (untainted, so no tolerations)."""

    node_selector: Mapping[str, str]

    def values(self) -> dict[str, Any]:
        return {"nodeSelector": dict(self.node_selector), "tolerations": []}


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


class MonitoringNamespace:
    name = "monitoring-namespace"
    needs: tuple[str, ...] = ()

    def enabled(self, *, config: AppConfig) -> bool:
        return True

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return {}

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return ()

    def install(
        self, scope: Construct, *, context: MonitoringContext, installed: Mapping[str, InstalledMonitoring]
    ) -> InstalledMonitoring:
        config = context.config
        namespace = eks.KubernetesManifest(
            scope,
            "MonitoringNamespace",
            cluster=context.cluster,
            manifest=MonitoringNamespaceChart(
                context.k8s_app,
                f"{config.resource_prefix}-monitoring-namespace",
                kubernetes_version=config.eks.kubernetes_version,
                prometheus_meshed=joins_mesh(config, config.workloads.namespace),
            ).to_json(),
        )
        return InstalledMonitoring(release=namespace)


ADDON = MonitoringNamespace()
