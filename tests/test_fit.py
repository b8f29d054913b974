"""The platform fits: the pod inventory is what the templates deploy, every node group holds its pods."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

import app as techlib_app
import entrypoint
from addons import istio_base
from addons.pods import PodResources, cpu_millicores, memory_mib
from config import AppConfig, ConfigError, load_config
from config.instances import INSTANCE_SHAPES
from config.schema import Taint
from fit import capacity as cap
from fit.inventory import PlatformValues, pod_inventory
from scripts import capacity as capacity_script
from scripts.applied_manifests import applied_manifests
from tests.conftest import Synthesized

ENVIRONMENTS = ("prod", "dev")


def _with_group(config: AppConfig, name: str, **changes: Any) -> AppConfig:
    groups = tuple(
        group.model_copy(update=changes) if group.name == name else group for group in config.eks.node_groups
    )
    return config.model_copy(update={"eks": config.eks.model_copy(update={"node_groups": groups})})


def _seed_system_nodes(config: AppConfig) -> AppConfig:
    """The design's system-nodes: t3.small, desired 2, max 3."""
    return _with_group(config, "system-nodes", instance_type="t3.small", desired_size=2, min_size=1, max_size=3)


# --- the inventory is what the templates deploy -------------------------------------------------------------


def _pod_totals(pod_spec: dict[str, Any]) -> PodResources:
    total = PodResources(0, 0, 0, 0)
    for container in pod_spec["containers"]:
        resources = container["resources"]
        total = total.plus(PodResources.from_values(resources))
    return total


def _synthesized_deployments(prod: Synthesized) -> dict[tuple[str, str], dict[str, Any]]:
    objects = [
        obj
        for stack in (prod.built.eks, prod.built.workloads, prod.built.monitoring)
        for obj in applied_manifests(prod.template_json(stack))
    ]
    hpas = {o["spec"]["scaleTargetRef"]["name"]: o for o in objects if o["kind"] == "HorizontalPodAutoscaler"}
    found = {}
    for obj in objects:
        if obj["kind"] in ("Deployment", "StatefulSet", "DaemonSet"):
            found[(obj["metadata"]["namespace"], obj["metadata"]["name"])] = {
                "object": obj,
                "hpa": hpas.get(obj["metadata"]["name"]),
            }
    return found


def test_inventory_equals_the_synthesized_manifest_of_each_of_our_objects(prod: Synthesized) -> None:
    deployed = _synthesized_deployments(prod)
    inventory = {(c.namespace, c.name): c for c in pod_inventory(prod.config)}
    assert deployed, "no Deployment found in the synthesized manifests"
    for key, found in deployed.items():
        component = inventory[key]  # every object of ours is in the inventory
        obj, hpa = found["object"], found["hpa"]
        spec = obj["spec"]["template"]["spec"]
        if hpa is not None:
            assert (component.replicas, component.max_replicas) == (
                hpa["spec"]["minReplicas"],
                hpa["spec"]["maxReplicas"],
            )
        else:
            assert component.replicas == component.max_replicas == obj["spec"]["replicas"]
        assert component.resources == _pod_totals(spec), key
        selector = spec.get("nodeSelector") or {
            req["key"]: req["values"][0]
            for term in spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
                "nodeSelectorTerms"
            ]
            for req in term["matchExpressions"]
        }
        assert dict(component.node_selector) == selector, key
        group = prod.config.eks.node_group(component.node_group or "")
        assert all(group.labels.get(k) == v for k, v in selector.items())
        tolerations = {(t["key"], t.get("value"), t["effect"]) for t in spec.get("tolerations", [])}
        assert tolerations == {(t.key, t.value, t.effect) for t in component.tolerations}, key
    ours = {(c.namespace, c.name) for c in inventory.values() if c.source_kind == "cdk8s"}
    assert ours == set(deployed)


def _helm_values(template: dict[str, Any], release: str) -> dict[str, Any]:
    (resource,) = [
        r
        for r in template["Resources"].values()
        if r["Type"] == "Custom::AWSCDK-EKS-HelmChart" and r["Properties"]["Release"] == release
    ]
    values = resource["Properties"]["Values"]
    text = (
        values if isinstance(values, str) else "".join(p if isinstance(p, str) else "T" for p in values["Fn::Join"][1])
    )
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def _addon_configuration(template: dict[str, Any], name: str) -> dict[str, Any]:
    (resource,) = [
        r
        for r in template["Resources"].values()
        if r["Type"] == "AWS::EKS::Addon" and r["Properties"]["AddonName"] == name
    ]
    parsed: dict[str, Any] = json.loads(resource["Properties"]["ConfigurationValues"])
    return parsed


