"""Every pod the platform runs, read from the values the charts, add-ons and manifests are given.

`pod_inventory(config)` calls the same builders the stacks call (fit/platform_values.py, the Helm values
in k8s_charts/monitoring.py, the workload and exporter specs of our cdk8s charts) and reads replicas,
requests, limits and placement back out of them; where a value is not set, the chart's own default is
used and `declared` says so. A test compares the entries of our own cdk8s objects with the synthesized
manifests, and the capacity model (fit/capacity.py) places every entry on a node group.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from config import AppConfig, ConfigError
from config.schema import NodeGroupConfig
from fit import platform_values, sizing
from k8s_charts import cloudwatch_agent, exporters, grafana, monitoring, prometheus
from k8s_charts import cluster_autoscaler as ca
from k8s_charts import workloads as app
from k8s_charts.web_workload import Autoscaling, Resources
from stacks.names import K8sNames, NodeGroups

Kind = Literal["Deployment", "StatefulSet", "DaemonSet"]
SourceKind = Literal["helm", "addon", "cdk8s"]
# The cdk8s chart id WorkloadsStack gives the application chart.
WORKLOADS_CHART = "Workloads"

# Placeholders for the identifiers the builders embed but that never shape a pod.
_PLACEHOLDER = "placeholder"


@dataclass(frozen=True)
class Toleration:
    """A pod toleration; `key` None with operator Exists tolerates every taint."""

    key: str | None
    operator: str = "Equal"
    value: str | None = None
    effect: str | None = None

    def tolerates(self, key: str, value: str, effect: str) -> bool:
        if self.effect is not None and self.effect != effect:
            return False
        if self.key is None:
            return self.operator == "Exists"
        if self.key != key:
            return False
        return self.operator == "Exists" or self.value == value

    @classmethod
    def from_values(cls, raw: Mapping[str, Any]) -> Toleration:
        return cls(
            key=raw.get("key"), operator=raw.get("operator", "Equal"), value=raw.get("value"), effect=raw.get("effect")
        )


TOLERATE_ALL = (Toleration(key=None, operator="Exists"),)


@dataclass(frozen=True)
class PodComponent:
    """One pod-producing workload: how many pods, what each asks for, where they land."""

    name: str
    namespace: str
    kind: Kind
    source: str  # the Helm release, EKS add-on or cdk8s chart (its id) that produces it
    replicas: int  # at the group's desired size: the HPA minimum for our autoscaled workloads
    max_replicas: int  # every HPA at its maximum
    cpu_request_m: int
    memory_request_mib: int
    cpu_limit_m: int | None
    memory_limit_mib: int
    node_group: str | None  # None: a DaemonSet, one pod on every node it tolerates
    node_selector: Mapping[str, str] = field(default_factory=dict)
    tolerations: tuple[Toleration, ...] = ()
    max_surge: int = 0  # extra pods a rolling update starts (0: Recreate, StatefulSet, DaemonSet)
    declared: bool = True  # False: requests left to a chart default we did not choose
    source_kind: SourceKind = "helm"

    @property
    def resources(self) -> sizing.PodResources:
        return sizing.PodResources(
            cpu_request_m=self.cpu_request_m,
            memory_request_mib=self.memory_request_mib,
            memory_limit_mib=self.memory_limit_mib,
            cpu_limit_m=self.cpu_limit_m,
        )


def accepts(group: NodeGroupConfig, node_selector: Mapping[str, str], tolerations: Sequence[Toleration]) -> bool:
    """True when a pod with this selector and these tolerations may be scheduled on the group's nodes."""
    # The labels the kubelet and EKS put on every managed node, besides the configured ones.
    labels = {"kubernetes.io/os": "linux", "eks.amazonaws.com/nodegroup": group.name, **group.labels}
    if any(labels.get(key) != value for key, value in node_selector.items()):
        return False
    return all(any(t.tolerates(taint.key, taint.value, taint.effect) for t in tolerations) for taint in group.taints)


