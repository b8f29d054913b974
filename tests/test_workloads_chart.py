"""The workloads chart, rendered without the CDK app: every seed fact of the app manifests, HPAs and
Ingress (seed: Kubernetes マニフェスト, Horizontal Pod Autoscaler, Application Load Balancer), the
additions a real cluster needs, schema validity, Pod Security Standards "restricted" and size."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import cdk8s
import kubernetes_validate
import pytest
import yaml

from config import AppConfig, ConfigError, load_config
from config.schema import ImageConfig
from k8s_charts.workloads import (
    WorkloadsChart,
    WorkloadsValues,
    alb_log_bucket_name,
    image_uri,
    ingress_hosts,
    issues_alb_certificate,
    pull_policy,
)
from names import AwsNames, HealthPaths, K8sNames, PathPatterns, Ports
from scripts.render_manifests import render, render_assembly
from tests.conftest import ROOT, Synthesized
from tests.strict_validation import validation_errors

Manifest = list[dict[str, Any]]

CERTIFICATE = "arn:aws:acm:ap-northeast-1:111111111111:certificate/00000000-0000-0000-0000-000000000000"
SECURITY_GROUPS = ("sg-0aaaaaaaaaaaaaaaa", "sg-0bbbbbbbbbbbbbbbb")
ALB = "alb.ingress.kubernetes.io"
CHART_SIZE_LIMIT = 256 * 1024  # the kubectl Lambda's event payload limit


def render_chart(config: AppConfig, *, certificate_arn: str | None) -> Manifest:
    values = WorkloadsValues.from_config(
        config,
        alb_log_bucket=alb_log_bucket_name(config),
        alb_security_group_ids=SECURITY_GROUPS,
        certificate_arn=certificate_arn,
    )
    return WorkloadsChart(cdk8s.App(), "Workloads", values=values).manifest()


@pytest.fixture(scope="module")
def prod_config() -> AppConfig:
    return load_config("prod")


@pytest.fixture(scope="module")
def dev_config() -> AppConfig:
    return load_config("dev")


@pytest.fixture(scope="module")
def prod_manifest(prod_config: AppConfig) -> Manifest:
    return render_chart(prod_config, certificate_arn=CERTIFICATE)


@pytest.fixture(scope="module")
def premesh_manifest() -> Manifest:
    """prod with `mesh.enabled: false`: the NetworkPolicies as they were before the mesh."""
    return render_chart(load_config("prod", overrides={"mesh": {"enabled": False}}), certificate_arn=CERTIFICATE)


@pytest.fixture(scope="module")
def dev_manifest(dev_config: AppConfig) -> Manifest:
    return render_chart(dev_config, certificate_arn=None)


def find(manifest: Manifest, kind: str, name: str) -> dict[str, Any]:
    matches = [o for o in manifest if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}: {len(matches)} objects"
    return matches[0]


def pod_spec(manifest: Manifest, deployment: str) -> dict[str, Any]:
    spec: dict[str, Any] = find(manifest, "Deployment", deployment)["spec"]["template"]["spec"]
    return spec


def container(manifest: Manifest, deployment: str) -> dict[str, Any]:
    containers = pod_spec(manifest, deployment)["containers"]
    assert len(containers) == 1
    only: dict[str, Any] = containers[0]
    return only


def env_of(manifest: Manifest, deployment: str) -> dict[str, Any]:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container(manifest, deployment)["env"]}


# --- frontend Deployment + Service (seed: k8s/frontend-deployment.yaml) -------------------------------

SEED_SECURITY_CONTEXT = {
    "runAsNonRoot": True,
    "runAsUser": 1001,
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "capabilities": {"drop": ["ALL"]},
}
APPS = [
    pytest.param(K8sNames.FRONTEND, "presentation", id="frontend"),
    pytest.param(K8sNames.BACKEND, "application", id="backend"),
]


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_deployment_labels_are_the_seeds(prod_manifest: Manifest, name: str, tier: str) -> None:
    deployment = find(prod_manifest, "Deployment", name)
    assert deployment["metadata"]["labels"] == {"app": name, "tier": tier}
    assert deployment["spec"]["selector"] == {"matchLabels": {"app": name}}
    assert deployment["spec"]["template"]["metadata"]["labels"] == {"app": name, "tier": tier}


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_deployment_sets_no_replicas_because_the_hpa_owns_them(prod_manifest: Manifest, name: str, tier: str) -> None:
    assert "replicas" not in find(prod_manifest, "Deployment", name)["spec"]


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_deployment_rolls_one_pod_at_a_time(prod_manifest: Manifest, name: str, tier: str) -> None:
    assert find(prod_manifest, "Deployment", name)["spec"]["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 1},
    }


def test_backend_pods_carry_the_seeds_prometheus_annotations(prod_manifest: Manifest) -> None:
    annotations = find(prod_manifest, "Deployment", K8sNames.BACKEND)["spec"]["template"]["metadata"]["annotations"]
    assert annotations == {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"}


def test_frontend_pods_carry_no_scrape_annotation_and_no_metrics_port(prod_manifest: Manifest) -> None:
    """The design's 9090 on the frontend is dropped (README, deviations): nginx serves no metrics on any port.

    With `scrape` but no port, the kubernetes-pods job would scrape port 80 at /metrics and get the SPA's
    HTML; so neither annotation, and no container or Service port beyond http (80).
    """
    deployment = find(prod_manifest, "Deployment", K8sNames.FRONTEND)
    metadata = deployment["spec"]["template"]["metadata"]
    assert not [key for key in metadata.get("annotations", {}) if key.startswith("prometheus.io/")]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["ports"] == [{"containerPort": 80, "name": "http"}]
    service = find(prod_manifest, "Service", K8sNames.FRONTEND_SERVICE)
    assert [port["port"] for port in service["spec"]["ports"]] == [80]


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_pods_prefer_distinct_nodes(prod_manifest: Manifest, name: str, tier: str) -> None:
    assert pod_spec(prod_manifest, name)["affinity"]["podAntiAffinity"] == {
        "preferredDuringSchedulingIgnoredDuringExecution": [
            {
                "weight": 100,
                "podAffinityTerm": {
                    "labelSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": [name]}]},
                    "topologyKey": "kubernetes.io/hostname",
                },
            }
        ]
    }


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_container_has_the_seeds_security_context(prod_manifest: Manifest, name: str, tier: str) -> None:
    security = container(prod_manifest, name)["securityContext"]
    assert {key: security[key] for key in SEED_SECURITY_CONTEXT} == SEED_SECURITY_CONTEXT


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_container_pulls_if_not_present_in_prod(prod_manifest: Manifest, name: str, tier: str) -> None:
    assert container(prod_manifest, name)["imagePullPolicy"] == "IfNotPresent"


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_container_image_is_the_configured_release_in_the_accounts_ecr(
    prod_manifest: Manifest, prod_config: AppConfig, name: str, tier: str
) -> None:
    image = getattr(prod_config.workloads, f"{name}_image")
    assert container(prod_manifest, name)["image"] == (
        f"{prod_config.account}.dkr.ecr.{prod_config.region}.amazonaws.com/{image.repository}:{image.tag}"
    )
    assert not container(prod_manifest, name)["image"].endswith(":latest")


def test_frontend_container_port_80_named_http(prod_manifest: Manifest) -> None:
    assert container(prod_manifest, "frontend")["ports"] == [{"containerPort": 80, "name": "http"}]


def test_frontend_env_is_the_seeds(prod_manifest: Manifest) -> None:
    assert env_of(prod_manifest, "frontend") == {"VITE_API_BASE_URL": "/api", "VITE_ENV": "production"}


def test_frontend_resources_are_the_seeds(prod_manifest: Manifest) -> None:
    assert container(prod_manifest, "frontend")["resources"] == {
        "requests": {"memory": "128Mi", "cpu": "100m"},
        "limits": {"memory": "256Mi", "cpu": "200m"},
    }


def test_frontend_liveness_probe_is_the_seeds(prod_manifest: Manifest) -> None:
    assert container(prod_manifest, "frontend")["livenessProbe"] == {
        "httpGet": {"path": "/", "port": 80},
        "initialDelaySeconds": 30,
        "periodSeconds": 10,
        "timeoutSeconds": 5,
        "failureThreshold": 3,
    }


def test_frontend_readiness_probe_is_the_seeds(prod_manifest: Manifest) -> None:
    assert container(prod_manifest, "frontend")["readinessProbe"] == {
        "httpGet": {"path": "/", "port": 80},
        "initialDelaySeconds": 5,
        "periodSeconds": 5,
        "timeoutSeconds": 3,
        "failureThreshold": 3,
    }


def test_frontend_service_is_cluster_ip_on_80(prod_manifest: Manifest) -> None:
    service = find(prod_manifest, "Service", "frontend-service")
    assert service["metadata"]["labels"] == {"app": "frontend"}
    assert service["spec"] == {
        "type": "ClusterIP",
        "selector": {"app": "frontend"},
        "ports": [{"name": "http", "port": 80, "targetPort": 80}],
    }


# --- backend Deployment + Service (seed: k8s/backend-deployment.yaml) ---------------------------------


def test_backend_container_ports_http_and_metrics(prod_manifest: Manifest) -> None:
    assert container(prod_manifest, "backend")["ports"] == [
        {"containerPort": 8080, "name": "http"},
        {"containerPort": 9090, "name": "metrics"},
    ]


def test_backend_env_plain_values(prod_manifest: Manifest) -> None:
    env = env_of(prod_manifest, "backend")
    assert (env["PORT"], env["GIN_MODE"]) == ("8080", "release")


def test_backend_reads_database_host_and_password_from_the_db_credentials_secret(prod_manifest: Manifest) -> None:
    env = env_of(prod_manifest, "backend")
    assert env["DB_HOST"] == {"secretKeyRef": {"name": "db-credentials", "key": "host"}}
    assert env["DB_PASSWORD"] == {"secretKeyRef": {"name": "db-credentials", "key": "password"}}


def test_backend_reads_redis_host_from_the_app_config_map(prod_manifest: Manifest) -> None:
    assert env_of(prod_manifest, "backend")["REDIS_HOST"] == {
        "configMapKeyRef": {"name": "app-config", "key": "redis-host"}
    }


def test_backend_reads_the_rest_of_its_database_connection_from_the_same_secret(prod_manifest: Manifest) -> None:
    env = env_of(prod_manifest, "backend")
    assert env["DB_PORT"] == {"secretKeyRef": {"name": "db-credentials", "key": "port"}}
    assert env["DB_NAME"] == {"secretKeyRef": {"name": "db-credentials", "key": "dbname"}}
    assert env["DB_USER"] == {"secretKeyRef": {"name": "db-credentials", "key": "username"}}


def test_backend_reads_redis_port_tls_and_auth_token(prod_manifest: Manifest) -> None:
    env = env_of(prod_manifest, "backend")
    assert env["REDIS_PORT"] == {"configMapKeyRef": {"name": "app-config", "key": "redis-port"}}
    assert env["REDIS_TLS"] == {"configMapKeyRef": {"name": "app-config", "key": "redis-tls"}}
    assert env["REDIS_AUTH_TOKEN"] == {"secretKeyRef": {"name": "redis-credentials", "key": "auth-token"}}


def test_backend_env_has_nothing_else(prod_manifest: Manifest) -> None:
    assert set(env_of(prod_manifest, "backend")) == {
        "PORT",
        "GIN_MODE",
        "DB_HOST",
        "DB_PORT",
        "DB_NAME",
        "DB_USER",
        "DB_PASSWORD",
        "REDIS_HOST",
        "REDIS_PORT",
        "REDIS_TLS",
        "REDIS_AUTH_TOKEN",
    }


def test_backend_resources_are_the_seeds(prod_manifest: Manifest) -> None:
    assert container(prod_manifest, "backend")["resources"] == {
        "requests": {"memory": "256Mi", "cpu": "200m"},
        "limits": {"memory": "512Mi", "cpu": "500m"},
    }


def test_backend_liveness_probe_is_health_on_8080(prod_manifest: Manifest) -> None:
    assert container(prod_manifest, "backend")["livenessProbe"] == {
        "httpGet": {"path": "/health", "port": 8080},
        "initialDelaySeconds": 30,
        "periodSeconds": 10,
        "timeoutSeconds": 5,
        "failureThreshold": 3,
    }


def test_backend_readiness_probe_is_ready_on_8080(prod_manifest: Manifest) -> None:
    assert container(prod_manifest, "backend")["readinessProbe"] == {
        "httpGet": {"path": "/ready", "port": 8080},
        "initialDelaySeconds": 5,
        "periodSeconds": 5,
        "timeoutSeconds": 3,
        "failureThreshold": 3,
    }


def test_backend_service_exposes_http_and_metrics(prod_manifest: Manifest) -> None:
    service = find(prod_manifest, "Service", "backend-service")
    assert service["metadata"]["labels"] == {"app": "backend"}
    assert service["spec"] == {
        "type": "ClusterIP",
        "selector": {"app": "backend"},
        "ports": [
            {"name": "http", "port": 8080, "targetPort": 8080},
            {"name": "metrics", "port": 9090, "targetPort": 9090},
        ],
    }


def test_names_ports_and_health_paths_come_from_the_shared_names(prod_manifest: Manifest) -> None:
    assert (K8sNames.FRONTEND_SERVICE, K8sNames.BACKEND_SERVICE) == ("frontend-service", "backend-service")
    assert (Ports.FRONTEND_HTTP, Ports.BACKEND_HTTP, Ports.BACKEND_METRICS) == (80, 8080, 9090)
    assert HealthPaths.ALB_HEALTH_CHECK == HealthPaths.BACKEND_LIVENESS == "/health"
    assert PathPatterns.API_PREFIX == "/api"


# --- HPAs (seed: scaling/hpa.yaml) ------------------------------------------------------------------


def test_backend_hpa_is_the_seeds(prod_manifest: Manifest) -> None:
    hpa = find(prod_manifest, "HorizontalPodAutoscaler", K8sNames.BACKEND_HPA)
    assert hpa["apiVersion"] == "autoscaling/v2"
    spec = hpa["spec"]
    assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "backend"}
    assert (spec["minReplicas"], spec["maxReplicas"]) == (3, 20)
    assert spec["metrics"] == [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}},
        {
            "type": "Resource",
            "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 80}},
        },
        {
            "type": "Pods",
            "pods": {
                "metric": {"name": "http_requests_per_second"},
                "target": {"type": "AverageValue", "averageValue": "1000m"},
            },
        },
    ]


def test_backend_hpa_behavior_is_the_seeds(prod_manifest: Manifest) -> None:
    behavior = find(prod_manifest, "HorizontalPodAutoscaler", K8sNames.BACKEND_HPA)["spec"]["behavior"]
    assert behavior == {
        "scaleDown": {
            "stabilizationWindowSeconds": 300,
            "policies": [{"type": "Percent", "value": 50, "periodSeconds": 60}],
        },
        "scaleUp": {
            "stabilizationWindowSeconds": 60,
            "policies": [
                {"type": "Percent", "value": 100, "periodSeconds": 60},
                {"type": "Pods", "value": 2, "periodSeconds": 60},
            ],
            "selectPolicy": "Max",
        },
    }


def test_frontend_hpa_is_the_seeds(prod_manifest: Manifest) -> None:
    hpa = find(prod_manifest, "HorizontalPodAutoscaler", K8sNames.FRONTEND_HPA)
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"] == {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "frontend"},
        "minReplicas": 3,
        "maxReplicas": 15,
        "metrics": [
            {
                "type": "Resource",
                "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}},
            },
            {
                "type": "Resource",
                "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 70}},
            },
        ],
    }


# --- Ingress (seed: alb-ingress.yaml) ----------------------------------------------------------------


def ingress(manifest: Manifest) -> dict[str, Any]:
    return find(manifest, "Ingress", K8sNames.INGRESS)


def annotations(manifest: Manifest) -> dict[str, str]:
    result: dict[str, str] = ingress(manifest)["metadata"]["annotations"]
    return result


def test_ingress_class_is_alb_through_the_spec_field(prod_manifest: Manifest) -> None:
    assert ingress(prod_manifest)["spec"]["ingressClassName"] == "alb"
    # The deprecated annotation may not be combined with spec.ingressClassName (the API server rejects it).
    assert "kubernetes.io/ingress.class" not in annotations(prod_manifest)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("scheme", "internet-facing"),
        ("target-type", "ip"),
        ("listen-ports", '[{"HTTP": 80}, {"HTTPS": 443}]'),
        ("ssl-redirect", "443"),
        ("certificate-arn", CERTIFICATE),
        ("backend-protocol", "HTTP"),
        ("healthcheck-path", "/health"),
        ("healthcheck-interval-seconds", "30"),
        ("healthcheck-timeout-seconds", "5"),
        ("success-codes", "200"),
    ],
)
def test_ingress_carries_the_seeds_annotation(prod_manifest: Manifest, key: str, value: str) -> None:
    assert annotations(prod_manifest)[f"{ALB}/{key}"] == value


def test_ingress_load_balancer_attributes_are_the_seeds_with_the_log_bucket(
    prod_manifest: Manifest, prod_config: AppConfig
) -> None:
    attributes = dict(
        pair.split("=", 1) for pair in annotations(prod_manifest)[f"{ALB}/load-balancer-attributes"].split(",")
    )
    assert attributes == {
        "idle_timeout.timeout_seconds": "60",
        "routing.http2.enabled": "true",
        "access_logs.s3.enabled": "true",
        "access_logs.s3.bucket": f"tech-lib-alb-logs-{prod_config.account}",
        "access_logs.s3.prefix": "alb",
        "routing.http.drop_invalid_header_fields.enabled": "true",
    }


def test_ingress_uses_the_network_stacks_security_groups_and_leaves_node_rules_alone(
    prod_manifest: Manifest,
) -> None:
    assert annotations(prod_manifest)[f"{ALB}/security-groups"] == ",".join(SECURITY_GROUPS)
    assert annotations(prod_manifest)[f"{ALB}/manage-backend-security-group-rules"] == "false"


def test_ingress_https_listener_allows_tls12_and_newer_only(prod_manifest: Manifest) -> None:
    assert annotations(prod_manifest)[f"{ALB}/ssl-policy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"


def test_ingress_rules_route_api_to_backend_and_the_rest_to_frontend(prod_manifest: Manifest) -> None:
    for rule in ingress(prod_manifest)["spec"]["rules"]:
        routes = [
            (p["path"], p["pathType"], p["backend"]["service"]["name"], p["backend"]["service"]["port"]["number"])
            for p in rule["http"]["paths"]
        ]
        # /api first: the ALB controller creates listener rules in list order and / would match /api too.
        assert routes == [("/api", "Prefix", "backend-service", 8080), ("/", "Prefix", "frontend-service", 80)]


def test_ingress_answers_for_the_site_and_cloudfronts_origin_name(
    prod_manifest: Manifest, prod_config: AppConfig
) -> None:
    hosts = [rule.get("host") for rule in ingress(prod_manifest)["spec"]["rules"]]
    assert hosts == [prod_config.workloads.ingress_host, f"origin.{prod_config.edge.domain_name}"]
    assert hosts[0] == "tech-lib.example.com"


def test_without_a_certificate_the_ingress_listens_on_http_only(dev_manifest: Manifest) -> None:
    dev = annotations(dev_manifest)
    assert dev[f"{ALB}/listen-ports"] == '[{"HTTP": 80}]'
    assert not {f"{ALB}/ssl-redirect", f"{ALB}/certificate-arn", f"{ALB}/ssl-policy"} & set(dev)


def test_without_a_domain_the_ingress_matches_any_host(dev_manifest: Manifest, dev_config: AppConfig) -> None:
    # CloudFront then reaches the ALB by its generated hostname, so a host rule could never match.
    assert ingress_hosts(dev_config) == ()
    assert [rule.get("host") for rule in ingress(dev_manifest)["spec"]["rules"]] == [None]


def test_ingress_names_the_alb_for_the_monitoring_stacks_lookup(
    prod_manifest: Manifest, dev_manifest: Manifest
) -> None:
    assert annotations(prod_manifest)[f"{ALB}/load-balancer-name"] == AwsNames.alb("tech-lib") == "tech-lib-alb"
    assert annotations(dev_manifest)[f"{ALB}/load-balancer-name"] == "tech-lib-dev-alb"


def test_ingress_tags_the_alb_with_the_environment(prod_manifest: Manifest) -> None:
    tags = dict(pair.split("=", 1) for pair in annotations(prod_manifest)[f"{ALB}/tags"].split(","))
    assert tags["Environment"] == "production" and tags["Project"] == "tech-lib"


def test_frontend_target_group_health_check_uses_the_frontends_own_path(prod_manifest: Manifest) -> None:
    service = find(prod_manifest, "Service", K8sNames.FRONTEND_SERVICE)
    assert service["metadata"]["annotations"] == {f"{ALB}/healthcheck-path": HealthPaths.FRONTEND_READINESS}


# --- additions a real cluster needs -----------------------------------------------------------------


def test_every_object_lives_in_the_app_namespace(prod_manifest: Manifest, prod_config: AppConfig) -> None:
    # But the mesh-wide PeerAuthentication, which lives in the mesh's root namespace (k8s_charts/mesh_policy.py).
    elsewhere = {
        (o["kind"], o["metadata"]["namespace"], o["metadata"]["name"])
        for o in prod_manifest
        if o["metadata"].get("namespace") != prod_config.workloads.namespace
    }
    assert elsewhere == {("PeerAuthentication", "istio-system", "default")}


def test_chart_does_not_create_the_namespace_secret_or_config_map(prod_manifest: Manifest) -> None:
    assert not {"Namespace", "Secret", "ConfigMap"} & {o["kind"] for o in prod_manifest}


def test_chart_holds_exactly_the_expected_objects(prod_manifest: Manifest) -> None:
    assert sorted((o["kind"], o["metadata"]["name"]) for o in prod_manifest) == sorted(
        [
            *[
                (kind, f"{app}{suffix}")
                for app in ("frontend", "backend")
                for kind, suffix in (
                    ("ServiceAccount", ""),
                    ("Deployment", ""),
                    ("Service", "-service"),
                    ("HorizontalPodAutoscaler", "-hpa"),
                    ("PodDisruptionBudget", "-pdb"),
                    ("NetworkPolicy", "-ingress"),
                )
            ],
            ("Ingress", "tech-lib-ingress"),
            # The mesh's policies, from the one access declaration (k8s_charts/mesh_policy.py).
            *[
                ("AuthorizationPolicy", f"{name}-allow")
                for name in ("frontend", "backend", "postgres-exporter", "redis-exporter")
            ],
            ("AuthorizationPolicy", "default-deny"),
            ("PeerAuthentication", "frontend-alb-ports"),
            ("PeerAuthentication", "backend-alb-ports"),
            ("PeerAuthentication", "default"),
        ]
    )


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_pods_tolerate_the_app_node_taint(prod_manifest: Manifest, name: str, tier: str) -> None:
    assert pod_spec(prod_manifest, name)["tolerations"] == [
        {"key": "app", "operator": "Equal", "value": "true", "effect": "NoSchedule"}
    ]


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_pods_require_application_nodes(prod_manifest: Manifest, name: str, tier: str) -> None:
    assert pod_spec(prod_manifest, name)["affinity"]["nodeAffinity"] == {
        "requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [
                {"matchExpressions": [{"key": "node-type", "operator": "In", "values": ["application"]}]}
            ]
        }
    }


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_pods_use_the_runtime_default_seccomp_profile(prod_manifest: Manifest, name: str, tier: str) -> None:
    assert pod_spec(prod_manifest, name)["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert container(prod_manifest, name)["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_pods_run_under_their_own_service_account_without_a_token(
    prod_manifest: Manifest, name: str, tier: str
) -> None:
    account = find(prod_manifest, "ServiceAccount", name)
    assert account["automountServiceAccountToken"] is False
    spec = pod_spec(prod_manifest, name)
    assert spec["serviceAccountName"] == name
    assert spec["automountServiceAccountToken"] is False


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_a_disruption_budget_keeps_all_but_one_pod_up(prod_manifest: Manifest, name: str, tier: str) -> None:
    pdb = find(prod_manifest, "PodDisruptionBudget", f"{name}-pdb")
    assert pdb["apiVersion"] == "policy/v1"
    # AlwaysAllow: an unready pod never blocks a node drain (a Spot interruption gives two minutes).
    assert pdb["spec"] == {
        "maxUnavailable": 1,
        "selector": {"matchLabels": {"app": name}},
        "unhealthyPodEvictionPolicy": "AlwaysAllow",
    }


def mounts_and_volumes(manifest: Manifest, name: str) -> dict[str, dict[str, Any]]:
    volumes = {v["name"]: v for v in pod_spec(manifest, name)["volumes"]}
    mounts = container(manifest, name)["volumeMounts"]
    assert all("emptyDir" in volumes[m["name"]] for m in mounts)
    assert len(volumes) == len(mounts)
    return {m["mountPath"]: volumes[m["name"]] for m in mounts}


def test_frontend_gets_writable_nginx_cache_run_and_tmp(prod_manifest: Manifest) -> None:
    assert set(mounts_and_volumes(prod_manifest, "frontend")) == {"/var/cache/nginx", "/var/run", "/tmp"}


def test_backend_gets_a_writable_tmp(prod_manifest: Manifest) -> None:
    assert set(mounts_and_volumes(prod_manifest, "backend")) == {"/tmp"}


def test_frontend_may_bind_port_80_as_uid_1001_without_capabilities(prod_manifest: Manifest) -> None:
    assert pod_spec(prod_manifest, "frontend")["securityContext"]["sysctls"] == [
        {"name": "net.ipv4.ip_unprivileged_port_start", "value": "80"}
    ]


def test_frontend_admits_only_the_alb_subnets_on_80(premesh_manifest: Manifest, prod_config: AppConfig) -> None:
    policy = find(premesh_manifest, "NetworkPolicy", "frontend-ingress")["spec"]
    assert policy["podSelector"] == {"matchLabels": {"app": "frontend"}}
    assert policy["policyTypes"] == ["Ingress"]
    assert policy["ingress"] == [
        {
            "from": [{"ipBlock": {"cidr": cidr}} for cidr in prod_config.network.public_subnet_cidrs],
            "ports": [{"protocol": "TCP", "port": 80}],
        }
    ]


def test_backend_admits_the_alb_on_8080_and_scrapes_on_9090(premesh_manifest: Manifest, prod_config: AppConfig) -> None:
    policy = find(premesh_manifest, "NetworkPolicy", "backend-ingress")["spec"]
    assert policy["ingress"] == [
        {
            "from": [{"ipBlock": {"cidr": cidr}} for cidr in prod_config.network.public_subnet_cidrs],
            "ports": [{"protocol": "TCP", "port": 8080}],
        },
        {"from": [{"namespaceSelector": {}}], "ports": [{"protocol": "TCP", "port": 9090}]},
    ]


ALB_PEERS = [{"ipBlock": {"cidr": "10.0.1.0/24"}}, {"ipBlock": {"cidr": "10.0.2.0/24"}}]
PROBES = [{"ipBlock": {"cidr": "169.254.7.127/32"}}]
PROMETHEUS = [
    {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}},
        "podSelector": {
            "matchLabels": {"app.kubernetes.io/component": "server", "app.kubernetes.io/name": "prometheus"}
        },
    }
]


def test_meshed_frontend_admits_the_alb_on_80_and_the_probe_source(prod_manifest: Manifest) -> None:
    policy = find(prod_manifest, "NetworkPolicy", "frontend-ingress")["spec"]
    assert policy["ingress"] == [
        {"from": ALB_PEERS, "ports": [{"protocol": "TCP", "port": 80}]},
        {"from": PROBES, "ports": [{"protocol": "TCP", "port": 80}]},
    ]


def test_meshed_backend_admits_the_alb_on_8080_prometheus_on_hbone_and_the_probe_source(
    prod_manifest: Manifest,
) -> None:
    policy = find(prod_manifest, "NetworkPolicy", "backend-ingress")["spec"]
    assert policy["ingress"] == [
        {"from": ALB_PEERS, "ports": [{"protocol": "TCP", "port": 8080}]},
        # Prometheus is meshed: its scrapes of 9090 arrive through HBONE; the AuthorizationPolicy names the port.
        {"from": PROMETHEUS, "ports": [{"protocol": "TCP", "port": 15008}]},
        {"from": PROBES, "ports": [{"protocol": "TCP", "port": 8080}]},
    ]


@pytest.mark.parametrize("name", ["frontend", "backend"])
def test_dev_pulls_its_moving_latest_tag_on_every_start(dev_manifest: Manifest, name: str) -> None:
    assert container(dev_manifest, name)["image"].endswith(":latest")
    assert container(dev_manifest, name)["imagePullPolicy"] == "Always"


def test_image_in_the_accounts_ecr_unless_the_repository_names_a_registry() -> None:
    ecr = image_uri(
        ImageConfig(repository="techlib/backend", tag="1.2.3"), account="123456789012", region="ap-northeast-1"
    )
    assert ecr == "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/techlib/backend:1.2.3"
    other = image_uri(
        ImageConfig(repository="ghcr.io/techlib/backend", tag="1.2.3"), account="123456789012", region="x"
    )
    assert other == "ghcr.io/techlib/backend:1.2.3"
    local = image_uri(ImageConfig(repository="localhost:5000/backend", tag="1.2.3"), account="123456789012", region="x")
    assert local == "localhost:5000/backend:1.2.3"


def test_pull_policy_follows_the_tag() -> None:
    assert pull_policy("r/app:1.0.0") == "IfNotPresent"
    assert pull_policy("r/app:latest") == "Always"


def test_alb_log_bucket_name_is_the_seeds_plus_the_account(prod_config: AppConfig, dev_config: AppConfig) -> None:
    assert alb_log_bucket_name(prod_config) == f"tech-lib-alb-logs-{prod_config.account}"
    assert alb_log_bucket_name(dev_config) == f"tech-lib-dev-alb-logs-{dev_config.account}"


def test_certificate_is_issued_only_with_a_domain_and_none_configured(
    prod_config: AppConfig, dev_config: AppConfig
) -> None:
    assert issues_alb_certificate(prod_config)
    assert not issues_alb_certificate(dev_config)
    with_arn = load_config("prod", overrides={"workloads": {"alb_certificate_arn": CERTIFICATE}})
    assert not issues_alb_certificate(with_arn)


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_checkov_findings_kept_on_purpose_carry_their_reasons(prod_manifest: Manifest, name: str, tier: str) -> None:
    annotations = find(prod_manifest, "Deployment", name)["metadata"]["annotations"]
    skips = dict(value.split("=", 1) for key, value in annotations.items() if key.startswith("checkov.io/skip"))
    expected = {"CKV_K8S_15", "CKV_K8S_40", "CKV_K8S_43"} | ({"CKV_K8S_35"} if name == "backend" else set())
    assert set(skips) == expected
    assert all(len(reason) > 20 for reason in skips.values())


# --- validity, Pod Security Standards, size -----------------------------------------------------------


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_every_object_validates_strictly_against_the_cluster_version(env: str) -> None:
    config = load_config(env)
    manifest = render_chart(config, certificate_arn=CERTIFICATE if env == "prod" else None)
    assert validation_errors(manifest, config.eks.kubernetes_version) == []


def test_strict_validation_catches_an_unknown_field(prod_manifest: Manifest, prod_config: AppConfig) -> None:
    broken = json.loads(json.dumps(find(prod_manifest, "Deployment", "frontend")))
    broken["spec"]["template"]["spec"]["containers"][0]["livenessprobe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, f"{prod_config.eks.kubernetes_version}.0", strict=True)


# Pod Security Standards "restricted" (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
PSS_VOLUME_TYPES = {
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
}
PSS_SAFE_SYSCTLS = {
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
}


def pss_restricted_violations(spec: dict[str, Any]) -> list[str]:
    """Fields of a pod spec that the Pod Security Standards "restricted" profile rejects."""
    problems = []
    pod_sc = spec.get("securityContext", {})
    for flag in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(flag):
            problems.append(flag)
    for volume in spec.get("volumes", []):
        kinds = set(volume) - {"name"}
        if not kinds <= PSS_VOLUME_TYPES:
            problems.append(f"volume {volume['name']}: {kinds}")
    for sysctl in pod_sc.get("sysctls", []):
        if sysctl["name"] not in PSS_SAFE_SYSCTLS:
            problems.append(f"sysctl {sysctl['name']}")
    if pod_sc.get("runAsUser") == 0:
        problems.append("pod runAsUser 0")
    for c in spec.get("containers", []) + spec.get("initContainers", []):
        sc = c.get("securityContext", {})
        where = f"container {c['name']}"
        if sc.get("privileged"):
            problems.append(f"{where}: privileged")
        if sc.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{where}: allowPrivilegeEscalation must be false")
        capabilities = sc.get("capabilities", {})
        if "ALL" not in capabilities.get("drop", []):
            problems.append(f"{where}: must drop ALL capabilities")
        if set(capabilities.get("add", [])) - {"NET_BIND_SERVICE"}:
            problems.append(f"{where}: adds capabilities")
        if sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is not True:
            problems.append(f"{where}: runAsNonRoot must be true")
        if sc.get("runAsUser", pod_sc.get("runAsUser")) == 0:
            problems.append(f"{where}: runAsUser 0")
        seccomp = sc.get("seccompProfile", pod_sc.get("seccompProfile", {})).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            problems.append(f"{where}: seccompProfile {seccomp}")
        if any("hostPort" in port for port in c.get("ports", [])):
            problems.append(f"{where}: hostPort")
        if sc.get("procMount", "Default") != "Default":
            problems.append(f"{where}: procMount")
    return problems


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_app_pods_satisfy_pod_security_restricted(prod_manifest: Manifest, name: str, tier: str) -> None:
    assert pss_restricted_violations(pod_spec(prod_manifest, name)) == []


def test_pss_check_rejects_a_pod_that_keeps_capabilities(prod_manifest: Manifest) -> None:
    spec = json.loads(json.dumps(pod_spec(prod_manifest, "backend")))
    del spec["containers"][0]["securityContext"]["capabilities"]
    del spec["securityContext"]["seccompProfile"]
    del spec["containers"][0]["securityContext"]["seccompProfile"]
    assert pss_restricted_violations(spec) == [
        "container backend: must drop ALL capabilities",
        "container backend: seccompProfile None",
    ]


def test_chart_fits_the_kubectl_payload_limit(prod_manifest: Manifest) -> None:
    assert len(json.dumps(prod_manifest).encode()) < CHART_SIZE_LIMIT


# --- make manifests ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, prod_config: AppConfig) -> Path:
    out = tmp_path_factory.mktemp("dist")
    assert [p.name for p in render(prod_config, out)] == ["tech-lib-workloads.k8s.yaml"]
    return out


def test_make_manifests_renders_the_chart_with_placeholders_for_deploy_time_ids(rendered: Path) -> None:
    documents = list(yaml.safe_load_all((rendered / "tech-lib-workloads.k8s.yaml").read_text()))
    ingress_annotations = find(documents, "Ingress", K8sNames.INGRESS)["metadata"]["annotations"]
    assert ingress_annotations[f"{ALB}/security-groups"] == "<tech-lib-alb-sg id>,<tech-lib-alb-http-sg id>"
    assert ingress_annotations[f"{ALB}/certificate-arn"] == "<certificate issued by TechLib-prod-Workloads>"
    assert len(documents) == 21  # 13 objects of the app, 8 of the mesh's policies


def test_make_manifests_removes_a_previous_render(tmp_path: Path, dev_config: AppConfig) -> None:
    (tmp_path / "tech-lib-workloads.k8s.yaml").write_text("stale")
    assert [p.name for p in render(dev_config, tmp_path)] == ["tech-lib-dev-workloads.k8s.yaml"]


@pytest.mark.validators  # checkov
def test_checkov_kubernetes_checks_pass_on_the_rendered_yaml(rendered: Path) -> None:
    result = subprocess.run(
        [
            str(ROOT / ".venv-checkov" / "bin" / "checkov"),
            "--config-file",
            str(ROOT / ".checkov.yaml"),
            "--directory",
            str(rendered),
            "--framework",
            "kubernetes",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    report = json.loads(result.stdout)
    failed = [f"{c['check_id']} {c['resource']}" for c in report["results"]["failed_checks"]]
    assert failed == []
    assert report["summary"]["passed"] > 100
    assert report["summary"]["skipped"] == 7


# --- configuration of this area ---------------------------------------------------------------------------


def test_config_rejects_an_ingress_host_whose_certificate_cannot_be_dns_validated() -> None:
    with pytest.raises(ConfigError, match=r"^workloads.ingress_host: 'app.other.org' is not inside hosted zone"):
        load_config("prod", overrides={"workloads": {"ingress_host": "app.other.org"}})


def test_config_accepts_a_foreign_ingress_host_with_its_own_certificate() -> None:
    config = load_config(
        "prod", overrides={"workloads": {"ingress_host": "app.other.org", "alb_certificate_arn": CERTIFICATE}}
    )
    assert config.workloads.ingress_host == "app.other.org"


@pytest.mark.parametrize("days", [0, 3651])
def test_config_rejects_an_alb_log_expiration_out_of_range(days: int) -> None:
    with pytest.raises(ConfigError, match=r"^workloads.alb_log_expiration_days: invalid value"):
        load_config("prod", overrides={"workloads": {"alb_log_expiration_days": days}})


@pytest.mark.parametrize(("name", "tier"), APPS)
def test_only_an_allowed_latest_tag_is_excused_from_the_fixed_tag_check(
    prod_manifest: Manifest, dev_manifest: Manifest, name: str, tier: str
) -> None:
    def skipped(manifest: Manifest) -> set[str]:
        annotations = find(manifest, "Deployment", name)["metadata"]["annotations"]
        return {value.split("=", 1)[0] for key, value in annotations.items() if key.startswith("checkov.io/skip")}

    assert "CKV_K8S_14" in skipped(dev_manifest)
    assert "CKV_K8S_14" not in skipped(prod_manifest)


def test_make_manifests_also_writes_every_object_the_cluster_applies(prod: Synthesized, tmp_path: Path) -> None:
    written = render_assembly(prod.outdir, tmp_path)
    assert {path.name for path in written} == {
        f"{stack.stack_name}.applied.k8s.yaml"
        for stack in (prod.built.eks, prod.built.workloads, prod.built.monitoring)
    }
    kinds = {doc["kind"] for path in written for doc in yaml.safe_load_all(path.read_text())}
    assert {"Namespace", "Deployment", "Service", "HorizontalPodAutoscaler", "Ingress", "ExternalSecret"} <= kinds
