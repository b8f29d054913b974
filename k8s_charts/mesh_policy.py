"""Who may reach which workload port: ONE declaration, rendered as both NetworkPolicies and Istio policies.

`access_declaration` lists, per workload of a meshed namespace, the ports it serves and the peers allowed on
each (the frontend and backend from the ALB, the metrics ports from Prometheus). From that one list:

- `network_policy_rules`: the NetworkPolicy ingress rules (the VPC CNI's agent, layer 3/4). A meshed peer's
  connection arrives on HBONE (TCP 15008) whatever its inner port, so it is admitted on 15008; a peer outside
  the mesh (the ALB, target type ip) on the port itself; the ambient probe source 169.254.7.127/32 on the
  probe ports (istio.io "ambient-and-networkpolicy");
- `authorization_policies`: a default-deny AuthorizationPolicy per meshed namespace plus one ALLOW policy per
  workload, L4 only (principals, ipBlocks, ports): ztunnel enforces them, and an L7 rule without a waypoint
  would make ztunnel deny everything;
- `peer_authentications`: mTLS mode per workload: STRICT (the mesh-wide default, `mesh.mtls_mode`) except a
  port-level PERMISSIVE for a port a peer outside the mesh must reach in plaintext (the ALB's ports).

So the two layers cannot drift: scripts/reachability.py reads both back from the synthesized objects, and a
port one layer admits from a peer while the other refuses it is a finding at synth (fit/reachability.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import cdk8s
from cdk8s_plus_36 import k8s
from constructs import Construct

from config import AppConfig
from k8s_charts.imports.io.istio import security as istio
from names import K8sNames, Mesh, Ports

DEFAULT_DENY = "default-deny"
# The Prometheus chart's server service account is its fullname (fullnameOverride prometheus-server).
PROMETHEUS_SERVICE_ACCOUNT = Mesh.PROMETHEUS_SERVICE_ACCOUNT
PROMETHEUS_POD_LABELS = Mesh.PROMETHEUS_POD_LABELS
METADATA_NAME = "kubernetes.io/metadata.name"


@dataclass(frozen=True)
class Peer:
    """A source of connections: a workload (with its identity) or an address range outside the cluster."""

    name: str
    namespace: str | None = None  # None: outside the cluster (the ALB)
    service_account: str | None = None
    pod_labels: Mapping[str, str] = field(default_factory=dict)
    cidrs: tuple[str, ...] = ()
    meshed: bool = False  # its connections are carried by ztunnel (HBONE, mTLS, its SPIFFE identity)

    @property
    def principal(self) -> str | None:
        if self.namespace is None or self.service_account is None:
            return None
        return Mesh.principal(self.namespace, self.service_account)


@dataclass(frozen=True)
class PortAccess:
    port: int
    peers: tuple[Peer, ...]


@dataclass(frozen=True)
class WorkloadAccess:
    """One workload's ingress: its pods (selector), identity, ports with their peers, and probe ports."""

    name: str
    namespace: str
    selector: Mapping[str, str]
    service_account: str
    ports: tuple[PortAccess, ...]
    probe_ports: tuple[int, ...] = ()

    @property
    def plaintext_ports(self) -> tuple[int, ...]:
        """Ports a peer outside the mesh reaches: PERMISSIVE there, STRICT elsewhere."""
        return tuple(p.port for p in self.ports if any(not peer.meshed for peer in p.peers))


def joins_mesh(config: AppConfig, namespace: str) -> bool:
    return config.mesh.enabled and namespace in config.mesh.namespaces


def alb_peer(alb_subnet_cidrs: Sequence[str]) -> Peer:
    """The internet-facing ALB (target type ip): its nodes live in the public subnets and speak plain HTTP."""
    return Peer(name="alb", cidrs=tuple(alb_subnet_cidrs))


def prometheus_peer() -> Peer:
    """Prometheus' server pod, enrolled in the mesh on its own (k8s_charts/prometheus.py), so its scrapes of meshed
    pods travel over mTLS with its identity."""
    return Peer(
        name=K8sNames.PROMETHEUS_SERVER,
        namespace=K8sNames.MONITORING_NAMESPACE,
        service_account=PROMETHEUS_SERVICE_ACCOUNT,
        pod_labels=PROMETHEUS_POD_LABELS,
        meshed=True,
    )


