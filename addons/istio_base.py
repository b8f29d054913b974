"""Istio `base`: the mesh's CRDs (PeerAuthentication, AuthorizationPolicy, ...) and istiod's default
validating webhook configuration. No pods, no AWS role; installed first (istio.io "ambient/install/helm")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from constructs import Construct, IDependable

from addons.base import ClusterContext, InstalledController, helm_release
from addons.istio_release import NAMESPACE, mesh_enabled
from addons.pods import PodComponent
from config import AppConfig
from k8s_charts.helm import HelmRelease

RELEASE = HelmRelease(
    chart="base",
    repository="https://istio-release.storage.googleapis.com/charts",
    # Istio 1.31.1, announced at https://istio.io/latest/es/news/releases/1.31.x/announcing-1.31.1/ (the
    # newest 1.31 patch found published; 1.31 supports Kubernetes 1.32-1.36). Chart versions follow the release.
    version="1.31.1",
    namespace=NAMESPACE,
    release="istio-base",
)
REQUIRES: tuple[str, ...] = ()
# The CRDs whose objects this project applies (k8s_charts/mesh_policy.py; typed by `make crds`).
CRDS = ("peerauthentications.security.istio.io", "authorizationpolicies.security.istio.io")


def values() -> dict[str, Any]:
    # The chart's defaults: every Istio CRD, the reader role, the default-revision validator.
    return {}


class IstioBase:
    name = RELEASE.release
    requires = REQUIRES

    def enabled(self, *, config: AppConfig) -> bool:
        return mesh_enabled(config)

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return values()

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return ()

    def install(
        self, scope: Construct, *, context: ClusterContext, prerequisites: Sequence[IDependable]
    ) -> InstalledController:
        chart = helm_release(context.cluster, "IstioBase", RELEASE, values=values())
        if prerequisites:
            chart.node.add_dependency(*prerequisites)
        return InstalledController(release=chart, role=None)


ADDON = IstioBase()
