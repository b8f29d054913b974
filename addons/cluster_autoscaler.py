"""Cluster Autoscaler (seed: scaling/cluster-autoscaler.yaml) with the ServiceAccount and RBAC the seed left out.

The Deployment is the seed's, corrected where it could not work:
- the flag is `--scale-down-utilization-threshold` (the seed's `--scale-down-util-threshold` does not exist);
- the expander is `priority,least-waste`: the priority ConfigMap below makes the Spot app group the first
  choice (the design's cost policy), and the seed's least-waste decides among equals and the rest;
- the image comes from registry.k8s.io (k8s.gcr.io is frozen) with the minor of the cluster's Kubernetes version;
- no hostPath CA bundle: the image carries its own CA certificates, and a hostPath mount would tie the
  pod to the node's file layout (the seed mounts AL2's path) for nothing;
- non-root, read-only, no capabilities, RuntimeDefault seccomp (as the upstream AWS example);
- scheduled on system-nodes, with health probes on its metrics port;
- a NetworkPolicy: only Prometheus (the monitoring namespace) reaches the metrics port (kubelet probes
  from the node are always allowed by the VPC CNI's policy agent).
The ServiceAccount, ClusterRole/Role and bindings are the upstream AWS auto-discovery example's. AWS
permissions come from a Pod Identity role associated with that ServiceAccount (below: the autoscaler's
recommended policy, scoped to this cluster's tagged groups), not the nodes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aws_cdk as cdk
import cdk8s
from aws_cdk import aws_iam as iam
from cdk8s_plus_36 import k8s
from constructs import Construct, IDependable

from addons.base import ClusterContext, InstalledController, system_node_selector
from addons.pod_identity import PodIdentityRole
from addons.pods import PodComponent, PodResources, cdk8s_deployment
from config import AppConfig
from config.kubernetes import SUPPORTED_VERSIONS
from findings import nag_acknowledge, nag_acknowledge_inline_policy
from k8s_charts.network_policies import metrics_only_from_monitoring
from k8s_charts.security import restricted_container, restricted_pod
from names import K8sNames, Mesh, NodeGroups, Ports

NAME = "cluster-autoscaler"
NAMESPACE = K8sNames.KUBE_SYSTEM_NAMESPACE
SERVICE_ACCOUNT = NAME
IMAGE_REPOSITORY = "registry.k8s.io/autoscaling/cluster-autoscaler"
HEALTH_PATH = "/health-check"
# The priority expander reads this ConfigMap from the autoscaler's own namespace (expander/priority/readme.md).
PRIORITY_CONFIG_MAP = "cluster-autoscaler-priority-expander"
PREFERRED_PRIORITY = 50
DEFAULT_PRIORITY = 10
LABELS = {"k8s-addon": "cluster-autoscaler.addons.k8s.io", "k8s-app": NAME}
APP_LABELS = {"app": NAME}
# The upstream AWS example's 100m/600Mi is for large clusters; two small node groups need far less.
# Limits equal requests (Guaranteed), as upstream recommends for the autoscaler.
REPLICAS = 1
RESOURCES = PodResources(cpu_request_m=100, memory_request_mib=300, memory_limit_mib=300, cpu_limit_m=100)
# Non-root uid/gid of the upstream example ("nobody").
RUN_AS = 65534

# checkov findings kept on purpose, with the reason, on the Deployment.
CHECKOV_SKIPS = {
    "CKV_K8S_43": "the image is pinned by its release tag, whose minor tracks the cluster's Kubernetes version (config/kubernetes.py)",
    "CKV_K8S_38": "the autoscaler talks to the Kubernetes API: it needs its service account token",
}


def seed_flags(cluster_name: str) -> list[str]:
    """The seed's command line, with the real spelling of the scale-down threshold flag."""
    return [
        "./cluster-autoscaler",
        "--v=4",
        "--stderrthreshold=info",
        "--cloud-provider=aws",
        "--skip-nodes-with-local-storage=false",
        # The seed's least-waste, after the priority expander narrows the options to the preferred groups.
        "--expander=priority,least-waste",
        f"--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/{cluster_name}",
        "--balance-similar-node-groups",
        "--scale-down-enabled=true",
        "--scale-down-delay-after-add=10m",
        "--scale-down-unneeded-time=10m",
        "--scale-down-utilization-threshold=0.5",
        "--max-node-provision-time=15m",
    ]


