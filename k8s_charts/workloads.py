"""The application chart: frontend and backend (seed: Kubernetes manifests, HPAs) and the ALB Ingress.

The chart takes plain values (`WorkloadsValues`), so it renders without the CDK app
(`make manifests`, the chart tests) and inside it (WorkloadsStack passes CloudFormation tokens for
the log bucket, certificate and security groups). The namespace, the `db-credentials` Secret and the
`app-config` ConfigMap are the EKS platform's (k8s_charts/platform.py); this chart only refers to them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import cdk8s
from cdk8s_plus_36 import k8s
from constructs import Construct

from config import AppConfig
from config.schema import ImageConfig
from config.sizing import ScalingRulesConfig, WorkloadSizing
from k8s_charts import mesh_policy as mesh
from k8s_charts.mesh_policy import joins_mesh
from k8s_charts.web_workload import (
    AllowedIngress,
    Autoscaling,
    Env,
    HttpProbe,
    NamedPort,
    Placement,
    PodsMetric,
    Resources,
    Toleration,
    WebWorkload,
    WritablePath,
)
from names import AwsNames, Ecr, HealthPaths, K8sKeys, K8sNames, NodeGroups, PathPatterns, Ports

ALB_LOG_PREFIX = "alb"
# TLS 1.3 + 1.2 only; the controller's default policy (ELBSecurityPolicy-2016-08) still allows TLS 1.0.
ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
ALB = "alb.ingress.kubernetes.io"

# The seed annotates both pod templates for Prometheus on 9090, the backend's metrics port. Only the backend
# keeps them: the frontend's nginx serves no metrics (README, deviations), and its scrape would fail forever.
PROMETHEUS_ANNOTATIONS = {"prometheus.io/scrape": "true", "prometheus.io/port": str(Ports.BACKEND_METRICS)}

# checkov findings these workloads keep on purpose, with the reason, on the Deployment itself.
PULL_POLICY_CHECKOV_SKIP = {
    "CKV_K8S_15": "the seed's imagePullPolicy IfNotPresent: release tags are immutable in ECR and latest is rejected in prod",
}
LATEST_TAG_CHECKOV_SKIP = {
    "CKV_K8S_14": "only where the configuration allows latest (dev, allow_latest_tag; prod rejects it): dev follows "
    "the application's main branch and pulls on every start",
}
WORKLOAD_CHECKOV_SKIPS = {
    "CKV_K8S_43": "images are pinned by release tag from configuration; CI deploys by tag (seed), not by digest",
    "CKV_K8S_40": "the seed's images create and run as uid 1001 (Dockerfiles); runAsNonRoot is enforced",
}
# Reloader (addons/reloader.py) rolls a Deployment when a Secret this annotation names changes.
RELOAD_SECRETS_ANNOTATION = "secret.reloader.stakater.com/reload"

BACKEND_CHECKOV_SKIPS = {
    "CKV_K8S_35": "the seed's backend reads DB_PASSWORD (and REDIS_AUTH_TOKEN) from its environment; the Secrets "
    "are synced by External Secrets and a rotation restarts the pods",
}

# Everything the backend needs to reach its data, named as the design names DB_HOST, DB_PASSWORD and
# REDIS_HOST. The database's connection comes whole from the rotated Aurora secret (db-credentials), so host,
# user and password always belong together; Redis's endpoint from app-config, its AUTH token from
# redis-credentials. ElastiCache requires TLS (transit encryption) and the token on every connection.
BACKEND_SECRET_ENV = {
    "DB_HOST": (K8sNames.DB_CREDENTIALS_SECRET, K8sKeys.DB_HOST),
    "DB_PORT": (K8sNames.DB_CREDENTIALS_SECRET, K8sKeys.DB_PORT),
    "DB_NAME": (K8sNames.DB_CREDENTIALS_SECRET, K8sKeys.DB_NAME),
    "DB_USER": (K8sNames.DB_CREDENTIALS_SECRET, K8sKeys.DB_USERNAME),
    "DB_PASSWORD": (K8sNames.DB_CREDENTIALS_SECRET, K8sKeys.DB_PASSWORD),
    "REDIS_AUTH_TOKEN": (K8sNames.REDIS_CREDENTIALS_SECRET, K8sKeys.REDIS_AUTH_TOKEN),
}
BACKEND_CONFIG_ENV = {
    "REDIS_HOST": (K8sNames.APP_CONFIG_MAP, K8sKeys.REDIS_HOST),
    "REDIS_PORT": (K8sNames.APP_CONFIG_MAP, K8sKeys.REDIS_PORT),
    "REDIS_TLS": (K8sNames.APP_CONFIG_MAP, K8sKeys.REDIS_TLS),
}


def image_uri(image: ImageConfig, *, account: str, region: str) -> str:
    """`repository:tag`, in the account's ECR registry unless the repository already names a registry host."""
    first, _, rest = image.repository.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return image.reference
    return Ecr.image_uri(account=account, region=region, repository=image.repository, tag=image.tag)


