"""The Istio ambient mesh: install order, the one access declaration, STRICT mTLS, no pod unmeshed, the
reachability map, and `mesh.enabled: false` giving the pre-mesh templates."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import yaml
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from addons import cluster_autoscaler, istio_base, istio_cni, istio_istiod, istio_ztunnel
from addons.registry import MESH
from config import ConfigError, load_config
from fit.reachability import Source, edges, mismatches, peers
from names import Mesh, Ports
from scripts import reachability
from scripts.applied_manifests import applied_manifests
from scripts.release_review import mesh as mesh_review
from scripts.release_review.kubernetes import read_cluster
from scripts.release_review.model import DANGER
from tests.conftest import SYNTH, Synthesized, needs, synthesize
from tests.repository import ROOT
from tests.test_snapshots import normalise

HELM = "Custom::AWSCDK-EKS-HelmChart"
MANIFEST = "Custom::AWSCDK-EKS-KubernetesResource"
# The intended edges of prod: (source, workload, port). Any other reachable edge fails this test.
INTENDED_EDGES = {
    ("alb", "tech-lib/frontend", Ports.FRONTEND_HTTP),
    ("alb", "tech-lib/backend", Ports.BACKEND_HTTP),
    ("monitoring/prometheus-server", "tech-lib/backend", Ports.BACKEND_METRICS),
    ("monitoring/prometheus-server", "tech-lib/postgres-exporter", Ports.POSTGRES_EXPORTER),
    ("monitoring/prometheus-server", "tech-lib/redis-exporter", Ports.REDIS_EXPORTER),
}


def _release_id(template: Mapping[str, Any], release: str) -> str:
    (lid,) = [
        k for k, r in template["Resources"].items() if r["Type"] == HELM and r["Properties"]["Release"] == release
    ]
    return lid


def _depends_on(template: Mapping[str, Any], lid: str) -> set[str]:
    return set(template["Resources"][lid].get("DependsOn", []))


def _objects(synth: Synthesized) -> list[dict[str, Any]]:
    return [obj for path in synth.template_files() for obj in applied_manifests(json.loads(path.read_text()))]


# --- install order -------------------------------------------------------------------------------------------


def test_crds_then_istiod_then_node_agents_then_the_namespace_and_policies(prod: Synthesized) -> None:
    eks = prod.template_json(prod.built.eks)
    base, istiod, cni, ztunnel = (_release_id(eks, addon.name) for addon in MESH)
    assert base in _depends_on(eks, istiod)
    assert istiod in _depends_on(eks, cni)
    assert cni in _depends_on(eks, ztunnel)
    # The namespace joins (ambient label) only after ztunnel runs on every node.
    (namespace,) = [
        lid
        for lid, r in eks["Resources"].items()
        if r["Type"] == MANIFEST
        and any(o["kind"] == "Namespace" for o in applied_manifests({"Resources": {lid: r}}))
        and "tech-lib" in {o["metadata"]["name"] for o in applied_manifests({"Resources": {lid: r}})}
    ]
    assert ztunnel in _depends_on(eks, namespace)
    # Pods outside the mesh need untainted nodes: CoreDNS and the CSI controllers come after istio-cni, and
    # ztunnel (which resolves istiod by name) after CoreDNS.
    addons = {
        r["Properties"]["AddonName"]: lid for lid, r in eks["Resources"].items() if r["Type"] == "AWS::EKS::Addon"
    }
    assert cni in _depends_on(eks, addons["coredns"])
    assert addons["coredns"] in _depends_on(eks, ztunnel)
    # The policies ship in the Workloads stack, which deploys after the Eks stack; ALLOW before the deny and
    # the ALB ports' exceptions before the mesh-wide STRICT, in one apply.
    assert prod.built.eks in prod.built.workloads.dependencies
    kinds = [
        (o["kind"], o["metadata"]["name"])
        for o in applied_manifests(prod.template_json(prod.built.workloads))
        if o["apiVersion"].startswith("security.istio.io")
    ]
    assert kinds.index(("AuthorizationPolicy", "default-deny")) > max(
        i for i, k in enumerate(kinds) if k[0] == "AuthorizationPolicy" and k[1] != "default-deny"
    )
    assert kinds[-1] == ("PeerAuthentication", "default")


def test_the_four_charts_are_one_istio_release() -> None:
    releases = [istio_base.RELEASE, istio_istiod.RELEASE, istio_cni.RELEASE, istio_ztunnel.RELEASE]
    assert {r.version for r in releases} == {"1.31.1"}
    assert {r.repository for r in releases} == {"https://istio-release.storage.googleapis.com/charts"}
    assert [r.chart for r in releases] == ["base", "istiod", "cni", "ztunnel"]


# --- no pod starts unmeshed ----------------------------------------------------------------------------------


def test_every_node_group_registers_with_the_startup_taint(prod: Synthesized, dev: Synthesized) -> None:
    for synth in (prod, dev):
        groups = [
            r for r in synth.template_json(synth.built.eks)["Resources"].values() if r["Type"] == "AWS::EKS::Nodegroup"
        ]
        assert len(groups) == 3  # app-nodes, system-nodes and the Spot group
        for group in groups:
            assert {"Key": Mesh.STARTUP_TAINT, "Value": "true", "Effect": "NO_SCHEDULE"} in group["Properties"][
                "Taints"
            ]


def test_the_autoscaler_knows_the_startup_taint(prod: Synthesized) -> None:
    """The chart renders extraArgs as `--<key>=<value>` (tests/test_cluster_autoscaler.py renders it)."""
    (release,) = [
        r
        for r in prod.template_json(prod.built.eks)["Resources"].values()
        if r["Type"] == "Custom::AWSCDK-EKS-HelmChart" and r["Properties"]["Chart"] == "cluster-autoscaler"
    ]
    values = json.loads(release["Properties"]["Values"])
    assert values["extraArgs"]["startup-taint"] == Mesh.STARTUP_TAINT
    # Without the mesh the flag is gone: no node group registers with the taint then.
    unmeshed = load_config("prod", overrides={"mesh": {"enabled": False}})
    assert "startup-taint" not in cluster_autoscaler.values(unmeshed, region="ap-northeast-1")["extraArgs"]


def test_istiod_tolerates_the_taint_it_removes_and_the_node_agents_tolerate_every_taint() -> None:
    config = load_config("prod")
    istiod = istio_istiod.ADDON.pod_values(config=config)
    assert istiod["taint"] == {"enabled": True, "namespace": Mesh.NAMESPACE}
    assert {"key": Mesh.STARTUP_TAINT, "operator": "Exists", "effect": "NoSchedule"} in istiod["tolerations"]
    for addon in (istio_cni.ADDON, istio_ztunnel.ADDON):
        (pods,) = addon.pods(config=config, values=addon.pod_values(config=config))
        assert pods.kind == "DaemonSet" and pods.node_group is None
        assert any(t.tolerates(Mesh.STARTUP_TAINT, "true", "NoSchedule") for t in pods.tolerations)


# --- mTLS and the one declaration ----------------------------------------------------------------------------


def test_strict_mesh_wide_and_permissive_only_on_the_alb_ports(prod: Synthesized) -> None:
    policies = {
        (o["metadata"]["namespace"], o["metadata"]["name"]): o["spec"]
        for o in _objects(prod)
        if o["kind"] == "PeerAuthentication"
    }
    assert policies[(Mesh.NAMESPACE, "default")] == {"mtls": {"mode": "STRICT"}}
    assert policies[("tech-lib", "frontend-alb-ports")]["portLevelMtls"] == {"80": {"mode": "PERMISSIVE"}}
    assert policies[("tech-lib", "backend-alb-ports")]["portLevelMtls"] == {"8080": {"mode": "PERMISSIVE"}}
    # Prometheus is meshed as a client only; nothing else is PERMISSIVE.
    assert set(policies) == {
        (Mesh.NAMESPACE, "default"),
        ("tech-lib", "frontend-alb-ports"),
        ("tech-lib", "backend-alb-ports"),
        ("monitoring", "prometheus-server"),
    }


def test_authorization_is_l4_only_with_principals_and_a_default_deny(prod: Synthesized) -> None:
    authz = {o["metadata"]["name"]: o["spec"] for o in _objects(prod) if o["kind"] == "AuthorizationPolicy"}
    assert authz.pop("default-deny") == {}
    for spec in authz.values():
        for rule in spec["rules"]:
            assert set(rule) == {"from", "to"}
            assert all(set(t["operation"]) == {"ports"} for t in rule["to"]), "an L7 rule without a waypoint denies all"
    backend = authz["backend-allow"]["rules"]
    assert backend[1]["from"] == [{"source": {"principals": ["cluster.local/ns/monitoring/sa/prometheus-server"]}}]


def test_network_policies_admit_hbone_and_the_probe_source(prod: Synthesized) -> None:
    policies = {
        o["metadata"]["name"]: o["spec"]
        for o in _objects(prod)
        if o["kind"] == "NetworkPolicy" and o["metadata"]["namespace"] == "tech-lib"
    }
    for name in ("backend-ingress", "postgres-exporter", "redis-exporter"):
        rules = policies[name]["ingress"]
        assert any(p["port"] == Ports.HBONE for r in rules for p in r["ports"]), name
        assert any(f.get("ipBlock", {}).get("cidr") == Mesh.PROBE_SOURCE_CIDR for r in rules for f in r["from"]), name
    assert any(
        f.get("ipBlock", {}).get("cidr") == Mesh.PROBE_SOURCE_CIDR
        for r in policies["frontend-ingress"]["ingress"]
        for f in r["from"]
    )


# --- reachability --------------------------------------------------------------------------------------------


def test_reachability_is_exactly_the_intended_edges(prod: Synthesized) -> None:
    found = edges(_objects(prod), peers(alb_cidrs=prod.config.network.public_subnet_cidrs, prometheus_meshed=True))
    assert {(e.source, e.target, e.port) for e in found if e.reachable} == INTENDED_EDGES
    assert mismatches(found) == []


def test_a_layer_that_disagrees_is_a_finding(prod: Synthesized) -> None:
    objects = [
        o
        for o in _objects(prod)
        if not (o["kind"] == "AuthorizationPolicy" and o["metadata"]["name"] == "frontend-allow")
    ]
    found = mismatches(edges(objects, peers(alb_cidrs=prod.config.network.public_subnet_cidrs, prometheus_meshed=True)))
    assert [(e.source, e.target, e.port, e.network_policy, e.istio) for e in found] == [
        ("alb", "tech-lib/frontend", 80, True, False)
    ]


def test_a_meshed_peer_behind_a_closed_hbone_port_is_a_finding(prod: Synthesized) -> None:
    objects = copy.deepcopy(_objects(prod))
    for obj in objects:
        if obj["kind"] == "NetworkPolicy" and obj["metadata"]["name"] == "redis-exporter":
            obj["spec"]["ingress"] = [
                r for r in obj["spec"]["ingress"] if all(p["port"] != Ports.HBONE for p in r["ports"])
            ]
    found = mismatches(edges(objects, peers(alb_cidrs=prod.config.network.public_subnet_cidrs, prometheus_meshed=True)))
    assert [(e.source, e.target, e.port) for e in found] == [
        ("monitoring/prometheus-server", "tech-lib/redis-exporter", 9121)
    ]


def test_the_readme_embeds_prods_current_reachability(prod: Synthesized) -> None:
    lines, code = reachability.report("prod", prod.outdir)
    assert code == 0
    readme = (ROOT / "README.md").read_text()
    assert reachability.readme_block(lines) in readme, "stale: run `make reachability-reference`"


# --- release review -----------------------------------------------------------------------------------------


def _state(objects: list[dict[str, Any]]) -> Any:
    manifest = {"Resources": {"M": {"Type": MANIFEST, "Properties": {"Manifest": json.dumps(objects)}}}}
    return read_cluster({"S": manifest})


def test_a_new_edge_or_a_loosened_policy_is_a_danger_in_prod(prod: Synthesized) -> None:
    objects = _objects(prod)
    assert mesh_review.mesh_findings(_state(objects), _state(objects), fail=True) == []
    loosened = copy.deepcopy(objects)
    for obj in loosened:
        if obj["kind"] == "PeerAuthentication" and obj["metadata"]["name"] == "default":
            obj["spec"]["mtls"]["mode"] = "PERMISSIVE"
        if obj["kind"] == "Namespace" and obj["metadata"]["name"] == "tech-lib":
            obj["metadata"]["labels"].pop(Mesh.DATAPLANE_MODE_LABEL)
    loosened = [
        o for o in loosened if not (o["kind"] == "AuthorizationPolicy" and o["metadata"]["name"] == "default-deny")
    ]
    found = mesh_review.mesh_findings(_state(objects), _state(loosened), fail=True)
    keys = {f.key for f in found}
    assert {f.severity for f in found} == {DANGER}
    assert "mesh/tech-lib/default-deny" in keys
    assert "mesh/istio-system/default/workload" in keys
    assert "mesh/namespace/tech-lib" in keys
    assert all(f.severity != DANGER for f in mesh_review.mesh_findings(_state(objects), _state(loosened), fail=False))


def test_a_new_edge_is_a_danger_in_prod(prod: Synthesized) -> None:
    objects = _objects(prod)
    opened = copy.deepcopy(objects)
    frontend = {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "tech-lib"}},
        "podSelector": {"matchLabels": {"app": "frontend"}},
    }
    for obj in opened:
        if obj["kind"] == "AuthorizationPolicy" and obj["metadata"]["name"] == "backend-allow":
            obj["spec"]["rules"][1]["from"][0]["source"]["principals"].append("cluster.local/ns/tech-lib/sa/frontend")
        if obj["kind"] == "NetworkPolicy" and obj["metadata"]["name"] == "backend-ingress":
            (hbone,) = [r for r in obj["spec"]["ingress"] if r["ports"][0]["port"] == Ports.HBONE]
            hbone["from"].append(frontend)
    (found,) = mesh_review.mesh_findings(_state(objects), _state(opened), fail=True)
    assert found.severity == DANGER
    assert found.key == "mesh/tech-lib/frontend->tech-lib/backend:9090"


# --- configuration -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mesh", "message"),
    [
        ({"mtls_mode": "DISABLE"}, "mesh.mtls_mode: invalid value 'DISABLE' (allowed: STRICT, PERMISSIVE)"),
        (
            {"namespaces": ["monitoring"]},
            "mesh.namespaces: 'monitoring' has no authorization declaration: its default-deny policy would cut all "
            "its traffic (allowed: tech-lib)",
        ),
        (
            {"namespaces": []},
            "mesh.namespaces: invalid value [] (allowed: at least one namespace when mesh.enabled is true (or enabled: false))",
        ),
    ],
)
def test_mesh_mistakes_are_one_line(mesh: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config("prod", overrides={"mesh": mesh}, environ={})
    assert str(caught.value) == message


def test_the_mesh_is_on_in_prod_and_dev() -> None:
    for env in ("prod", "dev"):
        config = load_config(env)
        assert config.mesh.enabled and config.mesh.mtls_mode == "STRICT" and config.mesh.namespaces == ("tech-lib",)


# --- enabled: false -----------------------------------------------------------------------------------------


def _pre_mesh_node_groups() -> list[dict[str, Any]]:
    """prod's node groups with system-nodes at the seed's 2/3, the size before the mesh forced one node more."""
    groups: list[dict[str, Any]] = yaml.safe_load((ROOT / "config" / "prod.yaml").read_text())["eks"]["node_groups"]
    for group in groups:
        if group["name"] == "system-nodes":
            group.update(desired_size=2, max_size=3)
    return groups


@pytest.fixture(scope="module")
@needs(SYNTH)
def without_mesh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesized]:
    yield synthesize(
        "prod",
        tmp_path_factory.mktemp("cdk.out.no-mesh"),
        mesh={"enabled": False},
        eks={"node_groups": _pre_mesh_node_groups()},
    )


def test_mesh_disabled_gives_the_pre_mesh_templates(without_mesh: Synthesized, snapshot: SnapshotAssertion) -> None:
    """The snapshots under tests/__snapshots__/test_mesh/ are the templates of the commit before the mesh."""
    json_snapshot = snapshot.use_extension(JSONSnapshotExtension)
    for stack in without_mesh.built.stacks:
        assert normalise(without_mesh.template_json(stack)) == json_snapshot(name=f"pre-mesh-{stack.stack_name}")


def test_reachability_without_the_mesh_reports_no_meshed_namespace(without_mesh: Synthesized) -> None:
    lines, code = reachability.report("prod", without_mesh.outdir)
    assert code == 0 and "no meshed namespace" in "\n".join(lines)


def test_peer_sources_are_the_alb_and_prometheus() -> None:
    alb, prometheus = peers(alb_cidrs=("10.0.1.0/24",), prometheus_meshed=True)
    assert alb == Source(name="alb", namespace=None, cidrs=("10.0.1.0/24",))
    assert prometheus.principal == "cluster.local/ns/monitoring/sa/prometheus-server" and prometheus.meshed