@dataclass(frozen=True)
class ClusterAutoscalerValues:
    cluster_name: str
    region: str
    image_tag: str
    node_selector: Mapping[str, str]
    # Managed node groups the autoscaler grows first, when they can take the pending pods.
    preferred_node_groups: Sequence[str] = field(default_factory=tuple)
    # Taints the nodes register with and lose once ready (the mesh's cni.istio.io/not-ready).
    startup_taints: Sequence[str] = field(default_factory=tuple)

    @property
    def image(self) -> str:
        return f"{IMAGE_REPOSITORY}:{self.image_tag}"


def startup_taint_flags(taints: Sequence[str]) -> list[str]:
    """`--startup-taint` (since 1.29): a node still carrying it is one that is coming up, not one that cannot
    take the pending pods, so the autoscaler neither adds a second node for them nor scales the first away."""
    return [f"--startup-taint={taint}" for taint in taints]


def asg_name_pattern(node_group: str) -> str:
    """The Auto Scaling group EKS creates for a managed node group: `eks-<node group>-<uuid>`."""
    return f"^eks-{node_group}-[0-9a-f]{{8}}(-[0-9a-f]{{4}}){{3}}-[0-9a-f]{{12}}$"


def expander_priorities(preferred_node_groups: Sequence[str]) -> str:
    """The ConfigMap's `priorities`: the preferred groups first; every other group (`.*`) after them.

    A group no pattern matches would never be grown, hence the catch-all.
    """
    lines: list[str] = []
    if preferred_node_groups:
        lines.append(f"{PREFERRED_PRIORITY}:")
        lines += [f"  - {asg_name_pattern(group)}" for group in preferred_node_groups]
    lines += [f"{DEFAULT_PRIORITY}:", "  - .*"]
    return "\n".join(lines) + "\n"


def _rule(groups: list[str], resources: list[str], verbs: list[str], names: list[str] | None = None) -> k8s.PolicyRule:
    return k8s.PolicyRule(api_groups=groups, resources=resources, verbs=verbs, resource_names=names)


READ = ["watch", "list", "get"]
CLUSTER_RULES = [
    _rule([""], ["events", "endpoints"], ["create", "patch"]),
    _rule([""], ["pods/eviction"], ["create"]),
    _rule([""], ["pods/status"], ["update"]),
    _rule([""], ["endpoints"], ["get", "update"], [NAME]),
    _rule([""], ["nodes"], ["watch", "list", "get", "update"]),
    _rule(
        [""],
        ["namespaces", "pods", "services", "replicationcontrollers", "persistentvolumeclaims", "persistentvolumes"],
        READ,
    ),
    _rule(["extensions"], ["replicasets", "daemonsets"], READ),
    _rule(["policy"], ["poddisruptionbudgets"], ["watch", "list"]),
    _rule(["apps"], ["statefulsets", "replicasets", "daemonsets"], READ),
    _rule(["resource.k8s.io"], ["deviceclasses", "resourceslices", "resourceclaims"], READ),
    _rule(
        ["storage.k8s.io"],
        ["storageclasses", "csinodes", "csidrivers", "csistoragecapacities", "volumeattachments"],
        READ,
    ),
    _rule(["batch", "extensions"], ["jobs"], ["get", "list", "watch", "patch"]),
    _rule(["coordination.k8s.io"], ["leases"], ["create"]),
    _rule(["coordination.k8s.io"], ["leases"], ["get", "update"], [NAME]),
]
NAMESPACE_RULES = [
    _rule([""], ["configmaps"], ["create", "list", "watch"]),
    _rule(
        [""],
        ["configmaps"],
        ["delete", "get", "update", "watch"],
        ["cluster-autoscaler-status", "cluster-autoscaler-priority-expander"],
    ),
]