def _place(config: AppConfig, name: str, selector: Mapping[str, str], tolerations: Sequence[Toleration]) -> str:
    """The node group a workload is counted on; none accepting it is a configuration error."""
    groups = [g.name for g in config.eks.node_groups if accepts(g, selector, tolerations)]
    allowed = ", ".join(f"{g.name} (labels {dict(g.labels)}, taints {len(g.taints)})" for g in config.eks.node_groups)
    if not groups:
        raise ConfigError(
            f"eks.node_groups ({name})",
            f"no node group accepts {name} (nodeSelector {dict(selector)}, "
            f"{len(tolerations)} tolerations): its pods would stay Pending",
            allowed,
        )
    # Several groups may accept a workload (e.g. an on-demand and a Spot group with the same labels): it is
    # counted whole on the first in configuration order, so it still fits when the others have no nodes.
    return groups[0]


def _rolling_surge(replicas: int) -> int:
    """A Deployment's default RollingUpdate maxSurge (25 %, rounded up)."""
    return max(1, math.ceil(replicas * 0.25))


def _component(
    config: AppConfig,
    *,
    name: str,
    namespace: str,
    kind: Kind,
    source: str,
    source_kind: SourceKind,
    values: Mapping[str, Any],
    replicas_key: str | None,
    default_replicas: int,
    containers: int = 1,
    extra: sizing.PodResources | None = None,
    default_tolerations: tuple[Toleration, ...] = (),
    surge: bool = True,
    max_replicas: int | None = None,
    declared_resources: bool | None = None,
) -> PodComponent:
    """An entry from a chart's or add-on's values (a missing key falls back to the chart's default)."""
    replicas = int(values.get(replicas_key, default_replicas)) if replicas_key else default_replicas
    raw_resources = values.get("resources") or {}
    resources = sizing.PodResources.from_values(raw_resources).times(containers)
    if extra is not None:
        resources = resources.plus(extra)
    selector = dict(values.get("nodeSelector") or {})
    if "tolerations" in values:
        tolerations = tuple(Toleration.from_values(t) for t in values["tolerations"] or ())
    else:
        tolerations = default_tolerations
    node_group = None if kind == "DaemonSet" else _place(config, name, selector, tolerations)
    return PodComponent(
        name=name,
        namespace=namespace,
        kind=kind,
        source=source,
        replicas=replicas,
        max_replicas=max_replicas if max_replicas is not None else replicas,
        cpu_request_m=resources.cpu_request_m,
        memory_request_mib=resources.memory_request_mib,
        cpu_limit_m=resources.cpu_limit_m,
        memory_limit_mib=resources.memory_limit_mib,
        node_group=node_group,
        node_selector=selector,
        tolerations=tolerations,
        max_surge=_rolling_surge(replicas) if surge and kind == "Deployment" else 0,
        declared=bool(raw_resources) if declared_resources is None else declared_resources,
        source_kind=source_kind,
    )


def _web_workload(
    config: AppConfig, *, name: str, resources: Resources, autoscaling: Autoscaling, values: app.WorkloadsValues
) -> PodComponent:
    parsed = sizing.PodResources.from_values(
        {
            "requests": {"cpu": resources.request_cpu, "memory": resources.request_memory},
            "limits": {"cpu": resources.limit_cpu, "memory": resources.limit_memory},
        }
    )
    tolerations = tuple(Toleration(key=t.key, value=t.value, effect=t.effect) for t in values.placement.tolerations)
    selector = dict(values.placement.node_labels)
    return PodComponent(
        name=name,
        namespace=values.namespace,
        kind="Deployment",
        source=WORKLOADS_CHART,
        source_kind="cdk8s",
        replicas=autoscaling.min_replicas,
        max_replicas=autoscaling.max_replicas,
        cpu_request_m=parsed.cpu_request_m,
        memory_request_mib=parsed.memory_request_mib,
        cpu_limit_m=parsed.cpu_limit_m,
        memory_limit_mib=parsed.memory_limit_mib,
        node_group=_place(config, name, selector, tolerations),
        node_selector=selector,
        tolerations=tolerations,
        max_surge=1,  # WebWorkload's RollingUpdate maxSurge
    )


