"""Every pod the platform runs, read from the values the charts, add-ons and manifests are given.

`pod_inventory(config)` calls the same builders the stacks call (fit/platform_values.py, the Helm values
in k8s_charts/prometheus.py and k8s_charts/grafana.py, the CloudWatch add-on's configuration, the workload
and exporter specs of our cdk8s charts) and reads replicas, requests, limits and placement back out of
them with the readers of fit/pods.py; where a value is not set, the chart's own default is used and
`declared` says so. A test compares the entries of our own cdk8s objects with the synthesized manifests,
and the capacity model (fit/capacity.py) places every entry on a node group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from config import AppConfig
from fit import platform_values, sizing
from fit.pods import PodComponent, Toleration, cdk8s_deployment, component, daemonset, web_workload
from k8s_charts import cloudwatch_agent, exporters, grafana, monitoring, prometheus
from k8s_charts import cluster_autoscaler as ca
from k8s_charts import workloads as app
from names import K8sNames, NodeGroups

# Placeholders for the identifiers the builders embed but that never shape a pod.
_PLACEHOLDER = "placeholder"

COREDNS_DEFAULT_TOLERATIONS = (
    Toleration(key="CriticalAddonsOnly", operator="Exists"),
    Toleration(key="node-role.kubernetes.io/control-plane", operator="Exists", effect="NoSchedule"),
)


@dataclass(frozen=True)
class PlatformValues:
    """The values every pod-producing component is given, built for one environment."""

    alb_controller: Mapping[str, Any]
    metrics_server: Mapping[str, Any]
    external_secrets: Mapping[str, Any]
    coredns: Mapping[str, Any]
    ebs_csi: Mapping[str, Any]
    efs_csi: Mapping[str, Any]
    cloudwatch: Mapping[str, Any]
    prometheus: Mapping[str, Any]
    adapter: Mapping[str, Any]
    grafana: Mapping[str, Any]

    @classmethod
    def from_config(cls, config: AppConfig) -> PlatformValues:
        system = config.eks.node_group(NodeGroups.SYSTEM).labels
        placement = monitoring.MonitoringPlacement(node_selector=system)
        return cls(
            alb_controller=platform_values.alb_controller_values(
                cluster_name=config.eks.cluster_name,
                region=config.region,
                vpc_id=_PLACEHOLDER,
                service_account="aws-load-balancer-controller",
                node_selector=system,
            ),
            metrics_server=platform_values.metrics_server_values(node_selector=system),
            external_secrets=platform_values.external_secrets_values(
                service_account="external-secrets", node_selector=system
            ),
            coredns=platform_values.coredns_configuration(node_selector=system),
            ebs_csi=platform_values.ebs_csi_configuration(node_selector=system),
            efs_csi=platform_values.efs_csi_configuration(node_selector=system),
            cloudwatch=cloudwatch_agent.cloudwatch_addon_configuration(
                resource_prefix=config.resource_prefix,
                cluster_name=config.eks.cluster_name,
                region=config.region,
                node_selector=system,
            ),
            prometheus=prometheus.prometheus_values(
                app_namespace=config.workloads.namespace,
                max_connections=config.database.max_connections,
                topic_arn=_PLACEHOLDER,
                region=config.region,
                placement=placement,
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
    kube_system = "kube-system"
    system = config.eks.node_group(NodeGroups.SYSTEM).labels
    workload_values = app.WorkloadsValues.from_config(
        config, alb_log_bucket=_PLACEHOLDER, alb_security_group_ids=(), certificate_arn=None
    )
    eso = values.external_secrets
    prometheus = values.prometheus
    reload = (prometheus.get("configmapReload", {}).get("prometheus", {}) or {}).get("resources") or {}
    cloudwatch_manager = {**values.cloudwatch.get("manager", {}), "replicaCount": values.cloudwatch.get("replicaCount")}
    cloudwatch_manager = {k: v for k, v in cloudwatch_manager.items() if v is not None}
    cloudwatch_agent = values.cloudwatch.get("agent", {})
    agent_resources = cloudwatch_agent.get("resources")
    components = [
        # --- EKS add-ons
        component(
            config,
            name="coredns",
            namespace=kube_system,
            kind="Deployment",
            source="coredns",
            source_kind="addon",
            values=values.coredns,
            replicas_key="replicaCount",
            default_replicas=2,
            default_tolerations=COREDNS_DEFAULT_TOLERATIONS,
        ),
        component(
            config,
            name="ebs-csi-controller",
            namespace=kube_system,
            kind="Deployment",
            source="aws-ebs-csi-driver",
            source_kind="addon",
            values=values.ebs_csi.get("controller", {}),
            replicas_key="replicaCount",
            default_replicas=2,
            containers=sizing.EBS_CSI_CONTROLLER_CONTAINERS,
        ),
        component(
            config,
            name="efs-csi-controller",
            namespace=kube_system,
            kind="Deployment",
            source="aws-efs-csi-driver",
            source_kind="addon",
            values=values.efs_csi["controller"],
            replicas_key=None,
            default_replicas=sizing.EFS_CSI_CONTROLLER_REPLICAS,
            containers=sizing.EFS_CSI_CONTROLLER_CONTAINERS,
        ),
        component(
            config,
            name="amazon-cloudwatch-observability-controller-manager",
            namespace=K8sNames.CLOUDWATCH_NAMESPACE,
            kind="Deployment",
            source="amazon-cloudwatch-observability",
            source_kind="addon",
            values=cloudwatch_manager,
            replicas_key="replicaCount",
            default_replicas=1,
        ),
        # --- Helm releases of the EKS stack
        component(
            config,
            name="aws-load-balancer-controller",
            namespace=kube_system,
            kind="Deployment",
            source="aws-load-balancer-controller",
            source_kind="helm",
            values=values.alb_controller,
            replicas_key="replicaCount",
            default_replicas=2,
        ),
        component(
            config,
            name="metrics-server",
            namespace=kube_system,
            kind="Deployment",
            source="metrics-server",
            source_kind="helm",
            values=values.metrics_server,
            replicas_key="replicas",
            default_replicas=1,
        ),
        component(
            config,
            name="external-secrets",
            namespace="external-secrets",
            kind="Deployment",
            source="external-secrets",
            source_kind="helm",
            values=eso,
            replicas_key="replicaCount",
            default_replicas=1,
        ),
        component(
            config,
            name="external-secrets-webhook",
            namespace="external-secrets",
            kind="Deployment",
            source="external-secrets",
            source_kind="helm",
            values=eso.get("webhook", {}),
            replicas_key="replicaCount",
            default_replicas=1,
        ),
        component(
            config,
            name="external-secrets-cert-controller",
            namespace="external-secrets",
            kind="Deployment",
            source="external-secrets",
            source_kind="helm",
            values=eso.get("certController", {}),
            replicas_key="replicaCount",
            default_replicas=1,
        ),
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
        cdk8s_deployment(
            config,
            name=ca.NAME,
            namespace=ca.NAMESPACE,
            source=f"{config.resource_prefix}-cluster-autoscaler",
            replicas=ca.REPLICAS,
            resources=ca.RESOURCES,
            selector=system,
        ),
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
        daemonset("aws-node", kube_system, "vpc-cni", sizing.AWS_NODE),
        daemonset("kube-proxy", kube_system, "kube-proxy", sizing.KUBE_PROXY),
        daemonset("eks-pod-identity-agent", kube_system, "eks-pod-identity-agent", sizing.POD_IDENTITY_AGENT),
        daemonset("ebs-csi-node", kube_system, "aws-ebs-csi-driver", sizing.EBS_CSI_NODE),
        daemonset(
            "efs-csi-node",
            kube_system,
            "aws-efs-csi-driver",
            sizing.EFS_CSI_NODE_CONTAINER.times(sizing.EFS_CSI_NODE_CONTAINERS),
            declared=True,
        ),
        daemonset(
            K8sNames.CLOUDWATCH_AGENT,
            K8sNames.CLOUDWATCH_NAMESPACE,
            "amazon-cloudwatch-observability",
            sizing.PodResources.from_values(agent_resources) if agent_resources else sizing.CLOUDWATCH_AGENT,
            declared=bool(agent_resources),
        ),
    ]
    return tuple(components)


def pod_inventory(config: AppConfig) -> tuple[PodComponent, ...]:
    """Every pod-producing component of the platform in this environment."""
    return inventory_from_values(config, PlatformValues.from_config(config))
