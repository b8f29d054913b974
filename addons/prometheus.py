"""prometheus-community/prometheus: the in-cluster Prometheus with Alertmanager and kube-state-metrics.

- `RELEASE`: the pinned chart; `prometheus_values`: the design's prometheus.yml and rule file
  (addons/prometheus_config.py, 「監視・ログ設計」「Prometheus + Grafana 設定」 of the design document
  「インフラ設計書 - 技術書管理システム」), Alertmanager routing every alert to the SNS topic with SigV4, and
  kube-state-metrics for the PodCrashLooping rule;
- the pods (server with its configmap-reload sidecar, Alertmanager, kube-state-metrics) and their sizing;
- Alertmanager's Pod Identity role, allowed to publish to the alarm topic only.
It installs no CRDs. It needs the monitoring namespace (its StorageClass holds both volumes).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs import Construct

from addons import istio_monitoring, monitoring_namespace
from addons import prometheus_config as prom
from addons.base import PLACEHOLDER, InstalledMonitoring, MonitoringContext, monitoring_release, system_node_selector
from addons.monitoring_namespace import MONITORING_REPLICAS, STORAGE_CLASS, MonitoringPlacement
from addons.pod_identity import PodIdentityRole
from addons.pods import PodComponent, PodResources, component
from config import AppConfig
from findings import nag_acknowledge, nag_acknowledge_inline_policy
from k8s_charts.helm import HelmRelease
from k8s_charts.mesh_policy import joins_mesh
from k8s_charts.security import restricted_container_security_context, restricted_pod_security_context
from names import K8sNames

RELEASE = HelmRelease(
    chart="prometheus",
    repository="https://prometheus-community.github.io/helm-charts",
    # Prometheus v3.4.1, Alertmanager 1.20.x and kube-state-metrics 5.33.x subcharts; published as the
    # chart-releaser release/tag prometheus-27.19.0 of prometheus-community/helm-charts (2025-06-01).
    version="27.19.0",
    # the `digest` of this version in prometheus-community/helm-charts gh-pages index.yaml
    digest="0c53270ac48db2a1d4aa35513eba76f1d20b0b31c96eb05ee54ad9af7ed9c930",
    release="prometheus",
    namespace=K8sNames.MONITORING_NAMESPACE,
)

PROMETHEUS_RETENTION = "15d"
PROMETHEUS_VOLUME_SIZE = "20Gi"
PROMETHEUS_URL = f"http://{K8sNames.PROMETHEUS_SERVER}.{K8sNames.MONITORING_NAMESPACE}.svc"
KUBE_STATE_METRICS_PORT = 8080

# Prometheus: ~30 targets at 15 s, 15 days of retention; 512Mi request, 1Gi limit (the chart sets none).
SERVER_RESOURCES = PodResources(cpu_request_m=200, memory_request_mib=512, memory_limit_mib=1024)
# The chart's configmap-reload sidecar of the server: it only watches a directory.
CONFIGMAP_RELOAD_RESOURCES = PodResources(cpu_request_m=10, memory_request_mib=32, memory_limit_mib=64)
# Alertmanager: the chart's commented example 10m/32Mi; a few alerts a day.
ALERTMANAGER_RESOURCES = PodResources(cpu_request_m=10, memory_request_mib=32, memory_limit_mib=128)
# kube-state-metrics: the chart's example requests 10m/32Mi; 64Mi for a cluster of a few hundred objects.
KUBE_STATE_METRICS_RESOURCES = PodResources(cpu_request_m=10, memory_request_mib=64, memory_limit_mib=128)


def alertmanager_config(*, topic_arn: str, region: str) -> dict[str, Any]:
    """Every alert to the SNS topic, signed with SigV4 by the Alertmanager pod's Pod Identity role."""
    return {
        "enabled": True,
        "global": {"resolve_timeout": "5m"},
        "route": {
            "receiver": "sns",
            "group_by": ["alertname", "severity"],
            "group_wait": "30s",
            "group_interval": "5m",
            "repeat_interval": "4h",
        },
        "receivers": [
            {
                "name": "sns",
                "sns_configs": [
                    {
                        "topic_arn": topic_arn,
                        "sigv4": {"region": region},
                        "send_resolved": True,
                        "attributes": {"severity": "{{ .CommonLabels.severity }}"},
                    }
                ],
            }
        ],
    }