class ClusterAutoscalerChart(cdk8s.Chart):
    """ServiceAccount, ClusterRole, Role, both bindings and the Deployment, in kube-system."""

    def __init__(self, scope: Construct, id_: str, *, values: ClusterAutoscalerValues) -> None:
        super().__init__(scope, id_, namespace=NAMESPACE, disable_resource_name_hashes=True)
        k8s.KubeServiceAccount(self, "ServiceAccount", metadata=k8s.ObjectMeta(name=SERVICE_ACCOUNT, labels=LABELS))
        k8s.KubeClusterRole(self, "ClusterRole", metadata=k8s.ObjectMeta(name=NAME, labels=LABELS), rules=CLUSTER_RULES)
        k8s.KubeRole(self, "Role", metadata=k8s.ObjectMeta(name=NAME, labels=LABELS), rules=NAMESPACE_RULES)
        subject = k8s.Subject(kind="ServiceAccount", name=SERVICE_ACCOUNT, namespace=NAMESPACE)
        k8s.KubeClusterRoleBinding(
            self,
            "ClusterRoleBinding",
            metadata=k8s.ObjectMeta(name=NAME, labels=LABELS),
            role_ref=k8s.RoleRef(api_group="rbac.authorization.k8s.io", kind="ClusterRole", name=NAME),
            subjects=[subject],
        )
        k8s.KubeRoleBinding(
            self,
            "RoleBinding",
            metadata=k8s.ObjectMeta(name=NAME, labels=LABELS),
            role_ref=k8s.RoleRef(api_group="rbac.authorization.k8s.io", kind="Role", name=NAME),
            subjects=[subject],
        )
        self.deployment = k8s.KubeDeployment(
            self,
            "Deployment",
            metadata=k8s.ObjectMeta(
                name=NAME,
                labels=APP_LABELS,
                annotations={
                    f"checkov.io/skip{i}": f"{check}={reason}"
                    for i, (check, reason) in enumerate(CHECKOV_SKIPS.items(), 1)
                },
            ),
            spec=k8s.DeploymentSpec(
                replicas=REPLICAS,
                selector=k8s.LabelSelector(match_labels=APP_LABELS),
                template=k8s.PodTemplateSpec(
                    metadata=k8s.ObjectMeta(
                        labels=APP_LABELS,
                        annotations={
                            "prometheus.io/scrape": "true",
                            "prometheus.io/port": str(Ports.CLUSTER_AUTOSCALER_METRICS),
                        },
                    ),
                    spec=self._pod_spec(values),
                ),
            ),
        )

        self.priority_config_map = k8s.KubeConfigMap(
            self,
            "PriorityExpander",
            metadata=k8s.ObjectMeta(name=PRIORITY_CONFIG_MAP, labels=LABELS),
            data={"priorities": expander_priorities(values.preferred_node_groups)},
        )

        self.network_policy = metrics_only_from_monitoring(
            self,
            "NetworkPolicy",
            name=NAME,
            labels=LABELS,
            selector=APP_LABELS,
            port=k8s.IntOrString.from_number(Ports.CLUSTER_AUTOSCALER_METRICS),
        )

    @staticmethod
    def _pod_spec(values: ClusterAutoscalerValues) -> k8s.PodSpec:
        probe = k8s.HttpGetAction(path=HEALTH_PATH, port=k8s.IntOrString.from_number(Ports.CLUSTER_AUTOSCALER_METRICS))
        requests = {
            "cpu": k8s.Quantity.from_string(f"{RESOURCES.cpu_request_m}m"),
            "memory": k8s.Quantity.from_string(f"{RESOURCES.memory_request_mib}Mi"),
        }
        limits = {
            "cpu": k8s.Quantity.from_string(f"{RESOURCES.cpu_limit_m}m"),
            "memory": k8s.Quantity.from_string(f"{RESOURCES.memory_limit_mib}Mi"),
        }
        return k8s.PodSpec(
            priority_class_name="system-cluster-critical",
            service_account_name=SERVICE_ACCOUNT,
            node_selector=dict(values.node_selector),
            security_context=restricted_pod(uid=RUN_AS, gid=RUN_AS, fs_group=RUN_AS),
            containers=[
                k8s.Container(
                    name=NAME,
                    image=values.image,
                    image_pull_policy="Always",
                    command=[*seed_flags(values.cluster_name), *startup_taint_flags(values.startup_taints)],
                    env=[k8s.EnvVar(name="AWS_REGION", value=values.region)],
                    ports=[
                        k8s.ContainerPort(
                            name="metrics", container_port=Ports.CLUSTER_AUTOSCALER_METRICS, protocol="TCP"
                        )
                    ],
                    resources=k8s.ResourceRequirements(requests=requests, limits=limits),
                    liveness_probe=k8s.Probe(http_get=probe, initial_delay_seconds=30, period_seconds=30),
                    readiness_probe=k8s.Probe(http_get=probe, period_seconds=10),
                    # The pod's context sets the seccomp profile (as the upstream AWS example).
                    security_context=restricted_container(seccomp=False, privileged=None),
                )
            ],
        )