POD_KEYS = ("replicaCount", "replicas", "resources", "nodeSelector", "tolerations")


def _pod_shape(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in POD_KEYS}


def test_the_values_the_inventory_reads_are_the_values_the_templates_carry(prod: Synthesized) -> None:
    values = PlatformValues.from_config(prod.config)
    eks = prod.template_json(prod.built.eks)
    monitoring = prod.template_json(prod.built.monitoring)
    pairs = [
        (_helm_values(eks, "aws-load-balancer-controller"), values.addons["aws-load-balancer-controller"]),
        (_helm_values(eks, "metrics-server"), values.addons["metrics-server"]),
        (_helm_values(eks, "external-secrets"), values.addons["external-secrets"]),
        (_helm_values(eks, "external-secrets")["webhook"], values.addons["external-secrets"]["webhook"]),
        (_helm_values(eks, "external-secrets")["certController"], values.addons["external-secrets"]["certController"]),
        (_addon_configuration(eks, "coredns"), values.addons["coredns"]),
        (
            _addon_configuration(eks, "aws-ebs-csi-driver")["controller"],
            values.addons["aws-ebs-csi-driver"]["controller"],
        ),
        (
            _addon_configuration(monitoring, "amazon-cloudwatch-observability")["manager"],
            values.addons["amazon-cloudwatch-observability"]["manager"],
        ),
        (
            _addon_configuration(monitoring, "amazon-cloudwatch-observability")["agent"]["resources"],
            values.addons["amazon-cloudwatch-observability"]["agent"]["resources"],
        ),
        (_helm_values(monitoring, "prometheus-adapter"), values.addons["prometheus-adapter"]),
        (_helm_values(monitoring, "grafana"), values.addons["grafana"]),
    ]
    prometheus = _helm_values(monitoring, "prometheus")
    for part in ("server", "alertmanager", "kube-state-metrics"):
        pairs.append((prometheus[part], values.addons["prometheus"][part]))
    for synthesized, expected in pairs:
        if "requests" in expected:  # a bare resources mapping
            assert synthesized == expected
        else:
            assert _pod_shape(synthesized) == _pod_shape(dict(expected))
            assert "resources" in synthesized


def test_inventory_sources_are_the_releases_add_ons_and_charts_of_the_templates(prod: Synthesized) -> None:
    templates = [prod.template_json(stack) for stack in (prod.built.eks, prod.built.monitoring, prod.built.workloads)]
    resources = [r for t in templates for r in t["Resources"].values()]
    releases = {r["Properties"]["Release"] for r in resources if r["Type"] == "Custom::AWSCDK-EKS-HelmChart"}
    addons = {r["Properties"]["AddonName"] for r in resources if r["Type"] == "AWS::EKS::Addon"}
    inventory = pod_inventory(prod.config)
    # Istio's base chart holds the mesh's CRDs and webhook configuration only: it runs no pod.
    assert {c.source for c in inventory if c.source_kind == "helm"} == releases - {istio_base.RELEASE.release}
    # The pod identity agent is created by the cluster construct, not as one of our AWS::EKS::Addon resources.
    assert {c.source for c in inventory if c.source_kind == "addon"} == addons | {"eks-pod-identity-agent"}


def test_every_component_we_configure_declares_requests_and_a_memory_limit() -> None:
    for env in ENVIRONMENTS:
        for component in pod_inventory(load_config(env)):
            if component.source_kind == "addon" and component.kind == "DaemonSet" and not component.declared:
                continue  # aws-node, kube-proxy, pod identity agent, ebs-csi-node: EKS's own manifests
            assert component.declared, component.name
            assert component.cpu_request_m > 0 and component.memory_request_mib > 0, component.name
            assert component.memory_limit_mib >= component.memory_request_mib, component.name


def test_quantities_parse_as_kubernetes_reads_them() -> None:
    assert (cpu_millicores("250m"), cpu_millicores("1"), cpu_millicores(0.5)) == (250, 1000, 500)
    assert (memory_mib("128Mi"), memory_mib("1Gi"), memory_mib("1536Ki"), memory_mib(1048576)) == (128, 1024, 2, 1)


