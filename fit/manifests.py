"""What the cross-layer rules (fit/cross_layer.py) read: our cdk8s charts rendered as plain manifests, the Helm
values and the AWS side's ports (`Layers`, built by `layers`), and the helpers the rules use over those manifests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import cdk8s

from addons import exporters, monitoring_namespace, prometheus, prometheus_adapter
from config import AppConfig, ConfigError
from fit.reachability import config_peers
from k8s_charts import workloads as app
from k8s_charts.mesh_policy import joins_mesh, mesh_access
from k8s_charts.platform import AppSecretsChart, AppSecretsValues
from names import K8sNames, NodeGroups, Ports

_PLACEHOLDER = "placeholder"


@dataclass(frozen=True)
class Finding:
    rule: str  # ports, metrics, data, storage
    subject: str  # the object or value at fault, as a dotted key
    problem: str
    allowed: str
    warning: bool = False

    def error(self) -> ConfigError:
        return ConfigError(f"{self.rule}: {self.subject}", self.problem, self.allowed)

    def message(self) -> str:
        return f"{self.rule}: {self.subject}: {self.problem} (allowed: {self.allowed})"


@dataclass(frozen=True)
class Layers:
    """What the rules read: manifests of our charts, Helm values, and the AWS side's security group ports."""

    objects: tuple[Mapping[str, Any], ...]
    prometheus_values: Mapping[str, Any]
    adapter_values: Mapping[str, Any]
    alb_to_node_ports: frozenset[int]
    node_volume_types: frozenset[str]
    zones: tuple[str, ...]
    kube_state_metrics_port: int = prometheus.KUBE_STATE_METRICS_PORT
    # The mesh (fit/reachability.py): the meshed namespaces and the peers from outside them.
    meshed_namespaces: tuple[str, ...] = ()
    mesh_peers: tuple[Any, ...] = ()

    def of_kind(self, kind: str) -> list[Mapping[str, Any]]:
        return [o for o in self.objects if o.get("kind") == kind]

    def named(self, kind: str, name: str, namespace: str | None = None) -> Mapping[str, Any] | None:
        for obj in self.of_kind(kind):
            meta = obj.get("metadata", {})
            if meta.get("name") == name and (namespace is None or meta.get("namespace") == namespace):
                return obj
        return None


def render_objects(config: AppConfig) -> tuple[dict[str, Any], ...]:
    """Our cdk8s charts of this environment as plain manifests (placeholders where a value is a token)."""
    system = config.eks.node_group(NodeGroups.SYSTEM).labels
    charts = cdk8s.App()
    rendered = [
        app.WorkloadsChart(
            charts,
            "workloads",
            values=app.WorkloadsValues.from_config(
                config, alb_log_bucket=_PLACEHOLDER, alb_security_group_ids=(_PLACEHOLDER,), certificate_arn=None
            ),
        ),
        exporters.ExportersChart(
            charts,
            "exporters",
            namespace=config.workloads.namespace,
            placement=exporters.ExporterPlacement(node_labels=system),
            mesh_access=mesh_access(config),
        ),
        monitoring_namespace.MonitoringNamespaceChart(
            charts,
            "monitoring-namespace",
            kubernetes_version=config.eks.kubernetes_version,
            prometheus_meshed=joins_mesh(config, config.workloads.namespace),
        ),
        AppSecretsChart(
            charts,
            "app-secrets",
            values=AppSecretsValues(
                namespace=config.workloads.namespace,
                region=config.region,
                database_secret_arn=_PLACEHOLDER,
                database_name=config.database.database_name,
                database_port="5432",
                redis_secret_arn=_PLACEHOLDER,
                redis_secret_property=None,
                redis_host=_PLACEHOLDER,
                redis_port="6379",
            ),
        ),
    ]
    return tuple(obj for chart in rendered for obj in chart.to_json())


