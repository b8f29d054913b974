"""What the four Istio ambient add-ons share: the release they come from and the mesh's namespace.

The charts (`base`, `istiod`, `cni`, `ztunnel`) are published together in
https://istio-release.storage.googleapis.com/charts with the Istio release's version; each add-on module
pins its own `HelmRelease` (Renovate's Helm pattern reads them there, and groups them: renovate.json), and a
test holds the four pins to one version. Install order (istio.io "ambient/install/helm"): base (CRDs) ->
istiod -> cni -> ztunnel; each module's `REQUIRES` names the add-ons it is installed after.

No archive digest is pinned for the four: that repository's index.yaml is served from a Google Cloud Storage
bucket, not from a git repository, and no copy of it could be read offline; make verify-charts says "digest
not pinned" for each until someone with network access adds the `digest` of its entry.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from constructs import Construct, IDependable

from addons.base import ClusterContext, InstalledController, helm_release
from addons.pods import PodComponent, Toleration, component
from config import AppConfig
from k8s_charts.helm import HelmRelease
from names import Mesh

REPOSITORY = "https://istio-release.storage.googleapis.com/charts"
NAMESPACE = Mesh.NAMESPACE
# The startup taint every node group registers with (stacks/constructs/eks_node_group.py); the node agents
# tolerate every NoSchedule taint by their charts' defaults, istiod tolerates this one (values below).
STARTUP_TAINT_TOLERATION = {"key": Mesh.STARTUP_TAINT, "operator": "Exists", "effect": "NoSchedule"}


def mesh_enabled(config: AppConfig) -> bool:
    return config.mesh.enabled


# The node agents' charts (cni, ztunnel): their DaemonSets select Linux nodes in the template (not a value),
# and tolerate by default (values.yaml) every NoSchedule and NoExecute taint and CriticalAddonsOnly.
CHART_NODE_SELECTOR = {"kubernetes.io/os": "linux"}
CHART_TOLERATIONS = (
    Toleration(key=None, operator="Exists", effect="NoSchedule"),
    Toleration(key="CriticalAddonsOnly", operator="Exists"),
    Toleration(key=None, operator="Exists", effect="NoExecute"),
)


@dataclasses.dataclass(frozen=True)
class NodeAgent:
    """A node agent of ambient mode (istio-cni, ztunnel): one Istio chart, one DaemonSet on every node, no AWS role."""

    release: HelmRelease
    # The DaemonSet's name (the inventory's entry) and the Helm release's construct id.
    pod_name: str
    construct_id: str
    # The add-ons it is installed after (documentation of stacks/constructs/eks_mesh.py's order).
    requires: tuple[str, ...]
    chart_values: Callable[[], dict[str, Any]]

    @property
    def name(self) -> str:
        return self.release.release

    def enabled(self, *, config: AppConfig) -> bool:
        return mesh_enabled(config)

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return self.chart_values()

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return (
            dataclasses.replace(
                component(
                    name=self.pod_name,
                    namespace=self.release.namespace,
                    kind="DaemonSet",
                    source=self.release.release,
                    source_kind="helm",
                    values=values,
                    replicas_key=None,
                    default_replicas=1,
                    default_tolerations=CHART_TOLERATIONS,
                ),
                node_selector=CHART_NODE_SELECTOR,
            ),
        )

    def install(
        self, scope: Construct, *, context: ClusterContext, prerequisites: Sequence[IDependable]
    ) -> InstalledController:
        chart = helm_release(context.cluster, self.construct_id, self.release, values=self.chart_values())
        chart.node.add_dependency(*prerequisites)
        return InstalledController(release=chart, role=None)
