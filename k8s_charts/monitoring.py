"""The in-cluster monitoring stack: our own objects (cdk8s charts) and the Helm values of the charts we install.

cdk8s charts (applied through the cluster's kubectl provider):
- `MonitoringNamespaceChart`: the `monitoring` namespace and the encrypted gp3 StorageClass that
  Prometheus and Alertmanager keep their data on (the cluster has no default StorageClass).
- `GrafanaAdminSecretChart`: a SecretStore and an ExternalSecret that build Grafana's admin Secret from a
  Secrets Manager secret generated at deploy time: the password is never in a template or a manifest.
- `ExportersChart`: the design's `postgres-exporter` (9187) and `redis-exporter` (9121) Deployments and
  Services in the application namespace, where the synced `db-credentials` / `redis-credentials` Secrets
  live. Redis is reached over TLS (`rediss://`), as ElastiCache's in-transit encryption requires.

Helm values (the charts themselves are downloaded by the kubectl handler at deploy time):
- `prometheus_values`: prometheus-community/prometheus with the design's prometheus.yml and rule file
  (k8s_charts/prometheus_config.py), Alertmanager routing every alert to the SNS topic with SigV4, and
  kube-state-metrics for the PodCrashLooping rule;
- `adapter_values`: prometheus-adapter serving the backend HPA's `http_requests_per_second`;
- `grafana_values`: Grafana with the Prometheus data source and the system dashboard, ClusterIP only;
- `cloudwatch_addon_configuration`: the amazon-cloudwatch-observability add-on carrying the design's agent
  configuration.

Every pod of ours satisfies the Pod Security Standards "restricted" profile; the charts are given the
same security contexts through their values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cdk8s
from cdk8s_plus_36 import k8s
from constructs import Construct

from fit import platform_values, sizing
from k8s_charts import prometheus_config as prom
from k8s_charts.external_secrets import SECRET_STORE, SecretKey, aws_secret_store, external_secret
from k8s_charts.helm import HelmRelease
from k8s_charts.network_policies import metrics_only_from_monitoring
from k8s_charts.platform import pod_security_labels
from k8s_charts.web_workload import checkov_skip_annotations
from names import K8sKeys, K8sNames, Ports

# The charts' pods cannot all be proven "restricted" before they render; the namespace enforces
# "baseline" and warns and audits on "restricted", which their values are set to meet.
MONITORING_PSS_ENFORCE = "baseline"
MONITORING_PSS_AUDIT = "restricted"
STORAGE_CLASS = "monitoring-gp3"
NOBODY = 65534
SECCOMP_RUNTIME_DEFAULT = {"type": "RuntimeDefault"}

POSTGRES_EXPORTER_IMAGE = "quay.io/prometheuscommunity/postgres-exporter:v0.19.1"
REDIS_EXPORTER_IMAGE = "docker.io/oliver006/redis_exporter:v1.81.0"
DB_CREDENTIALS_MOUNT = "/etc/postgres-exporter/credentials"

# Grafana's admin Secret keys (the chart's defaults for admin.userKey / admin.passwordKey).
GRAFANA_ADMIN_USER_KEY = "admin-user"
GRAFANA_ADMIN_PASSWORD_KEY = "admin-password"
GRAFANA_DATASOURCE_UID = "prometheus"
DASHBOARD_UID = "tech-lib-overview"

EXPORTER_RESOURCES = sizing.EXPORTER
EXPORTER_REPLICAS = 1
EXPORTER_CHECKOV_SKIPS = {
    "CKV_K8S_43": "the exporter image is pinned by release tag; digests are not resolvable at synth (no registry access)",
}


def restricted_container_security_context(*, read_only_root: bool = True) -> dict[str, Any]:
    """A container security context meeting PSS "restricted", as Helm values (camelCase)."""
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": read_only_root,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": SECCOMP_RUNTIME_DEFAULT,
    }


def restricted_pod_security_context(uid: int = NOBODY, *, fs_group: bool = True) -> dict[str, Any]:
    context: dict[str, Any] = {
        "runAsNonRoot": True,
        "runAsUser": uid,
        "runAsGroup": uid,
        "seccompProfile": SECCOMP_RUNTIME_DEFAULT,
    }
    if fs_group:
        context["fsGroup"] = uid
    return context


@dataclass(frozen=True)
class MonitoringPlacement:
    """Monitoring runs next to the cluster's controllers on system-nodes (untainted, so no tolerations)."""

    node_selector: Mapping[str, str]

    def values(self) -> dict[str, Any]:
        return {"nodeSelector": dict(self.node_selector), "tolerations": []}


