"""The EKS platform's objects in the application namespace: the namespace itself, secret sync and config.

- `AppNamespaceChart`: the `tech-lib` namespace, enforcing the Pod Security Standards "restricted" profile.
- `AppSecretsChart`: a SecretStore for Secrets Manager and two ExternalSecrets (External Secrets
  Operator) that build the Kubernetes Secrets `db-credentials` (from the Aurora secret) and
  `redis-credentials` (the Redis AUTH token), plus the ConfigMap `app-config` with the Redis endpoint.
  No secret value is ever in a manifest: only the secrets' ARNs are.

Both take plain values, so they render without the CDK app; inside it (EksStack, WorkloadsStack) the ARNs and
endpoints are CloudFormation tokens. The SecretStore has no `auth`: the operator's own credentials
(a Pod Identity role that can read exactly these two secrets) are used.
"""

from __future__ import annotations

from dataclasses import dataclass

import cdk8s
from cdk8s_plus_36 import k8s
from constructs import Construct

from k8s_charts.external_secrets import EXTERNAL_SECRETS_API, SECRET_STORE, SecretKey, aws_secret_store, external_secret
from names import K8sKeys, K8sNames, Mesh

PSS_PROFILE = "restricted"
__all__ = ["EXTERNAL_SECRETS_API", "AppNamespaceChart", "AppSecretsChart", "pod_security_labels"]
# How often the operator re-reads Secrets Manager. The Redis token changes only by a redeploy: hourly.
REFRESH_INTERVAL = "1h"
# The database password rotates (single-user): a new value must reach db-credentials, and through Reloader a
# restart of the backend, within a minute of the rotation. 43,200 GetSecretValue calls a month (about $0.22).
DATABASE_REFRESH_INTERVAL = "1m"
POD_READINESS_GATE_LABEL = "elbv2.k8s.aws/pod-readiness-gate-inject"


def pod_security_labels(profile: str, version: str) -> dict[str, str]:
    """Enforce, audit and warn on one Pod Security Standards profile, pinned to the cluster's minor."""
    labels: dict[str, str] = {}
    for mode in ("enforce", "audit", "warn"):
        labels[f"pod-security.kubernetes.io/{mode}"] = profile
        labels[f"pod-security.kubernetes.io/{mode}-version"] = version
    return labels


class AppNamespaceChart(cdk8s.Chart):
    """The application namespace, labelled for Pod Security Standards enforcement."""

    def __init__(
        self, scope: Construct, id_: str, *, namespace: str, kubernetes_version: str, ambient: bool = False
    ) -> None:
        """`ambient`: the namespace's pods join the Istio ambient mesh (no sidecar, so PSS restricted still holds)."""
        super().__init__(scope, id_, disable_resource_name_hashes=True)
        self.namespace_object = k8s.KubeNamespace(
            self,
            "Namespace",
            metadata=k8s.ObjectMeta(
                name=namespace,
                labels={
                    **pod_security_labels(PSS_PROFILE, f"v{kubernetes_version}"),
                    # With IP targets, the ALB controller holds a rolling update until each new pod is
                    # healthy in its target group; without the gate an update can cause brief 5xx.
                    POD_READINESS_GATE_LABEL: "enabled",
                    **({Mesh.DATAPLANE_MODE_LABEL: Mesh.AMBIENT} if ambient else {}),
                },
            ),
        )


@dataclass(frozen=True)
class AppSecretsValues:
    """What the secret sync and the ConfigMap need; strings may be CloudFormation tokens."""

    namespace: str
    region: str
    database_secret_arn: str
    database_name: str
    database_port: str
    redis_secret_arn: str
    # The JSON key holding the token in the Redis secret, or None when the secret is the bare token.
    redis_secret_property: str | None
    redis_host: str
    redis_port: str
    redis_tls: bool = True


# Secret key in db-credentials -> JSON key of the Aurora secret (RDS writes host, port, dbname to it).
DATABASE_SECRET_KEYS = {
    K8sKeys.DB_HOST: "host",
    K8sKeys.DB_PORT: "port",
    K8sKeys.DB_USERNAME: "username",
    K8sKeys.DB_PASSWORD: "password",
    K8sKeys.DB_NAME: "dbname",
}


class AppSecretsChart(cdk8s.Chart):
    """SecretStore + ExternalSecrets (CRDs of External Secrets Operator) and the `app-config` ConfigMap."""

    def __init__(self, scope: Construct, id_: str, *, values: AppSecretsValues) -> None:
        super().__init__(scope, id_, namespace=values.namespace, disable_resource_name_hashes=True)
        self.secret_store = aws_secret_store(self, "SecretStore", name=SECRET_STORE, region=values.region)
        self.database_credentials = self._external_secret(
            "DatabaseCredentials",
            target=K8sNames.DB_CREDENTIALS_SECRET,
            data=[
                SecretKey(secret_key=key, remote_key=values.database_secret_arn, remote_property=json_key)
                for key, json_key in DATABASE_SECRET_KEYS.items()
            ],
            refresh_interval=DATABASE_REFRESH_INTERVAL,
        )
        self.redis_credentials = self._external_secret(
            "RedisCredentials",
            target=K8sNames.REDIS_CREDENTIALS_SECRET,
            data=[
                SecretKey(
                    secret_key=K8sKeys.REDIS_AUTH_TOKEN,
                    remote_key=values.redis_secret_arn,
                    remote_property=values.redis_secret_property,
                )
            ],
        )
        self.app_config = k8s.KubeConfigMap(
            self,
            "AppConfig",
            metadata=k8s.ObjectMeta(name=K8sNames.APP_CONFIG_MAP),
            data={
                K8sKeys.REDIS_HOST: values.redis_host,
                K8sKeys.REDIS_PORT: values.redis_port,
                K8sKeys.REDIS_TLS: "true" if values.redis_tls else "false",
                K8sKeys.DB_PORT_CONFIG: values.database_port,
                K8sKeys.DB_NAME_CONFIG: values.database_name,
            },
        )

    def _external_secret(
        self, id_: str, *, target: str, data: list[SecretKey], refresh_interval: str = REFRESH_INTERVAL
    ) -> cdk8s.ApiObject:
        # Retain: the Secret also survives its Secrets Manager secret being deleted.
        return external_secret(
            self,
            id_,
            target=target,
            store=SECRET_STORE,
            refresh_interval=refresh_interval,
            data=data,
            # Orphan: the Secret carries no ownerReference, so deleting or moving this ExternalSecret
            # (a manifest that changes stacks is deleted from the old one) never garbage-collects the
            # Secret running pods read; the ExternalSecret of the same name adopts and refreshes it.
            orphan=True,
            retain_on_delete=True,
        )
