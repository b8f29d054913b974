"""The EKS managed add-ons the configuration enables (addons/registry.py MANAGED), each with its own role.

Every enabled add-on's Pod Identity role is created first, then the add-ons, in registry order.
"""

from __future__ import annotations

from constructs import Construct, IConstruct

from addons.base import ClusterContext
from addons.registry import MANAGED, enabled


class EksAddons(Construct):
    """Networking add-ons that must run before nodes join, and the ones that need nodes to become active.

    `before_nodes` (vpc-cni, kube-proxy and the pod identity agent: DaemonSets that are healthy with no
    node) are what node groups depend on; `after_nodes` (CoreDNS and the CSI controllers: Deployments
    that stay degraded without a node) depend on the node groups.
    """

    def __init__(self, scope: Construct, id_: str, *, context: ClusterContext) -> None:
        super().__init__(scope, id_)
        addons = enabled(MANAGED, config=context.config)
        roles = {addon.name: addon.role(self, context=context) for addon in addons}
        self.installed: dict[str, IConstruct] = {
            addon.name: addon.install(self, context=context, role=roles[addon.name]) for addon in addons
        }
        self.before_nodes: list[IConstruct] = [self.installed[a.name] for a in addons if a.before_nodes]
        self.after_nodes: list[IConstruct] = [self.installed[a.name] for a in addons if not a.before_nodes]