# --- cdk8s charts -------------------------------------------------------------------------------------


class MonitoringNamespaceChart(cdk8s.Chart):
    """The `monitoring` namespace and the StorageClass of the monitoring volumes."""

    def __init__(self, scope: Construct, id_: str, *, kubernetes_version: str) -> None:
        super().__init__(scope, id_, disable_resource_name_hashes=True)
        version = f"v{kubernetes_version}"
        labels = pod_security_labels(MONITORING_PSS_AUDIT, version)
        labels["pod-security.kubernetes.io/enforce"] = MONITORING_PSS_ENFORCE
        self.namespace_object = k8s.KubeNamespace(
            self, "Namespace", metadata=k8s.ObjectMeta(name=K8sNames.MONITORING_NAMESPACE, labels=labels)
        )
        self.storage_class = k8s.KubeStorageClass(
            self,
            "StorageClass",
            metadata=k8s.ObjectMeta(name=STORAGE_CLASS),
            provisioner="ebs.csi.aws.com",
            parameters={"type": "gp3", "encrypted": "true"},
            # A volume is created in the zone of the node its pod is scheduled to, not a random one.
            volume_binding_mode="WaitForFirstConsumer",
            allow_volume_expansion=True,
            reclaim_policy="Delete",
        )


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


@dataclass(frozen=True)
class ExporterPlacement:
    node_labels: Mapping[str, str]
    tolerations: tuple[tuple[str, str, str], ...] = ()  # (key, value, effect)


