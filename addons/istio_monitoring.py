"""How Prometheus watches the Istio mesh and reaches meshed pods under STRICT mTLS (used by addons/prometheus.py).

- Prometheus' server pod joins the mesh on its own (pod label `istio.io/dataplane-mode: ambient`), so its
  scrapes of the meshed app namespace leave through ztunnel as HBONE with mTLS and its identity
  `cluster.local/ns/monitoring/sa/prometheus-server`, which the app's AuthorizationPolicies allow on the metrics
  ports only. No certificates are mounted or rotated by hand (the sidecar-era recipe): ztunnel holds them.
- istiod (15014) and ztunnel (15020) are not meshed themselves: Prometheus scrapes them in plaintext through
  ztunnel's passthrough, by two jobs of their own (they also carry `prometheus.io/scrape` annotations; the
  jobs name them so the alerts can).
- Alerts: istiod unavailable (no istiod target up), and a node whose ztunnel is not ready (kube-state-metrics;
  meshed pods there have no traffic).
"""

from __future__ import annotations

from typing import Any

from addons.prometheus_config import AlertRule
from names import Mesh, Ports

ISTIOD_JOB = "istiod"
ZTUNNEL_JOB = "ztunnel"
MESH_RULE_GROUP = "service-mesh"
PROMETHEUS_POD_LABELS = {Mesh.DATAPLANE_MODE_LABEL: Mesh.AMBIENT}


def mesh_scrape_configs() -> list[dict[str, Any]]:
    def job(name: str, app: str, port: int) -> dict[str, Any]:
        return {
            "job_name": name,
            "kubernetes_sd_configs": [{"role": "pod", "namespaces": {"names": [Mesh.NAMESPACE]}}],
            "relabel_configs": [
                {"source_labels": ["__meta_kubernetes_pod_label_app"], "action": "keep", "regex": app},
                {
                    "source_labels": ["__address__"],
                    "action": "replace",
                    "regex": r"([^:]+)(?::\d+)?",
                    "replacement": f"$1:{port}",
                    "target_label": "__address__",
                },
                {"source_labels": ["__meta_kubernetes_pod_name"], "target_label": "pod"},
                {"source_labels": ["__meta_kubernetes_pod_node_name"], "target_label": "node"},
            ],
        }

    return [
        job(ISTIOD_JOB, Mesh.ISTIOD, Ports.ISTIOD_MONITORING),
        job(ZTUNNEL_JOB, Mesh.ZTUNNEL, Ports.ZTUNNEL_METRICS),
    ]


def mesh_alert_rules() -> tuple[AlertRule, ...]:
    return (
        AlertRule(
            alert="IstiodUnavailable",
            expr=f'absent(up{{job="{ISTIOD_JOB}"}} == 1)',
            for_="5m",
            severity="critical",
            summary="istiod is unavailable",
            description="No istiod replica answers: no new certificates, no policy or endpoint updates for ztunnel",
        ),
        AlertRule(
            alert="ZtunnelNotReady",
            expr=(
                f'(kube_pod_status_ready{{namespace="{Mesh.NAMESPACE}", pod=~"{Mesh.ZTUNNEL}-.+", condition="true"}} == 0)'
                " * on (namespace, pod) group_left (node) kube_pod_info"
            ),
            for_="5m",
            severity="critical",
            summary="ztunnel not ready on a node",
            description="ztunnel on node {{ $labels.node }} is not ready: meshed pods there can neither send nor receive",
        ),
    )


def mesh_rule_group() -> dict[str, Any]:
    return {"name": MESH_RULE_GROUP, "rules": [rule.to_dict() for rule in mesh_alert_rules()]}


def with_mesh_monitoring(values: dict[str, Any], *, rules_file: str) -> dict[str, Any]:
    """Prometheus' values with its server pod enrolled in ambient, the mesh's scrape jobs and alert group."""
    files = values["serverFiles"]
    return {
        **values,
        "server": {**values["server"], "podLabels": dict(PROMETHEUS_POD_LABELS)},
        "serverFiles": {
            **files,
            "prometheus.yml": {
                **files["prometheus.yml"],
                "scrape_configs": [*files["prometheus.yml"]["scrape_configs"], *mesh_scrape_configs()],
            },
            rules_file: {"groups": [*files[rules_file]["groups"], mesh_rule_group()]},
        },
    }
