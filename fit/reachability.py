"""Who can reach whom: computed from the objects themselves, never from the declaration that produced them.

For every workload port of a meshed namespace and every candidate peer (the ALB, Prometheus, each workload of
the namespace), the two layers are evaluated on their own:
- NetworkPolicy: a plaintext peer on the port itself, a meshed peer on HBONE (15008), matched by ipBlock or
  by namespaceSelector + podSelector;
- Istio: a plaintext peer needs PERMISSIVE on that port (PeerAuthentication, port-level over workload over
  mesh-wide) and an ALLOW rule with its address in ipBlocks; a meshed peer an ALLOW rule naming its principal;
  with no AuthorizationPolicy selecting the workload and no default deny in its namespace, everything is allowed.
An edge is reachable when both admit it; one layer admitting what the other refuses is a finding.
The data tier comes from the security-group rules of the Network template (scripts/reachability.py).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from config import AppConfig
from names import K8sNames, Mesh, Ports


@dataclass(frozen=True)
class Source:
    name: str
    namespace: str | None  # None: outside the cluster
    labels: Mapping[str, str] = field(default_factory=dict)
    principal: str | None = None
    cidrs: tuple[str, ...] = ()
    meshed: bool = False


@dataclass(frozen=True)
class Edge:
    source: str
    target: str  # namespace/workload
    port: int
    network_policy: bool
    istio: bool
    hbone: bool = False  # a meshed source: the NetworkPolicy sees only 15008, never the inner port

    @property
    def reachable(self) -> bool:
        return self.network_policy and self.istio

    @property
    def mismatch(self) -> bool:
        return self.network_policy != self.istio


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata", {}) or {}


def _selects(selector: Mapping[str, str] | None, labels: Mapping[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in (selector or {}).items())


def _in_blocks(cidrs: Sequence[str], blocks: Iterable[str]) -> bool:
    nets = [ipaddress.IPv4Network(b) for b in blocks]
    return bool(cidrs) and all(any(ipaddress.IPv4Network(c).subnet_of(n) for n in nets) for c in cidrs)


def _np_peer_matches(peer: Mapping[str, Any], source: Source) -> bool:
    if "ipBlock" in peer:
        return source.namespace is None and _in_blocks(source.cidrs, [peer["ipBlock"]["cidr"]])
    if source.namespace is None:
        return False
    ns_selector = peer.get("namespaceSelector")
    pod_selector = peer.get("podSelector")
    ns_ok = ns_selector is not None and _selects(
        ns_selector.get("matchLabels"), {"kubernetes.io/metadata.name": source.namespace}
    )
    if ns_selector is None:
        ns_ok = False  # a bare podSelector means the policy's own namespace
    pod_ok = pod_selector is None or _selects(pod_selector.get("matchLabels"), source.labels)
    return ns_ok and pod_ok


def network_policy_admits(
    objects: Sequence[Mapping[str, Any]], namespace: str, labels: Mapping[str, str], port: int, source: Source
) -> bool:
    policies = [
        p
        for p in objects
        if p.get("kind") == "NetworkPolicy"
        and _meta(p).get("namespace") == namespace
        and _selects(p.get("spec", {}).get("podSelector", {}).get("matchLabels"), labels)
    ]
    if not policies:
        return True
    wire_port = Ports.HBONE if source.meshed else port
    for policy in policies:
        for rule in policy.get("spec", {}).get("ingress", []) or []:
            ports = [int(p.get("port", -1)) for p in rule.get("ports", []) or []]
            if ports and wire_port not in ports:
                continue
            peers = rule.get("from")
            blocks = [peer["ipBlock"]["cidr"] for peer in peers or [] if "ipBlock" in peer]
            if not peers or any(_np_peer_matches(peer, source) for peer in peers):
                return True
            if source.namespace is None and _in_blocks(source.cidrs, blocks):
                return True
    return False


def _mode(objects: Sequence[Mapping[str, Any]], namespace: str, labels: Mapping[str, str], port: int) -> str:
    """The effective mTLS mode on a port: port-level, then workload, then namespace, then mesh-wide (root)."""
    pas = [o for o in objects if o.get("kind") == "PeerAuthentication"]
    for scope in ("workload", "namespace", "root"):
        for pa in pas:
            spec, ns = pa.get("spec", {}) or {}, _meta(pa).get("namespace")
            selector = (spec.get("selector") or {}).get("matchLabels")
            if scope == "workload" and not (ns == namespace and selector and _selects(selector, labels)):
                continue
            if scope == "namespace" and not (ns == namespace and not selector):
                continue
            if scope == "root" and not (ns == Mesh.NAMESPACE and not selector):
                continue
            level = (spec.get("portLevelMtls") or {}).get(str(port))
            if level:
                return str(level.get("mode", "PERMISSIVE"))
            if spec.get("mtls", {}).get("mode"):
                return str(spec["mtls"]["mode"])
    return "PERMISSIVE"


def istio_allows(
    objects: Sequence[Mapping[str, Any]], namespace: str, labels: Mapping[str, str], port: int, source: Source
) -> bool:
    if not source.meshed and _mode(objects, namespace, labels, port) == "STRICT":
        return False
    policies = [
        p
        for p in objects
        if p.get("kind") == "AuthorizationPolicy"
        and _meta(p).get("namespace") == namespace
        and _selects((p.get("spec", {}).get("selector") or {}).get("matchLabels"), labels)
    ]
    if not policies:
        return True
    for policy in policies:
        spec = policy.get("spec", {}) or {}
        if spec.get("action", "ALLOW") != "ALLOW":
            continue
        for rule in spec.get("rules", []) or []:
            ports = [p for to in rule.get("to", []) or [] for p in to.get("operation", {}).get("ports", [])]
            if ports and str(port) not in ports:
                continue
            froms = rule.get("from") or []
            if not froms:
                return True
            for entry in froms:
                src = entry.get("source", {})
                if source.meshed and source.principal in src.get("principals", []):
                    return True
                if not source.meshed and _in_blocks(source.cidrs, src.get("ipBlocks", [])):
                    return True
    return False


def meshed_namespaces(objects: Sequence[Mapping[str, Any]]) -> set[str]:
    return {
        _meta(o).get("name", "")
        for o in objects
        if o.get("kind") == "Namespace"
        and (_meta(o).get("labels") or {}).get(Mesh.DATAPLANE_MODE_LABEL) == Mesh.AMBIENT
    }


def workloads(objects: Sequence[Mapping[str, Any]], namespaces: set[str]) -> list[Mapping[str, Any]]:
    return [o for o in objects if o.get("kind") == "Deployment" and _meta(o).get("namespace") in namespaces]


def _template(workload: Mapping[str, Any]) -> Mapping[str, Any]:
    return workload.get("spec", {}).get("template", {}) or {}


def workload_source(workload: Mapping[str, Any], *, meshed: bool) -> Source:
    template = _template(workload)
    namespace = _meta(workload).get("namespace")
    account = template.get("spec", {}).get("serviceAccountName", "default")
    return Source(
        name=f"{namespace}/{_meta(workload).get('name')}",
        namespace=namespace,
        labels=_meta(template).get("labels", {}) or {},
        principal=Mesh.principal(str(namespace), account),
        meshed=meshed,
    )


def policy_namespaces(objects: Sequence[Mapping[str, Any]]) -> set[str]:
    """Namespaces with a NetworkPolicy: their workloads have an ingress map even without the mesh."""
    return {str(_meta(o).get("namespace")) for o in objects if o.get("kind") == "NetworkPolicy"}


def edges(
    objects: Sequence[Mapping[str, Any]],
    extra_sources: Sequence[Source],
    meshed: set[str] | None = None,
    scope: set[str] | None = None,
) -> list[Edge]:
    """Every (source, workload port) pair of the `scope` namespaces (default: the meshed ones).

    `meshed`: the meshed namespaces (default: the Namespace objects' ambient label). A meshed source reaches a
    meshed workload through HBONE; anything else travels in plaintext and meets no Istio policy.
    """
    meshed = meshed_namespaces(objects) if meshed is None else meshed
    targets = workloads(objects, meshed if scope is None else scope)
    sources = [*extra_sources, *(workload_source(w, meshed=_meta(w).get("namespace") in meshed) for w in targets)]
    found = []
    for target in targets:
        namespace = str(_meta(target).get("namespace"))
        labels = _meta(_template(target)).get("labels", {}) or {}
        ports = sorted(
            {
                int(p["containerPort"])
                for c in _template(target).get("spec", {}).get("containers", [])
                for p in c.get("ports", [])
            }
        )
        name = f"{namespace}/{_meta(target).get('name')}"
        for port in ports:
            for source in sources:
                if source.name == name:
                    continue
                hbone = source.meshed and namespace in meshed
                wire = source if hbone or not source.meshed else replace(source, meshed=False)
                found.append(
                    Edge(
                        source=source.name,
                        target=name,
                        port=port,
                        network_policy=network_policy_admits(objects, namespace, labels, port, wire),
                        istio=istio_allows(objects, namespace, labels, port, wire) if namespace in meshed else True,
                        hbone=hbone,
                    )
                )
    return found


def mismatches(all_edges: Sequence[Edge]) -> list[Edge]:
    """Edges one layer admits and the other refuses.

    A plaintext peer is compared port by port. A meshed peer reaches every port through HBONE, so its
    NetworkPolicy answer is per workload: admitting 15008 to a workload on none of whose ports Istio allows
    the peer opens a tunnel for nothing, and an Istio allow behind a NetworkPolicy that refuses 15008 never
    works; ports Istio refuses behind an admitted 15008 are the intended narrowing, not a disagreement.
    """
    found = [e for e in all_edges if not e.hbone and e.mismatch]
    groups: dict[tuple[str, str], list[Edge]] = {}
    for e in all_edges:
        if e.hbone:
            groups.setdefault((e.source, e.target), []).append(e)
    for group in groups.values():
        admitted = group[0].network_policy
        allowed = [e for e in group if e.istio]
        if admitted and not allowed:
            found.append(group[0])
        if not admitted and allowed:
            found.extend(allowed)
    return found


def peers(*, alb_cidrs: Sequence[str], prometheus_meshed: bool) -> list[Source]:
    """The peers from outside the app namespace: the ALB (its nodes in the public subnets) and Prometheus' server
    (meshed as a client when the app namespace is, addons/istio_monitoring.py)."""
    return [
        Source(name="alb", namespace=None, cidrs=tuple(alb_cidrs)),
        Source(
            name=f"{K8sNames.MONITORING_NAMESPACE}/{K8sNames.PROMETHEUS_SERVER}",
            namespace=K8sNames.MONITORING_NAMESPACE,
            labels=dict(Mesh.PROMETHEUS_POD_LABELS),
            principal=Mesh.principal(K8sNames.MONITORING_NAMESPACE, Mesh.PROMETHEUS_SERVICE_ACCOUNT),
            meshed=prometheus_meshed,
        ),
    ]


def config_peers(config: AppConfig) -> list[Source]:
    meshed = config.mesh.enabled and config.workloads.namespace in config.mesh.namespaces
    return peers(alb_cidrs=config.network.public_subnet_cidrs, prometheus_meshed=meshed)