class Exporter(Construct):
    """One Prometheus exporter: ServiceAccount (no token) + Deployment + Service + ingress NetworkPolicy."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        name: str,
        image: str,
        port: int,
        env: Sequence[k8s.EnvVar],
        placement: ExporterPlacement,
        volumes: Sequence[k8s.Volume] = (),
        volume_mounts: Sequence[k8s.VolumeMount] = (),
        checkov_skips: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, id_)
        selector = {"app": name}
        labels = {**selector, "tier": "monitoring"}
        probe_port = k8s.IntOrString.from_number(port)
        k8s.KubeServiceAccount(
            self,
            "ServiceAccount",
            metadata=k8s.ObjectMeta(name=name, labels=selector),
            automount_service_account_token=False,
        )
        container = k8s.Container(
            name=name,
            image=image,
            image_pull_policy="Always",
            ports=[k8s.ContainerPort(name=K8sNames.METRICS_PORT, container_port=port)],
            env=list(env),
            resources=k8s.ResourceRequirements(
                requests={
                    "cpu": k8s.Quantity.from_string(f"{EXPORTER_RESOURCES.cpu_request_m}m"),
                    "memory": k8s.Quantity.from_string(f"{EXPORTER_RESOURCES.memory_request_mib}Mi"),
                },
                limits={
                    "cpu": k8s.Quantity.from_string(f"{EXPORTER_RESOURCES.cpu_limit_m}m"),
                    "memory": k8s.Quantity.from_string(f"{EXPORTER_RESOURCES.memory_limit_mib}Mi"),
                },
            ),
            liveness_probe=k8s.Probe(
                http_get=k8s.HttpGetAction(path="/", port=probe_port), period_seconds=20, timeout_seconds=5
            ),
            # The landing page: /metrics would query the database or cache on every probe.
            readiness_probe=k8s.Probe(
                http_get=k8s.HttpGetAction(path="/", port=probe_port), period_seconds=10, timeout_seconds=5
            ),
            security_context=k8s.SecurityContext(
                run_as_non_root=True,
                run_as_user=NOBODY,
                run_as_group=NOBODY,
                allow_privilege_escalation=False,
                read_only_root_filesystem=True,
                privileged=False,
                capabilities=k8s.Capabilities(drop=["ALL"]),
                seccomp_profile=k8s.SeccompProfile(type="RuntimeDefault"),
            ),
            volume_mounts=list(volume_mounts) or None,
        )
        self.deployment = k8s.KubeDeployment(
            self,
            "Deployment",
            metadata=k8s.ObjectMeta(
                name=name, labels=labels, annotations=checkov_skip_annotations(checkov_skips or {}) or None
            ),
            spec=k8s.DeploymentSpec(
                # One scraper target: a second replica would only double the load on the database/cache.
                replicas=EXPORTER_REPLICAS,
                selector=k8s.LabelSelector(match_labels=selector),
                template=k8s.PodTemplateSpec(
                    metadata=k8s.ObjectMeta(labels=labels),
                    spec=k8s.PodSpec(
                        service_account_name=name,
                        automount_service_account_token=False,
                        security_context=k8s.PodSecurityContext(
                            run_as_non_root=True,
                            run_as_user=NOBODY,
                            run_as_group=NOBODY,
                            # Mounted Secret files belong to this group, so the exporter can read them.
                            fs_group=NOBODY,
                            seccomp_profile=k8s.SeccompProfile(type="RuntimeDefault"),
                        ),
                        node_selector=dict(placement.node_labels) or None,
                        tolerations=[
                            k8s.Toleration(key=key, operator="Equal", value=value, effect=effect)
                            for key, value, effect in placement.tolerations
                        ]
                        or None,
                        containers=[container],
                        volumes=list(volumes) or None,
                    ),
                ),
            ),
        )
        self.service = k8s.KubeService(
            self,
            "Service",
            metadata=k8s.ObjectMeta(name=name, labels=selector),
            spec=k8s.ServiceSpec(
                type="ClusterIP",
                selector=selector,
                ports=[k8s.ServicePort(name=K8sNames.METRICS_PORT, port=port, target_port=probe_port)],
            ),
        )
        self.network_policy = metrics_only_from_monitoring(
            self, "NetworkPolicy", name=name, labels=selector, selector=selector, port=probe_port
        )


def _secret_env(name: str, secret: str, key: str) -> k8s.EnvVar:
    return k8s.EnvVar(
        name=name, value_from=k8s.EnvVarSource(secret_key_ref=k8s.SecretKeySelector(name=secret, key=key))
    )


def _config_env(name: str, config_map: str, key: str) -> k8s.EnvVar:
    return k8s.EnvVar(
        name=name,
        value_from=k8s.EnvVarSource(config_map_key_ref=k8s.ConfigMapKeySelector(name=config_map, key=key)),
    )


class ExportersChart(cdk8s.Chart):
    """postgres-exporter and redis-exporter, in the application namespace next to the Secrets they read."""

    def __init__(self, scope: Construct, id_: str, *, namespace: str, placement: ExporterPlacement) -> None:
        super().__init__(scope, id_, namespace=namespace, disable_resource_name_hashes=True)
        # The address parts come from the synced Secret as environment variables (Kubernetes expands
        # $(VAR) in later variables); the user name and password are read from the mounted Secret files.
        self.postgres = Exporter(
            self,
            "PostgresExporter",
            name=K8sNames.POSTGRES_EXPORTER,
            image=POSTGRES_EXPORTER_IMAGE,
            port=Ports.POSTGRES_EXPORTER,
            env=[
                _secret_env("DB_HOST", K8sNames.DB_CREDENTIALS_SECRET, K8sKeys.DB_HOST),
                _secret_env("DB_PORT", K8sNames.DB_CREDENTIALS_SECRET, K8sKeys.DB_PORT),
                _secret_env("DB_NAME", K8sNames.DB_CREDENTIALS_SECRET, K8sKeys.DB_NAME),
                # Aurora accepts TLS; require it, so credentials never cross the VPC in clear text.
                k8s.EnvVar(name="DATA_SOURCE_URI", value="$(DB_HOST):$(DB_PORT)/$(DB_NAME)?sslmode=require"),
                k8s.EnvVar(name="DATA_SOURCE_USER_FILE", value=f"{DB_CREDENTIALS_MOUNT}/{K8sKeys.DB_USERNAME}"),
                k8s.EnvVar(name="DATA_SOURCE_PASS_FILE", value=f"{DB_CREDENTIALS_MOUNT}/{K8sKeys.DB_PASSWORD}"),
            ],
            placement=placement,
            volumes=[
                k8s.Volume(
                    name="db-credentials",
                    secret=k8s.SecretVolumeSource(
                        secret_name=K8sNames.DB_CREDENTIALS_SECRET,
                        items=[
                            k8s.KeyToPath(key=K8sKeys.DB_USERNAME, path=K8sKeys.DB_USERNAME),
                            k8s.KeyToPath(key=K8sKeys.DB_PASSWORD, path=K8sKeys.DB_PASSWORD),
                        ],
                        default_mode=0o440,
                    ),
                )
            ],
            volume_mounts=[k8s.VolumeMount(name="db-credentials", mount_path=DB_CREDENTIALS_MOUNT, read_only=True)],
            checkov_skips={
                **EXPORTER_CHECKOV_SKIPS,
                "CKV_K8S_35": "only host/port/dbname come from the Secret as variables; the password is a mounted file",
            },
        )
        self.redis = Exporter(
            self,
            "RedisExporter",
            name=K8sNames.REDIS_EXPORTER,
            image=REDIS_EXPORTER_IMAGE,
            port=Ports.REDIS_EXPORTER,
            env=[
                _config_env("REDIS_HOST", K8sNames.APP_CONFIG_MAP, K8sKeys.REDIS_HOST),
                _config_env("REDIS_PORT", K8sNames.APP_CONFIG_MAP, K8sKeys.REDIS_PORT),
                # rediss://: ElastiCache encrypts in transit, and its certificate chains to a public CA.
                k8s.EnvVar(name="REDIS_ADDR", value="rediss://$(REDIS_HOST):$(REDIS_PORT)"),
                _secret_env("REDIS_PASSWORD", K8sNames.REDIS_CREDENTIALS_SECRET, K8sKeys.REDIS_AUTH_TOKEN),
                # ElastiCache disables CONFIG; skip the config metrics instead of logging an error per scrape.
                k8s.EnvVar(name="REDIS_EXPORTER_CONFIG_COMMAND", value="-"),
            ],
            placement=placement,
            checkov_skips={
                **EXPORTER_CHECKOV_SKIPS,
                "CKV_K8S_35": "redis_exporter reads a password file only as a JSON map keyed by address; "
                "the AUTH token comes from the Secret synced by External Secrets",
            },
        )


# --- Helm values ----------------------------------------------------------------------------------------


PROMETHEUS_CHART = HelmRelease(
    chart="prometheus",
    repository="https://prometheus-community.github.io/helm-charts",
    # Prometheus v3.4.1, Alertmanager 1.20.x and kube-state-metrics 5.33.x subcharts; published as the
    # chart-releaser release/tag prometheus-27.19.0 of prometheus-community/helm-charts (2025-06-01).
    version="27.19.0",
    release="prometheus",
    namespace=K8sNames.MONITORING_NAMESPACE,
)
PROMETHEUS_ADAPTER_CHART = HelmRelease(
    chart="prometheus-adapter",
    repository="https://prometheus-community.github.io/helm-charts",
    # prometheus-adapter v0.12.0; the chart-releaser release/tag prometheus-adapter-5.3.0 of
    # prometheus-community/helm-charts (2026-02-19).
    version="5.3.0",
    release=K8sNames.PROMETHEUS_ADAPTER,
    namespace=K8sNames.MONITORING_NAMESPACE,
)
# Grafana's charts moved to the community repository in 2026; the old one is frozen.
GRAFANA_CHART = HelmRelease(
    chart="grafana",
    repository="https://grafana-community.github.io/helm-charts",
    # Grafana 12.4.3; published in https://grafana-community.github.io/helm-charts/index.yaml
    # (grafana-community/helm-charts gh-pages: release asset grafana-11.6.1/grafana-11.6.1.tgz).
    version="11.6.1",
    release=K8sNames.GRAFANA,
    namespace=K8sNames.MONITORING_NAMESPACE,
)

PROMETHEUS_RETENTION = "15d"
PROMETHEUS_VOLUME_SIZE = "20Gi"
PROMETHEUS_URL = f"http://{K8sNames.PROMETHEUS_SERVER}.{K8sNames.MONITORING_NAMESPACE}.svc"
KUBE_STATE_METRICS_PORT = 8080


def alertmanager_config(*, topic_arn: str, region: str) -> dict[str, Any]:
    """Every alert to the SNS topic, signed with SigV4 by the Alertmanager pod's Pod Identity role."""
    return {
        "enabled": True,
        "global": {"resolve_timeout": "5m"},
        "route": {
            "receiver": "sns",
            "group_by": ["alertname", "severity"],
            "group_wait": "30s",
            "group_interval": "5m",
            "repeat_interval": "4h",
        },
        "receivers": [
            {
                "name": "sns",
                "sns_configs": [
                    {
                        "topic_arn": topic_arn,
                        "sigv4": {"region": region},
                        "send_resolved": True,
                        "attributes": {"severity": "{{ .CommonLabels.severity }}"},
                    }
                ],
            }
        ],
    }