def layers(config: AppConfig, *, alb_to_node_ports: Iterable[int]) -> Layers:
    system = config.eks.node_group(NodeGroups.SYSTEM).labels
    placement = monitoring_namespace.MonitoringPlacement(node_selector=system)
    return Layers(
        objects=render_objects(config),
        # The values the cluster gets (the mesh's scrape jobs and pod label included), topic as a placeholder.
        prometheus_values=dict(prometheus.ADDON.pod_values(config=config)),
        adapter_values=prometheus_adapter.adapter_values(placement=placement),
        alb_to_node_ports=frozenset(alb_to_node_ports),
        node_volume_types=frozenset(group.volume_type for group in config.eks.node_groups),
        zones=tuple(config.network.availability_zones),
        meshed_namespaces=tuple(n for n in config.mesh.namespaces if config.mesh.enabled),
        mesh_peers=tuple(config_peers(config)),
    )


# --- helpers over manifests --------------------------------------------------------------------------------


def namespace_of(obj: Mapping[str, Any]) -> str:
    return str(obj.get("metadata", {}).get("namespace", ""))


def name_of(obj: Mapping[str, Any]) -> str:
    return str(obj.get("metadata", {}).get("name", ""))


def pod_spec(workload: Mapping[str, Any]) -> Mapping[str, Any]:
    return workload.get("spec", {}).get("template", {}).get("spec", {})  # type: ignore[no-any-return]


def pod_labels(workload: Mapping[str, Any]) -> Mapping[str, str]:
    return workload.get("spec", {}).get("template", {}).get("metadata", {}).get("labels", {})  # type: ignore[no-any-return]


def container_ports(workload: Mapping[str, Any]) -> dict[int, str]:
    return {
        int(port["containerPort"]): str(port.get("name", ""))
        for container in pod_spec(workload).get("containers", [])
        for port in container.get("ports", [])
    }


def probe_paths(workload: Mapping[str, Any], port: int) -> set[str]:
    paths = set()
    for container in pod_spec(workload).get("containers", []):
        for probe in ("readinessProbe", "livenessProbe"):
            http = container.get(probe, {}).get("httpGet")
            if http and int(http.get("port", 0)) == port:
                paths.add(str(http["path"]))
    return paths


def selects(selector: Mapping[str, str], labels: Mapping[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def workloads_selected(layers_: Layers, namespace: str, selector: Mapping[str, str]) -> list[Mapping[str, Any]]:
    return [
        w for w in layers_.of_kind("Deployment") if namespace_of(w) == namespace and selects(selector, pod_labels(w))
    ]


def policy_admits(
    layers_: Layers, workload: Mapping[str, Any], port: int, *, from_monitoring: bool = False
) -> bool | None:
    """Whether the NetworkPolicies selecting the workload's pods admit `port` (None: no policy, all open)."""
    labels = pod_labels(workload)
    policies = [
        p
        for p in layers_.of_kind("NetworkPolicy")
        if namespace_of(p) == namespace_of(workload)
        and selects(p.get("spec", {}).get("podSelector", {}).get("matchLabels", {}), labels)
    ]
    if not policies:
        return None
    # A meshed Prometheus reaches a meshed pod through HBONE whatever the inner port; the AuthorizationPolicies
    # decide that port (fit/reachability.py holds the two layers to one another).
    ports = {port, Ports.HBONE} if from_monitoring else {port}
    for policy in policies:
        for rule in policy.get("spec", {}).get("ingress", []):
            if not any(int(p.get("port", -1)) in ports for p in rule.get("ports", [])):
                continue
            peers = rule.get("from", [])
            if not from_monitoring:
                return True
            for peer in peers:
                ns = peer.get("namespaceSelector")
                if ns is None:
                    continue
                wanted = ns.get("matchLabels", {})
                if not wanted or wanted.get("kubernetes.io/metadata.name") == K8sNames.MONITORING_NAMESPACE:
                    return True
    return False