def prometheus_values(
    *,
    app_namespace: str,
    max_connections: int,
    topic_arn: str,
    region: str,
    placement: MonitoringPlacement,
) -> dict[str, Any]:
    """Values of prometheus-community/prometheus: the design's configuration, Alertmanager and kube-state-metrics."""
    config = prom.prometheus_config(app_namespace=app_namespace)
    return {
        "server": {
            "fullnameOverride": K8sNames.PROMETHEUS_SERVER,
            "global": config["global"],
            # The design's `alertmanager:9093` (the Alertmanager Service in this namespace).
            "alertmanagers": config["alerting"]["alertmanagers"],
            "retention": PROMETHEUS_RETENTION,
            "persistentVolume": {"enabled": True, "size": PROMETHEUS_VOLUME_SIZE, "storageClass": STORAGE_CLASS},
            "securityContext": restricted_pod_security_context(),
            "containerSecurityContext": restricted_container_security_context(),
            "replicaCount": MONITORING_REPLICAS,
            "resources": SERVER_RESOURCES.values(),
            **placement.values(),
        },
        "configmapReload": {
            "prometheus": {
                "containerSecurityContext": restricted_container_security_context(),
                "resources": CONFIGMAP_RELOAD_RESOURCES.values(),
            }
        },
        "serverFiles": {
            "prometheus.yml": {"rule_files": config["rule_files"], "scrape_configs": config["scrape_configs"]},
            prom.RULES_FILE: prom.rule_file(max_connections=max_connections),
        },
        "alertmanager": {
            "enabled": True,
            "fullnameOverride": K8sNames.ALERTMANAGER,
            "serviceAccount": {"create": True, "name": K8sNames.ALERTMANAGER},
            "config": alertmanager_config(topic_arn=topic_arn, region=region),
            "persistence": {"enabled": True, "size": "2Gi", "storageClass": STORAGE_CLASS},
            "podSecurityContext": restricted_pod_security_context(),
            "securityContext": restricted_container_security_context(),
            "replicaCount": MONITORING_REPLICAS,
            "resources": ALERTMANAGER_RESOURCES.values(),
            **placement.values(),
        },
        # PodCrashLooping reads kube_pod_container_status_restarts_total: kube-state-metrics, scraped by the
        # design's annotation-driven kubernetes-pods job.
        "kube-state-metrics": {
            "enabled": True,
            "podAnnotations": {"prometheus.io/scrape": "true", "prometheus.io/port": str(KUBE_STATE_METRICS_PORT)},
            "securityContext": restricted_pod_security_context(),
            "containerSecurityContext": restricted_container_security_context(),
            "replicas": MONITORING_REPLICAS,
            "resources": KUBE_STATE_METRICS_RESOURCES.values(),
            **placement.values(),
        },
        # Node metrics come from the CloudWatch agent (the design's TechLib/EKS namespace): no node exporter,
        # whose host mounts the restricted profile forbids. Nothing pushes metrics: no Pushgateway.
        "prometheus-node-exporter": {"enabled": False},
        "prometheus-pushgateway": {"enabled": False},
    }


def _values(config: AppConfig, *, topic_arn: str, region: str) -> dict[str, Any]:
    values = prometheus_values(
        app_namespace=config.workloads.namespace,
        max_connections=config.database.max_connections,
        topic_arn=topic_arn,
        region=region,
        placement=MonitoringPlacement(node_selector=system_node_selector(config)),
    )
    # Prometheus joins the mesh as a client when the namespace it scrapes is meshed (addons/istio_monitoring.py).
    if joins_mesh(config, config.workloads.namespace):
        return istio_monitoring.with_mesh_monitoring(values, rules_file=prom.RULES_FILE)
    return values


class Prometheus:
    name = RELEASE.release
    needs = (monitoring_namespace.ADDON.name,)

    def enabled(self, *, config: AppConfig) -> bool:
        return True

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return _values(config, topic_arn=PLACEHOLDER, region=config.region)

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        server = values.get("server", {})
        reload = (values.get("configmapReload", {}).get("prometheus", {}) or {}).get("resources") or {}
        return (
            component(
                name=K8sNames.PROMETHEUS_SERVER,
                namespace=RELEASE.namespace,
                kind="Deployment",
                source=RELEASE.release,
                source_kind="helm",
                values=server,
                replicas_key="replicaCount",
                default_replicas=1,
                extra=PodResources.from_values(reload),
                # The chart's server strategy is Recreate (its volume is ReadWriteOnce): no surge pod.
                surge=False,
                declared_resources=bool(server.get("resources")) and bool(reload),
            ),
            component(
                name=K8sNames.ALERTMANAGER,
                namespace=RELEASE.namespace,
                kind="StatefulSet",
                source=RELEASE.release,
                source_kind="helm",
                values=values.get("alertmanager", {}),
                replicas_key="replicaCount",
                default_replicas=1,
            ),
            component(
                # The subchart's fullname: <release>-kube-state-metrics.
                name=f"{RELEASE.release}-kube-state-metrics",
                namespace=RELEASE.namespace,
                kind="Deployment",
                source=RELEASE.release,
                source_kind="helm",
                values=values.get("kube-state-metrics", {}),
                replicas_key="replicas",
                default_replicas=1,
            ),
        )

    def install(
        self, scope: Construct, *, context: MonitoringContext, installed: Mapping[str, InstalledMonitoring]
    ) -> InstalledMonitoring:
        # Alertmanager signs its SNS calls with this role (Pod Identity on its service account).
        role = PodIdentityRole(
            scope,
            "AlertmanagerRole",
            cluster=context.cluster,
            cluster_name=context.config.eks.cluster_name,
            namespace=K8sNames.MONITORING_NAMESPACE,
            service_account=K8sNames.ALERTMANAGER,
            description="Alertmanager: publishes Prometheus alerts to the alarm topic",
        )
        context.topic.grant_publish(role.role)
        nag_acknowledge_inline_policy(role, "Alertmanager's publish to the alarm topic")
        nag_acknowledge(
            role,
            "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
            "publishing to the KMS-encrypted topic needs GenerateDataKey* on its key (only that key)",
        )
        chart = monitoring_release(
            scope,
            "Prometheus",
            context=context,
            release=RELEASE,
            values=_values(context.config, topic_arn=context.topic.topic_arn, region=context.region),
        )
        chart.node.add_dependency(installed[monitoring_namespace.ADDON.name].release, role, *context.platform_ready)
        return InstalledMonitoring(release=chart, role=role)


ADDON = Prometheus()