def prometheus_values(
    *,
    app_namespace: str,
    max_connections: int,
    topic_arn: str,
    region: str,
    placement: MonitoringPlacement,
) -> dict[str, Any]:
    """Values of prometheus-community/prometheus: the design's configuration, Alertmanager and kube-state-metrics."""
    config = prom.prometheus_config(app_namespace=app_namespace)
    return {
        "server": {
            "fullnameOverride": K8sNames.PROMETHEUS_SERVER,
            "global": config["global"],
            # The design's `alertmanager:9093` (the Alertmanager Service in this namespace).
            "alertmanagers": config["alerting"]["alertmanagers"],
            "retention": PROMETHEUS_RETENTION,
            "persistentVolume": {"enabled": True, "size": PROMETHEUS_VOLUME_SIZE, "storageClass": STORAGE_CLASS},
            "securityContext": restricted_pod_security_context(),
            "containerSecurityContext": restricted_container_security_context(),
            "replicaCount": sizing.MONITORING_REPLICAS,
            "resources": sizing.PROMETHEUS_SERVER.values(),
            **placement.values(),
        },
        "configmapReload": {
            "prometheus": {
                "containerSecurityContext": restricted_container_security_context(),
                "resources": sizing.CONFIGMAP_RELOAD.values(),
            }
        },
        "serverFiles": {
            "prometheus.yml": {"rule_files": config["rule_files"], "scrape_configs": config["scrape_configs"]},
            prom.RULES_FILE: prom.rule_file(max_connections=max_connections),
        },
        "alertmanager": {
            "enabled": True,
            "fullnameOverride": K8sNames.ALERTMANAGER,
            "serviceAccount": {"create": True, "name": K8sNames.ALERTMANAGER},
            "config": alertmanager_config(topic_arn=topic_arn, region=region),
            "persistence": {"enabled": True, "size": "2Gi", "storageClass": STORAGE_CLASS},
            "podSecurityContext": restricted_pod_security_context(),
            "securityContext": restricted_container_security_context(),
            "replicaCount": sizing.MONITORING_REPLICAS,
            "resources": sizing.ALERTMANAGER.values(),
            **placement.values(),
        },
        # PodCrashLooping reads kube_pod_container_status_restarts_total: kube-state-metrics, scraped by the
        # design's annotation-driven kubernetes-pods job.
        "kube-state-metrics": {
            "enabled": True,
            "podAnnotations": {"prometheus.io/scrape": "true", "prometheus.io/port": str(KUBE_STATE_METRICS_PORT)},
            "securityContext": restricted_pod_security_context(),
            "containerSecurityContext": restricted_container_security_context(),
            "replicas": sizing.MONITORING_REPLICAS,
            "resources": sizing.KUBE_STATE_METRICS.values(),
            **placement.values(),
        },
        # Node metrics come from the CloudWatch agent (the design's TechLib/EKS namespace): no node exporter,
        # whose host mounts the restricted profile forbids. Nothing pushes metrics: no Pushgateway.
        "prometheus-node-exporter": {"enabled": False},
        "prometheus-pushgateway": {"enabled": False},
    }


