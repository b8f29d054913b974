"""The EKS platform's cdk8s charts, rendered without the CDK app: the app namespace and the secret sync.

(The cluster autoscaler comes from its upstream chart: tests/test_cluster_autoscaler.py.)

Built-in kinds are validated with kubernetes-validate --strict for every supported Kubernetes version;
the External Secrets objects (CRDs, no published schema there) are checked field by field here.
"""

from __future__ import annotations

import json
from typing import Any

import cdk8s
import kubernetes_validate
import pytest

from config.kubernetes import SUPPORTED_VERSIONS
from k8s_charts.platform import AppNamespaceChart, AppSecretsChart, AppSecretsValues

LAMBDA_PAYLOAD_LIMIT = 256 * 1024
DB_SECRET_ARN = "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:tech-lib-db-AbCdEf"
REDIS_SECRET_ARN = "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:tech-lib-redis-AbCdEf"


def render(chart: cdk8s.Chart) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = chart.to_json()
    return objects


def secrets_objects(redis_property: str | None = None) -> list[dict[str, Any]]:
    values = AppSecretsValues(
        namespace="tech-lib",
        region="ap-northeast-1",
        database_secret_arn=DB_SECRET_ARN,
        database_name="techlib",
        database_port="5432",
        redis_secret_arn=REDIS_SECRET_ARN,
        redis_secret_property=redis_property,
        redis_host="master.tech-lib-redis.abc123.apne1.cache.amazonaws.com",
        redis_port="6379",
    )
    return render(AppSecretsChart(cdk8s.App(), "secrets", values=values))


def namespace_objects(version: str = "1.36") -> list[dict[str, Any]]:
    return render(AppNamespaceChart(cdk8s.App(), "ns", namespace="tech-lib", kubernetes_version=version))


def only(objects: list[dict[str, Any]], kind: str, name: str | None = None) -> dict[str, Any]:
    matches = [o for o in objects if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]
    assert len(matches) == 1, f"{len(matches)} {kind} {name or ''}"
    return matches[0]


# --- application namespace -------------------------------------------------------------------------------


def test_app_namespace_enforces_pod_security_restricted_at_the_cluster_minor() -> None:
    namespace = only(namespace_objects("1.36"), "Namespace", "tech-lib")
    labels = namespace["metadata"]["labels"]
    for mode in ("enforce", "audit", "warn"):
        assert labels[f"pod-security.kubernetes.io/{mode}"] == "restricted"
        assert labels[f"pod-security.kubernetes.io/{mode}-version"] == "v1.36"


# --- secret sync and app-config ---------------------------------------------------------------------------


def test_secret_store_reads_secrets_manager_in_the_region_with_the_operators_identity() -> None:
    store = only(secrets_objects(), "SecretStore", "aws-secrets-manager")
    assert store["apiVersion"] == "external-secrets.io/v1"
    assert store["metadata"]["namespace"] == "tech-lib"
    assert store["spec"] == {"provider": {"aws": {"service": "SecretsManager", "region": "ap-northeast-1"}}}


def test_db_credentials_are_built_from_the_aurora_secret() -> None:
    external = only(secrets_objects(), "ExternalSecret", "db-credentials")
    assert external["spec"]["target"]["name"] == "db-credentials"
    assert external["spec"]["secretStoreRef"] == {"kind": "SecretStore", "name": "aws-secrets-manager"}
    assert {d["secretKey"]: d["remoteRef"] for d in external["spec"]["data"]} == {
        "host": {"key": DB_SECRET_ARN, "property": "host"},
        "port": {"key": DB_SECRET_ARN, "property": "port"},
        "username": {"key": DB_SECRET_ARN, "property": "username"},
        "password": {"key": DB_SECRET_ARN, "property": "password"},
        "dbname": {"key": DB_SECRET_ARN, "property": "dbname"},
    }


@pytest.mark.parametrize(
    ("redis_property", "remote_ref"),
    [
        (None, {"key": REDIS_SECRET_ARN}),
        ("token", {"key": REDIS_SECRET_ARN, "property": "token"}),
    ],
)
def test_redis_auth_token_is_synced_from_the_cache_secret(
    redis_property: str | None, remote_ref: dict[str, str]
) -> None:
    external = only(secrets_objects(redis_property), "ExternalSecret", "redis-credentials")
    assert external["spec"]["data"] == [{"secretKey": "auth-token", "remoteRef": remote_ref}]