def pull_policy(image: str) -> str:
    """The seed's IfNotPresent for release tags; `latest` (dev only) moves, so nodes must pull it every start."""
    return "Always" if image.endswith(":latest") else "IfNotPresent"


def alb_log_bucket_name(config: AppConfig) -> str:
    """The ALB access-log bucket: the seed's `tech-lib-alb-logs` plus the account id, since bucket names are global."""
    return f"{config.resource_prefix}-alb-logs-{config.account}"


def issues_alb_certificate(config: AppConfig) -> bool:
    """True when WorkloadsStack issues the ALB's regional certificate (a domain, and no certificate configured)."""
    return config.edge.has_domain and config.workloads.alb_certificate_arn is None


def ingress_hosts(config: AppConfig) -> tuple[str, ...]:
    """Hosts the Ingress answers for; empty means any host.

    With a domain, CloudFront reaches the ALB as `origin.<domain>` (Host header of that name); without
    one it uses the ALB's own generated hostname, which no rule can name in advance.
    """
    if config.edge.alb_origin_domain is None:
        return ()
    return tuple(dict.fromkeys((config.workloads.ingress_host, config.edge.alb_origin_domain)))


@dataclass(frozen=True)
class WorkloadsValues:
    """Everything the chart needs, as plain values (strings may be CloudFormation tokens inside the CDK app)."""

    namespace: str
    frontend_image: str
    backend_image: str
    alb_log_bucket: str
    alb_security_group_ids: tuple[str, ...]
    certificate_arn: str | None
    hosts: tuple[str, ...]
    placement: Placement
    alb_subnet_cidrs: tuple[str, ...]
    alb_name: str
    frontend_sizing: WorkloadSizing
    backend_sizing: WorkloadSizing
    alb_tags: Mapping[str, str] = field(default_factory=dict)
    alb_log_prefix: str = ALB_LOG_PREFIX
    # Secrets whose change restarts the backend (its environment is read once, at start).
    backend_reload_secrets: tuple[str, ...] = ()
    # The mesh-wide mTLS mode when the namespace is meshed (mesh.namespaces), else None: no mesh objects.
    mesh_mtls_mode: str | None = None

    @classmethod
    def from_config(
        cls,
        config: AppConfig,
        *,
        alb_log_bucket: str,
        alb_security_group_ids: tuple[str, ...],
        certificate_arn: str | None,
    ) -> WorkloadsValues:
        app_nodes = config.eks.node_group(NodeGroups.APP)
        return cls(
            namespace=config.workloads.namespace,
            frontend_image=image_uri(config.workloads.frontend_image, account=config.account, region=config.region),
            backend_image=image_uri(config.workloads.backend_image, account=config.account, region=config.region),
            alb_log_bucket=alb_log_bucket,
            alb_security_group_ids=alb_security_group_ids,
            certificate_arn=certificate_arn,
            hosts=ingress_hosts(config),
            # The internet-facing ALB's nodes (target type ip: the source of every request) live there.
            alb_subnet_cidrs=tuple(config.network.public_subnet_cidrs),
            alb_name=AwsNames.alb(config.resource_prefix),
            frontend_sizing=config.workloads.frontend,
            backend_sizing=config.workloads.backend,
            placement=Placement(
                node_labels=dict(app_nodes.labels),
                tolerations=tuple(Toleration(key=t.key, value=t.value, effect=t.effect) for t in app_nodes.taints),
            ),
            # A rotated database password reaches running pods only through a restart (Reloader).
            backend_reload_secrets=(K8sNames.DB_CREDENTIALS_SECRET, K8sNames.REDIS_CREDENTIALS_SECRET)
            if config.database.secret_rotation_days
            else (),
            mesh_mtls_mode=config.mesh.mtls_mode if joins_mesh(config, config.workloads.namespace) else None,
            # The controller, not CloudFormation, owns the ALB; the tags say so and carry the cost tags.
            alb_tags={
                **config.tags,
                "Environment": config.environment_tag,
                "ManagedBy": "aws-load-balancer-controller",
            },
        )