def adapter_values(*, placement: MonitoringPlacement) -> dict[str, Any]:
    """Values of prometheus-adapter: the custom metrics API backed by the in-cluster Prometheus."""
    return {
        "prometheus": {"url": PROMETHEUS_URL, "port": Ports.PROMETHEUS_SERVER},
        "rules": prom.adapter_rules(),
        "securityContext": restricted_container_security_context(),
        "podSecurityContext": restricted_pod_security_context(10001, fs_group=False),
        "replicas": sizing.MONITORING_REPLICAS,
        "resources": sizing.PROMETHEUS_ADAPTER.values(),
        **placement.values(),
    }


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
        "replicas": sizing.MONITORING_REPLICAS,
        "resources": sizing.GRAFANA.values(),
        **placement.values(),
    }


# --- CloudWatch agent ---------------------------------------------------------------------------------

METRICS_INTERVAL = 60
CLOUDWATCH_METRICS_NAMESPACE = "TechLib/EKS"
# The add-on runs the agent with the host's root filesystem at /rootfs (and /var/log/pods at its own
# path, where the /var/log/containers symlinks point): the design's paths, seen from inside the pod.
HOST_ROOT = "/rootfs"
# The agent's schema accepts only Local or UTC here (the design's Asia/Tokyo fails validation, and the
# agent would not start). It only applies to timestamps parsed with timestamp_format, which the design
# does not set: events keep their ingestion time either way.
LOG_TIMEZONE = "Local"
BACKEND_MULTILINE_START = r"^\d{4}-\d{2}-\d{2}"


