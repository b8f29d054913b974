"""Every pod the platform runs, read from the values the charts, add-ons and manifests are given.

`pod_inventory(config)` calls the same builders the stacks call (each cluster add-on's values and pods in
addons/, the Helm values in k8s_charts/prometheus.py and k8s_charts/grafana.py, the CloudWatch add-on's
configuration, the workload and exporter specs of our cdk8s charts) and reads replicas, requests, limits and placement back out of
them with the readers of fit/pods.py; where a value is not set, the chart's own default is used and
`declared` says so. A test compares the entries of our own cdk8s objects with the synthesized manifests,
and the capacity model (fit/capacity.py) places every entry on a node group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from addons.base import PLACEHOLDER
from addons.registry import INVENTORY, enabled
from config import AppConfig
from fit import sizing
from fit.pods import PodComponent, cdk8s_deployment, component, web_workload
from k8s_charts import exporters, grafana, monitoring, prometheus
from k8s_charts import workloads as app
from k8s_charts.mesh_policy import joins_mesh
from names import K8sNames, NodeGroups


@dataclass(frozen=True)
class PlatformValues:
    """The values every pod-producing component is given, built for one environment."""

    # Each cluster add-on's values (addons/), by its name; the monitoring releases' below.
    addons: Mapping[str, Mapping[str, Any]]
    prometheus: Mapping[str, Any]
    adapter: Mapping[str, Any]
    grafana: Mapping[str, Any]

    @classmethod
    def from_config(cls, config: AppConfig) -> PlatformValues:
        system = config.eks.node_group(NodeGroups.SYSTEM).labels
        placement = monitoring.MonitoringPlacement(node_selector=system)
        return cls(
            addons={addon.name: addon.pod_values(config=config) for addon in enabled(INVENTORY, config=config)},
            prometheus=prometheus.prometheus_values(
                app_namespace=config.workloads.namespace,
                max_connections=config.database.max_connections,
                topic_arn=PLACEHOLDER,
                region=config.region,
                placement=placement,
                mesh=joins_mesh(config, config.workloads.namespace),
            ),
            adapter=prometheus.adapter_values(placement=placement),
            grafana=grafana.grafana_values(
                app_namespace=config.workloads.namespace,
                max_connections=config.database.max_connections,
                placement=placement,
            ),
        )


def inventory_from_values(config: AppConfig, values: PlatformValues) -> tuple[PodComponent, ...]:
    """The inventory for these values (the deployed ones, or another set to compare with)."""
    system = config.eks.node_group(NodeGroups.SYSTEM).labels
    workload_values = app.WorkloadsValues.from_config(
        config, alb_log_bucket=PLACEHOLDER, alb_security_group_ids=(), certificate_arn=None
    )
    # Every add-on's own pods, listed by kind below (the EKS add-ons' Deployments, then the Helm releases,
    # the cdk8s charts, and every DaemonSet at the end).
    addon_pods = [
        pod
        for addon in enabled(INVENTORY, config=config)
        for pod in addon.pods(config=config, values=values.addons[addon.name])
    ]
    prometheus = values.prometheus
    reload = (prometheus.get("configmapReload", {}).get("prometheus", {}) or {}).get("resources") or {}
    components = [
        # --- EKS add-ons
        *(pod for pod in addon_pods if pod.source_kind == "addon" and pod.kind != "DaemonSet"),
        # --- Helm releases of the EKS stack
        *(pod for pod in addon_pods if pod.source_kind == "helm" and pod.kind != "DaemonSet"),
        component(
            config,
            name=K8sNames.PROMETHEUS_SERVER,
            namespace=K8sNames.MONITORING_NAMESPACE,
            kind="Deployment",
            source="prometheus",
            source_kind="helm",
            values=prometheus.get("server", {}),
            replicas_key="replicaCount",
            default_replicas=1,
            extra=sizing.PodResources.from_values(reload),
            # The chart's server strategy is Recreate (its volume is ReadWriteOnce): no surge pod.
            surge=False,
            declared_resources=bool(prometheus.get("server", {}).get("resources")) and bool(reload),
        ),
        component(
            config,
            name=K8sNames.ALERTMANAGER,
            namespace=K8sNames.MONITORING_NAMESPACE,
            kind="StatefulSet",
            source="prometheus",
            source_kind="helm",
            values=prometheus.get("alertmanager", {}),
            replicas_key="replicaCount",
            default_replicas=1,
        ),
        component(
            config,
            # The subchart's fullname: <release>-kube-state-metrics.
            name=f"{monitoring.PROMETHEUS_CHART.release}-kube-state-metrics",
            namespace=K8sNames.MONITORING_NAMESPACE,
            kind="Deployment",
            source="prometheus",
            source_kind="helm",
            values=prometheus.get("kube-state-metrics", {}),
            replicas_key="replicas",
            default_replicas=1,
        ),
        component(
            config,
            name=K8sNames.PROMETHEUS_ADAPTER,
            namespace=K8sNames.MONITORING_NAMESPACE,
            kind="Deployment",
            source="prometheus-adapter",
            source_kind="helm",
            values=values.adapter,
            replicas_key="replicas",
            default_replicas=1,
        ),
        component(
            config,
            name=K8sNames.GRAFANA,
            namespace=K8sNames.MONITORING_NAMESPACE,
            kind="Deployment",
            source="grafana",
            source_kind="helm",
            values=values.grafana,
            replicas_key="replicas",
            default_replicas=1,
        ),
        # --- our cdk8s charts
        *(pod for pod in addon_pods if pod.source_kind == "cdk8s"),
        *(
            cdk8s_deployment(
                config,
                name=name,
                namespace=config.workloads.namespace,
                source=f"{config.resource_prefix}-exporters",
                replicas=exporters.EXPORTER_REPLICAS,
                resources=exporters.EXPORTER_RESOURCES,
                selector=system,
            )
            for name in (K8sNames.POSTGRES_EXPORTER, K8sNames.REDIS_EXPORTER)
        ),
        web_workload(
            config,
            name=K8sNames.FRONTEND,
            resources=app.resources_of(config.workloads.frontend),
            autoscaling=app.autoscaling_of(config.workloads.frontend),
            values=workload_values,
        ),
        web_workload(
            config,
            name=K8sNames.BACKEND,
            resources=app.resources_of(config.workloads.backend),
            autoscaling=app.autoscaling_of(config.workloads.backend, app.BACKEND_PODS_METRICS),
            values=workload_values,
        ),
        # --- DaemonSets: one pod on every node (each tolerates every taint)
        *(pod for pod in addon_pods if pod.kind == "DaemonSet"),
    ]
    return tuple(components)


def pod_inventory(config: AppConfig) -> tuple[PodComponent, ...]:
    """Every pod-producing component of the platform in this environment."""
    return inventory_from_values(config, PlatformValues.from_config(config))
