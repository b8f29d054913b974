"""Reloader (stakater): restarts the backend when the credentials it reads from its environment change.

Aurora's credentials rotate every `database.secret_rotation_days` (single-user rotation); External Secrets
re-reads the secret (k8s_charts/platform.py, DATABASE_REFRESH_INTERVAL) and updates `db-credentials`, but
environment variables are read once, when a container starts. Reloader watches the Secrets a Deployment names
in its `secret.reloader.stakater.com/reload` annotation and rolls the Deployment when one changes, through the
Deployment's own rolling update (maxUnavailable 1, maxSurge 1, the PodDisruptionBudget).

Installed by WorkloadsStack into the application namespace with `watchGlobally: false`: its RBAC is a Role in
that namespace only (it can read no Secret elsewhere), under the namespace's Pod Security Standards
"restricted" profile. It runs on app-nodes, beside what it restarts, unlike the platform's controllers: the
system-nodes hold 21 pods in 22 slots at desired size (README, "Capacity"), app-nodes have room. It calls no
AWS API, so it has no AWS role.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from aws_cdk import aws_eks_v2 as eks
from constructs import Construct

from addons.base import helm_chart
from addons.pods import PodComponent, PodResources, component
from config import AppConfig
from k8s_charts.helm import HelmRelease
from k8s_charts.workloads import RELOAD_SECRETS_ANNOTATION
from names import NodeGroups

__all__ = ["ADDON", "RELEASE", "RELOAD_SECRETS_ANNOTATION", "values"]

RELEASE = HelmRelease(
    chart="reloader",
    repository="https://stakater.github.io/stakater-charts",
    # Reloader v1.4.21; the chart version of stakater/Reloader's deployments/kubernetes/chart/reloader/Chart.yaml
    # ("Bump helm chart to 2.2.16 and appVersion to v1.4.21", 2026-08-10), published to stakater-charts.
    version="2.2.16",
    # No digest pinned yet: the stakater-charts index.yaml available here (docs/index.yaml, generated
    # 2026-06-03) ends at 2.2.12, so the digest of 2.2.16 is unknown; make verify-charts says "digest not
    # pinned" for this release until it is added.
    # Replaced by the application namespace at install (WorkloadsStack): Reloader lives next to what it restarts.
    namespace="tech-lib",
    release="reloader",
)
REPLICAS = 1
# The chart's commented example requests 10m/128Mi; it caches the namespace's Secrets and ConfigMaps only.
RESOURCES = PodResources(cpu_request_m=10, memory_request_mib=64, memory_limit_mib=256)
# PSS "restricted" (the namespace enforces it): the chart's pod context already runs as 65534 with RuntimeDefault.
# readOnlyRootFilesystem is not set here: `reloader.readOnlyRootFileSystem` below makes the chart add it to this
# context and mount the emptyDir /tmp the process needs (make verify-charts reports the key as changing nothing).
CONTAINER_SECURITY_CONTEXT = {
    "allowPrivilegeEscalation": False,
    "capabilities": {"drop": ["ALL"]},
    "runAsNonRoot": True,
    "seccompProfile": {"type": "RuntimeDefault"},
}


def app_node_placement(config: AppConfig) -> tuple[dict[str, str], list[dict[str, str]]]:
    """app-nodes' labels as the nodeSelector, and a toleration of each of their taints."""
    group = config.eks.node_group(NodeGroups.APP)
    tolerations = [{"key": t.key, "operator": "Equal", "value": t.value, "effect": t.effect} for t in group.taints]
    return dict(group.labels), tolerations


def values(*, node_selector: Mapping[str, str], tolerations: list[dict[str, str]]) -> dict[str, Any]:
    return {
        # The chart names its objects <release>-<chart> ("reloader-reloader") unless told: one name, as the pod
        # inventory and the README list it.
        "fullnameOverride": RELEASE.release,
        "reloader": {
            # Only the release's own namespace: a Role there, no ClusterRole.
            "watchGlobally": False,
            # Roll by a pod-template annotation (reloader.stakater.com/last-reloaded-from) rather than an
            # injected env var: the Deployment's containers stay exactly what the workloads chart applies.
            "reloadStrategy": "annotations",
            "readOnlyRootFileSystem": True,
            "deployment": {
                "replicas": REPLICAS,
                "resources": RESOURCES.values(),
                "nodeSelector": dict(node_selector),
                "tolerations": tolerations,
                "containerSecurityContext": CONTAINER_SECURITY_CONTEXT,
            },
        },
    }


class Reloader:
    name = RELEASE.release

    def enabled(self, *, config: AppConfig) -> bool:
        return config.database.secret_rotation_days > 0

    def pod_values(self, *, config: AppConfig) -> Mapping[str, Any]:
        node_selector, tolerations = app_node_placement(config)
        return values(node_selector=node_selector, tolerations=tolerations)

    def pods(self, *, config: AppConfig, values: Mapping[str, Any]) -> tuple[PodComponent, ...]:
        return (
            component(
                name=RELEASE.release,
                namespace=config.workloads.namespace,
                kind="Deployment",
                source=RELEASE.release,
                source_kind="helm",
                values=values.get("reloader", {}).get("deployment", {}),
                replicas_key="replicas",
                default_replicas=1,
            ),
        )

    def install(self, scope: Construct, *, config: AppConfig, cluster: eks.ICluster) -> eks.HelmChart:
        """The release in `scope` (WorkloadsStack), in the application namespace, waiting for its pod."""
        release = dataclasses.replace(RELEASE, namespace=config.workloads.namespace)
        return helm_chart(
            scope,
            "Reloader",
            cluster=cluster,
            release=release,
            values=dict(self.pod_values(config=config)),
            create_namespace=False,
        )


ADDON = Reloader()