# The seed's probe timings, shared by both workloads.
def _liveness(path: str, port: int) -> HttpProbe:
    return HttpProbe(
        path=path, port=port, initial_delay_seconds=30, period_seconds=10, timeout_seconds=5, failure_threshold=3
    )


def _readiness(path: str, port: int) -> HttpProbe:
    return HttpProbe(
        path=path, port=port, initial_delay_seconds=5, period_seconds=5, timeout_seconds=3, failure_threshold=3
    )


def _checkov_skips(image: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    skips = dict(PULL_POLICY_CHECKOV_SKIP) if pull_policy(image) == "IfNotPresent" else dict(LATEST_TAG_CHECKOV_SKIP)
    return {**skips, **WORKLOAD_CHECKOV_SKIPS, **(extra or {})}


def _scaling_rules(rules: ScalingRulesConfig) -> k8s.HpaScalingRulesV2:
    return k8s.HpaScalingRulesV2(
        stabilization_window_seconds=rules.stabilization_window_seconds,
        policies=[
            k8s.HpaScalingPolicyV2(type=p.type, value=p.value, period_seconds=p.period_seconds) for p in rules.policies
        ],
        select_policy=rules.select_policy,
    )


def resources_of(sizing: WorkloadSizing) -> Resources:
    requests, limits = sizing.resources.requests, sizing.resources.limits
    return Resources(
        request_cpu=requests.cpu, request_memory=requests.memory, limit_cpu=limits.cpu, limit_memory=limits.memory
    )


def autoscaling_of(sizing: WorkloadSizing, pods_metrics: tuple[PodsMetric, ...] = ()) -> Autoscaling:
    """The HPA from configuration (workloads.<name>.autoscaling): dev runs smaller than prod's seed numbers."""
    hpa = sizing.autoscaling
    behavior = (
        k8s.HorizontalPodAutoscalerBehaviorV2(
            scale_down=_scaling_rules(hpa.behavior.scale_down), scale_up=_scaling_rules(hpa.behavior.scale_up)
        )
        if hpa.behavior
        else None
    )
    return Autoscaling(
        min_replicas=hpa.min_replicas,
        max_replicas=hpa.max_replicas,
        cpu_utilization=hpa.cpu_utilization,
        memory_utilization=hpa.memory_utilization,
        pods_metrics=pods_metrics,
        behavior=behavior,
    )


# Served by prometheus-adapter (observability) from the backend's /metrics.
BACKEND_PODS_METRICS = (PodsMetric(name="http_requests_per_second", average_value="1000m"),)


class WorkloadsChart(cdk8s.Chart):
    """frontend + backend WebWorkloads and the `tech-lib-ingress` ALB Ingress, in the app namespace.

    In a meshed namespace it also carries the mesh's policies for the namespace's workloads, rendered from the
    same access declaration as the NetworkPolicies (k8s_charts/mesh_policy.py).
    """

    def __init__(self, scope: Construct, id_: str, *, values: WorkloadsValues) -> None:
        super().__init__(scope, id_, namespace=values.namespace, disable_resource_name_hashes=True)
        self.values = values
        self.access = (
            mesh.access_declaration(namespace=values.namespace, alb_subnet_cidrs=values.alb_subnet_cidrs)
            if values.mesh_mtls_mode is not None
            else ()
        )

        self.frontend = WebWorkload(
            self,
            "Frontend",
            name=K8sNames.FRONTEND,
            tier="presentation",
            image=values.frontend_image,
            image_pull_policy=pull_policy(values.frontend_image),
            service_name=K8sNames.FRONTEND_SERVICE,
            hpa_name=K8sNames.FRONTEND_HPA,
            ports=[NamedPort("http", Ports.FRONTEND_HTTP)],
            env=Env(values={"VITE_API_BASE_URL": PathPatterns.API_PREFIX, "VITE_ENV": "production"}),
            resources=resources_of(values.frontend_sizing),
            liveness=_liveness(HealthPaths.FRONTEND_LIVENESS, Ports.FRONTEND_HTTP),
            readiness=_readiness(HealthPaths.FRONTEND_READINESS, Ports.FRONTEND_HTTP),
            autoscaling=autoscaling_of(values.frontend_sizing),
            placement=values.placement,
            allowed_ingress=[AllowedIngress(Ports.FRONTEND_HTTP, values.alb_subnet_cidrs)],
            # nginx writes its caches, pid file and temp files; the root filesystem is read-only.
            writable_paths=[
                WritablePath("nginx-cache", "/var/cache/nginx"),
                WritablePath("nginx-run", "/var/run", size_limit="1Mi"),
                WritablePath("tmp", "/tmp"),
            ],
            # uid 1001 with every capability dropped may not bind port 80 unless the pod's network
            # namespace makes it unprivileged (a "safe" sysctl, allowed by PSS restricted).
            sysctls={"net.ipv4.ip_unprivileged_port_start": str(Ports.FRONTEND_HTTP)},
            # No scrape annotations: nothing in the pod serves metrics. The ALB and CloudFront alarms and
            # kube-state-metrics (restarts, readiness) watch it instead.
            ingress_rules=self._mesh_rules(K8sNames.FRONTEND),
            # The seed's ALB health check is /health (the backend's); nginx serves the SPA at /.
            service_annotations={f"{ALB}/healthcheck-path": HealthPaths.FRONTEND_READINESS},
            checkov_skips=_checkov_skips(values.frontend_image),
        )

        self.backend = WebWorkload(
            self,
            "Backend",
            name=K8sNames.BACKEND,
            tier="application",
            image=values.backend_image,
            image_pull_policy=pull_policy(values.backend_image),
            service_name=K8sNames.BACKEND_SERVICE,
            hpa_name=K8sNames.BACKEND_HPA,
            ports=[NamedPort("http", Ports.BACKEND_HTTP), NamedPort(K8sNames.METRICS_PORT, Ports.BACKEND_METRICS)],
            env=Env(
                values={"PORT": str(Ports.BACKEND_HTTP), "GIN_MODE": "release"},
                secret_keys=BACKEND_SECRET_ENV,
                config_map_keys=BACKEND_CONFIG_ENV,
            ),
            resources=resources_of(values.backend_sizing),
            liveness=_liveness(HealthPaths.BACKEND_LIVENESS, Ports.BACKEND_HTTP),
            readiness=_readiness(HealthPaths.BACKEND_READINESS, Ports.BACKEND_HTTP),
            autoscaling=autoscaling_of(values.backend_sizing, BACKEND_PODS_METRICS),
            placement=values.placement,
            allowed_ingress=[
                AllowedIngress(Ports.BACKEND_HTTP, values.alb_subnet_cidrs),
                # Prometheus scrapes from its own namespace (observability).
                AllowedIngress(Ports.BACKEND_METRICS),
            ],
            writable_paths=[WritablePath("tmp", "/tmp")],
            pod_annotations=PROMETHEUS_ANNOTATIONS,
            ingress_rules=self._mesh_rules(K8sNames.BACKEND),
            checkov_skips=_checkov_skips(values.backend_image, BACKEND_CHECKOV_SKIPS),
            deployment_annotations={RELOAD_SECRETS_ANNOTATION: ",".join(values.backend_reload_secrets)}
            if values.backend_reload_secrets
            else None,
        )
        if values.mesh_mtls_mode is not None:
            # ALLOW before the default deny, port exceptions before the mesh-wide STRICT: one apply never
            # passes through a state that refuses the ALB or Prometheus.
            self.mesh_policies = [
                *mesh.authorization_policies(self, namespace=values.namespace, accesses=self.access),
                *mesh.peer_authentications(
                    self, namespace=values.namespace, accesses=self.access, mtls_mode=values.mesh_mtls_mode
                ),
            ]

        self.ingress = k8s.KubeIngress(
            self,
            "Ingress",
            metadata=k8s.ObjectMeta(name=K8sNames.INGRESS, annotations=self._ingress_annotations()),
            spec=k8s.IngressSpec(
                # spec.ingressClassName replaces the seed's deprecated kubernetes.io/ingress.class annotation;
                # the API server rejects an Ingress that sets both.
                ingress_class_name=K8sNames.INGRESS_CLASS,
                rules=[self._rule(host) for host in values.hosts] if values.hosts else [self._rule(None)],
            ),
        )

    def _mesh_rules(self, name: str) -> list[k8s.NetworkPolicyIngressRule] | None:
        for access in self.access:
            if access.name == name:
                return mesh.network_policy_rules(access)
        return None

    def _ingress_annotations(self) -> dict[str, str]:
        values = self.values
        https = values.certificate_arn is not None
        listen_ports: list[dict[str, int]] = [{"HTTP": Ports.HTTP}]
        annotations = {
            # A fixed name lets the monitoring stack find the ALB (and its metrics) the controller creates.
            f"{ALB}/load-balancer-name": values.alb_name,
            f"{ALB}/scheme": "internet-facing",
            f"{ALB}/target-type": "ip",
            f"{ALB}/backend-protocol": "HTTP",
            f"{ALB}/healthcheck-path": HealthPaths.ALB_HEALTH_CHECK,
            f"{ALB}/healthcheck-interval-seconds": "30",
            f"{ALB}/healthcheck-timeout-seconds": "5",
            f"{ALB}/success-codes": "200",
            f"{ALB}/load-balancer-attributes": ",".join(
                [
                    "idle_timeout.timeout_seconds=60",
                    "routing.http2.enabled=true",
                    "access_logs.s3.enabled=true",
                    f"access_logs.s3.bucket={values.alb_log_bucket}",
                    f"access_logs.s3.prefix={values.alb_log_prefix}",
                    # Added: the ALB drops malformed headers instead of forwarding them (request smuggling).
                    "routing.http.drop_invalid_header_fields.enabled=true",
                ]
            ),
            # The network stack's groups admit only CloudFront's origin-facing ranges and already open
            # 80/8080 to the nodes, so the controller creates no groups and edits no rules.
            f"{ALB}/security-groups": ",".join(values.alb_security_group_ids),
            f"{ALB}/manage-backend-security-group-rules": "false",
        }
        if https:
            listen_ports.append({"HTTPS": Ports.HTTPS})
            annotations[f"{ALB}/ssl-redirect"] = str(Ports.HTTPS)
            annotations[f"{ALB}/certificate-arn"] = str(values.certificate_arn)
            annotations[f"{ALB}/ssl-policy"] = ALB_SSL_POLICY
        # Without a certificate (dev, no domain) the ALB listens on HTTP only: CloudFront terminates TLS.
        annotations[f"{ALB}/listen-ports"] = json.dumps(listen_ports)
        if values.alb_tags:
            annotations[f"{ALB}/tags"] = ",".join(f"{k}={v}" for k, v in sorted(values.alb_tags.items()))
        return annotations

    def _rule(self, host: str | None) -> k8s.IngressRule:
        def path(prefix: str, workload: WebWorkload, port: int) -> k8s.HttpIngressPath:
            return k8s.HttpIngressPath(
                path=prefix,
                path_type="Prefix",
                backend=k8s.IngressBackend(
                    service=k8s.IngressServiceBackend(
                        name=workload.service_name, port=k8s.ServiceBackendPort(number=port)
                    )
                ),
            )

        # /api before /: the ALB controller turns paths into listener rules in list order, so the seed's
        # order (/ first) would send every /api request to the frontend.
        return k8s.IngressRule(
            host=host,
            http=k8s.HttpIngressRuleValue(
                paths=[
                    path(PathPatterns.API_PREFIX, self.backend, Ports.BACKEND_HTTP),
                    path("/", self.frontend, Ports.FRONTEND_HTTP),
                ]
            ),
        )

    def manifest(self) -> list[dict[str, Any]]:
        """The chart's objects as plain dicts, in apply order."""
        objects: list[dict[str, Any]] = self.to_json()
        return objects