def _cdk8s_deployment(
    config: AppConfig,
    *,
    name: str,
    namespace: str,
    source: str,
    replicas: int,
    resources: sizing.PodResources,
    selector: Mapping[str, str],
    tolerations: tuple[Toleration, ...] = (),
) -> PodComponent:
    return PodComponent(
        name=name,
        namespace=namespace,
        kind="Deployment",
        source=source,
        replicas=replicas,
        max_replicas=replicas,
        cpu_request_m=resources.cpu_request_m,
        memory_request_mib=resources.memory_request_mib,
        cpu_limit_m=resources.cpu_limit_m,
        memory_limit_mib=resources.memory_limit_mib,
        node_group=_place(config, name, selector, tolerations),
        node_selector=dict(selector),
        tolerations=tolerations,
        max_surge=_rolling_surge(replicas),
        source_kind="cdk8s",
    )


def _daemonset(
    name: str, namespace: str, source: str, resources: sizing.PodResources, *, declared: bool = False
) -> PodComponent:
    return PodComponent(
        name=name,
        namespace=namespace,
        kind="DaemonSet",
        source=source,
        replicas=1,
        max_replicas=1,
        cpu_request_m=resources.cpu_request_m,
        memory_request_mib=resources.memory_request_mib,
        cpu_limit_m=resources.cpu_limit_m,
        memory_limit_mib=resources.memory_limit_mib,
        node_group=None,
        tolerations=TOLERATE_ALL,
        declared=declared,
        source_kind="addon",
    )


# The tolerations CoreDNS's add-on manifest carries by default (control-plane and CriticalAddonsOnly).
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
        _component(
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
        _component(
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
        _component(
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
        _component(
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
        _component(
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
        _component(
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
        _component(
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
        _component(
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
        _component(
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
        _component(
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
        _component(
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
        _component(
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
        _component(
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
        _component(
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
        _cdk8s_deployment(
            config,
            name=ca.NAME,
            namespace=ca.NAMESPACE,
            source=f"{config.resource_prefix}-cluster-autoscaler",
            replicas=ca.REPLICAS,
            resources=ca.RESOURCES,
            selector=system,
        ),
        *(
            _cdk8s_deployment(
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
        _web_workload(
            config,
            name=K8sNames.FRONTEND,
            resources=app.resources_of(config.workloads.frontend),
            autoscaling=app.autoscaling_of(config.workloads.frontend),
            values=workload_values,
        ),
        _web_workload(
            config,
            name=K8sNames.BACKEND,
            resources=app.resources_of(config.workloads.backend),
            autoscaling=app.autoscaling_of(config.workloads.backend, app.BACKEND_PODS_METRICS),
            values=workload_values,
        ),
        # --- DaemonSets: one pod on every node (each tolerates every taint)
        _daemonset("aws-node", kube_system, "vpc-cni", sizing.AWS_NODE),
        _daemonset("kube-proxy", kube_system, "kube-proxy", sizing.KUBE_PROXY),
        _daemonset("eks-pod-identity-agent", kube_system, "eks-pod-identity-agent", sizing.POD_IDENTITY_AGENT),
        _daemonset("ebs-csi-node", kube_system, "aws-ebs-csi-driver", sizing.EBS_CSI_NODE),
        _daemonset(
            "efs-csi-node",
            kube_system,
            "aws-efs-csi-driver",
            sizing.EFS_CSI_NODE_CONTAINER.times(sizing.EFS_CSI_NODE_CONTAINERS),
            declared=True,
        ),
        _daemonset(
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
