"""Every cluster add-on, by who installs it, each tuple in install order (the order the templates list them in).

- MANAGED: `AWS::EKS::Addon`s of the EKS stack (stacks/constructs/eks_addons.py loops over them);
- CONTROLLERS: Helm releases and cdk8s charts of the EKS stack (stacks/constructs/eks_controllers.py);
- MONITORING: what the Monitoring stack installs (stacks/constructs/cluster_monitoring.py), each after the
  ones it `needs`;
- WORKLOADS: what the Workloads stack installs beside the application (stacks/workloads.py).
INVENTORY is all of them once, in the order the pod inventory (fit/inventory.py, `make capacity`) prints
their pods; tests/test_addons.py checks that every add-on module is in exactly one loop and in INVENTORY.
"""

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
    exporters,
    external_secrets,
    grafana,
    istio_base,
    istio_cni,
    istio_istiod,
    istio_ztunnel,
    kube_proxy,
    metrics_server,
    monitoring_namespace,
    pod_identity_agent,
    prometheus,
    prometheus_adapter,
    reloader,
    vpc_cni,
)
from addons.base import AddOn, ControllerAddOn, ManagedAddOn, MonitoringAddOn
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
# The CloudWatch add-on is the Monitoring stack's: it waits for that stack's log groups.
MONITORING: tuple[MonitoringAddOn, ...] = (
    monitoring_namespace.ADDON,
    prometheus.ADDON,
    prometheus_adapter.ADDON,
    grafana.ADDON,
    exporters.ADDON,
    cloudwatch_observability.ADDON,
)
# The Workloads stack installs Reloader next to the backend it restarts (it needs the app namespace).
WORKLOADS: tuple[AddOn, ...] = (reloader.ADDON,)
# The inventory groups the pods by kind (EKS add-ons' Deployments, Helm releases, our cdk8s charts, the
# application, every DaemonSet at the end), in this order within each kind: the CloudWatch add-on (an EKS
# add-on) next to the other EKS add-ons, then the EKS stack's controllers, then the Monitoring stack's rest.
INVENTORY: tuple[AddOn, ...] = (
    *MANAGED,
    cloudwatch_observability.ADDON,
    *CONTROLLERS,
    *(addon for addon in MONITORING if addon is not cloudwatch_observability.ADDON),
    *MESH,
    *WORKLOADS,
)

A = TypeVar("A", bound=AddOn)


def enabled(addons: Sequence[A], *, config: AppConfig) -> tuple[A, ...]:
    """The add-ons this configuration runs."""
    return tuple(addon for addon in addons if addon.enabled(config=config))
