"""External Secrets Operator objects, typed from the operator's CRDs (k8s_charts/imports, `make crds`).

One place builds the SecretStore and ExternalSecrets that the app namespace (platform.py) and the
monitoring namespace (monitoring.py) both need, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cdk8s
from constructs import Construct

from k8s_charts.imports.io import external_secrets as eso

EXTERNAL_SECRETS_API = "external-secrets.io/v1"


# Every namespace that syncs Secrets has one SecretStore of this name (the app's and monitoring).
SECRET_STORE = "aws-secrets-manager"


@dataclass(frozen=True)
class SecretKey:
    """One key of the Kubernetes Secret, read from a Secrets Manager secret (a JSON property, or all of it)."""

    secret_key: str
    remote_key: str
    remote_property: str | None = None


def aws_secret_store(scope: Construct, id_: str, *, name: str, region: str) -> cdk8s.ApiObject:
    """A SecretStore for Secrets Manager without `auth`: the operator's own Pod Identity credentials are used."""
    # mypy skips the generated module (3 MB); the typed classes are ApiObjects.
    store: cdk8s.ApiObject = eso.SecretStore(
        scope,
        id_,
        metadata=cdk8s.ApiObjectMetadata(name=name),
        spec=eso.SecretStoreSpec(
            provider=eso.SecretStoreSpecProvider(
                aws=eso.SecretStoreSpecProviderAws(
                    service=eso.SecretStoreSpecProviderAwsService.SECRETS_MANAGER, region=region
                )
            )
        ),
    )
    return store


def external_secret(
    scope: Construct,
    id_: str,
    *,
    target: str,
    store: str,
    refresh_interval: str,
    data: Sequence[SecretKey],
    orphan: bool = False,
    retain_on_delete: bool = False,
) -> cdk8s.ApiObject:
    """An ExternalSecret writing the Kubernetes Secret `target` from `data`: owning it, or (`orphan`) leaving
    it without an ownerReference so that deleting the ExternalSecret never deletes the Secret."""
    secret: cdk8s.ApiObject = eso.ExternalSecret(
        scope,
        id_,
        metadata=cdk8s.ApiObjectMetadata(name=target),
        spec=eso.ExternalSecretSpec(
            refresh_interval=refresh_interval,
            secret_store_ref=eso.ExternalSecretSpecSecretStoreRef(
                kind=eso.ExternalSecretSpecSecretStoreRefKind.SECRET_STORE, name=store
            ),
            target=eso.ExternalSecretSpecTarget(
                name=target,
                creation_policy=eso.ExternalSecretSpecTargetCreationPolicy.ORPHAN
                if orphan
                else eso.ExternalSecretSpecTargetCreationPolicy.OWNER,
                deletion_policy=eso.ExternalSecretSpecTargetDeletionPolicy.RETAIN if retain_on_delete else None,
            ),
            data=[
                eso.ExternalSecretSpecData(
                    secret_key=item.secret_key,
                    remote_ref=eso.ExternalSecretSpecDataRemoteRef(key=item.remote_key, property=item.remote_property),
                )
                for item in data
            ],
        ),
    )
    return secret
