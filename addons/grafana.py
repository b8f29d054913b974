"""Grafana: its pinned chart, Helm values (Prometheus data source, the system dashboard, ClusterIP only), its
pod, and its admin login.

The admin password is a Secrets Manager secret generated at deploy time; `GrafanaAdminSecretChart` (a
SecretStore and an ExternalSecret, read by the External Secrets operator of the EKS stack, which this add-on
allows to read that one secret) builds Grafana's admin Secret from it: the password is never in a template
or a manifest. It needs the monitoring namespace and Prometheus (its data source); no CRDs of its own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
import cdk8s
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from addons import monitoring_namespace, prometheus
from addons import prometheus_config as prom
from addons.base import InstalledMonitoring, MonitoringContext, monitoring_release, system_node_selector
from addons.monitoring_namespace import MONITORING_REPLICAS, MonitoringPlacement
from addons.pods import PodComponent, PodResources, component
from addons.prometheus import PROMETHEUS_URL
from config import AppConfig
from findings import nag_acknowledge, nag_acknowledge_inline_policy
from k8s_charts.external_secrets import SECRET_STORE, SecretKey, aws_secret_store, external_secret
from k8s_charts.helm import HelmRelease
from k8s_charts.security import restricted_container_security_context, restricted_pod_security_context
from names import K8sNames, Ports

# Grafana's charts moved to the community repository in 2026; the old one is frozen.
RELEASE = HelmRelease(
    chart="grafana",
    repository="https://grafana-community.github.io/helm-charts",
    # Grafana 12.4.3; published in https://grafana-community.github.io/helm-charts/index.yaml
    # (grafana-community/helm-charts gh-pages: release asset grafana-11.6.1/grafana-11.6.1.tgz).
    version="11.6.1",
    release=K8sNames.GRAFANA,
    namespace=K8sNames.MONITORING_NAMESPACE,
)
# The chart's commented example 100m/128Mi; Grafana 12 idles near 150Mi, so 192Mi.
RESOURCES = PodResources(cpu_request_m=100, memory_request_mib=192, memory_limit_mib=384)

# Grafana's admin Secret keys (the chart's defaults for admin.userKey / admin.passwordKey).
GRAFANA_ADMIN_USER_KEY = "admin-user"
GRAFANA_ADMIN_PASSWORD_KEY = "admin-password"
GRAFANA_DATASOURCE_UID = "prometheus"
DASHBOARD_UID = "tech-lib-overview"


@dataclass(frozen=True)
class GrafanaAdminSecretValues:
    region: str
    secret_arn: str


class GrafanaAdminSecretChart(cdk8s.Chart):
    """Grafana's admin Secret, synced by External Secrets from the generated Secrets Manager secret."""

    def __init__(self, scope: Construct, id_: str, *, values: GrafanaAdminSecretValues) -> None:
        super().__init__(scope, id_, namespace=K8sNames.MONITORING_NAMESPACE, disable_resource_name_hashes=True)
        # No auth: the operator's own Pod Identity credentials, allowed this one secret (MonitoringStack).
        self.secret_store = aws_secret_store(self, "SecretStore", name=SECRET_STORE, region=values.region)
        self.external_secret = external_secret(
            self,
            "GrafanaAdmin",
            target=K8sNames.GRAFANA_ADMIN_SECRET,
            store=SECRET_STORE,
            refresh_interval="1h",
            data=[
                SecretKey(secret_key=GRAFANA_ADMIN_USER_KEY, remote_key=values.secret_arn, remote_property="username"),
                SecretKey(
                    secret_key=GRAFANA_ADMIN_PASSWORD_KEY, remote_key=values.secret_arn, remote_property="password"
                ),
            ],
        )


def _timeseries(
    panel_id: int, title: str, targets: Sequence[tuple[str, str]], *, unit: str, x: int, y: int
) -> dict[str, Any]:
    return {
        "id": panel_id,
        "type": "timeseries",
        "title": title,
        "datasource": {"type": "prometheus", "uid": GRAFANA_DATASOURCE_UID},
        "gridPos": {"h": 8, "w": 12, "x": x, "y": y},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "targets": [
            {
                "refId": chr(ord("A") + index),
                "datasource": {"type": "prometheus", "uid": GRAFANA_DATASOURCE_UID},
                "expr": expr,
                "legendFormat": legend,
            }
            for index, (expr, legend) in enumerate(targets)
        ],
    }