def access_declaration(*, namespace: str, alb_subnet_cidrs: Sequence[str]) -> tuple[WorkloadAccess, ...]:
    """Every workload of the app namespace and who may reach each of its ports (README, "Service mesh").

    The Ingress sends `/api` straight to backend-service and `/` to frontend-service: both are reached by the
    ALB; the frontend is static files and calls nothing. Prometheus scrapes the backend's and the exporters'
    metrics ports.
    """
    alb, prometheus = alb_peer(alb_subnet_cidrs), prometheus_peer()
    return (
        WorkloadAccess(
            name=K8sNames.FRONTEND,
            namespace=namespace,
            selector={"app": K8sNames.FRONTEND},
            service_account=K8sNames.FRONTEND,
            ports=(PortAccess(Ports.FRONTEND_HTTP, (alb,)),),
            probe_ports=(Ports.FRONTEND_HTTP,),
        ),
        WorkloadAccess(
            name=K8sNames.BACKEND,
            namespace=namespace,
            selector={"app": K8sNames.BACKEND},
            service_account=K8sNames.BACKEND,
            ports=(PortAccess(Ports.BACKEND_HTTP, (alb,)), PortAccess(Ports.BACKEND_METRICS, (prometheus,))),
            probe_ports=(Ports.BACKEND_HTTP,),
        ),
        *(
            WorkloadAccess(
                name=exporter,
                namespace=namespace,
                selector={"app": exporter},
                service_account=exporter,
                ports=(PortAccess(port, (prometheus,)),),
                probe_ports=(port,),
            )
            for exporter, port in (
                (K8sNames.POSTGRES_EXPORTER, Ports.POSTGRES_EXPORTER),
                (K8sNames.REDIS_EXPORTER, Ports.REDIS_EXPORTER),
            )
        ),
    )


def mesh_access(config: AppConfig) -> tuple[WorkloadAccess, ...]:
    """The app namespace's declaration when it is meshed, else nothing (the pre-mesh NetworkPolicies stay)."""
    namespace = config.workloads.namespace
    if not joins_mesh(config, namespace):
        return ()
    return access_declaration(namespace=namespace, alb_subnet_cidrs=config.network.public_subnet_cidrs)


def declared(config: AppConfig, name: str) -> WorkloadAccess:
    namespace = config.workloads.namespace
    for access in access_declaration(namespace=namespace, alb_subnet_cidrs=config.network.public_subnet_cidrs):
        if access.name == name:
            return access
    raise KeyError(name)


# --- layer 3/4: NetworkPolicy --------------------------------------------------------------------------------


def _peer(peer: Peer) -> list[k8s.NetworkPolicyPeer]:
    if peer.namespace is None:
        return [k8s.NetworkPolicyPeer(ip_block=k8s.IpBlock(cidr=cidr)) for cidr in peer.cidrs]
    return [
        k8s.NetworkPolicyPeer(
            namespace_selector=k8s.LabelSelector(match_labels={METADATA_NAME: peer.namespace}),
            pod_selector=k8s.LabelSelector(match_labels=dict(peer.pod_labels)),
        )
    ]


def _tcp(port: int) -> k8s.NetworkPolicyPort:
    return k8s.NetworkPolicyPort(protocol="TCP", port=k8s.IntOrString.from_number(port))


def network_policy_rules(access: WorkloadAccess) -> list[k8s.NetworkPolicyIngressRule]:
    """The workload's ingress rules in a meshed namespace: plaintext peers on their port, meshed peers on HBONE,
    kubelet probes from the ambient probe source."""
    rules = []
    for port in access.ports:
        plain = [p for peer in port.peers if not peer.meshed for p in _peer(peer)]
        if plain:
            rules.append(k8s.NetworkPolicyIngressRule(from_=plain, ports=[_tcp(port.port)]))
    meshed = list({peer.name: peer for port in access.ports for peer in port.peers if peer.meshed}.values())
    if meshed:
        rules.append(
            k8s.NetworkPolicyIngressRule(from_=[p for peer in meshed for p in _peer(peer)], ports=[_tcp(Ports.HBONE)])
        )
    if access.probe_ports:
        rules.append(
            k8s.NetworkPolicyIngressRule(
                from_=[k8s.NetworkPolicyPeer(ip_block=k8s.IpBlock(cidr=Mesh.PROBE_SOURCE_CIDR))],
                ports=[_tcp(port) for port in access.probe_ports],
            )
        )
    return rules


# --- Istio: AuthorizationPolicy and PeerAuthentication -------------------------------------------------------