# --- the capacity model -------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_node_group_fits_with_twenty_percent_headroom_at_its_maximum(env: str) -> None:
    for group in cap.check_capacity(load_config(env)):
        assert min(group.headroom()) >= cap.TARGET_HEADROOM, (env, group.group.name, group.headroom())


def test_the_seed_system_nodes_sizing_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError) as raised:
        cap.check_capacity(_seed_system_nodes(load_config("prod")))
    assert str(raised.value).startswith(
        "eks.node_groups.system-nodes: 25 pods need 25 slots, 3 \u00d7 t3.small give 9 (11 per node, 8 taken by DaemonSets)"
    )


def test_synth_exits_2_with_one_line_for_the_seed_sizing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(entrypoint, "config_from_context", lambda app: _seed_system_nodes(load_config("prod")))
    with pytest.raises(SystemExit) as exited:
        techlib_app.main()
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.startswith(
        "configuration error: eks.node_groups.system-nodes: 25 pods need 25 slots"
    )


def test_a_workload_no_node_group_accepts_is_a_configuration_error() -> None:
    tainted = _with_group(
        load_config("prod"), "system-nodes", taints=(Taint(key="dedicated", value="x", effect="NoSchedule"),)
    )
    with pytest.raises(ConfigError, match=r"no node group accepts coredns"):
        pod_inventory(tainted)


def test_a_workload_several_groups_accept_is_counted_on_the_first() -> None:
    config = load_config("prod")
    spot = config.eks.node_group("app-nodes").model_copy(update={"name": "app-spot"})
    config = config.model_copy(
        update={"eks": config.eks.model_copy(update={"node_groups": (*config.eks.node_groups, spot)})}
    )
    placed = {c.name: c.node_group for c in pod_inventory(config)}
    assert placed["frontend"] == placed["backend"] == "app-nodes"  # first in configuration order
    assert {g.group.name: g.at_max.pods for g in cap.check_capacity(config)}["app-spot"] == 0


def test_desired_size_must_hold_the_steady_state_too() -> None:
    config = _with_group(load_config("dev"), "system-nodes", instance_type="t3.medium", desired_size=1, max_size=3)
    with pytest.raises(ConfigError, match=r"23 pods need 23 slots at desired size, 1 \u00d7 t3.medium give 9"):
        cap.check_capacity(config)


def test_a_pod_larger_than_a_node_is_reported() -> None:
    config = load_config("prod")
    huge = [
        dataclasses.replace(c, memory_request_mib=5000, memory_limit_mib=5000) if c.name == "prometheus-server" else c
        for c in pod_inventory(config)
    ]
    with pytest.raises(ConfigError, match=r"a prometheus-server pod \(210m, 5000Mi\) is larger than one t3.medium"):
        cap.check_capacity(config, huge)


def test_kube_reserved_follows_the_eks_formula() -> None:
    assert cap.kube_reserved_cpu_m(2) == 70 and cap.kube_reserved_cpu_m(8) == 90
    assert cap.kube_reserved_memory_mib(17) == 442
    assert INSTANCE_SHAPES["t3.small"].max_pods == 11 and INSTANCE_SHAPES["t3.large"].max_pods == 35


def test_an_instance_type_outside_the_model_is_a_configuration_error() -> None:
    config = _with_group(load_config("prod"), "system-nodes", instance_type="x2iedn.xlarge")
    with pytest.raises(ConfigError, match=r"eks.node_groups.system-nodes.instance_type: 'x2iedn.xlarge'"):
        cap.check_capacity(config)


def test_daemonsets_count_on_every_group_they_tolerate() -> None:
    config = load_config("prod")
    groups = {g.group.name: g for g in cap.capacity(config)}
    daemonsets = [c for c in pod_inventory(config) if c.kind == "DaemonSet"]
    assert (
        groups["app-nodes"].node.daemonset_pods == groups["system-nodes"].node.daemonset_pods == len(daemonsets) == 8
    )  # 6, and the mesh's istio-cni and ztunnel


def test_make_capacity_prints_the_table_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert capacity_script.main(["--env", "prod"]) == 0
    out = capsys.readouterr().out
    assert "| system-nodes | 3/4 \u00d7 t3.medium |" in out and "| app-nodes |" in out


def test_readme_capacity_table_is_current() -> None:
    readme = (capacity_script.ROOT / "README.md").read_text()
    assert capacity_script.readme_block() in readme, "README.md's capacity table is stale: make capacity-reference"
