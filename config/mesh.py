"""The `mesh` section: Istio in ambient mode (mutual TLS and workload identity between the app's pods)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, ClassVar

from pydantic import Field

from config.base import Matches, OneOf, Section, check
from config.errors import Problem, invalid
from config.patterns import K8S_NAME_RE


class MeshConfig(Section):
    """`mesh`: off by default, so a configuration without the section synthesizes the cluster without a mesh."""

    enabled: bool = Field(default=False, description="Install Istio ambient (base, istiod, cni, ztunnel).")
    # DISABLE is not offered: ambient ignores it (ztunnel always originates mTLS between meshed pods).
    mtls_mode: Annotated[str, OneOf("STRICT", "PERMISSIVE")] = Field(
        default="STRICT", description="Mesh-wide PeerAuthentication mode of the meshed namespaces' pods."
    )
    namespaces: tuple[Annotated[str, Matches(K8S_NAME_RE, "a Kubernetes namespace name")], ...] = Field(
        default=(), description="Namespaces whose pods join the mesh (each gets a default-deny policy)."
    )

    MODES: ClassVar[tuple[str, ...]] = ("STRICT", "PERMISSIVE")

    @check("namespaces")
    def _distinct(self) -> Iterator[Problem]:
        if len(set(self.namespaces)) != len(self.namespaces):
            yield invalid(("namespaces",), list(self.namespaces), "distinct namespace names")

    @check("enabled", "namespaces")
    def _something_joins(self) -> Iterator[Problem]:
        if self.enabled and not self.namespaces:
            yield invalid(("namespaces",), [], "at least one namespace when mesh.enabled is true (or enabled: false)")
