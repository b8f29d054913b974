"""Helm values of prometheus-community/prometheus and prometheus-adapter.

- `prometheus_values`: the design's prometheus.yml and rule file (k8s_charts/prometheus_config.py),
  Alertmanager routing every alert to the SNS topic with SigV4, and kube-state-metrics for the
  PodCrashLooping rule;
- `adapter_values`: prometheus-adapter serving the backend HPA's `http_requests_per_second`.
"""

from __future__ import annotations

from typing import Any

from fit import sizing
from k8s_charts import mesh_monitoring
from k8s_charts import prometheus_config as prom
from k8s_charts.monitoring import (
    STORAGE_CLASS,
    MonitoringPlacement,
)
from k8s_charts.security import restricted_container_security_context, restricted_pod_security_context
from names import K8sNames, Ports

PROMETHEUS_RETENTION = "15d"
PROMETHEUS_VOLUME_SIZE = "20Gi"
PROMETHEUS_URL = f"http://{K8sNames.PROMETHEUS_SERVER}.{K8sNames.MONITORING_NAMESPACE}.svc"
KUBE_STATE_METRICS_PORT = 8080


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
    mesh: bool = False,
) -> dict[str, Any]:
    """Values of prometheus-community/prometheus: the design's configuration, Alertmanager and kube-state-metrics.

    `mesh`: the service mesh runs (k8s_charts/mesh_monitoring.py): Prometheus joins it as a client, scrapes
    istiod and ztunnel and alerts on them."""
    config = prom.prometheus_config(app_namespace=app_namespace)
    values = _prometheus_values(
        config, max_connections=max_connections, topic_arn=topic_arn, region=region, placement=placement
    )
    return with_mesh_monitoring(values) if mesh else values


def with_mesh_monitoring(values: dict[str, Any]) -> dict[str, Any]:
    """The server pod enrolled in ambient, the mesh's scrape jobs and alert group added."""
    files = values["serverFiles"]
    rules = files[prom.RULES_FILE]
    return {
        **values,
        "server": {**values["server"], "podLabels": dict(mesh_monitoring.PROMETHEUS_POD_LABELS)},
        "serverFiles": {
            **files,
            "prometheus.yml": {
                **files["prometheus.yml"],
                "scrape_configs": [*files["prometheus.yml"]["scrape_configs"], *mesh_monitoring.mesh_scrape_configs()],
            },
            prom.RULES_FILE: {"groups": [*rules["groups"], mesh_monitoring.mesh_rule_group()]},
        },
    }


def _prometheus_values(
    config: dict[str, Any], *, max_connections: int, topic_arn: str, region: str, placement: MonitoringPlacement
) -> dict[str, Any]:
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
            "replicaCount": sizing.MONITORING_REPLICAS,
            "resources": sizing.PROMETHEUS_SERVER.values(),
            **placement.values(),
        },
        "configmapReload": {
            "prometheus": {
                "containerSecurityContext": restricted_container_security_context(),
                "resources": sizing.CONFIGMAP_RELOAD.values(),
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
            "replicaCount": sizing.MONITORING_REPLICAS,
            "resources": sizing.ALERTMANAGER.values(),
            **placement.values(),
        },
        # PodCrashLooping reads kube_pod_container_status_restarts_total: kube-state-metrics, scraped by the
        # design's annotation-driven kubernetes-pods job.
        "kube-state-metrics": {
            "enabled": True,
            "podAnnotations": {"prometheus.io/scrape": "true", "prometheus.io/port": str(KUBE_STATE_METRICS_PORT)},
            "securityContext": restricted_pod_security_context(),
            "containerSecurityContext": restricted_container_security_context(),
            "replicas": sizing.MONITORING_REPLICAS,
            "resources": sizing.KUBE_STATE_METRICS.values(),
            **placement.values(),
        },
        # Node metrics come from the CloudWatch agent (the design's TechLib/EKS namespace): no node exporter,
        # whose host mounts the restricted profile forbids. Nothing pushes metrics: no Pushgateway.
        "prometheus-node-exporter": {"enabled": False},
        "prometheus-pushgateway": {"enabled": False},
    }


def adapter_values(*, placement: MonitoringPlacement) -> dict[str, Any]:
    """Values of prometheus-adapter: the custom metrics API backed by the in-cluster Prometheus."""
    return {
        "prometheus": {"url": PROMETHEUS_URL, "port": Ports.PROMETHEUS_SERVER},
        "rules": prom.adapter_rules(),
        "securityContext": restricted_container_security_context(),
        "podSecurityContext": restricted_pod_security_context(10001, fs_group=False),
        "replicas": sizing.MONITORING_REPLICAS,
        "resources": sizing.PROMETHEUS_ADAPTER.values(),
        **placement.values(),
    }
