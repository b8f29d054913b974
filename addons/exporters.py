"""postgres-exporter and redis-exporter: our own cdk8s chart, applied by the Monitoring stack through the
cluster's kubectl provider.

`ExportersChart`: the design's `postgres-exporter` (9187) and `redis-exporter` (9121) Deployments and
Services in the application namespace, where the synced `db-credentials` / `redis-credentials` Secrets
live. Redis is reached over TLS (`rediss://`), as ElastiCache's in-transit encryption requires. It needs
the application namespace of the EKS stack, and the Secrets/ConfigMap the Workloads stack syncs (app.py
adds that dependency: the Monitoring stack does not read the Workloads stack's constructs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cdk8s
from aws_cdk import aws_eks_v2 as eks
from cdk8s_plus_36 import k8s
from constructs import Construct

from addons.base import InstalledMonitoring, MonitoringContext, system_node_selector
from addons.pods import PodComponent, PodResources, cdk8s_deployment
from config import AppConfig
from k8s_charts.mesh_policy import WorkloadAccess, mesh_access, network_policy_rules
from k8s_charts.network_policies import metrics_only_from_monitoring
from k8s_charts.security import NOBODY, restricted_container, restricted_pod
from k8s_charts.web_workload import checkov_skip_annotations
from names import K8sKeys, K8sNames, Ports

POSTGRES_EXPORTER_IMAGE = "quay.io/prometheuscommunity/postgres-exporter:v0.19.1"
REDIS_EXPORTER_IMAGE = "docker.io/oliver006/redis_exporter:v1.81.0"
DB_CREDENTIALS_MOUNT = "/etc/postgres-exporter/credentials"

# One query round per scrape.
EXPORTER_RESOURCES = PodResources(cpu_request_m=50, memory_request_mib=64, memory_limit_mib=128, cpu_limit_m=200)
EXPORTER_REPLICAS = 1
EXPORTER_CHECKOV_SKIPS = {
    "CKV_K8S_43": "the exporter image is pinned by release tag; digests are not resolvable at synth (no registry access)",
}


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
        access: WorkloadAccess | None = None,
    ) -> None:
        """`access`: the mesh's declaration of this exporter (a meshed namespace) renders its NetworkPolicy."""
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
            security_context=restricted_container(uid=NOBODY, gid=NOBODY),
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
                        # Mounted Secret files belong to fs_group, so the exporter can read them.
                        security_context=restricted_pod(uid=NOBODY, gid=NOBODY, fs_group=NOBODY),
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
        self.network_policy = (
            metrics_only_from_monitoring(
                self, "NetworkPolicy", name=name, labels=selector, selector=selector, port=probe_port
            )
            if access is None
            else k8s.KubeNetworkPolicy(
                self,
                "NetworkPolicy",
                metadata=k8s.ObjectMeta(name=name, labels=selector),
                spec=k8s.NetworkPolicySpec(
                    pod_selector=k8s.LabelSelector(match_labels=selector),
                    policy_types=["Ingress"],
                    ingress=network_policy_rules(access),
                ),
            )
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

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        namespace: str,
        placement: ExporterPlacement,
        mesh_access: Sequence[WorkloadAccess] = (),
    ) -> None:
        """`mesh_access`: the mesh's access declaration when the namespace is meshed (k8s_charts/mesh_policy.py)."""
        super().__init__(scope, id_, namespace=namespace, disable_resource_name_hashes=True)
        access = {a.name: a for a in mesh_access}
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
            access=access.get(K8sNames.POSTGRES_EXPORTER),
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
            access=access.get(K8sNames.REDIS_EXPORTER),
            checkov_skips={
                **EXPORTER_CHECKOV_SKIPS,
                "CKV_K8S_35": "redis_exporter reads a password file only as a JSON map keyed by address; "
                "the AUTH token comes from the Secret synced by External Secrets",
            },
        )


class Exporters:
    name = "exporters"
    needs: tuple[str, ...] = ()

    def enabled(self, *, config: AppConfig) -> bool:
        return True

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return {"nodeSelector": dict(system_node_selector(config))}

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return tuple(
            cdk8s_deployment(
                name=name,
                namespace=config.workloads.namespace,
                source=chart_id(config),
                replicas=EXPORTER_REPLICAS,
                resources=EXPORTER_RESOURCES,
                selector=values["nodeSelector"],
            )
            for name in (K8sNames.POSTGRES_EXPORTER, K8sNames.REDIS_EXPORTER)
        )

    def install(
        self, scope: Construct, *, context: MonitoringContext, installed: Mapping[str, InstalledMonitoring]
    ) -> InstalledMonitoring:
        manifest = eks.KubernetesManifest(
            scope,
            "Exporters",
            cluster=context.cluster,
            manifest=ExportersChart(
                context.k8s_app,
                chart_id(context.config),
                namespace=context.config.workloads.namespace,
                placement=ExporterPlacement(node_labels=dict(context.node_selector)),
                mesh_access=mesh_access(context.config),
            ).to_json(),
        )
        # The namespace, and the Secrets/ConfigMap the exporters read, are the EKS platform's.
        manifest.node.add_dependency(context.app_namespace, *context.platform_ready)
        return InstalledMonitoring(release=manifest)


def chart_id(config: AppConfig) -> str:
    """The cdk8s chart id (the inventory's `source`)."""
    return f"{config.resource_prefix}-exporters"


ADDON = Exporters()