def dashboard_queries(*, app_namespace: str, max_connections: int) -> dict[str, list[tuple[str, str]]]:
    """The system dashboard's panels (title -> [(PromQL, legend)]), per-pod backend series only."""
    backend = 'job="tech-lib-backend"'
    return {
        "Request rate": [(f"sum(rate(http_requests_total{{{backend}}}[5m]))", "requests/s")],
        "5xx ratio": [
            (
                f'sum(rate(http_requests_total{{{backend},status=~"5.."}}[5m])) '
                f"/ sum(rate(http_requests_total{{{backend}}}[5m]))",
                "5xx share",
            )
        ],
        "p95 latency": [
            (
                f"histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{{{backend}}}[5m])) by (le))",
                "p95",
            )
        ],
        "Pod restarts": [
            (
                f'sum by (pod) (increase(kube_pod_container_status_restarts_total{{namespace="{app_namespace}"}}[15m]))',
                "{{pod}}",
            )
        ],
        "DB connections vs max_connections": [
            ("sum(pg_stat_activity_count)", "connections"),
            ("max(pg_settings_max_connections)", "max_connections"),
            (f"vector({prom.db_connection_threshold(max_connections)})", "DatabaseConnectionHigh threshold"),
        ],
        "Redis memory": [
            ("max(redis_memory_used_bytes)", "used"),
            ("max(redis_memory_max_bytes)", "maxmemory"),
        ],
    }


PANEL_UNITS = {
    "Request rate": "reqps",
    "5xx ratio": "percentunit",
    "p95 latency": "s",
    "Pod restarts": "short",
    "DB connections vs max_connections": "short",
    "Redis memory": "bytes",
}


