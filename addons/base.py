"""What every cluster add-on module provides (a small typed protocol), and what it is installed with.

Three kinds, by who installs them and when (addons/registry.py lists each kind in install order):
- `ManagedAddOn`: an `AWS::EKS::Addon`. The EKS stack creates every enabled one's Pod Identity role first,
  then the add-ons (stacks/constructs/eks_addons.py); `before_nodes` says which side of the node groups it
  lands on.
- `ControllerAddOn`: a Helm release or a cdk8s chart the kubectl handler applies, with its own role
  (stacks/constructs/eks_controllers.py), after the nodes and the managed add-ons.
- `MonitoringAddOn`: installed by the Monitoring stack (stacks/constructs/cluster_monitoring.py) with a
  `MonitoringContext` (the alarm topic, the log groups, what the EKS stack has made ready); `needs` names
  the monitoring add-ons installed before it, whose results it receives in `installed`.
All declare their pods for the inventory (fit/inventory.py): `pod_values` are the values the cluster gets
(tokens replaced by placeholders), `pods` reads the inventory entries back out of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import aws_cdk as cdk
import cdk8s
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct, IConstruct, IDependable

from addons.pod_identity import PodIdentityRole
from addons.pods import PodComponent
from config import AppConfig
from findings import nag_acknowledge
from k8s_charts.helm import HelmRelease
from names import K8sNames, NodeGroups

# Longest wait the kubectl handler allows: a chart's webhook must be serving before the next object lands.
HELM_TIMEOUT = cdk.Duration.minutes(15)

# Add-on versions pinned per Kubernetes minor. A missing entry means EKS installs the default version
# of that add-on for the cluster's Kubernetes version when the add-on is created (the seed's
# "version: latest", but fixed at creation instead of drifting). EKS never upgrades an add-on on its
# own: after raising eks.kubernetes_version, pin the versions `aws eks describe-addon-versions
# --kubernetes-version <new>` lists here, so the next deploy moves them together with the cluster.
ADDON_VERSIONS: dict[str, dict[str, str]] = {}

# Placeholder for identifiers the values embed (VPC id, ARNs) that never shape a pod.
PLACEHOLDER = "placeholder"


def system_node_selector(config: AppConfig) -> Mapping[str, str]:
    """Every add-on's controllers run on system-nodes."""
    return config.eks.node_group(NodeGroups.SYSTEM).labels


@dataclass(frozen=True)
class ClusterContext:
    """What an add-on is installed with: the configuration, the cluster and the stack-side values."""

    config: AppConfig
    cluster: eks.Cluster
    vpc_id: str

    @property
    def cluster_name(self) -> str:
        return self.config.eks.cluster_name

    @property
    def node_selector(self) -> Mapping[str, str]:
        return system_node_selector(self.config)


class AddOn(Protocol):
    """What every add-on module exports (as `ADDON`), whichever way it is installed."""

    @property
    def name(self) -> str:
        """The EKS add-on name or the Helm release (the inventory's `source`)."""
        ...

    def enabled(self, *, config: AppConfig) -> bool: ...

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]: ...

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]: ...


class ManagedAddOn(AddOn, Protocol):
    """An `AWS::EKS::Addon` (or the cluster construct's own pod identity agent)."""

    @property
    def before_nodes(self) -> bool:
        """DaemonSets healthy with no node go before the node groups; Deployments that stay degraded
        without a node come after them."""
        ...

    def role(self, scope: Construct, *, context: ClusterContext) -> PodIdentityRole | None: ...

    def install(self, scope: Construct, *, context: ClusterContext, role: PodIdentityRole | None) -> IConstruct: ...


@dataclass(frozen=True)
class InstalledController:
    """A controller in the cluster: its release (what waits for its pods) and its role, if it calls AWS."""

    release: eks.KubernetesManifest | eks.HelmChart
    role: PodIdentityRole | None


class ControllerAddOn(AddOn, Protocol):
    """A Helm release or cdk8s chart the kubectl handler installs once `prerequisites` (nodes, managed add-ons) exist."""

    def install(
        self, scope: Construct, *, context: ClusterContext, prerequisites: Sequence[IDependable]
    ) -> InstalledController: ...


@dataclass(frozen=True)
class MonitoringContext:
    """What a monitoring add-on is installed with: the Monitoring stack's side of the cluster."""

    config: AppConfig
    # jsii's Python stubs omit `kubectl_provider_options` from Cluster, so the stack passes it as ICluster.
    cluster: eks.ICluster
    region: str
    topic: sns.ITopic  # every alarm and alert goes here (encrypted with `key`)
    key: kms.IKey
    log_groups: Mapping[str, logs.ILogGroup]
    # From the EKS stack: the controllers, node groups and add-ons a release waits for, the app namespace,
    # and the External Secrets operator's role (a monitoring add-on may let it read one more secret).
    platform_ready: Sequence[IDependable]
    app_namespace: IDependable
    external_secrets_role: iam.IRole
    # One cdk8s App for every chart the add-ons render into manifests.
    k8s_app: cdk8s.App

    @property
    def node_selector(self) -> Mapping[str, str]:
        return system_node_selector(self.config)


