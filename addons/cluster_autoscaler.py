"""Cluster Autoscaler (seed: scaling/cluster-autoscaler.yaml) from its upstream Helm chart, with its Pod Identity role.

The chart (kubernetes/autoscaler `cluster-autoscaler/charts/cluster-autoscaler`) brings the Deployment,
ServiceAccount, RBAC and the priority expander's ConfigMap; our values give it the seed's flags, corrected
where they could not work:
- the flag is `--scale-down-utilization-threshold` (the seed's `--scale-down-util-threshold` does not exist);
- the expander is `priority,least-waste`: the priority ConfigMap (`expanderPriorities`) makes the Spot app
  group the first choice (the design's cost policy), and the seed's least-waste decides among equals and the rest;
- the image comes from registry.k8s.io (k8s.gcr.io is frozen) with the minor of the cluster's Kubernetes
  version (config/kubernetes.py; the chart's default tag follows its own appVersion);
- no hostPath CA bundle (the image carries its own CA certificates);
- non-root, read-only, no capabilities, RuntimeDefault seccomp; on system-nodes; our NetworkPolicy (as an
  `extraObjects` entry) lets only Prometheus (the monitoring namespace) reach the metrics port.
AWS permissions come from a Pod Identity role associated with the chart's ServiceAccount (below: the
autoscaler's recommended policy, scoped to this cluster's tagged groups), not the nodes. No CRDs.

It runs in a namespace of its own (`cluster-autoscaler`), not kube-system: the earlier, hand-written
Deployment and RBAC lived in kube-system, and the chart's objects must not collide with them during the
deploy that replaces them (CloudFormation creates the release before it deletes the old manifest, and the
priority-expander ConfigMap's name is fixed by the autoscaler).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import aws_cdk as cdk
import cdk8s
from aws_cdk import aws_iam as iam
from cdk8s_plus_36 import k8s
from constructs import Construct, IDependable

from addons.base import ClusterContext, InstalledController, helm_release, system_node_selector
from addons.pod_identity import PodIdentityRole
from addons.pods import PodComponent, PodResources, component
from config import AppConfig
from config.kubernetes import SUPPORTED_VERSIONS
from findings import nag_acknowledge, nag_acknowledge_inline_policy
from k8s_charts.helm import HelmRelease
from k8s_charts.network_policies import metrics_only_from_monitoring
from k8s_charts.security import restricted_container_security_context, restricted_pod_security_context
from names import K8sNames, Mesh, NodeGroups, Ports

NAME = "cluster-autoscaler"
NAMESPACE = K8sNames.CLUSTER_AUTOSCALER_NAMESPACE
SERVICE_ACCOUNT = NAME
RELEASE = HelmRelease(
    chart="cluster-autoscaler",
    repository="https://kubernetes.github.io/autoscaler",
    # Cluster Autoscaler 1.35.0 (appVersion; the image tag is ours, below); published as the chart-releaser
    # release/tag cluster-autoscaler-chart-9.59.0 of kubernetes/autoscaler (2026-07-21) and in
    # https://kubernetes.github.io/autoscaler/index.yaml (gh-pages).
    version="9.59.0",
    # the `digest` of this version in kubernetes/autoscaler gh-pages index.yaml (created 2026-07-21)
    digest="90276dafe65cf5d4328ef8313baf6cfb9d130683e0c9f3c28a03b4d8a9ed8f6e",
    namespace=NAMESPACE,
    release=NAME,
    service_account=SERVICE_ACCOUNT,
)
# The chart's names: <release>-<cloudProvider>-<chart> (templates/_helpers.tpl), its pods' labels.
DEPLOYMENT = f"{NAME}-aws-cluster-autoscaler"
POD_LABELS = {"app.kubernetes.io/instance": NAME, "app.kubernetes.io/name": "aws-cluster-autoscaler"}
IMAGE_REPOSITORY = "registry.k8s.io/autoscaling/cluster-autoscaler"
# The priority expander reads this ConfigMap from the autoscaler's own namespace (expander/priority/readme.md);
# the chart renders it from `expanderPriorities`.
PRIORITY_CONFIG_MAP = "cluster-autoscaler-priority-expander"
PREFERRED_PRIORITY = 50
DEFAULT_PRIORITY = 10
# The upstream AWS example's 100m/600Mi is for large clusters; two small node groups need far less.
# Limits equal requests (Guaranteed), as upstream recommends for the autoscaler.
REPLICAS = 1
RESOURCES = PodResources(cpu_request_m=100, memory_request_mib=300, memory_limit_mib=300, cpu_limit_m=100)
# Non-root uid/gid of the upstream example ("nobody").
RUN_AS = 65534


# The seed's flags besides the provider and discovery, as the chart's `extraArgs` (rendered `--key=value`,
# sorted by key, after `--cloud-provider=aws --namespace=<ns> --node-group-auto-discovery=asg:tag=...`).
# The chart's default extraArgs also pass --logtostderr=true: klog's own default, so the seed's behaviour.
SEED_ARGS: dict[str, Any] = {
    "v": 4,
    "stderrthreshold": "info",
    "skip-nodes-with-local-storage": False,
    # The seed's least-waste, after the priority expander narrows the options to the preferred groups.
    "expander": "priority,least-waste",
    "balance-similar-node-groups": True,
    "scale-down-enabled": True,
    "scale-down-delay-after-add": "10m",
    "scale-down-unneeded-time": "10m",
    "scale-down-utilization-threshold": 0.5,
    "max-node-provision-time": "15m",
}


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


def network_policy() -> dict[str, Any]:
    """Our NetworkPolicy for the chart's pods (an `extraObjects` entry): only Prometheus reaches the metrics port."""
    chart = cdk8s.Chart(cdk8s.App(), "network-policy", namespace=NAMESPACE, disable_resource_name_hashes=True)
    metrics_only_from_monitoring(
        chart,
        "NetworkPolicy",
        name=NAME,
        labels=dict(POD_LABELS),
        selector=dict(POD_LABELS),
        port=k8s.IntOrString.from_number(Ports.CLUSTER_AUTOSCALER_METRICS),
    )
    (policy,) = chart.to_json()
    return dict(policy)