def grafana_dashboard(*, app_namespace: str, max_connections: int) -> dict[str, Any]:
    """The provisioned `tech-lib` overview dashboard."""
    panels = [
        _timeseries(index + 1, title, targets, unit=PANEL_UNITS[title], x=12 * (index % 2), y=8 * (index // 2))
        for index, (title, targets) in enumerate(
            dashboard_queries(app_namespace=app_namespace, max_connections=max_connections).items()
        )
    ]
    return {
        "uid": DASHBOARD_UID,
        "title": "Tech Lib overview",
        "tags": ["tech-lib"],
        "timezone": "browser",
        "schemaVersion": 39,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "panels": panels,
    }


def grafana_values(*, app_namespace: str, max_connections: int, placement: MonitoringPlacement) -> dict[str, Any]:
    """Values of grafana: Prometheus data source, the system dashboard, ClusterIP only, admin from a Secret."""
    dashboard = grafana_dashboard(app_namespace=app_namespace, max_connections=max_connections)
    return {
        "admin": {
            "existingSecret": K8sNames.GRAFANA_ADMIN_SECRET,
            "userKey": GRAFANA_ADMIN_USER_KEY,
            "passwordKey": GRAFANA_ADMIN_PASSWORD_KEY,
        },
        # Inside the cluster only: reach it with `kubectl port-forward`, never through a load balancer.
        "service": {"type": "ClusterIP", "port": Ports.GRAFANA},
        "ingress": {"enabled": False},
        # Data source, dashboard and admin all come from values and the Secret: nothing to persist.
        "persistence": {"enabled": False},
        "testFramework": {"enabled": False},
        "grafana.ini": {
            "analytics": {"reporting_enabled": False, "check_for_updates": False},
            "users": {"allow_sign_up": False},
            "auth.anonymous": {"enabled": False},
        },
        "datasources": {
            "datasources.yaml": {
                "apiVersion": 1,
                "datasources": [
                    {
                        "name": "Prometheus",
                        "type": "prometheus",
                        "uid": GRAFANA_DATASOURCE_UID,
                        "url": PROMETHEUS_URL,
                        "access": "proxy",
                        "isDefault": True,
                    }
                ],
            }
        },
        "dashboardProviders": {
            "dashboardproviders.yaml": {
                "apiVersion": 1,
                "providers": [
                    {
                        "name": "tech-lib",
                        "orgId": 1,
                        "folder": "Tech Lib",
                        "type": "file",
                        "disableDeletion": True,
                        "editable": False,
                        "options": {"path": "/var/lib/grafana/dashboards/tech-lib"},
                    }
                ],
            }
        },
        "dashboards": {"tech-lib": {DASHBOARD_UID: {"json": json.dumps(dashboard)}}},
        "securityContext": restricted_pod_security_context(472),
        "containerSecurityContext": restricted_container_security_context(read_only_root=False),
        "replicas": MONITORING_REPLICAS,
        "resources": RESOURCES.values(),
        **placement.values(),
    }


def _values(config: AppConfig) -> dict[str, Any]:
    return grafana_values(
        app_namespace=config.workloads.namespace,
        max_connections=config.database.max_connections,
        placement=MonitoringPlacement(node_selector=system_node_selector(config)),
    )


class Grafana:
    name = RELEASE.release
    needs = (monitoring_namespace.ADDON.name, prometheus.ADDON.name)

    def enabled(self, *, config: AppConfig) -> bool:
        return True

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return _values(config)

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return (
            component(
                name=K8sNames.GRAFANA,
                namespace=RELEASE.namespace,
                kind="Deployment",
                source=RELEASE.release,
                source_kind="helm",
                values=values,
                replicas_key="replicas",
                default_replicas=1,
            ),
        )

    def install(
        self, scope: Construct, *, context: MonitoringContext, installed: Mapping[str, InstalledMonitoring]
    ) -> InstalledMonitoring:
        config, region, key = context.config, context.region, context.key
        prefix = config.resource_prefix
        admin_secret = secretsmanager.Secret(
            scope,
            "GrafanaAdminSecret",
            secret_name=f"{prefix}/grafana-admin",
            description="Grafana admin login (synced into the monitoring namespace by External Secrets)",
            encryption_key=key,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template=json.dumps({"username": config.monitoring.grafana_admin_user}),
                generate_string_key="password",
                exclude_punctuation=True,
                password_length=32,
            ),
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        no_rotation = (
            "Grafana reads its admin password only when it initialises its database; rotation would need a "
            "Grafana API call. The password never leaves Secrets Manager and the cluster, and Grafana is ClusterIP only."
        )
        nag_acknowledge(admin_secret, "AwsSolutions-SMG4", no_rotation)
        nag_acknowledge(admin_secret, "NIST.800.53.R5-SecretsManagerRotationEnabled", no_rotation)
        # The External Secrets operator (EKS stack) may read this one secret too; the policy lives here so
        # the EKS stack never refers to the Monitoring stack.
        reader = iam.Policy(
            scope,
            "ExternalSecretsReadsGrafanaAdmin",
            roles=[context.external_secrets_role],
            statements=[
                iam.PolicyStatement(
                    actions=["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    resources=[admin_secret.secret_arn],
                ),
                iam.PolicyStatement(
                    actions=["kms:Decrypt"],
                    resources=[key.key_arn],
                    conditions={"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}},
                ),
            ],
        )
        nag_acknowledge_inline_policy(reader, "The External Secrets operator's read of the Grafana admin secret")
        secret_sync = eks.KubernetesManifest(
            scope,
            "GrafanaAdminSecretSync",
            cluster=context.cluster,
            manifest=GrafanaAdminSecretChart(
                context.k8s_app,
                f"{prefix}-grafana-admin",
                values=GrafanaAdminSecretValues(region=region, secret_arn=admin_secret.secret_arn),
            ).to_json(),
        )
        secret_sync.node.add_dependency(
            installed[monitoring_namespace.ADDON.name].release, reader, *context.platform_ready
        )
        chart = monitoring_release(scope, "Grafana", context=context, release=RELEASE, values=_values(config))
        chart.node.add_dependency(secret_sync, installed[prometheus.ADDON.name].release)
        return InstalledMonitoring(
            release=chart, parts={"admin_secret": admin_secret, "admin_secret_sync": secret_sync}
        )


ADDON = Grafana()
