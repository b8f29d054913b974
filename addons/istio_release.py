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

from config import AppConfig
from names import Mesh

REPOSITORY = "https://istio-release.storage.googleapis.com/charts"
NAMESPACE = Mesh.NAMESPACE
# The startup taint every node group registers with (stacks/constructs/eks_node_group.py); the node agents
# tolerate every NoSchedule taint by their charts' defaults, istiod tolerates this one (values below).
STARTUP_TAINT_TOLERATION = {"key": Mesh.STARTUP_TAINT, "operator": "Exists", "effect": "NoSchedule"}


def mesh_enabled(config: AppConfig) -> bool:
    return config.mesh.enabled
