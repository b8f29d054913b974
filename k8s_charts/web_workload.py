"""WebWorkload: one stateless HTTP workload (Deployment + Service + HPA + PDB + ServiceAccount).

Frontend and backend are the same shape with different numbers, so the shape lives here once
(a chart composes small constructs). The construct renders the seed's Deployment and
Service fields plus what a real cluster needs and the seed left out:

- Pod Security Standards "restricted": non-root, no privilege escalation, all capabilities dropped,
  seccomp RuntimeDefault, read-only root with emptyDir volumes for the paths that must be writable;
- scheduling onto the tainted app node group (toleration + required node affinity);
- no `replicas` on the Deployment: the HPA owns the count (a Deployment's `replicas` would fight it), its minimum is the seed's 3;
- a PodDisruptionBudget, so node drains and cluster-autoscaler scale-downs keep the service up;
- topology spread over zones and capacity types (on-demand app-nodes / Spot app-nodes-spot), so one
  Spot reclaim or one zone takes only part of the replicas (see `spread_constraints`);
- a dedicated ServiceAccount without an API token: the apps never call the Kubernetes API;
- an ingress NetworkPolicy admitting only the listed sources per port (enforced once the VPC CNI's
  network-policy agent is on; harmless before).

It uses the typed Kubernetes API objects of `cdk8s_plus_36.k8s` (the cluster's 1.36 API) rather than
cdk8s-plus' higher level classes. cdk8s-plus 36 can now express seccomp, sysctls and HPA scaling
policies, but its Deployment still adds a `cdk8s.io/metadata.addr` label to the pod template and the
selector, and its containers get default resources and security settings: a Deployment's selector is
immutable once shipped, so adopting them would force a delete-and-recreate of the live workloads. It
still has no PodDisruptionBudget, and the seed's manifests are exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cdk8s_plus_36 import k8s
from constructs import Construct

from k8s_charts.security import restricted_container, restricted_pod

# The seed's Dockerfiles create uid/gid 1001 and its manifests run as runAsUser 1001.
APP_UID = 1001
APP_GID = 1001
ZONE_KEY = "topology.kubernetes.io/zone"
# EKS labels every managed node with its group's capacity type: ON_DEMAND or SPOT.
CAPACITY_TYPE_KEY = "eks.amazonaws.com/capacityType"
# Spot gives two minutes' notice before reclaiming a node (EC2 Spot interruption notice).
SPOT_INTERRUPTION_NOTICE_SECONDS = 120


def spread_constraints(selector: Mapping[str, str]) -> list[k8s.TopologySpreadConstraint]:
    """Replicas spread evenly over zones (hard) and over capacity types (soft).

    Zones are hard: both app node groups span both app subnets, so the autoscaler can always add a node
    in the short zone. Capacity types are soft: when Spot has no capacity the on-demand group must be
    able to take every replica. Nodes tainted for a drain (a Spot interruption) do not count as room
    (`nodeTaintsPolicy: Honor`), and only app nodes are domains (the required node affinity is honoured).
    """
    return [
        k8s.TopologySpreadConstraint(
            max_skew=1,
            topology_key=key,
            when_unsatisfiable=when,
            label_selector=k8s.LabelSelector(match_labels=dict(selector)),
            node_affinity_policy="Honor",
            node_taints_policy="Honor",
        )
        for key, when in ((ZONE_KEY, "DoNotSchedule"), (CAPACITY_TYPE_KEY, "ScheduleAnyway"))
    ]


@dataclass(frozen=True)
class NamedPort:
    name: str
    port: int


@dataclass(frozen=True)
class HttpProbe:
    path: str
    port: int
    initial_delay_seconds: int
    period_seconds: int
    timeout_seconds: int
    failure_threshold: int

    def render(self) -> k8s.Probe:
        return k8s.Probe(
            http_get=k8s.HttpGetAction(path=self.path, port=k8s.IntOrString.from_number(self.port)),
            initial_delay_seconds=self.initial_delay_seconds,
            period_seconds=self.period_seconds,
            timeout_seconds=self.timeout_seconds,
            failure_threshold=self.failure_threshold,
        )


@dataclass(frozen=True)
class Resources:
    request_cpu: str
    request_memory: str
    limit_cpu: str
    limit_memory: str

    def render(self) -> k8s.ResourceRequirements:
        return k8s.ResourceRequirements(
            requests={
                "memory": k8s.Quantity.from_string(self.request_memory),
                "cpu": k8s.Quantity.from_string(self.request_cpu),
            },
            limits={
                "memory": k8s.Quantity.from_string(self.limit_memory),
                "cpu": k8s.Quantity.from_string(self.limit_cpu),
            },
        )


@dataclass(frozen=True)
class PodsMetric:
    """An HPA `Pods` metric (served by a custom-metrics adapter) with an AverageValue target."""

    name: str
    average_value: str


@dataclass(frozen=True)
class Autoscaling:
    min_replicas: int
    max_replicas: int
    cpu_utilization: int
    memory_utilization: int
    pods_metrics: tuple[PodsMetric, ...] = ()
    behavior: k8s.HorizontalPodAutoscalerBehaviorV2 | None = None


@dataclass(frozen=True)
class Toleration:
    key: str
    value: str
    effect: str


@dataclass(frozen=True)
class Placement:
    """Where the pods may run: nodes carrying every label in `node_labels`, tolerating `tolerations`."""

    node_labels: Mapping[str, str]
    tolerations: tuple[Toleration, ...] = ()


@dataclass(frozen=True)
class AllowedIngress:
    """One port the pods accept traffic on, from `cidrs` (the ALB's subnets), or from any pod when empty."""

    port: int
    cidrs: tuple[str, ...] = ()

    def render(self) -> k8s.NetworkPolicyIngressRule:
        peers = (
            [k8s.NetworkPolicyPeer(ip_block=k8s.IpBlock(cidr=cidr)) for cidr in self.cidrs]
            if self.cidrs
            else [k8s.NetworkPolicyPeer(namespace_selector=k8s.LabelSelector())]
        )
        return k8s.NetworkPolicyIngressRule(
            from_=peers, ports=[k8s.NetworkPolicyPort(protocol="TCP", port=k8s.IntOrString.from_number(self.port))]
        )


@dataclass(frozen=True)
class WritablePath:
    """An emptyDir mounted where a read-only root filesystem still needs to write."""

    volume: str
    mount_path: str
    size_limit: str = "64Mi"


@dataclass(frozen=True)
class Env:
    """Environment variables: plain values, and values read from Secret / ConfigMap keys."""

    values: Mapping[str, str] = field(default_factory=dict)
    secret_keys: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    config_map_keys: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def render(self) -> list[k8s.EnvVar]:
        env = [k8s.EnvVar(name=name, value=value) for name, value in self.values.items()]
        env += [
            k8s.EnvVar(
                name=name,
                value_from=k8s.EnvVarSource(secret_key_ref=k8s.SecretKeySelector(name=secret, key=key)),
            )
            for name, (secret, key) in self.secret_keys.items()
        ]
        env += [
            k8s.EnvVar(
                name=name,
                value_from=k8s.EnvVarSource(config_map_key_ref=k8s.ConfigMapKeySelector(name=config_map, key=key)),
            )
            for name, (config_map, key) in self.config_map_keys.items()
        ]
        return env


def checkov_skip_annotations(skips: Mapping[str, str]) -> dict[str, str]:
    """checkov's per-object suppressions (`checkov.io/skipN: CKV_K8S_xx=reason`), the reason next to the object."""
    return {f"checkov.io/skip{index}": f"{check}={reason}" for index, (check, reason) in enumerate(skips.items(), 1)}


class WebWorkload(Construct):
    """Deployment + ClusterIP Service + HPA (autoscaling/v2) + PDB + ServiceAccount + NetworkPolicy for one HTTP app."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        name: str,
        tier: str,
        image: str,
        service_name: str,
        hpa_name: str,
        ports: Sequence[NamedPort],
        env: Env,
        resources: Resources,
        liveness: HttpProbe,
        readiness: HttpProbe,
        autoscaling: Autoscaling,
        placement: Placement,
        allowed_ingress: Sequence[AllowedIngress],
        writable_paths: Sequence[WritablePath] = (),
        pod_annotations: Mapping[str, str] | None = None,
        service_annotations: Mapping[str, str] | None = None,
        sysctls: Mapping[str, str] | None = None,
        checkov_skips: Mapping[str, str] | None = None,
        max_unavailable: int = 1,
        image_pull_policy: str = "IfNotPresent",
        deployment_annotations: Mapping[str, str] | None = None,
        ingress_rules: Sequence[k8s.NetworkPolicyIngressRule] | None = None,
    ) -> None:
        """`ingress_rules`: the NetworkPolicy's rules as the mesh's access declaration renders them
        (k8s_charts/mesh_policy.py), instead of `allowed_ingress`'s."""
        super().__init__(scope, id_)
        self.name = name
        self.service_name = service_name
        self.hpa_name = hpa_name
        selector = {"app": name}

        self.service_account = k8s.KubeServiceAccount(
            self,
            "ServiceAccount",
            metadata=k8s.ObjectMeta(name=name, labels=selector),
            automount_service_account_token=False,
        )

        container = k8s.Container(
            name=name,
            image=image,
            image_pull_policy=image_pull_policy,
            ports=[k8s.ContainerPort(container_port=p.port, name=p.name) for p in ports],
            env=env.render() or None,
            resources=resources.render(),
            liveness_probe=liveness.render(),
            readiness_probe=readiness.render(),
            security_context=restricted_container(uid=APP_UID),
            volume_mounts=[k8s.VolumeMount(name=w.volume, mount_path=w.mount_path) for w in writable_paths] or None,
        )
        pod_spec = k8s.PodSpec(
            service_account_name=name,
            automount_service_account_token=False,
            security_context=restricted_pod(uid=APP_UID, gid=APP_GID, sysctls=sysctls),
            affinity=k8s.Affinity(
                # The seed: spread replicas over nodes where possible.
                pod_anti_affinity=k8s.PodAntiAffinity(
                    preferred_during_scheduling_ignored_during_execution=[
                        k8s.WeightedPodAffinityTerm(
                            weight=100,
                            pod_affinity_term=k8s.PodAffinityTerm(
                                label_selector=k8s.LabelSelector(
                                    match_expressions=[
                                        k8s.LabelSelectorRequirement(key="app", operator="In", values=[name])
                                    ]
                                ),
                                topology_key="kubernetes.io/hostname",
                            ),
                        )
                    ]
                ),
                # Added: the seed taints app-nodes but never schedules onto them.
                node_affinity=k8s.NodeAffinity(
                    required_during_scheduling_ignored_during_execution=k8s.NodeSelector(
                        node_selector_terms=[
                            k8s.NodeSelectorTerm(
                                match_expressions=[
                                    k8s.NodeSelectorRequirement(key=key, operator="In", values=[value])
                                    for key, value in placement.node_labels.items()
                                ]
                            )
                        ]
                    )
                )
                if placement.node_labels
                else None,
            ),
            tolerations=[
                k8s.Toleration(key=t.key, operator="Equal", value=t.value, effect=t.effect)
                for t in placement.tolerations
            ]
            or None,
            topology_spread_constraints=spread_constraints(selector),
            containers=[container],
            volumes=[
                k8s.Volume(
                    name=w.volume, empty_dir=k8s.EmptyDirVolumeSource(size_limit=k8s.Quantity.from_string(w.size_limit))
                )
                for w in writable_paths
            ]
            or None,
        )
        self.deployment = k8s.KubeDeployment(
            self,
            "Deployment",
            metadata=k8s.ObjectMeta(
                name=name,
                labels={**selector, "tier": tier},
                annotations={**checkov_skip_annotations(checkov_skips or {}), **(deployment_annotations or {})} or None,
            ),
            spec=k8s.DeploymentSpec(
                # No `replicas`: the HPA below owns the count; a value here would fight it on every apply.
                strategy=k8s.DeploymentStrategy(
                    type="RollingUpdate",
                    rolling_update=k8s.RollingUpdateDeployment(
                        max_unavailable=k8s.IntOrString.from_number(1),
                        max_surge=k8s.IntOrString.from_number(1),
                    ),
                ),
                selector=k8s.LabelSelector(match_labels=selector),
                template=k8s.PodTemplateSpec(
                    metadata=k8s.ObjectMeta(labels={**selector, "tier": tier}, annotations=pod_annotations or None),
                    spec=pod_spec,
                ),
            ),
        )

        self.service = k8s.KubeService(
            self,
            "Service",
            metadata=k8s.ObjectMeta(name=service_name, labels=selector, annotations=service_annotations or None),
            spec=k8s.ServiceSpec(
                type="ClusterIP",
                selector=selector,
                ports=[
                    k8s.ServicePort(name=p.name, port=p.port, target_port=k8s.IntOrString.from_number(p.port))
                    for p in ports
                ],
            ),
        )

        metrics = [
            k8s.MetricSpecV2(
                type="Resource",
                resource=k8s.ResourceMetricSourceV2(
                    name=resource_name, target=k8s.MetricTargetV2(type="Utilization", average_utilization=utilization)
                ),
            )
            for resource_name, utilization in (
                ("cpu", autoscaling.cpu_utilization),
                ("memory", autoscaling.memory_utilization),
            )
        ]
        metrics += [
            k8s.MetricSpecV2(
                type="Pods",
                pods=k8s.PodsMetricSourceV2(
                    metric=k8s.MetricIdentifierV2(name=metric.name),
                    target=k8s.MetricTargetV2(
                        type="AverageValue", average_value=k8s.Quantity.from_string(metric.average_value)
                    ),
                ),
            )
            for metric in autoscaling.pods_metrics
        ]
        self.hpa = k8s.KubeHorizontalPodAutoscalerV2(
            self,
            "Hpa",
            metadata=k8s.ObjectMeta(name=self.hpa_name, labels=selector),
            spec=k8s.HorizontalPodAutoscalerSpecV2(
                scale_target_ref=k8s.CrossVersionObjectReferenceV2(api_version="apps/v1", kind="Deployment", name=name),
                min_replicas=autoscaling.min_replicas,
                max_replicas=autoscaling.max_replicas,
                metrics=metrics,
                behavior=autoscaling.behavior,
            ),
        )

        self.pdb = k8s.KubePodDisruptionBudget(
            self,
            "Pdb",
            metadata=k8s.ObjectMeta(name=f"{name}-pdb", labels=selector),
            spec=k8s.PodDisruptionBudgetSpec(
                # maxUnavailable (not minAvailable) keeps working at any replica count the HPA picks.
                max_unavailable=k8s.IntOrString.from_number(max_unavailable),
                selector=k8s.LabelSelector(match_labels=selector),
                # A Spot node is drained within its two-minute notice: a replica that is not ready serves
                # nothing, so it must not hold up the drain (and the ready ones' budget) until the reclaim.
                unhealthy_pod_eviction_policy="AlwaysAllow",
            ),
        )

        self.network_policy = k8s.KubeNetworkPolicy(
            self,
            "NetworkPolicy",
            metadata=k8s.ObjectMeta(name=f"{name}-ingress", labels=selector),
            spec=k8s.NetworkPolicySpec(
                pod_selector=k8s.LabelSelector(match_labels=selector),
                policy_types=["Ingress"],
                ingress=list(ingress_rules)
                if ingress_rules is not None
                else [allowed.render() for allowed in allowed_ingress],
            ),
        )
