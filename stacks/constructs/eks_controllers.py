"""The cluster controllers the configuration enables (addons/registry.py CONTROLLERS): Helm releases and cdk8s
charts the kubectl handler installs at deploy time, each with its own least-privilege role.

Charts are pinned by repository and version and downloaded by the kubectl handler during the deploy, never
at synth. Every controller runs on system-nodes.
"""

from __future__ import annotations

from collections.abc import Sequence

from constructs import Construct, IDependable

from addons import aws_load_balancer_controller, external_secrets
from addons.base import ClusterContext, InstalledController
from addons.pod_identity import PodIdentityRole
from addons.registry import CONTROLLERS, enabled


class PlatformControllers(Construct):
    """The controllers' roles, Pod Identity associations and releases.

    `prerequisites` (node groups, add-ons) come first: the charts wait for their pods to be ready, which
    needs schedulable system nodes, the CNI, CoreDNS and the pod identity agent.
    """

    def __init__(
        self, scope: Construct, id_: str, *, context: ClusterContext, prerequisites: Sequence[IDependable]
    ) -> None:
        super().__init__(scope, id_)
        self.installed: dict[str, InstalledController] = {
            addon.name: addon.install(self, context=context, prerequisites=prerequisites)
            for addon in enabled(CONTROLLERS, config=context.config)
        }

    @property
    def alb_controller(self) -> Construct:
        return self.installed[aws_load_balancer_controller.ADDON.name].release

    @property
    def external_secrets(self) -> Construct:
        return self.installed[external_secrets.ADDON.name].release

    @property
    def external_secrets_role(self) -> PodIdentityRole:
        role = self.installed[external_secrets.ADDON.name].role
        assert role is not None
        return role
