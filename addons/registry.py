"""Every cluster add-on, in the order the EKS stack creates them (the order its templates list them in)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from addons import (
    aws_load_balancer_controller,
    cloudwatch_observability,
    cluster_autoscaler,
    coredns,
    ebs_csi_driver,
    efs_csi_driver,
    external_secrets,
    istio_base,
    istio_cni,
    istio_istiod,
    istio_ztunnel,
    kube_proxy,
    metrics_server,
    pod_identity_agent,
    vpc_cni,
)
from addons.base import AddOn, ControllerAddOn, ManagedAddOn
from config import AppConfig

MANAGED: tuple[ManagedAddOn, ...] = (
    vpc_cni.ADDON,
    kube_proxy.ADDON,
    pod_identity_agent.ADDON,
    coredns.ADDON,
    ebs_csi_driver.ADDON,
    efs_csi_driver.ADDON,
)
CONTROLLERS: tuple[ControllerAddOn, ...] = (
    aws_load_balancer_controller.ADDON,
    metrics_server.ADDON,
    external_secrets.ADDON,
    cluster_autoscaler.ADDON,
)
# The Istio ambient mesh (mesh.enabled), in its install order: base (CRDs), istiod, cni, ztunnel. The EKS stack
# installs them between the node groups and the add-ons that need schedulable nodes (stacks/constructs/eks_mesh.py).
MESH: tuple[ControllerAddOn, ...] = (istio_base.ADDON, istio_istiod.ADDON, istio_cni.ADDON, istio_ztunnel.ADDON)
EKS_STACK: tuple[AddOn, ...] = (*MANAGED, *MESH, *CONTROLLERS)
# The Monitoring stack installs the CloudWatch add-on (it waits for that stack's log groups).
MONITORING: tuple[AddOn, ...] = (cloudwatch_observability.ADDON,)
# Every add-on's pods, in the inventory's order.
INVENTORY: tuple[AddOn, ...] = (*MANAGED, *MONITORING, *CONTROLLERS, *MESH)

A = TypeVar("A", bound=AddOn)


def enabled(addons: Sequence[A], *, config: AppConfig) -> tuple[A, ...]:
    """The add-ons this configuration runs."""
    return tuple(addon for addon in addons if addon.enabled(config=config))