WILDCARD_REASONS = {
    "*": (
        "Cluster Autoscaler recommended policy: the Auto Scaling and EC2 Describe calls and "
        "GetInstanceTypesFromInstanceRequirements support no resource-level permissions"
    ),
    "nodegroup": "DescribeNodegroup on this cluster's node groups only; their ARNs end in EKS-generated ids",
    "autoScalingGroup": (
        "Resize/terminate only Auto Scaling groups whose k8s.io/cluster-autoscaler tags mark them as this "
        "cluster's (statement condition); EKS names managed node groups' groups with a generated suffix"
    ),
}


def policy_statements(*, cluster_name: str, partition: str, region: str, account: str) -> list[iam.PolicyStatement]:
    """The autoscaler's recommended policy: read anything it must inspect, scale only this cluster's groups."""
    return [
        iam.PolicyStatement(
            sid="DescribeScalingInputs",
            actions=[
                "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:DescribeAutoScalingInstances",
                "autoscaling:DescribeLaunchConfigurations",
                "autoscaling:DescribeScalingActivities",
                "ec2:DescribeImages",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeLaunchTemplateVersions",
                "ec2:GetInstanceTypesFromInstanceRequirements",
            ],
            resources=["*"],
        ),
        iam.PolicyStatement(
            sid="DescribeOwnNodegroups",
            actions=["eks:DescribeNodegroup"],
            resources=[f"arn:{partition}:eks:{region}:{account}:nodegroup/{cluster_name}/*"],
        ),
        iam.PolicyStatement(
            sid="ScaleOwnGroups",
            actions=["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            resources=[f"arn:{partition}:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/*"],
            conditions={
                "StringEquals": {
                    f"aws:ResourceTag/k8s.io/cluster-autoscaler/{cluster_name}": "owned",
                    "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
                }
            },
        ),
    ]


def chart_name(config: AppConfig) -> str:
    """The cdk8s chart's name, which the inventory names as the pods' source."""
    return f"{config.resource_prefix}-cluster-autoscaler"


def chart_values(config: AppConfig, *, region: str) -> ClusterAutoscalerValues:
    return ClusterAutoscalerValues(
        cluster_name=config.eks.cluster_name,
        region=region,
        image_tag=SUPPORTED_VERSIONS[config.eks.kubernetes_version].cluster_autoscaler_image_tag,
        node_selector=system_node_selector(config),
        # Burst capacity comes from Spot first (the design's cost policy), on-demand after.
        preferred_node_groups=(NodeGroups.APP_SPOT,) if config.eks.spot_app_nodes is not None else (),
        startup_taints=(Mesh.STARTUP_TAINT,) if config.mesh.enabled else (),
    )


class ClusterAutoscaler:
    """The seed's `autoScaler`: the Deployment above, applied by the kubectl handler, and its role."""

    name = NAME

    def enabled(self, *, config: AppConfig) -> bool:
        return True

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return {}  # a cdk8s chart: the pods are read from REPLICAS and RESOURCES directly

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return (
            cdk8s_deployment(
                name=NAME,
                namespace=NAMESPACE,
                source=chart_name(config),
                replicas=REPLICAS,
                resources=RESOURCES,
                selector=system_node_selector(config),
            ),
        )

    def install(
        self, scope: Construct, *, context: ClusterContext, prerequisites: Sequence[IDependable]
    ) -> InstalledController:
        stack = cdk.Stack.of(scope)
        role = PodIdentityRole(
            scope,
            "ClusterAutoscalerRole",
            cluster=context.cluster,
            cluster_name=context.cluster_name,
            namespace=NAMESPACE,
            service_account=SERVICE_ACCOUNT,
            description="Cluster Autoscaler: resizes this cluster's managed node groups",
        )
        for statement in policy_statements(
            cluster_name=context.cluster_name, partition=stack.partition, region=stack.region, account=stack.account
        ):
            role.role.add_to_principal_policy(statement)
            for resource in statement.resources:
                if "*" not in resource:
                    continue
                kind = "*" if resource == "*" else ("nodegroup" if ":nodegroup/" in resource else "autoScalingGroup")
                nag_acknowledge(role.role, f"AwsSolutions-IAM5[Resource::{resource}]", WILDCARD_REASONS[kind])
        nag_acknowledge_inline_policy(role.role, "Cluster Autoscaler's node-group reads and resizes of this cluster")
        manifest = context.cluster.add_cdk8s_chart(
            "ClusterAutoscaler",
            ClusterAutoscalerChart(
                cdk8s.App(), chart_name(context.config), values=chart_values(context.config, region=stack.region)
            ),
        )
        manifest.node.add_dependency(role, *prerequisites)
        return InstalledController(release=manifest, role=role)


ADDON = ClusterAutoscaler()
