"""The design's Prometheus configuration (monitoring/prometheus-config.yaml), as the one Python source renders it.

The expected values below are the design document's, copied verbatim; the deliberate adjustments
(namespace-qualified targets, the node job through the API server, per-pod backend discovery) are
asserted as such.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from addons import prometheus_config as prom
from config import load_config
from names import K8sNames, Ports

APP_NAMESPACE = "tech-lib"

# The design's four rules, verbatim (seed: monitoring/prometheus-config.yaml, ConfigMap prometheus-rules).
SEED_RULES: dict[str, dict[str, Any]] = {
    "HighErrorRate": {
        "expr": 'sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.1',
        "for": "5m",
        "labels": {"severity": "critical"},
        "annotations": {
            "summary": "High error rate detected",
            "description": "Error rate is above 10% for 5 minutes",
        },
    },
    "HighLatency": {
        "expr": "histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (le)) > 1",
        "for": "5m",
        "labels": {"severity": "warning"},
        "annotations": {
            "summary": "High latency detected",
            "description": "95th percentile latency is above 1 second",
        },
    },
    "DatabaseConnectionHigh": {
        "expr": "pg_stat_activity_count > 180",
        "for": "2m",
        "labels": {"severity": "warning"},
        "annotations": {
            "summary": "High database connections",
            "description": "Database connection count is high: {{ $value }}",
        },
    },
    "PodCrashLooping": {
        "expr": "rate(kube_pod_container_status_restarts_total[15m]) > 0",
        "for": "5m",
        "labels": {"severity": "critical"},
        "annotations": {
            "summary": "Pod is crash looping",
            "description": "Pod {{ $labels.pod }} in namespace {{ $labels.namespace }} is crash looping",
        },
    },
}

SEED_APISERVER_RELABEL = {
    "source_labels": [
        "__meta_kubernetes_namespace",
        "__meta_kubernetes_service_name",
        "__meta_kubernetes_endpoint_port_name",
    ],
    "action": "keep",
    "regex": "default;kubernetes;https",
}
SEED_POD_RELABELS = [
    {"source_labels": ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], "action": "keep", "regex": "true"},
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
]
SA = "/var/run/secrets/kubernetes.io/serviceaccount"


def _config() -> dict[str, Any]:
    return prom.prometheus_config(app_namespace=APP_NAMESPACE)


def _job(name: str) -> dict[str, Any]:
    jobs = {job["job_name"]: job for job in _config()["scrape_configs"]}
    return jobs[name]


def _rules(max_connections: int = 200) -> dict[str, dict[str, Any]]:
    (group,) = prom.rule_file(max_connections=max_connections)["groups"]
    assert group["name"] == "tech-lib-alerts"
    return {rule["alert"]: rule for rule in group["rules"]}


def test_global_scrape_and_evaluation_interval_are_15s() -> None:
    assert _config()["global"] == {"scrape_interval": "15s", "evaluation_interval": "15s"}


def test_the_six_scrape_jobs_of_the_design_in_its_order() -> None:
    assert [job["job_name"] for job in _config()["scrape_configs"]] == [
        "kubernetes-apiservers",
        "kubernetes-nodes",
        "kubernetes-pods",
        "tech-lib-backend",
        "tech-lib-database",
        "tech-lib-redis",
    ]


def test_apiservers_job_is_the_designs() -> None:
    assert _job("kubernetes-apiservers") == {
        "job_name": "kubernetes-apiservers",
        "kubernetes_sd_configs": [{"role": "endpoints"}],
        "scheme": "https",
        "tls_config": {"ca_file": f"{SA}/ca.crt"},
        "bearer_token_file": f"{SA}/token",
        "relabel_configs": [SEED_APISERVER_RELABEL],
    }


def test_nodes_job_keeps_the_design_labelmap_first() -> None:
    job = _job("kubernetes-nodes")
    assert job["kubernetes_sd_configs"] == [{"role": "node"}]
    assert job["relabel_configs"][0] == {"action": "labelmap", "regex": "__meta_kubernetes_node_label_(.+)"}


def test_nodes_job_scrapes_the_kubelet_over_https_through_the_api_server() -> None:
    job = _job("kubernetes-nodes")
    assert job["scheme"] == "https"
    assert job["tls_config"] == {"ca_file": f"{SA}/ca.crt"}
    assert job["bearer_token_file"] == f"{SA}/token"
    assert {"target_label": "__address__", "replacement": "kubernetes.default.svc:443"} in job["relabel_configs"]
    assert job["relabel_configs"][-1]["replacement"] == "/api/v1/nodes/$1/proxy/metrics"


def test_pods_job_has_exactly_the_designs_three_relabel_rules() -> None:
    job = _job("kubernetes-pods")
    assert job["kubernetes_sd_configs"] == [{"role": "pod"}]
    assert job["relabel_configs"] == SEED_POD_RELABELS
    assert set(job) == {"job_name", "kubernetes_sd_configs", "relabel_configs"}


def test_backend_job_reads_backend_service_metrics_port_9090_every_30s() -> None:
    job = _job("tech-lib-backend")
    assert job["metrics_path"] == "/metrics"
    assert job["scrape_interval"] == "30s"
    assert job["kubernetes_sd_configs"] == [{"role": "endpoints", "namespaces": {"names": [APP_NAMESPACE]}}]
    keep_service, keep_port = job["relabel_configs"][:2]
    assert keep_service["action"] == "keep"
    assert keep_service["regex"] == f"{APP_NAMESPACE};backend-service;metrics"
    assert keep_port == {"source_labels": ["__address__"], "action": "keep", "regex": ".+:9090"}


def test_backend_job_labels_series_with_namespace_and_pod_for_the_adapter() -> None:
    relabels = _job("tech-lib-backend")["relabel_configs"]
    assert {"source_labels": ["__meta_kubernetes_namespace"], "target_label": "namespace"} in relabels
    assert {"source_labels": ["__meta_kubernetes_pod_name"], "target_label": "pod"} in relabels


@pytest.mark.parametrize(
    ("job", "target"),
    [
        ("tech-lib-database", "postgres-exporter.tech-lib.svc:9187"),
        ("tech-lib-redis", "redis-exporter.tech-lib.svc:9121"),
    ],
)
def test_exporter_jobs_scrape_the_exporter_services_every_30s(job: str, target: str) -> None:
    assert _job(job) == {"job_name": job, "static_configs": [{"targets": [target]}], "scrape_interval": "30s"}


def test_exporter_targets_are_built_from_the_shared_names() -> None:
    assert prom.service_target(K8sNames.POSTGRES_EXPORTER, Ports.POSTGRES_EXPORTER, APP_NAMESPACE) == (
        "postgres-exporter.tech-lib.svc:9187"
    )
    assert prom.service_target(K8sNames.REDIS_EXPORTER, Ports.REDIS_EXPORTER, APP_NAMESPACE) == (
        "redis-exporter.tech-lib.svc:9121"
    )


def test_alerts_go_to_the_designs_alertmanager_9093() -> None:
    assert _config()["alerting"] == {"alertmanagers": [{"static_configs": [{"targets": ["alertmanager:9093"]}]}]}


def test_rule_file_is_loaded_from_the_chart_config_directory() -> None:
    assert _config()["rule_files"] == ["/etc/config/tech-lib.yml"]


def test_the_four_alert_rules_of_the_design_in_its_order() -> None:
    assert list(_rules()) == ["HighErrorRate", "HighLatency", "DatabaseConnectionHigh", "PodCrashLooping"]


@pytest.mark.parametrize("alert", list(SEED_RULES))
def test_alert_rule_matches_the_design_verbatim(alert: str) -> None:
    assert _rules()[alert] == {"alert": alert, **SEED_RULES[alert]}


def test_database_connection_threshold_is_90_percent_of_max_connections() -> None:
    assert prom.db_connection_threshold(200) == 180
    assert prom.db_connection_threshold(500) == 450


def test_database_connection_rule_follows_the_configured_max_connections() -> None:
    prod = load_config("prod")
    rule = _rules(prod.database.max_connections)["DatabaseConnectionHigh"]
    assert rule["expr"] == f"pg_stat_activity_count > {prod.database.max_connections * 90 // 100}"
    assert _rules(400)["DatabaseConnectionHigh"]["expr"] == "pg_stat_activity_count > 360"


def test_rendered_yaml_round_trips_unchanged() -> None:
    """What the Helm chart writes into prometheus.yml and tech-lib.yml is YAML of these same values."""
    config = _config()
    assert yaml.safe_load(yaml.safe_dump(config)) == config
    rules = prom.rule_file(max_connections=200)
    assert yaml.safe_load(yaml.safe_dump(rules)) == rules


def test_adapter_serves_http_requests_per_second_from_the_backend_counter() -> None:
    rules = prom.adapter_rules()
    assert rules["default"] is False
    (rule,) = rules["custom"]
    assert rule["name"] == {"matches": "^http_requests_total$", "as": "http_requests_per_second"}
    assert rule["seriesQuery"] == 'http_requests_total{job="tech-lib-backend",namespace!="",pod!=""}'
    assert rule["resources"] == {"overrides": {"namespace": {"resource": "namespace"}, "pod": {"resource": "pod"}}}
    assert rule["metricsQuery"] == "sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)"


def test_the_frontend_is_watched_through_its_pods_state_not_scraped() -> None:
    """No job names the frontend (its nginx serves no metrics: README, deviations). The design's
    PodCrashLooping rule reads kube-state-metrics' restart counter of every pod with no selector, so the
    frontend's pods are still covered; its traffic is watched by the ALB and CloudFront alarms."""
    jobs = yaml.safe_dump(_config()["scrape_configs"])
    assert K8sNames.FRONTEND not in jobs
    crash_looping = _rules()["PodCrashLooping"]["expr"]
    assert crash_looping.startswith("rate(kube_pod_container_status_restarts_total[") and "{" not in crash_looping