def app_log_group(resource_prefix: str, app: str) -> str:
    """The design's /aws/eks/tech-lib/<app> (tech-lib-dev in dev)."""
    return f"/aws/eks/{resource_prefix}/{app}"


def cloudwatch_agent_config(*, resource_prefix: str, cluster_name: str, region: str) -> dict[str, Any]:
    """The design's cwagentconfig.json, adjusted only where the agent would otherwise reject or miss it."""
    backend_logs = {
        "file_path": f"{HOST_ROOT}/var/log/containers/*{K8sNames.BACKEND}*.log",
        "log_group_name": app_log_group(resource_prefix, K8sNames.BACKEND),
        "log_stream_name": "{hostname}-backend",
        "timezone": LOG_TIMEZONE,
        "multi_line_start_pattern": BACKEND_MULTILINE_START,
    }
    frontend_logs = {
        "file_path": f"{HOST_ROOT}/var/log/containers/*{K8sNames.FRONTEND}*.log",
        "log_group_name": app_log_group(resource_prefix, K8sNames.FRONTEND),
        "log_stream_name": "{hostname}-frontend",
        "timezone": LOG_TIMEZONE,
    }
    return {
        # The design's agent block plus `region`: the chart's config-modifier helper (amazon-cloudwatch-
        # observability _helpers.tpl) replaces an agent block without a region by {"region": ...}, which
        # silently dropped the design's interval and user. run_as_user is the design's; the containerized
        # agent starts as the pod's user and ignores it.
        "agent": {"metrics_collection_interval": METRICS_INTERVAL, "run_as_user": "cwagent", "region": region},
        "logs": {
            "logs_collected": {"files": {"collect_list": [backend_logs, frontend_logs]}},
            # The design lists `kubernetes` under logs_collected, which the agent's schema rejects; Container
            # Insights' cluster_name and interval belong under logs.metrics_collected.
            "metrics_collected": {
                "kubernetes": {"cluster_name": cluster_name, "metrics_collection_interval": METRICS_INTERVAL}
            },
        },
        "metrics": {
            "namespace": CLOUDWATCH_METRICS_NAMESPACE,
            "metrics_collected": {
                "cpu": {
                    "measurement": ["cpu_usage_idle", "cpu_usage_iowait", "cpu_usage_user", "cpu_usage_system"],
                    "metrics_collection_interval": METRICS_INTERVAL,
                    "resources": ["*"],
                    "totalcpu": False,
                },
                "disk": {
                    "measurement": ["used_percent"],
                    "metrics_collection_interval": METRICS_INTERVAL,
                    "resources": ["*"],
                },
                "diskio": {
                    "measurement": ["io_time"],
                    "metrics_collection_interval": METRICS_INTERVAL,
                    "resources": ["*"],
                },
                "mem": {"measurement": ["mem_used_percent"], "metrics_collection_interval": METRICS_INTERVAL},
                "netstat": {
                    "measurement": ["tcp_established", "tcp_time_wait"],
                    "metrics_collection_interval": METRICS_INTERVAL,
                },
            },
        },
    }


def cloudwatch_addon_configuration(
    *, resource_prefix: str, cluster_name: str, region: str, node_selector: Mapping[str, str]
) -> dict[str, Any]:
    """configurationValues of the amazon-cloudwatch-observability add-on."""
    return {
        **platform_values.cloudwatch_pod_configuration(node_selector=node_selector),
        "agent": {
            "config": cloudwatch_agent_config(
                resource_prefix=resource_prefix, cluster_name=cluster_name, region=region
            ),
            **platform_values.cloudwatch_pod_configuration(node_selector=node_selector)["agent"],
        },
        # The agent ships the design's two log groups; the add-on's Fluent Bit would copy every container's
        # log a second time into /aws/containerinsights/<cluster>/application.
        "containerLogs": {"enabled": False},
    }
