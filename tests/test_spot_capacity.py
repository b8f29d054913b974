"""The Spot app group (eks.spot_app_nodes), the autoscaler's priority expander, and the workloads' spread over it."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from addons.cluster_autoscaler import PRIORITY_CONFIG_MAP, asg_name_pattern
from addons.cluster_autoscaler import RELEASE as CLUSTER_AUTOSCALER
from config import ConfigError, load_config
from config.instances import INSTANCE_SHAPES
from k8s_charts.web_workload import CAPACITY_TYPE_KEY, SPOT_INTERRUPTION_NOTICE_SECONDS, ZONE_KEY
from names import K8sNames, NodeGroups
from tests.conftest import Synthesized
from tests.test_eks import helm_chart, helm_values, one
from tests.test_workloads_chart import find, render_chart


def node_group(template: dict[str, Any], name: str) -> dict[str, Any]:
    properties: dict[str, Any] = one(template, "AWS::EKS::Nodegroup", NodegroupName=name)[1]["Properties"]
    return properties


@pytest.fixture(scope="module")
def eks(prod: Synthesized) -> dict[str, Any]:
    return prod.template_json(prod.built.eks)


def test_spot_group_mixes_one_shape_of_types_on_spot_capacity(eks: dict[str, Any]) -> None:
    spot = node_group(eks, NodeGroups.APP_SPOT)
    assert spot["CapacityType"] == "SPOT"
    assert spot["InstanceTypes"] == ["t3.medium", "t3a.medium", "t2.medium"]
    shapes = {
        (INSTANCE_SHAPES[t].vcpus, INSTANCE_SHAPES[t].memory_mib, INSTANCE_SHAPES[t].max_pods)
        for t in spot["InstanceTypes"]
    }
    assert shapes == {(2, 4096, 17)}  # t2.medium has t3.medium's ENIs (3) and IPv4 per ENI (6): 17 pods


def test_spot_group_has_app_nodes_label_taint_and_subnets_and_scales_from_zero(eks: dict[str, Any]) -> None:
    spot, app = node_group(eks, NodeGroups.APP_SPOT), node_group(eks, NodeGroups.APP)
    assert spot["Labels"] == app["Labels"] == {"node-type": "application"}
    assert (
        spot["Taints"]
        == app["Taints"]
        == [
            {"Key": "app", "Value": "true", "Effect": "NO_SCHEDULE"},
            {"Key": "cni.istio.io/not-ready", "Value": "true", "Effect": "NO_SCHEDULE"},
        ]
    )
    assert spot["Subnets"] == app["Subnets"]
    assert spot["ScalingConfig"] == {"MinSize": 0, "DesiredSize": 0, "MaxSize": 10}
    assert spot["Tags"]["k8s.io/cluster-autoscaler/enabled"] == "true"


def test_on_demand_app_nodes_stay_the_designs_base(eks: dict[str, Any]) -> None:
    app = node_group(eks, NodeGroups.APP)
    assert app["ScalingConfig"] == {"MinSize": 2, "DesiredSize": 3, "MaxSize": 10}
    assert app["InstanceTypes"] == ["t3.medium"]
    # Never set on the shipped groups: adding CapacityType to an existing node group replaces it.
    assert "CapacityType" not in app


def test_dev_keeps_on_demand_app_nodes_and_a_spot_group_for_bursts(dev: Synthesized) -> None:
    # The capacity model counts the app tier against on-demand app-nodes alone (Spot can be reclaimed),
    # so dev's base stays on demand and Spot adds burst capacity from zero.
    template = dev.template_json(dev.built.eks)
    assert node_group(template, NodeGroups.APP)["ScalingConfig"] == {"MinSize": 1, "DesiredSize": 2, "MaxSize": 4}
    assert node_group(template, NodeGroups.APP_SPOT)["ScalingConfig"] == {"MinSize": 0, "DesiredSize": 0, "MaxSize": 4}


def _autoscaler_values(eks: dict[str, Any]) -> dict[str, Any]:
    _, chart = helm_chart(eks, CLUSTER_AUTOSCALER)
    return helm_values(chart)


def test_autoscaler_chains_priority_with_the_designs_least_waste(eks: dict[str, Any]) -> None:
    # extraArgs is a mapping: one --expander flag, the design's least-waste after the priority expander.
    assert _autoscaler_values(eks)["extraArgs"]["expander"] == "priority,least-waste"


def test_priority_config_map_prefers_the_spot_groups_auto_scaling_group(eks: dict[str, Any]) -> None:
    # The chart renders these priorities into the ConfigMap PRIORITY_CONFIG_MAP of the autoscaler's namespace
    # (tests/test_cluster_autoscaler.py renders it where the chart is cached).
    assert PRIORITY_CONFIG_MAP == "cluster-autoscaler-priority-expander"
    priorities = {int(k): v for k, v in yaml.safe_load(_autoscaler_values(eks)["expanderPriorities"]).items()}
    assert sorted(priorities) == [10, 50]
    spot_asg = "eks-app-nodes-spot-2ac5e3f1-7b2c-4d1e-9f00-0123456789ab"  # EKS's eks-<group>-<uuid>
    app_asg = "eks-app-nodes-5bc5e3f1-7b2c-4d1e-9f00-0123456789ab"
    assert [p for p in priorities[50] if re.match(p, spot_asg)]
    assert not [p for p in priorities[50] if re.match(p, app_asg)]
    assert priorities[10] == [".*"]  # every other group stays growable
    assert asg_name_pattern(NodeGroups.APP_SPOT) in priorities[50]


@pytest.fixture(scope="module")
def workloads() -> list[dict[str, Any]]:
    return render_chart(load_config("prod"), certificate_arn=None)


@pytest.mark.parametrize("name", [K8sNames.FRONTEND, K8sNames.BACKEND])
def test_workloads_spread_over_zones_hard_and_capacity_types_soft(workloads: list[dict[str, Any]], name: str) -> None:
    spec = find(workloads, "Deployment", name)["spec"]["template"]["spec"]
    constraints = {c["topologyKey"]: c for c in spec["topologySpreadConstraints"]}
    assert set(constraints) == {ZONE_KEY, CAPACITY_TYPE_KEY}
    assert constraints[ZONE_KEY]["whenUnsatisfiable"] == "DoNotSchedule"
    # Soft: when Spot has no capacity, on-demand app-nodes must take every replica.
    assert constraints[CAPACITY_TYPE_KEY]["whenUnsatisfiable"] == "ScheduleAnyway"
    for constraint in constraints.values():
        assert constraint["maxSkew"] == 1
        assert constraint["labelSelector"] == {"matchLabels": {"app": name}}
        assert constraint["nodeTaintsPolicy"] == "Honor"  # a draining (tainted) node is no room


@pytest.mark.parametrize("name", [K8sNames.FRONTEND, K8sNames.BACKEND])
def test_pdb_keeps_serving_through_a_two_minute_spot_interruption(workloads: list[dict[str, Any]], name: str) -> None:
    pdb = find(workloads, "PodDisruptionBudget", f"{name}-pdb")["spec"]
    hpa = find(workloads, "HorizontalPodAutoscaler", f"{name}-hpa")["spec"]
    pod = find(workloads, "Deployment", name)["spec"]["template"]["spec"]
    # At least two ready replicas serve while a drained one is replaced; unready ones never block the drain.
    assert hpa["minReplicas"] - pdb["maxUnavailable"] >= 2
    assert pdb["unhealthyPodEvictionPolicy"] == "AlwaysAllow"
    # A pod stops within the notice: the grace period (default 30 s) leaves the drain time to evict the rest.
    assert pod.get("terminationGracePeriodSeconds", 30) <= SPOT_INTERRUPTION_NOTICE_SECONDS // 2


def test_spot_types_of_different_shapes_are_refused() -> None:
    with pytest.raises(ConfigError) as error:
        load_config(
            "prod", environ={}, overrides={"eks": {"spot_app_nodes": {"instance_types": ["t3.medium", "t3.large"]}}}
        )
    assert str(error.value) == (
        "eks.spot_app_nodes.instance_types: invalid value ['t3.medium', 't3.large'] (allowed: types of one vCPU/memory "
        "shape, not t3.medium 2 vCPU/4096 MiB, t3.large 2 vCPU/8192 MiB)"
    )


def test_spot_types_must_match_app_nodes_shape() -> None:
    with pytest.raises(ConfigError) as error:
        load_config(
            "prod", environ={}, overrides={"eks": {"spot_app_nodes": {"instance_types": ["t3.large", "m5.large"]}}}
        )
    assert str(error.value) == (
        "eks.spot_app_nodes.instance_types: ['t3.large', 'm5.large'] differ in vCPU/memory from app-nodes' t3.medium "
        "(allowed: types of app-nodes' shape)"
    )


def test_unknown_spot_type_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ConfigError, match=r"^eks\.spot_app_nodes\.instance_types\[1\]: invalid value 'c7i\.large'"):
        load_config(
            "prod", environ={}, overrides={"eks": {"spot_app_nodes": {"instance_types": ["t3.medium", "c7i.large"]}}}
        )


def test_spot_sizes_are_checked() -> None:
    with pytest.raises(ConfigError) as error:
        load_config("prod", environ={}, overrides={"eks": {"spot_app_nodes": {"min_size": 3, "desired_size": 1}}})
    assert str(error.value) == (
        "eks.spot_app_nodes.desired_size: min_size 3 <= desired_size 1 <= max_size 10 does not hold "
        "(allowed: min_size <= desired_size <= max_size)"
    )
