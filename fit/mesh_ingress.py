"""The ALB-facing ports under STRICT mTLS, priced with the capacity model (README, "Service mesh").

The ALB (target type ip) speaks plain HTTP to the pods it targets and cannot present a mesh identity
(istio/istio#43056). Two ways to keep STRICT everywhere else:

- `permissive-port` (chosen): a port-level PERMISSIVE PeerAuthentication on the ports the Ingress sends the
  ALB to (frontend 80, backend 8080), with the NetworkPolicy and the AuthorizationPolicy admitting only the
  ALB's public subnets there. No pod is added.
- `ingress-gateway`: an Istio gateway Deployment (the `gateway` chart) as the ALB's only target, STRICT on every
  app port behind it. Its pods are priced at the chart's defaults (100m / 128Mi, HPA 1-5) with a minimum of two
  (one per zone), on app-nodes, like the workloads it fronts.

Either way the ALB-to-pod hop is plaintext inside the VPC (to the app pods, or to the gateway's): the gateway
moves it, it does not remove it. The price is what the extra pods take from the node groups, at the on-demand
t3.medium rate, as a share of a node (requests over a node's free CPU or memory, whichever is larger), and
whether the group needs another node for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from addons.pods import PodComponent, Toleration
from config import AppConfig
from fit.capacity import GroupCapacity, capacity
from fit.inventory import pod_inventory
from names import NodeGroups

# USD per hour, on-demand Linux, ap-northeast-1 (skypilot-org/skypilot-catalog catalogs/v8/aws/vms.csv, read
# 2026-12); 730 hours a month.
T3_MEDIUM_HOURLY_USD = 0.0544
HOURS_PER_MONTH = 730
GATEWAY_MIN, GATEWAY_MAX = 2, 5
GATEWAY_CPU_M, GATEWAY_MEMORY_MIB = 100, 128


@dataclass(frozen=True)
class OptionPrice:
    option: str
    pods_at_desired: int
    pods_at_max: int
    node_share_at_desired: float  # nodes' worth of app-nodes capacity the option's pods take
    node_share_at_max: float
    extra_nodes_at_desired: int  # nodes the group must add to hold them

    @property
    def monthly_usd_at_desired(self) -> float:
        return round(self.node_share_at_desired * T3_MEDIUM_HOURLY_USD * HOURS_PER_MONTH, 2)

    @property
    def monthly_usd_at_max(self) -> float:
        return round(self.node_share_at_max * T3_MEDIUM_HOURLY_USD * HOURS_PER_MONTH, 2)


def gateway_component(config: AppConfig) -> PodComponent:
    app_nodes = config.eks.node_group(NodeGroups.APP)
    return PodComponent(
        name="istio-ingressgateway",
        namespace="istio-ingress",
        kind="Deployment",
        source="gateway",
        replicas=GATEWAY_MIN,
        max_replicas=GATEWAY_MAX,
        cpu_request_m=GATEWAY_CPU_M,
        memory_request_mib=GATEWAY_MEMORY_MIB,
        cpu_limit_m=2000,
        memory_limit_mib=1024,
        node_group=NodeGroups.APP,
        node_selector=dict(app_nodes.labels),
        tolerations=tuple(Toleration(key=t.key, value=t.value, effect=t.effect) for t in app_nodes.taints),
        max_surge=1,
    )


def _app(groups: tuple[GroupCapacity, ...]) -> GroupCapacity:
    return next(g for g in groups if g.group.name == NodeGroups.APP)


def _share(group: GroupCapacity, pods: int, cpu_m: int, memory_mib: int) -> float:
    node = group.node
    return max(pods / node.free_pods, cpu_m / node.free_cpu_m, memory_mib / node.free_memory_mib)


def _nodes_needed(group: GroupCapacity) -> int:
    node, need = group.node, group.at_desired
    return max(
        -(-need.pods // node.free_pods), -(-need.cpu_m // node.free_cpu_m), -(-need.memory_mib // node.free_memory_mib)
    )


def prices(config: AppConfig) -> tuple[OptionPrice, OptionPrice]:
    inventory = pod_inventory(config)
    base = _app(capacity(config, inventory))
    with_gateway = _app(capacity(config, (*inventory, gateway_component(config))))
    gateway = gateway_component(config)
    share_desired = _share(
        base, gateway.replicas, gateway.replicas * gateway.cpu_request_m, gateway.replicas * gateway.memory_request_mib
    )
    share_max = _share(
        base,
        gateway.max_replicas,
        gateway.max_replicas * gateway.cpu_request_m,
        gateway.max_replicas * gateway.memory_request_mib,
    )
    extra = max(0, _nodes_needed(with_gateway) - max(_nodes_needed(base), base.group.desired_size))
    return (
        OptionPrice("permissive-port", 0, 0, 0.0, 0.0, 0),
        OptionPrice(
            "ingress-gateway",
            gateway.replicas,
            gateway.max_replicas,
            round(share_desired, 3),
            round(share_max, 3),
            extra,
        ),
    )


def price_table(config: AppConfig) -> str:
    lines = [
        "| option | pods at desired / max | app-nodes capacity taken at desired / max | extra nodes at desired | USD per month at desired / max |",
        "|---|---|---|---|---|",
    ]
    for p in prices(config):
        lines.append(
            f"| {p.option} | {p.pods_at_desired} / {p.pods_at_max} | {p.node_share_at_desired:.2f} / {p.node_share_at_max:.2f} node "
            f"| {p.extra_nodes_at_desired} | {p.monthly_usd_at_desired:.2f} / {p.monthly_usd_at_max:.2f} |"
        )
    return "\n".join(lines)