def test_app_config_carries_the_cache_and_database_endpoints() -> None:
    config_map = only(secrets_objects(), "ConfigMap", "app-config")
    assert config_map["metadata"]["namespace"] == "tech-lib"
    assert config_map["data"] == {
        "redis-host": "master.tech-lib-redis.abc123.apne1.cache.amazonaws.com",
        "redis-port": "6379",
        "redis-tls": "true",
        "db-port": "5432",
        "db-name": "techlib",
    }


def test_no_kubernetes_secret_is_in_the_manifests() -> None:
    """The operator writes the Secrets; the manifests only name where the values live."""
    assert [o for o in secrets_objects() if o["kind"] == "Secret"] == []


def _check_external_secrets_object(obj: dict[str, Any]) -> list[str]:
    """The fields the operator's v1 CRDs require (its OpenAPI schema is not in kubernetes-validate)."""
    problems = []
    spec = obj.get("spec", {})
    if not obj.get("metadata", {}).get("name"):
        problems.append("metadata.name")
    if obj["kind"] == "SecretStore":
        aws = spec.get("provider", {}).get("aws", {})
        if aws.get("service") not in ("SecretsManager", "ParameterStore"):
            problems.append("spec.provider.aws.service")
        if not aws.get("region"):
            problems.append("spec.provider.aws.region")
    elif obj["kind"] == "ExternalSecret":
        if spec.get("secretStoreRef", {}).get("kind") not in ("SecretStore", "ClusterSecretStore"):
            problems.append("spec.secretStoreRef.kind")
        if not spec.get("secretStoreRef", {}).get("name"):
            problems.append("spec.secretStoreRef.name")
        if not spec.get("target", {}).get("name"):
            problems.append("spec.target.name")
        if spec.get("target", {}).get("creationPolicy") not in ("Owner", "Orphan", "Merge", "None"):
            problems.append("spec.target.creationPolicy")
        for index, item in enumerate(spec.get("data", [])):
            if not item.get("secretKey") or not item.get("remoteRef", {}).get("key"):
                problems.append(f"spec.data[{index}]")
        if not spec.get("data"):
            problems.append("spec.data")
    else:
        problems.append(f"unexpected kind {obj['kind']}")
    return problems


def test_external_secrets_objects_have_every_required_field() -> None:
    custom = [o for o in secrets_objects() if o["apiVersion"] == "external-secrets.io/v1"]
    assert sorted(o["kind"] for o in custom) == ["ExternalSecret", "ExternalSecret", "SecretStore"]
    assert {o["metadata"]["name"]: _check_external_secrets_object(o) for o in custom} == {
        "aws-secrets-manager": [],
        "db-credentials": [],
        "redis-credentials": [],
    }


def test_the_crd_check_rejects_an_incomplete_external_secret() -> None:
    broken = {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "x"}, "spec": {}}
    assert "spec.secretStoreRef.name" in _check_external_secrets_object(broken)


# --- schema validation and size ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", sorted(SUPPORTED_VERSIONS))
def test_built_in_objects_validate_strictly_for_each_supported_version(version: str) -> None:
    objects = [*namespace_objects(version), *secrets_objects()]
    built_in = [o for o in objects if not o["apiVersion"].startswith("external-secrets.io/")]
    assert len(built_in) == 2  # the namespace and app-config
    errors = []
    for obj in built_in:
        try:
            kubernetes_validate.validate(obj, f"{version}.0", strict=True)
        except kubernetes_validate.ValidationError as error:
            errors.append(f"{obj['kind']}/{obj['metadata']['name']}: {error.message}")
    assert errors == []


def test_strict_validation_rejects_an_unknown_field() -> None:
    namespace = only(namespace_objects(), "Namespace")
    namespace["spec"] = {"finalizerss": ["kubernetes"]}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(namespace, "1.36.0", strict=True)


@pytest.mark.parametrize("objects", [namespace_objects, secrets_objects])
def test_each_chart_is_far_below_the_lambda_payload_limit(objects: Any) -> None:
    assert len(json.dumps(objects()).encode()) < LAMBDA_PAYLOAD_LIMIT / 10


def test_app_namespace_enables_alb_pod_readiness_gates() -> None:
    namespace = only(namespace_objects(), "Namespace", "tech-lib")
    assert namespace["metadata"]["labels"]["elbv2.k8s.aws/pod-readiness-gate-inject"] == "enabled"
