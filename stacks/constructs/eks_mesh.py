"""The Istio ambient mesh's add-ons (addons/registry.py MESH), installed in the order ambient needs.

- base (CRDs) -> istiod -> cni -> ztunnel, each after the add-ons its module `requires`;
- istiod needs schedulable system nodes, which register with `cni.istio.io/not-ready`: it tolerates it, and
  once istio-cni is ready on a node istiod's untaint controller removes it. Every other pod waits for that,
  so the add-ons that need nodes (CoreDNS, the CSI controllers: `after_nodes`) and every controller are
  installed after istio-cni (EksStack wires them to `untainted`), or CloudFormation would wait on pods that
  can never be scheduled;
- ztunnel resolves istiod by name: it comes after CoreDNS (`after_nodes`);
- the app namespace's ambient label and every policy come after ztunnel (`ready`).
"""

from __future__ import annotations

from collections.abc import Sequence

from constructs import Construct, IConstruct, IDependable

from addons import istio_cni, istio_ztunnel
from addons.base import ClusterContext, InstalledController
from addons.registry import MESH, enabled


class ServiceMesh(Construct):
    """The mesh's releases; `untainted` is what releases pods outside the mesh wait for, `ready` the data plane."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        context: ClusterContext,
        nodes: Sequence[IDependable],
        after_nodes: Sequence[IConstruct],
    ) -> None:
        super().__init__(scope, id_)
        self.installed: dict[str, InstalledController] = {}
        for addon in enabled(MESH, config=context.config):
            first: list[IDependable] = [self.installed[name].release for name in getattr(addon, "requires", ())]
            # base has no pods; everything after it runs pods, so it waits for the nodes.
            prerequisites = [*first, *(nodes if first else ())]
            if addon.name == istio_ztunnel.ADDON.name:
                prerequisites += after_nodes
            self.installed[addon.name] = addon.install(self, context=context, prerequisites=prerequisites)

    @property
    def untainted(self) -> list[Construct]:
        """The release after which nodes lose the startup taint (istio-cni ready, istiod untaints)."""
        return [self.installed[istio_cni.ADDON.name].release] if istio_cni.ADDON.name in self.installed else []

    @property
    def ready(self) -> list[Construct]:
        """The data plane: namespaces may join and policies apply after it."""
        return [self.installed[istio_ztunnel.ADDON.name].release] if istio_ztunnel.ADDON.name in self.installed else []