@dataclass(frozen=True)
class InstalledMonitoring:
    """A monitoring add-on in the cluster: what the add-ons after it wait for, its role, and its other parts
    by name (what the stack or the app wires further)."""

    release: IConstruct
    role: PodIdentityRole | None = None
    parts: Mapping[str, IConstruct] = field(default_factory=dict)


class MonitoringAddOn(AddOn, Protocol):
    """A release, chart or EKS add-on the Monitoring stack installs, after the monitoring add-ons it `needs`."""

    @property
    def needs(self) -> tuple[str, ...]:
        """The names of the monitoring add-ons that must be installed first (their results are in `installed`)."""
        ...

    def install(
        self, scope: Construct, *, context: MonitoringContext, installed: Mapping[str, InstalledMonitoring]
    ) -> InstalledMonitoring: ...


@dataclass(frozen=True)
class AddOnRole:
    """A managed add-on's own Pod Identity role in kube-system with one AWS managed policy (the add-on associates it)."""

    id_: str
    service_account: str
    description: str
    policy: str
    reason: str

    def build(self, scope: Construct, *, context: ClusterContext) -> PodIdentityRole:
        role = PodIdentityRole(
            scope,
            self.id_,
            cluster=context.cluster,
            cluster_name=context.cluster_name,
            namespace=K8sNames.KUBE_SYSTEM_NAMESPACE,
            service_account=self.service_account,
            description=self.description,
            associate=False,
        )
        role.role.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name(self.policy))
        nag_acknowledge(
            role.role, f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{self.policy}]", self.reason
        )
        return role


def _no_configuration(node_selector: Mapping[str, str]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class EksAddOn:
    """A managed add-on as EKS ships it: a name, maybe a role, a configuration, the pods it runs.

    `configuration` gets the system-nodes selector and returns the add-on's `configurationValues`;
    `read_pods` turns them into the inventory entries.
    """

    name: str
    before_nodes: bool
    read_pods: Callable[[AppConfig, Mapping[str, Any]], tuple[PodComponent, ...]]
    addon_role: AddOnRole | None = None
    configuration: Callable[[Mapping[str, str]], dict[str, Any]] = _no_configuration

    def enabled(self, *, config: AppConfig) -> bool:
        return True

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return self.configuration(system_node_selector(config))

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return self.read_pods(config, values)

    def role(self, scope: Construct, *, context: ClusterContext) -> PodIdentityRole | None:
        return self.addon_role.build(scope, context=context) if self.addon_role else None

    def install(self, scope: Construct, *, context: ClusterContext, role: PodIdentityRole | None) -> IConstruct:
        configuration = self.configuration(context.node_selector)
        return eks.CfnAddon(
            scope,
            "".join(part.capitalize() for part in self.name.split("-")),
            addon_name=self.name,
            cluster_name=context.cluster.cluster_name,
            addon_version=ADDON_VERSIONS.get(context.config.eks.kubernetes_version, {}).get(self.name),
            # EKS installed self-managed vpc-cni, kube-proxy and CoreDNS with the cluster: take them over.
            resolve_conflicts="OVERWRITE",
            pod_identity_associations=[role.addon_association] if role else None,
            configuration_values=json.dumps(configuration) if configuration else None,
        )


def helm_chart(
    scope: Construct,
    id_: str,
    *,
    cluster: eks.ICluster | eks.Cluster,
    release: HelmRelease,
    values: dict[str, Any],
    create_namespace: bool,
) -> eks.HelmChart:
    """A pinned chart the kubectl handler installs, waiting (up to HELM_TIMEOUT) for its pods."""
    return eks.HelmChart(
        scope,
        id_,
        # Cluster implements ICluster; jsii's Python typing misses one protocol member (kubectl_provider_options).
        cluster=cast(eks.ICluster, cluster),
        chart=release.chart,
        repository=release.repository,
        version=release.version,
        namespace=release.namespace,
        release=release.release,
        create_namespace=create_namespace,
        values=values,
        wait=True,
        timeout=HELM_TIMEOUT,
    )


def helm_release(cluster: eks.Cluster, id_: str, release: HelmRelease, *, values: dict[str, Any]) -> eks.HelmChart:
    """A platform controller's chart, in its own namespace, under the cluster construct.

    Written as `Cluster.add_helm_chart` does it (`HelmChart(cluster, "chart-" + id)`, aws-eks-v2
    cluster.ts), so the Monitoring stack's releases share one helper and the logical IDs stay the same.
    """
    return helm_chart(cluster, f"chart-{id_}", cluster=cluster, release=release, values=values, create_namespace=True)


def controller_role(
    scope: Construct, id_: str, *, context: ClusterContext, release: HelmRelease, description: str
) -> PodIdentityRole:
    """A controller's role, associated with the service account its chart creates."""
    assert release.service_account is not None
    return PodIdentityRole(
        scope,
        id_,
        cluster=context.cluster,
        cluster_name=context.cluster_name,
        namespace=release.namespace,
        service_account=release.service_account,
        description=description,
    )


def monitoring_release(
    scope: Construct, id_: str, *, context: MonitoringContext, release: HelmRelease, values: dict[str, Any]
) -> eks.HelmChart:
    """A monitoring chart in the Monitoring stack. The monitoring namespace is that stack's own manifest (with its
    labels, addons/monitoring_namespace.py): the chart must not create it."""
    return helm_chart(scope, id_, cluster=context.cluster, release=release, values=values, create_namespace=False)
