"""The design's Prometheus scrape configuration and alert rules, as data.

One source: the Helm values of the in-cluster Prometheus (addons/prometheus.py) are rendered from
these functions, and the tests compare the synthesized values against the design document through them.

Deviations from the design's `monitoring/prometheus-config.yaml`, each needed for the job to work:
- Prometheus runs in its own namespace (`monitoring`), so the Service targets of the app's namespace are
  qualified (`postgres-exporter.tech-lib.svc:9187`); the alerting target stays the design's
  `alertmanager:9093`, which resolves inside the monitoring namespace.
- `kubernetes-nodes` adds HTTPS with the service-account CA and token and goes through the API server's
  node proxy: the design's job would send plain HTTP to the kubelet's HTTPS-only port 10250.
- `tech-lib-backend` discovers the endpoints of `backend-service`'s `metrics` port (9090) instead of
  scraping the Service's virtual IP: a ClusterIP target is load-balanced, so every scrape would read a
  different pod's counters and `rate()` would see each switch as a counter reset. Per-pod series also
  carry the `namespace`/`pod` labels that prometheus-adapter needs to serve `http_requests_per_second`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from names import HealthPaths, K8sNames, Ports

GLOBAL_SCRAPE_INTERVAL = "15s"
GLOBAL_EVALUATION_INTERVAL = "15s"
APP_SCRAPE_INTERVAL = "30s"
SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
CA_FILE = f"{SERVICE_ACCOUNT_DIR}/ca.crt"
TOKEN_FILE = f"{SERVICE_ACCOUNT_DIR}/token"

# The chart mounts its server ConfigMap (prometheus.yml and every other `serverFiles` entry) here.
CONFIG_DIR = "/etc/config"
RULES_FILE = "tech-lib.yml"
RULE_GROUP = "tech-lib-alerts"
ALERTMANAGER_TARGET = f"{K8sNames.ALERTMANAGER}:{Ports.ALERTMANAGER}"

# DatabaseConnectionHigh fires at this share of the parameter group's max_connections: the design's
# 180 of 200. The threshold is derived here and nowhere else.
DB_CONNECTION_ALERT_PERCENT = 90

# prometheus-adapter turns the backend's request counter into the Pods metric the backend HPA reads.
HPA_REQUEST_METRIC = "http_requests_per_second"
REQUEST_COUNTER = "http_requests_total"
ADAPTER_RATE_WINDOW = "2m"


def db_connection_threshold(max_connections: int) -> int:
    """Connections above which DatabaseConnectionHigh fires (180 for the design's max_connections 200)."""
    return max_connections * DB_CONNECTION_ALERT_PERCENT // 100


@dataclass(frozen=True)
class AlertRule:
    alert: str
    expr: str
    for_: str
    severity: str
    summary: str
    description: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "alert": self.alert,
            "expr": self.expr,
            "for": self.for_,
            "labels": {"severity": self.severity},
            "annotations": {"summary": self.summary, "description": self.description},
        }


def alert_rules(*, max_connections: int) -> tuple[AlertRule, ...]:
    """The design's four alerts, expressions verbatim."""
    return (
        AlertRule(
            alert="HighErrorRate",
            expr='sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.1',
            for_="5m",
            severity="critical",
            summary="High error rate detected",
            description="Error rate is above 10% for 5 minutes",
        ),
        AlertRule(
            alert="HighLatency",
            expr="histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (le)) > 1",
            for_="5m",
            severity="warning",
            summary="High latency detected",
            description="95th percentile latency is above 1 second",
        ),
        AlertRule(
            alert="DatabaseConnectionHigh",
            expr=f"pg_stat_activity_count > {db_connection_threshold(max_connections)}",
            for_="2m",
            severity="warning",
            summary="High database connections",
            description="Database connection count is high: {{ $value }}",
        ),
        AlertRule(
            alert="PodCrashLooping",
            expr="rate(kube_pod_container_status_restarts_total[15m]) > 0",
            for_="5m",
            severity="critical",
            summary="Pod is crash looping",
            description="Pod {{ $labels.pod }} in namespace {{ $labels.namespace }} is crash looping",
        ),
    )


def rule_file(*, max_connections: int) -> dict[str, Any]:
    """The design's `tech-lib.yml` rule file."""
    return {
        "groups": [
            {"name": RULE_GROUP, "rules": [rule.to_dict() for rule in alert_rules(max_connections=max_connections)]}
        ]
    }


def service_target(name: str, port: int, namespace: str) -> str:
    """A Service address that resolves from any namespace."""
    return f"{name}.{namespace}.svc:{port}"