def _allow_rules(access: WorkloadAccess) -> list[istio.AuthorizationPolicySpecRules]:
    rules = []
    for port in access.ports:
        principals = sorted({p.principal for p in port.peers if p.principal})
        blocks = sorted({cidr for p in port.peers if not p.meshed for cidr in p.cidrs})
        sources = []
        if principals:
            sources.append(
                istio.AuthorizationPolicySpecRulesFrom(
                    source=istio.AuthorizationPolicySpecRulesFromSource(principals=principals)
                )
            )
        if blocks:
            sources.append(
                istio.AuthorizationPolicySpecRulesFrom(
                    source=istio.AuthorizationPolicySpecRulesFromSource(ip_blocks=blocks)
                )
            )
        rules.append(
            istio.AuthorizationPolicySpecRules(
                from_=sources,
                to=[
                    istio.AuthorizationPolicySpecRulesTo(
                        operation=istio.AuthorizationPolicySpecRulesToOperation(ports=[str(port.port)])
                    )
                ],
            )
        )
    return rules


def authorization_policies(scope: Construct, *, namespace: str, accesses: Sequence[WorkloadAccess]) -> list[Any]:
    """One ALLOW policy per workload, then the namespace's default deny (allow-nothing: `spec: {}`).

    Listed in that order so that one apply never leaves a moment with the deny and without the allows.
    """
    objects: list[Any] = [
        istio.AuthorizationPolicy(
            scope,
            f"Allow{''.join(part.capitalize() for part in access.name.split('-'))}",
            metadata=cdk8s.ApiObjectMetadata(name=f"{access.name}-allow", namespace=namespace),
            spec=istio.AuthorizationPolicySpec(
                action=istio.AuthorizationPolicySpecAction.ALLOW,
                selector=istio.AuthorizationPolicySpecSelector(match_labels=dict(access.selector)),
                rules=_allow_rules(access),
            ),
        )
        for access in accesses
    ]
    objects.append(
        istio.AuthorizationPolicy(
            scope,
            "DefaultDeny",
            metadata=cdk8s.ApiObjectMetadata(name=DEFAULT_DENY, namespace=namespace),
            spec=istio.AuthorizationPolicySpec(),
        )
    )
    return objects


def _mode(mode: str) -> istio.PeerAuthenticationSpecMtlsMode:
    return istio.PeerAuthenticationSpecMtlsMode[mode]


def peer_authentications(
    scope: Construct, *, namespace: str, accesses: Sequence[WorkloadAccess], mtls_mode: str
) -> list[Any]:
    """Port-level PERMISSIVE where a peer outside the mesh connects (the ALB's ports), then the mesh-wide mode.

    The mesh-wide PeerAuthentication lives in the root namespace; it ships here, after the exceptions, and not
    with istiod: STRICT must never be in force while the ALB's ports still lack their exception.
    """
    objects: list[Any] = []
    for access in accesses:
        if not access.plaintext_ports:
            continue
        objects.append(
            istio.PeerAuthentication(
                scope,
                f"Mtls{''.join(part.capitalize() for part in access.name.split('-'))}",
                metadata=cdk8s.ApiObjectMetadata(name=f"{access.name}-alb-ports", namespace=namespace),
                spec=istio.PeerAuthenticationSpec(
                    selector=istio.PeerAuthenticationSpecSelector(match_labels=dict(access.selector)),
                    mtls=istio.PeerAuthenticationSpecMtls(mode=_mode(mtls_mode)),
                    port_level_mtls={
                        str(port): istio.PeerAuthenticationSpecPortLevelMtls(
                            mode=istio.PeerAuthenticationSpecPortLevelMtlsMode.PERMISSIVE
                        )
                        for port in access.plaintext_ports
                    },
                ),
            )
        )
    objects.append(mesh_wide_peer_authentication(scope, mtls_mode=mtls_mode))
    return objects


def mesh_wide_peer_authentication(scope: Construct, *, mtls_mode: str) -> Any:
    return istio.PeerAuthentication(
        scope,
        "MeshMtls",
        metadata=cdk8s.ApiObjectMetadata(name="default", namespace=Mesh.NAMESPACE),
        spec=istio.PeerAuthenticationSpec(mtls=istio.PeerAuthenticationSpecMtls(mode=_mode(mtls_mode))),
    )


def prometheus_peer_authentication(scope: Construct) -> Any:
    """Prometheus is meshed as a client only: Grafana and prometheus-adapter, outside the mesh, still query it in
    plaintext, so its own inbound stays PERMISSIVE (its namespace is not meshed and has no default deny)."""
    return istio.PeerAuthentication(
        scope,
        "PrometheusMtls",
        metadata=cdk8s.ApiObjectMetadata(name=K8sNames.PROMETHEUS_SERVER, namespace=K8sNames.MONITORING_NAMESPACE),
        spec=istio.PeerAuthenticationSpec(
            selector=istio.PeerAuthenticationSpecSelector(match_labels=dict(PROMETHEUS_POD_LABELS)),
            mtls=istio.PeerAuthenticationSpecMtls(mode=istio.PeerAuthenticationSpecMtlsMode.PERMISSIVE),
        ),
    )
