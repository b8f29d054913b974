"""AWS Load Balancer Controller (the seed's `albIngress`): the ALBs and target groups of Ingresses.

Its role carries the controller's published IAM policy (addons/policies/), with the reasons for its wildcards.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct, IDependable

from addons.base import (
    PLACEHOLDER,
    ClusterContext,
    InstalledController,
    controller_role,
    helm_release,
    system_node_selector,
)
from addons.pods import PodComponent, PodResources, component
from config import AppConfig
from findings import checkov_skip, nag_acknowledge
from k8s_charts.helm import HelmRelease
from names import K8sNames

SERVICE_ACCOUNT = "aws-load-balancer-controller"
RELEASE = HelmRelease(
    chart="aws-load-balancer-controller",
    repository="https://aws.github.io/eks-charts",
    # controller v3.2.2; published in https://aws.github.io/eks-charts/index.yaml (aws/eks-charts gh-pages,
    # entry aws-load-balancer-controller-3.2.2.tgz, appVersion v3.2.2).
    version="3.2.2",
    namespace=K8sNames.KUBE_SYSTEM_NAMESPACE,
    release="aws-load-balancer-controller",
    service_account=SERVICE_ACCOUNT,
)
# Two replicas because its webhooks (pod readiness gates, Service/Ingress validation) fail closed; one
# replica restarting would block every Service change. The chart's README example requests 100m/128Mi.
REPLICAS = 2
RESOURCES = PodResources(cpu_request_m=100, memory_request_mib=128, memory_limit_mib=256)

# The controller's published policy (docs/install/iam_policy.json of the release above).
POLICY = Path(__file__).parent / "policies" / "aws-load-balancer-controller-v3.2.2.json"


def policy_document(partition: str) -> iam.PolicyDocument:
    """The published policy, with its `arn:aws:` resources in the stack's partition."""
    document: dict[str, Any] = json.loads(POLICY.read_text().replace('"arn:aws:', f'"arn:{partition}:'))
    return iam.PolicyDocument.from_json(document)


def policy_wildcards(partition: str) -> list[str]:
    """The wildcard resources of the published policy, as cdk-nag names them in its findings."""
    wildcards: list[str] = []
    for statement in json.loads(POLICY.read_text())["Statement"]:
        resources = statement["Resource"]
        for published in [resources] if isinstance(resources, str) else resources:
            resource = published.replace("arn:aws:", f"arn:{partition}:")
            if "*" in resource and resource not in wildcards:
                wildcards.append(resource)
    return wildcards


def wildcard_reason(resource: str) -> str:
    if resource == "*":
        return (
            "AWS Load Balancer Controller published policy: Describe/Get calls without resource-level permissions, "
            "and creates/tagging conditioned on the elbv2.k8s.aws/cluster request tag (no ARN exists before creation)"
        )
    if ":security-group/" in resource:
        return (
            "AWS Load Balancer Controller published policy: ingress rules and tags only on security groups "
            "carrying the controller's elbv2.k8s.aws/cluster tag (statement conditions)"
        )
    return (
        "AWS Load Balancer Controller published policy: modify/delete only the load balancers, listeners, rules "
        "and target groups it created, identified by its elbv2.k8s.aws/cluster resource tag (statement conditions)"
    )


def values(
    *, cluster_name: str, region: str, vpc_id: str, service_account: str, node_selector: Mapping[str, str]
) -> dict[str, Any]:
    return {
        "clusterName": cluster_name,
        "region": region,
        "vpcId": vpc_id,
        "serviceAccount": {"create": True, "name": service_account},
        "replicaCount": REPLICAS,
        "resources": RESOURCES.values(),
        "nodeSelector": dict(node_selector),
        "tolerations": [],
    }


class AwsLoadBalancerController:
    name = RELEASE.release

    def enabled(self, *, config: AppConfig) -> bool:
        return True

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return values(
            cluster_name=config.eks.cluster_name,
            region=config.region,
            vpc_id=PLACEHOLDER,
            service_account=SERVICE_ACCOUNT,
            node_selector=system_node_selector(config),
        )

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return (
            component(
                name=RELEASE.release,
                namespace=RELEASE.namespace,
                kind="Deployment",
                source=RELEASE.release,
                source_kind="helm",
                values=values,
                replicas_key="replicaCount",
                default_replicas=2,
            ),
        )

    def install(
        self, scope: Construct, *, context: ClusterContext, prerequisites: Sequence[IDependable]
    ) -> InstalledController:
        stack = cdk.Stack.of(scope)
        role = controller_role(
            scope,
            "AwsLoadBalancerControllerRole",
            context=context,
            release=RELEASE,
            description="AWS Load Balancer Controller: manages the ALBs and target groups of Ingresses",
        )
        policy = iam.ManagedPolicy(
            scope,
            "AwsLoadBalancerControllerPolicy",
            description="AWS Load Balancer Controller v3.2.2 published IAM policy",
            document=policy_document(stack.partition),
            roles=[role.role],
        )
        checkov_skip(
            policy,
            "CKV_AWS_111",
            "AWS Load Balancer Controller published policy: its writes are limited by elbv2.k8s.aws/cluster tag "
            "conditions, since the load balancers it manages have no ARN before the controller creates them",
        )
        for resource in policy_wildcards(stack.partition):
            nag_acknowledge(policy, f"AwsSolutions-IAM5[Resource::{resource}]", wildcard_reason(resource))
        chart = helm_release(
            context.cluster,
            "AwsLoadBalancerController",
            RELEASE,
            values=values(
                cluster_name=context.cluster_name,
                region=stack.region,
                vpc_id=context.vpc_id,
                service_account=SERVICE_ACCOUNT,
                node_selector=context.node_selector,
            ),
        )
        chart.node.add_dependency(*prerequisites)
        # Credentials before pods: the association exists before the chart starts the controller.
        chart.node.add_dependency(role)
        return InstalledController(release=chart, role=role)


ADDON = AwsLoadBalancerController()