def scrape_configs(*, app_namespace: str) -> list[dict[str, Any]]:
    """The design's six scrape jobs (see the module docstring for the three adjusted ones)."""
    return [
        {
            "job_name": "kubernetes-apiservers",
            "kubernetes_sd_configs": [{"role": "endpoints"}],
            "scheme": "https",
            "tls_config": {"ca_file": CA_FILE},
            "bearer_token_file": TOKEN_FILE,
            "relabel_configs": [
                {
                    "source_labels": [
                        "__meta_kubernetes_namespace",
                        "__meta_kubernetes_service_name",
                        "__meta_kubernetes_endpoint_port_name",
                    ],
                    "action": "keep",
                    "regex": "default;kubernetes;https",
                }
            ],
        },
        {
            "job_name": "kubernetes-nodes",
            "kubernetes_sd_configs": [{"role": "node"}],
            "scheme": "https",
            "tls_config": {"ca_file": CA_FILE},
            "bearer_token_file": TOKEN_FILE,
            "relabel_configs": [
                {"action": "labelmap", "regex": "__meta_kubernetes_node_label_(.+)"},
                # Through the API server's node proxy: no pod-to-kubelet network path or kubelet certificate needed.
                {"target_label": "__address__", "replacement": "kubernetes.default.svc:443"},
                {
                    "source_labels": ["__meta_kubernetes_node_name"],
                    "regex": "(.+)",
                    "target_label": "__metrics_path__",
                    "replacement": "/api/v1/nodes/$1/proxy/metrics",
                },
            ],
        },
        {
            "job_name": "kubernetes-pods",
            "kubernetes_sd_configs": [{"role": "pod"}],
            "relabel_configs": [
                {
                    "source_labels": ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"],
                    "action": "keep",
                    "regex": "true",
                },
                {
                    "source_labels": ["__meta_kubernetes_pod_annotation_prometheus_io_path"],
                    "action": "replace",
                    "target_label": "__metrics_path__",
                    "regex": "(.+)",
                },
                {
                    "source_labels": ["__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"],
                    "action": "replace",
                    "regex": r"([^:]+)(?::\d+)?;(\d+)",
                    "replacement": "$1:$2",
                    "target_label": "__address__",
                },
            ],
        },
        {
            "job_name": "tech-lib-backend",
            "kubernetes_sd_configs": [{"role": "endpoints", "namespaces": {"names": [app_namespace]}}],
            "metrics_path": HealthPaths.BACKEND_METRICS,
            "scrape_interval": APP_SCRAPE_INTERVAL,
            "relabel_configs": [
                {
                    "source_labels": [
                        "__meta_kubernetes_namespace",
                        "__meta_kubernetes_service_name",
                        "__meta_kubernetes_endpoint_port_name",
                    ],
                    "action": "keep",
                    "regex": f"{app_namespace};{K8sNames.BACKEND_SERVICE};{K8sNames.METRICS_PORT}",
                },
                {
                    "source_labels": ["__address__"],
                    "action": "keep",
                    "regex": rf".+:{Ports.BACKEND_METRICS}",
                },
                {"source_labels": ["__meta_kubernetes_namespace"], "target_label": "namespace"},
                {"source_labels": ["__meta_kubernetes_pod_name"], "target_label": "pod"},
            ],
        },
        {
            "job_name": "tech-lib-database",
            "static_configs": [
                {"targets": [service_target(K8sNames.POSTGRES_EXPORTER, Ports.POSTGRES_EXPORTER, app_namespace)]}
            ],
            "scrape_interval": APP_SCRAPE_INTERVAL,
        },
        {
            "job_name": "tech-lib-redis",
            "static_configs": [
                {"targets": [service_target(K8sNames.REDIS_EXPORTER, Ports.REDIS_EXPORTER, app_namespace)]}
            ],
            "scrape_interval": APP_SCRAPE_INTERVAL,
        },
    ]


def prometheus_config(*, app_namespace: str) -> dict[str, Any]:
    """The whole prometheus.yml of the design, as Prometheus will load it."""
    return {
        "global": {
            "scrape_interval": GLOBAL_SCRAPE_INTERVAL,
            "evaluation_interval": GLOBAL_EVALUATION_INTERVAL,
        },
        "rule_files": [f"{CONFIG_DIR}/{RULES_FILE}"],
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": [ALERTMANAGER_TARGET]}]}]},
        "scrape_configs": scrape_configs(app_namespace=app_namespace),
    }


def adapter_rules() -> dict[str, Any]:
    """prometheus-adapter rules: only the backend's per-pod request rate, as `http_requests_per_second`."""
    return {
        "default": False,
        "custom": [
            {
                "seriesQuery": f'{REQUEST_COUNTER}{{job="tech-lib-backend",namespace!="",pod!=""}}',
                "resources": {"overrides": {"namespace": {"resource": "namespace"}, "pod": {"resource": "pod"}}},
                "name": {"matches": f"^{REQUEST_COUNTER}$", "as": HPA_REQUEST_METRIC},
                "metricsQuery": f"sum(rate(<<.Series>>{{<<.LabelMatchers>>}}[{ADAPTER_RATE_WINDOW}])) by (<<.GroupBy>>)",
            }
        ],
    }
