"""scripts/verify_charts.py: the pieces that decide a finding, on small inputs (no chart, no network)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scripts import chart_render as render
from scripts import chart_source as source
from scripts import verify_charts as vc
from scripts.applied_manifests import PLACEHOLDER

RELEASE = render.Release(
    stack="S",
    release="demo",
    chart="demo",
    version="1.2.3",
    repository="https://charts.example",
    namespace="ns",
    values={},
)


def test_releases_and_values_come_from_the_templates_with_tokens_as_placeholders() -> None:
    values = {"Fn::Join": ["", ['{"arn":"', {"Ref": "Topic"}, '","replicas":2}']]}
    template = {
        "Resources": {
            "Chart": {
                "Type": render.HELM_RESOURCE_TYPE,
                "Properties": {
                    "Release": "demo",
                    "Chart": "demo",
                    "Version": "1.2.3",
                    "Repository": "https://charts.example",
                    "Namespace": "ns",
                    "Values": values,
                },
            },
            "Other": {"Type": "AWS::SNS::Topic", "Properties": {}},
        }
    }
    (release,) = render.helm_releases({"S": template})
    assert (release.chart, release.version, release.namespace) == ("demo", "1.2.3", "ns")
    assert release.values == {"arn": PLACEHOLDER, "replicas": 2}


def test_without_a_cache_or_a_repository_the_release_is_skipped_with_the_reason(tmp_path: Path) -> None:
    def offline_pull(*_: Any, **__: Any) -> None:
        raise OSError("dial tcp: no route to host")

    with pytest.raises(
        source.ChartUnavailable, match=r"no HELM_CHART_CACHE, and pulling https://charts\.example failed: dial"
    ):
        source.locate_chart(RELEASE, cache=None, pull_cache=tmp_path / "pulled", pull=offline_pull)
    with pytest.raises(source.ChartUnavailable, match=r"no demo-1\.2\.3\.tgz or demo-1\.2\.3/ in HELM_CHART_CACHE"):
        source.locate_chart(RELEASE, cache=tmp_path, pull_cache=tmp_path / "pulled", pull=None)


def test_a_chart_directory_in_the_cache_is_found_by_name_and_version_and_used_only_when_marked(
    tmp_path: Path,
) -> None:
    (tmp_path / "demo-1.2.3").mkdir()
    found = source.locate_chart(RELEASE, cache=tmp_path, pull_cache=tmp_path, pull=None)
    assert found.path == tmp_path / "demo-1.2.3"
    assert found.refused is not None and "is an unpacked directory, whose digest cannot be checked" in found.refused
    (tmp_path / "demo-1.2.3" / source.UNVERIFIED_MARKER).write_text("git tree of example/demo at tag demo-1.2.3\n")
    found = source.locate_chart(RELEASE, cache=tmp_path, pull_cache=tmp_path, pull=None)
    assert found.refused is None
    assert found.trust == "UNVERIFIED copy (digest not checked): git tree of example/demo at tag demo-1.2.3"


def test_keys_with_a_null_default_exist_and_subchart_keys_are_read_from_the_subchart() -> None:
    defaults = {".": {"image": {"tag": None}, "sub": {"enabled": True}}, "charts/sub": {"replicas": 1}}
    assert render.key_in_defaults(("image", "tag"), defaults) == (True, None)
    assert render.key_in_defaults(("sub", "replicas"), defaults) == (True, 1)
    assert render.key_in_defaults(("imagee", "tag"), defaults) == (False, None)


def test_a_value_that_changes_nothing_is_a_finding_unless_the_chart_knows_the_key() -> None:
    values = {"replicas": 2, "replcas": 3, "image": {"tag": "v1", "pullPolicy": "IfNotPresent"}}
    defaults = {".": {"replicas": 1, "image": {"tag": None, "pullPolicy": "IfNotPresent"}}}

    def render(v: Any) -> list[dict[str, Any]]:  # the chart reads replicas and image.tag only
        return [{"replicas": v.get("replicas", 1), "tag": v.get("image", {}).get("tag")}]

    findings, notes = vc.ineffective_values(values, render, defaults)
    assert findings == ["value replcas: not a key of the chart's values.yaml; changes nothing (ignored)"]
    assert notes == ["value image.pullPolicy: restates the chart default"]


def test_a_value_the_chart_requires_counts_as_effective() -> None:
    def render(v: Any) -> list[dict[str, Any]]:
        if "clusterName" not in v:
            raise RuntimeError("Chart cannot be installed without a valid clusterName!")
        return []

    assert vc.ineffective_values({"clusterName": "c"}, render, {".": {}}) == ([], [])


@dataclass(frozen=True)
class FakePod:
    name: str
    namespace: str
    kind: str
    source: str
    replicas: int
    max_replicas: int
    cpu_request_m: int
    memory_request_mib: int
    cpu_limit_m: int | None
    memory_limit_mib: int
    node_group: str | None
    node_selector: dict[str, str]


def _deployment(replicas: int, cpu: str, memory: str) -> dict[str, Any]:
    container = {"name": "c", "resources": {"requests": {"cpu": cpu, "memory": memory}}}
    pod = {"containers": [container], "nodeSelector": {"role": "system"}}
    return {
        "kind": "Deployment",
        "metadata": {"name": "demo"},
        "spec": {"replicas": replicas, "template": {"spec": pod}},
    }


def test_rendered_pods_match_the_inventory_or_each_difference_is_named() -> None:
    entry = FakePod("demo", "ns", "Deployment", "demo", 2, 2, 100, 128, None, 256, "system-nodes", {"role": "system"})
    other = FakePod("elsewhere", "ns", "Deployment", "another-release", 1, 1, 1, 1, None, 1, None, {})
    assert vc.compare_pods(RELEASE, vc.rendered_pods([_deployment(2, "100m", "128Mi")]), [entry, other]) == []
    findings = vc.compare_pods(RELEASE, vc.rendered_pods([_deployment(3, "0.25", "1Gi")]), [entry])
    assert findings == [
        "pods: Deployment demo: renders 3 replicas, inventory says 2",
        "pods: Deployment demo: renders cpu_request_m=250, inventory says 100",
        "pods: Deployment demo: renders memory_request_mib=1024, inventory says 128",
    ]
    assert vc.compare_pods(RELEASE, {}, [entry]) == [
        "pods: inventory lists Deployment demo, which the chart does not render"
    ]


def test_the_inventory_cross_check_says_it_is_skipped_when_the_module_is_absent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(vc, "POD_INVENTORY_MODULE", "no_such_module_for_the_test")
    inventory, line = vc.load_inventory(None)  # type: ignore[arg-type]
    assert inventory is None and line.startswith("pod inventory cross-check SKIPPED")


def test_crd_schemas_validate_our_custom_resources() -> None:
    crd = {
        "kind": "CustomResourceDefinition",
        "spec": {
            "group": "example.io",
            "names": {"kind": "Thing"},
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "schema": {
                        "openAPIV3Schema": {
                            "type": "object",
                            "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}},
                        }
                    },
                }
            ],
        },
    }
    crds = render.crd_schemas([crd])
    good = {"apiVersion": "example.io/v1", "kind": "Thing", "metadata": {"name": "t"}, "spec": {"size": 1}}
    bad = {**good, "spec": {"size": "big"}}
    assert vc.validate_object(good, kubernetes_version="1.36", crds=crds) is None
    assert "'big' is not of type 'integer'" in str(vc.validate_object(bad, kubernetes_version="1.36", crds=crds))


def test_the_cluster_api_versions_include_the_ga_apis_prometheus_adapter_branches_on() -> None:
    versions = render.cluster_api_versions("1.36", ["external-secrets.io/v1"])
    assert {"apiregistration.k8s.io/v1", "apps/v1", "v1", "external-secrets.io/v1"} <= set(versions)
    assert "apiregistration.k8s.io/v1beta1" not in versions
