"""External Secrets Operator: syncs the Aurora and Redis secrets (and Grafana's) into Kubernetes Secrets.

Its role carries no grant here. Each stack that syncs a secret attaches an `iam.Policy` for exactly that
secret (`secret_reader_statements`), so the EKS stack never refers to the data tier and deploys side by
side with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct, IDependable

from addons.base import ClusterContext, InstalledController, controller_role, helm_release, system_node_selector
from addons.pods import PodComponent, PodResources, component
from config import AppConfig
from k8s_charts.helm import HelmRelease

SERVICE_ACCOUNT = "external-secrets"
RELEASE = HelmRelease(
    chart="external-secrets",
    repository="https://charts.external-secrets.io",
    # The newest release in https://charts.external-secrets.io/index.yaml (external-secrets/external-secrets
    # gh-pages: release asset helm-chart-2.9.0/external-secrets-2.9.0.tgz). 2.10.0 appears in no index or release.
    version="2.9.0",
    namespace="external-secrets",
    release="external-secrets",
    service_account=SERVICE_ACCOUNT,
)
# One replica each; a restart delays a sync by seconds. The chart's commented example requests 10m/32Mi;
# the controller caches the synced Secrets, so it gets 64Mi.
REPLICAS = 1
CONTROLLER = PodResources(cpu_request_m=10, memory_request_mib=64, memory_limit_mib=256)
WEBHOOK = PodResources(cpu_request_m=10, memory_request_mib=32, memory_limit_mib=128)
CERT_CONTROLLER = PodResources(cpu_request_m=10, memory_request_mib=32, memory_limit_mib=128)
# The chart's Deployments: the values key each one's settings live under ("" is the root).
DEPLOYMENTS = {
    "external-secrets": "",
    "external-secrets-webhook": "webhook",
    "external-secrets-cert-controller": "certController",
}


def values(*, service_account: str, node_selector: Mapping[str, str]) -> dict[str, Any]:
    def part(resources: PodResources) -> dict[str, Any]:
        return {
            "replicaCount": REPLICAS,
            "resources": resources.values(),
            "nodeSelector": dict(node_selector),
            "tolerations": [],
        }

    return {
        "installCRDs": True,
        "serviceAccount": {"create": True, "name": service_account},
        **part(CONTROLLER),
        "webhook": part(WEBHOOK),
        "certController": part(CERT_CONTROLLER),
    }


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


class ExternalSecrets:
    name = RELEASE.release

    def enabled(self, *, config: AppConfig) -> bool:
        return True

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return values(service_account=SERVICE_ACCOUNT, node_selector=system_node_selector(config))

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return tuple(
            component(
                name=name,
                namespace=RELEASE.namespace,
                kind="Deployment",
                source=RELEASE.release,
                source_kind="helm",
                values=values.get(key, {}) if key else values,
                replicas_key="replicaCount",
                default_replicas=1,
            )
            for name, key in DEPLOYMENTS.items()
        )

    def install(
        self, scope: Construct, *, context: ClusterContext, prerequisites: Sequence[IDependable]
    ) -> InstalledController:
        role = controller_role(
            scope,
            "ExternalSecretsRole",
            context=context,
            release=RELEASE,
            description="External Secrets Operator: reads the Aurora and Redis secrets into Kubernetes Secrets",
        )
        chart = helm_release(
            context.cluster,
            "ExternalSecrets",
            RELEASE,
            values=values(service_account=SERVICE_ACCOUNT, node_selector=context.node_selector),
        )
        chart.node.add_dependency(*prerequisites)
        # Credentials before pods: the association exists before the chart starts the operator.
        chart.node.add_dependency(role)
        return InstalledController(release=chart, role=role)


ADDON = ExternalSecrets()