def startup_taint_args(config: AppConfig) -> dict[str, Any]:
    """`--startup-taint` (since 1.29) for the mesh's cni.istio.io/not-ready: a node still carrying it is one that is
    coming up, not one that cannot take the pending pods, so the autoscaler neither adds a second node for them
    nor scales the first away."""
    return {"startup-taint": Mesh.STARTUP_TAINT} if config.mesh.enabled else {}


def values(config: AppConfig, *, region: str) -> dict[str, Any]:
    """The chart's values: the seed's flags, our image tag, requests, placement and security contexts."""
    spot = config.eks.spot_app_nodes is not None
    return {
        "cloudProvider": "aws",
        "awsRegion": region,
        "autoDiscovery": {"clusterName": config.eks.cluster_name},
        "image": {
            "repository": IMAGE_REPOSITORY,
            "tag": SUPPORTED_VERSIONS[config.eks.kubernetes_version].cluster_autoscaler_image_tag,
            "pullPolicy": "Always",
        },
        "extraArgs": {**SEED_ARGS, **startup_taint_args(config)},
        # Burst capacity comes from Spot first (the design's cost policy), on-demand after.
        "expanderPriorities": expander_priorities((NodeGroups.APP_SPOT,) if spot else ()),
        "rbac": {"serviceAccount": {"name": SERVICE_ACCOUNT}},
        "replicaCount": REPLICAS,
        "resources": RESOURCES.values(),
        "nodeSelector": dict(system_node_selector(config)),
        "tolerations": [],
        "podAnnotations": {"prometheus.io/scrape": "true", "prometheus.io/port": str(Ports.CLUSTER_AUTOSCALER_METRICS)},
        "securityContext": restricted_pod_security_context(RUN_AS),
        "containerSecurityContext": restricted_container_security_context(),
        # Prometheus scrapes the pod (its annotations): no Service in front of it.
        "service": {"create": False},
        "extraObjects": [network_policy()],
    }


class ClusterAutoscaler:
    """The seed's `autoScaler`: the upstream chart with the seed's flags, and its role."""

    name = NAME

    def enabled(self, *, config: AppConfig) -> bool:
        return True

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return values(config, region=config.region)

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return (
            component(
                name=DEPLOYMENT,
                namespace=NAMESPACE,
                kind="Deployment",
                source=RELEASE.release,
                source_kind="helm",
                values=values,
                replicas_key="replicaCount",
                default_replicas=1,
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
        chart = helm_release(
            context.cluster, "ClusterAutoscaler", RELEASE, values=values(context.config, region=stack.region)
        )
        chart.node.add_dependency(role, *prerequisites)
        return InstalledController(release=chart, role=role)


ADDON = ClusterAutoscaler()
