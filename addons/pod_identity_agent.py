"""The EKS Pod Identity agent every Pod Identity association needs.

The cluster construct owns it (`cluster.eks_pod_identity_agent`), so that any later
`add_service_account(identity_type=POD_IDENTITY)` reuses it instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs import Construct, IConstruct

from addons.base import ClusterContext
from addons.pod_identity import PodIdentityRole
from addons.pods import PodComponent, PodResources, daemonset
from config import AppConfig
from names import K8sNames

NAME = "eks-pod-identity-agent"
# The add-on sets no requests; counted for its pod slot only.
POD_IDENTITY_AGENT = PodResources(cpu_request_m=0, memory_request_mib=0, memory_limit_mib=0)


class PodIdentityAgent:
    name = NAME
    before_nodes = True

    def enabled(self, *, config: AppConfig) -> bool:
        return True

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        return {}

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return (daemonset(NAME, K8sNames.KUBE_SYSTEM_NAMESPACE, NAME, POD_IDENTITY_AGENT),)

    def role(self, scope: Construct, *, context: ClusterContext) -> PodIdentityRole | None:
        return None

    def install(self, scope: Construct, *, context: ClusterContext, role: PodIdentityRole | None) -> IConstruct:
        agent = context.cluster.eks_pod_identity_agent
        assert isinstance(agent, Construct)
        return agent


ADDON = PodIdentityAgent()
