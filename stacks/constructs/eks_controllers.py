"""Cluster controllers: Helm charts the cluster installs at deploy time, each with its own least-privilege role.

- AWS Load Balancer Controller (the seed's `albIngress`): the controller's published IAM policy.
- metrics-server: resource metrics for the seed's HPAs; it calls no AWS API, so it has no AWS role.
- External Secrets Operator: its role carries no grant here. Each stack that syncs a secret attaches an
  `iam.Policy` for exactly that secret (`secret_reader_statements`), so the EKS stack never refers to the
  data tier and deploys side by side with it.
- Cluster Autoscaler (the seed's `autoScaler`): its published policy, scoped to this cluster's tagged groups;
  the Deployment itself is a cdk8s chart (k8s_charts/cluster_autoscaler.py).
Charts are pinned by repository and version and downloaded by the kubectl handler during the deploy, never
at synth. Every controller runs on system-nodes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct, IDependable

from addons.pod_identity import PodIdentityRole
from findings import checkov_skip, nag_acknowledge
from fit import platform_values
from k8s_charts import cluster_autoscaler
from k8s_charts.helm import HelmRelease
from names import K8sNames

# Longest wait the kubectl handler allows: a chart's webhook must be serving before the next object lands.
HELM_TIMEOUT = cdk.Duration.minutes(15)


AWS_LOAD_BALANCER_CONTROLLER = HelmRelease(
    chart="aws-load-balancer-controller",
    repository="https://aws.github.io/eks-charts",
    # controller v3.2.2; published in https://aws.github.io/eks-charts/index.yaml (aws/eks-charts gh-pages,
    # entry aws-load-balancer-controller-3.2.2.tgz, appVersion v3.2.2).
    version="3.2.2",
    namespace=K8sNames.KUBE_SYSTEM_NAMESPACE,
    release="aws-load-balancer-controller",
    service_account="aws-load-balancer-controller",
)
METRICS_SERVER = HelmRelease(
    chart="metrics-server",
    repository="https://kubernetes-sigs.github.io/metrics-server/",
    # metrics-server v0.8.0; published in https://kubernetes-sigs.github.io/metrics-server/index.yaml
    # (kubernetes-sigs/metrics-server gh-pages: release asset metrics-server-helm-chart-3.13.0/metrics-server-3.13.0.tgz).
    version="3.13.0",
    namespace=K8sNames.KUBE_SYSTEM_NAMESPACE,
    release="metrics-server",
)
EXTERNAL_SECRETS = HelmRelease(
    chart="external-secrets",
    repository="https://charts.external-secrets.io",
    # The newest release in https://charts.external-secrets.io/index.yaml (external-secrets/external-secrets
    # gh-pages: release asset helm-chart-2.9.0/external-secrets-2.9.0.tgz). 2.10.0 appears in no index or release.
    version="2.9.0",
    namespace="external-secrets",
    release="external-secrets",
    service_account="external-secrets",
)

# The AWS Load Balancer Controller's published policy (docs/install/iam_policy.json of the release above).
ALB_CONTROLLER_POLICY = Path(__file__).parent / "policies" / "aws-load-balancer-controller-v3.2.2.json"


def alb_controller_policy_document(partition: str) -> iam.PolicyDocument:
    """The published policy, with its `arn:aws:` resources in the stack's partition."""
    document: dict[str, Any] = json.loads(ALB_CONTROLLER_POLICY.read_text().replace('"arn:aws:', f'"arn:{partition}:'))
    return iam.PolicyDocument.from_json(document)


def alb_controller_policy_wildcards(partition: str) -> list[str]:
    """The wildcard resources of the published policy, as cdk-nag names them in its findings."""
    wildcards: list[str] = []
    for statement in json.loads(ALB_CONTROLLER_POLICY.read_text())["Statement"]:
        resources = statement["Resource"]
        for published in [resources] if isinstance(resources, str) else resources:
            resource = published.replace("arn:aws:", f"arn:{partition}:")
            if "*" in resource and resource not in wildcards:
                wildcards.append(resource)
    return wildcards


def _alb_wildcard_reason(resource: str) -> str:
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


