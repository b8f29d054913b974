"""Every pod the platform runs, read from the values the charts, add-ons and manifests are given.

`pod_inventory(config)` calls the same builders the stacks call: each add-on's values and pods
(addons/registry.py INVENTORY: its `pod_values` and `pods`, addons/pods.py's readers) and the application's
workload specs (k8s_charts/workloads.py); fit/placement.py then counts every pod on the node group that
accepts it. A test compares the entries of our own cdk8s objects with the synthesized manifests,
`make verify-charts` compares the Helm releases' entries with the rendered charts, and the capacity model
(fit/capacity.py) places every entry on a node group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from addons.base import PLACEHOLDER
from addons.pods import PodComponent, PodResources, Toleration
from addons.registry import INVENTORY, enabled
from config import AppConfig
from fit.placement import placed
from k8s_charts import workloads as app
from k8s_charts.web_workload import Autoscaling, Resources
from names import K8sNames

# The cdk8s chart id WorkloadsStack gives the application chart.
WORKLOADS_CHART = "Workloads"


@dataclass(frozen=True)
class PlatformValues:
    """The values every pod-producing add-on is given (addons/), by its name, built for one environment."""

    addons: Mapping[str, Mapping[str, Any]]

    @classmethod
    def from_config(cls, config: AppConfig) -> PlatformValues:
        return cls(addons={addon.name: addon.pod_values(config=config) for addon in enabled(INVENTORY, config=config)})


def web_workload(
    *, name: str, resources: Resources, autoscaling: Autoscaling, values: app.WorkloadsValues
) -> PodComponent:
    """A Deployment of the application chart (its HPA bounds the replicas)."""
    parsed = PodResources.from_values(
        {
            "requests": {"cpu": resources.request_cpu, "memory": resources.request_memory},
            "limits": {"cpu": resources.limit_cpu, "memory": resources.limit_memory},
        }
    )
    tolerations = tuple(Toleration(key=t.key, value=t.value, effect=t.effect) for t in values.placement.tolerations)
    return PodComponent(
        name=name,
        namespace=values.namespace,
        kind="Deployment",
        source=WORKLOADS_CHART,
        source_kind="cdk8s",
        replicas=autoscaling.min_replicas,
        max_replicas=autoscaling.max_replicas,
        cpu_request_m=parsed.cpu_request_m,
        memory_request_mib=parsed.memory_request_mib,
        cpu_limit_m=parsed.cpu_limit_m,
        memory_limit_mib=parsed.memory_limit_mib,
        node_selector=dict(values.placement.node_labels),
        tolerations=tolerations,
        max_surge=1,  # WebWorkload's RollingUpdate maxSurge
    )


def inventory_from_values(config: AppConfig, values: PlatformValues) -> tuple[PodComponent, ...]:
    """The inventory for these values (the deployed ones, or another set to compare with)."""
    workload_values = app.WorkloadsValues.from_config(
        config, alb_log_bucket=PLACEHOLDER, alb_security_group_ids=(), certificate_arn=None
    )
    # Every add-on's own pods, listed by kind below (the EKS add-ons' Deployments, then the Helm releases,
    # our cdk8s charts, the application, and every DaemonSet at the end).
    addon_pods = [
        pod
        for addon in enabled(INVENTORY, config=config)
        for pod in addon.pods(config=config, values=values.addons[addon.name])
    ]
    components = [
        *(pod for pod in addon_pods if pod.source_kind == "addon" and pod.kind != "DaemonSet"),
        *(pod for pod in addon_pods if pod.source_kind == "helm" and pod.kind != "DaemonSet"),
        *(pod for pod in addon_pods if pod.source_kind == "cdk8s"),
        web_workload(
            name=K8sNames.FRONTEND,
            resources=app.resources_of(config.workloads.frontend),
            autoscaling=app.autoscaling_of(config.workloads.frontend),
            values=workload_values,
        ),
        web_workload(
            name=K8sNames.BACKEND,
            resources=app.resources_of(config.workloads.backend),
            autoscaling=app.autoscaling_of(config.workloads.backend, app.BACKEND_PODS_METRICS),
            values=workload_values,
        ),
        # --- DaemonSets: one pod on every node (each tolerates every taint)
        *(pod for pod in addon_pods if pod.kind == "DaemonSet"),
    ]
    return tuple(placed(config, pod) for pod in components)


def pod_inventory(config: AppConfig) -> tuple[PodComponent, ...]:
    """Every pod-producing component of the platform in this environment."""
    return inventory_from_values(config, PlatformValues.from_config(config))
