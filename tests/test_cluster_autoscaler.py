"""Cluster Autoscaler from its upstream chart (addons/cluster_autoscaler.py): the seed's flags, image, requests,
placement and security as values, and, where the chart is in HELM_CHART_CACHE, the chart rendered with them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from addons import cluster_autoscaler as ca
from config import load_config
from config.kubernetes import SUPPORTED_VERSIONS
from scripts.chart_render import Release, Renderer, cluster_api_versions

PROD = load_config("prod")


def prod_values() -> dict[str, Any]:
    return ca.values(PROD, region="ap-northeast-1")


# The seed's command line (scaling/cluster-autoscaler.yaml) with the real spelling of the threshold flag,
# as the chart renders it: provider, namespace and discovery first, then extraArgs sorted by key.
SEED_COMMAND = [
    "./cluster-autoscaler",
    "--cloud-provider=aws",
    "--namespace=cluster-autoscaler",
    "--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/tech-lib-cluster",
    "--balance-similar-node-groups=true",
    "--expander=priority,least-waste",
    "--logtostderr=true",
    "--max-node-provision-time=15m",
    "--scale-down-delay-after-add=10m",
    "--scale-down-enabled=true",
    "--scale-down-unneeded-time=10m",
    "--scale-down-utilization-threshold=0.5",
    "--skip-nodes-with-local-storage=false",
    # Not the seed's: the mesh's startup taint (config mesh.enabled, on in prod), README "Service mesh".
    "--startup-taint=cni.istio.io/not-ready",
    "--stderrthreshold=info",
    "--v=4",
]


def test_the_seeds_flags_are_the_charts_extra_args() -> None:
    values = prod_values()
    assert values["cloudProvider"] == "aws"
    assert values["autoDiscovery"] == {"clusterName": "tech-lib-cluster"}
    assert values["extraArgs"] == {
        "v": 4,
        "stderrthreshold": "info",
        "skip-nodes-with-local-storage": False,
        "expander": "priority,least-waste",
        "balance-similar-node-groups": True,
        "scale-down-enabled": True,
        "scale-down-delay-after-add": "10m",
        "scale-down-unneeded-time": "10m",
        "scale-down-utilization-threshold": 0.5,
        "max-node-provision-time": "15m",
        "startup-taint": "cni.istio.io/not-ready",
    }


def test_dev_discovers_its_own_clusters_groups() -> None:
    assert ca.values(load_config("dev"), region="ap-northeast-1")["autoDiscovery"] == {
        "clusterName": "tech-lib-dev-cluster"
    }


@pytest.mark.parametrize("version", sorted(SUPPORTED_VERSIONS))
def test_image_minor_matches_the_cluster_minor(version: str) -> None:
    config = load_config("prod", overrides={"eks": {"kubernetes_version": version}})
    image = ca.values(config, region="ap-northeast-1")["image"]
    assert image["repository"] == ca.IMAGE_REPOSITORY == "registry.k8s.io/autoscaling/cluster-autoscaler"
    assert image["tag"].startswith(f"v{version}.")
    assert image["pullPolicy"] == "Always"


def test_requests_placement_region_and_service_account_are_the_earlier_deployments() -> None:
    values = prod_values()
    assert values["resources"] == {
        "requests": {"cpu": "100m", "memory": "300Mi"},
        "limits": {"cpu": "100m", "memory": "300Mi"},
    }
    assert values["replicaCount"] == 1
    assert values["nodeSelector"] == {"node-type": "system"}
    assert values["tolerations"] == []
    assert values["awsRegion"] == "ap-northeast-1"
    assert values["rbac"] == {"serviceAccount": {"name": "cluster-autoscaler"}}
    assert ca.RELEASE.service_account == "cluster-autoscaler"
    assert ca.RELEASE.namespace == "cluster-autoscaler"


def test_runs_non_root_read_only_without_capabilities() -> None:
    values = prod_values()
    assert values["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 65534,
        "runAsGroup": 65534,
        "fsGroup": 65534,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert values["containerSecurityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def test_priority_expander_prefers_the_spot_group_then_every_group() -> None:
    assert prod_values()["expanderPriorities"] == (
        "50:\n  - ^eks-app-nodes-spot-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$\n10:\n  - .*\n"
    )


def test_metrics_are_scraped_by_annotation_and_reachable_only_from_monitoring() -> None:
    values = prod_values()
    assert values["podAnnotations"] == {"prometheus.io/scrape": "true", "prometheus.io/port": "8085"}
    assert values["service"] == {"create": False}
    (policy,) = values["extraObjects"]
    assert policy["metadata"]["namespace"] == "cluster-autoscaler"
    assert policy["spec"]["podSelector"] == {"matchLabels": ca.POD_LABELS}
    assert policy["spec"]["ingress"] == [
        {
            "from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}],
            "ports": [{"protocol": "TCP", "port": 8085}],
        }
    ]
    kubernetes_validate.validate(policy, "1.36.0", strict=True)


# --- the chart itself, where it is cached -------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered() -> list[dict[str, Any]]:
    cache = os.environ.get("HELM_CHART_CACHE")
    source = Path(cache) / f"{ca.RELEASE.chart}-{ca.RELEASE.version}" if cache else None
    if source is None or not source.exists():
        pytest.skip(
            f"the cluster-autoscaler chart is not rendered: no {ca.RELEASE.chart}-{ca.RELEASE.version}/ in HELM_CHART_CACHE"
        )
    release = Release(
        stack="Eks",
        release=ca.RELEASE.release,
        chart=ca.RELEASE.chart,
        version=ca.RELEASE.version,
        repository=ca.RELEASE.repository,
        namespace=ca.RELEASE.namespace,
        values=prod_values(),
    )
    renderer = Renderer(source, release, kube_version="1.36", api_versions=cluster_api_versions("1.36"))
    return renderer.render(prod_values())


def _one(objects: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    (found,) = [o for o in objects if o["kind"] == kind]
    return found


def test_the_chart_renders_the_seeds_command_on_system_nodes(rendered: list[dict[str, Any]]) -> None:
    deployment = _one(rendered, "Deployment")
    assert deployment["metadata"]["name"] == ca.DEPLOYMENT
    pod = deployment["spec"]["template"]
    assert pod["metadata"]["labels"] == ca.POD_LABELS
    (container,) = pod["spec"]["containers"]
    assert container["command"] == SEED_COMMAND
    assert container["ports"] == [{"containerPort": 8085}]
    assert pod["spec"]["serviceAccountName"] == "cluster-autoscaler"
    assert pod["spec"]["nodeSelector"] == {"node-type": "system"}
    assert "volumes" not in pod["spec"]  # no hostPath CA bundle


def test_the_chart_renders_the_priority_config_map_the_expander_reads(rendered: list[dict[str, Any]]) -> None:
    config_maps = [o for o in rendered if o["kind"] == "ConfigMap"]
    assert [c["metadata"]["name"] for c in config_maps] == [ca.PRIORITY_CONFIG_MAP]
    assert config_maps[0]["data"]["priorities"] == prod_values()["expanderPriorities"].rstrip("\n")


def test_the_charts_rbac_reads_no_secrets_and_objects_validate(rendered: list[dict[str, Any]]) -> None:
    rules = _one(rendered, "ClusterRole")["rules"]
    assert not any("secrets" in rule["resources"] or "*" in rule["resources"] for rule in rules)
    assert {o["kind"] for o in rendered} >= {"ServiceAccount", "ClusterRole", "Role", "Deployment", "NetworkPolicy"}
    for obj in rendered:
        kubernetes_validate.validate(obj, "1.36.0", strict=True)