CLUSTER_AUTOSCALER_WILDCARD_REASONS = {
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


def cluster_autoscaler_statements(
    *, cluster_name: str, partition: str, region: str, account: str
) -> list[iam.PolicyStatement]:
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


def secret_reader_statements(
    *, secrets: Sequence[secretsmanager.ISecret], keys: Sequence[kms.IKey], region: str
) -> list[iam.PolicyStatement]:
    """Read these secrets and nothing else; decrypt with their keys only when Secrets Manager asks."""
    statements = [
        iam.PolicyStatement(
            sid="ReadAppSecrets",
            actions=["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            resources=[secret.secret_arn for secret in secrets],
        )
    ]
    if keys:
        statements.append(
            iam.PolicyStatement(
                sid="DecryptAppSecrets",
                actions=["kms:Decrypt"],
                resources=[key.key_arn for key in keys],
                conditions={"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}},
            )
        )
    return statements


class PlatformControllers(Construct):
    """The controllers' roles, Pod Identity associations and Helm releases.

    `prerequisites` (node groups, add-ons) come first: the charts wait for their pods to be ready, which
    needs schedulable system nodes, the CNI, CoreDNS and the pod identity agent.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        cluster: eks.Cluster,
        cluster_name: str,
        vpc_id: str,
        node_selector: Mapping[str, str],
        prerequisites: Sequence[IDependable],
    ) -> None:
        super().__init__(scope, id_)
        stack = cdk.Stack.of(self)
        selector = dict(node_selector)

        self.alb_controller_role = self._role(
            "AwsLoadBalancerControllerRole",
            cluster,
            cluster_name,
            AWS_LOAD_BALANCER_CONTROLLER,
            "AWS Load Balancer Controller: manages the ALBs and target groups of Ingresses",
        )
        alb_policy = iam.ManagedPolicy(
            self,
            "AwsLoadBalancerControllerPolicy",
            description="AWS Load Balancer Controller v3.2.2 published IAM policy",
            document=alb_controller_policy_document(stack.partition),
            roles=[self.alb_controller_role.role],
        )
        checkov_skip(
            alb_policy,
            "CKV_AWS_111",
            "AWS Load Balancer Controller published policy: its writes are limited by elbv2.k8s.aws/cluster tag "
            "conditions, since the load balancers it manages have no ARN before the controller creates them",
        )
        for resource in alb_controller_policy_wildcards(stack.partition):
            nag_acknowledge(alb_policy, f"AwsSolutions-IAM5[Resource::{resource}]", _alb_wildcard_reason(resource))
        self.alb_controller = self._chart(
            cluster,
            "AwsLoadBalancerController",
            AWS_LOAD_BALANCER_CONTROLLER,
            values=platform_values.alb_controller_values(
                cluster_name=cluster_name,
                region=stack.region,
                vpc_id=vpc_id,
                service_account=AWS_LOAD_BALANCER_CONTROLLER.service_account or "",
                node_selector=selector,
            ),
            wait=True,
        )

        self.metrics_server = self._chart(
            cluster,
            "MetricsServer",
            METRICS_SERVER,
            values=platform_values.metrics_server_values(node_selector=selector),
            wait=True,
        )

        self.external_secrets_role = self._role(
            "ExternalSecretsRole",
            cluster,
            cluster_name,
            EXTERNAL_SECRETS,
            "External Secrets Operator: reads the Aurora and Redis secrets into Kubernetes Secrets",
        )
        self.external_secrets = self._chart(
            cluster,
            "ExternalSecrets",
            EXTERNAL_SECRETS,
            values=platform_values.external_secrets_values(
                service_account=EXTERNAL_SECRETS.service_account or "", node_selector=selector
            ),
            wait=True,
        )

        self.cluster_autoscaler_role = PodIdentityRole(
            self,
            "ClusterAutoscalerRole",
            cluster=cluster,
            cluster_name=cluster_name,
            namespace=cluster_autoscaler.NAMESPACE,
            service_account=cluster_autoscaler.SERVICE_ACCOUNT,
            description="Cluster Autoscaler: resizes this cluster's managed node groups",
        )
        for statement in cluster_autoscaler_statements(
            cluster_name=cluster_name, partition=stack.partition, region=stack.region, account=stack.account
        ):
            self.cluster_autoscaler_role.role.add_to_principal_policy(statement)
            for resource in statement.resources:
                if "*" not in resource:
                    continue
                kind = "*" if resource == "*" else ("nodegroup" if ":nodegroup/" in resource else "autoScalingGroup")
                nag_acknowledge(
                    self.cluster_autoscaler_role.role,
                    f"AwsSolutions-IAM5[Resource::{resource}]",
                    CLUSTER_AUTOSCALER_WILDCARD_REASONS[kind],
                )

        for chart in (self.alb_controller, self.metrics_server, self.external_secrets):
            chart.node.add_dependency(*prerequisites)
        # Credentials before pods: each controller's association exists before its chart starts it.
        self.alb_controller.node.add_dependency(self.alb_controller_role)
        self.external_secrets.node.add_dependency(self.external_secrets_role)

    def _role(
        self, id_: str, cluster: eks.Cluster, cluster_name: str, release: HelmRelease, description: str
    ) -> PodIdentityRole:
        assert release.service_account is not None
        return PodIdentityRole(
            self,
            id_,
            cluster=cluster,
            cluster_name=cluster_name,
            namespace=release.namespace,
            service_account=release.service_account,
            description=description,
        )

    def _chart(
        self, cluster: eks.Cluster, id_: str, release: HelmRelease, *, values: dict[str, Any], wait: bool
    ) -> eks.HelmChart:
        return cluster.add_helm_chart(
            id_,
            chart=release.chart,
            repository=release.repository,
            version=release.version,
            namespace=release.namespace,
            release=release.release,
            create_namespace=True,
            values=values,
            wait=wait,
            timeout=HELM_TIMEOUT,
        )
