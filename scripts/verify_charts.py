"""Render every pinned Helm release with the values the synthesized templates pass, and validate the result.

`make verify-charts` runs what an experienced platform engineer runs in CI (`helm template` + schema
validation), through helm-python-sdk (Helm v4's Go SDK in a bundled C library; no helm binary):

- the release's chart at its pinned version, from HELM_CHART_CACHE (`<chart>-<version>/` or
  `<chart>-<version>.tgz`) or pulled from its repository into .chart-cache/; neither: one SKIPPED line;
- the values from the templates' Custom::AWSCDK-EKS-HelmChart resources, tokens as placeholders;
- the chart's values.schema.json (Helm's own check), when it ships one;
- every rendered object through kubernetes-validate --strict at the cluster's version, custom
  resources through the CRD schemas the charts install, and so every custom resource we apply;
- every value we set is removed in turn and the chart re-rendered: a value that changes nothing is a
  key the chart ignores (a typo, or a key of another chart version) unless it restates the default;
- the rendered pods (replicas, requests, node selector) against issue "Fit"'s pod inventory.

Exit 0 when everything rendered passed, 1 on a finding; a release that could not be rendered is a
SKIPPED line, never a pass (`--require-all` turns a skip into a failure, for CI which has network).
"""

from __future__ import annotations

import argparse
import copy
import importlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import helm_python as helm
import jsonschema
import kubernetes_validate.utils as kv
import yaml

from config import AppConfig, ConfigError, load_config
from config.kubernetes import SUPPORTED_VERSIONS
from scripts.applied_manifests import applied_manifests
from scripts.chart_render import (
    DEFAULT_PULL_CACHE,
    HELM_RESOURCE_TYPE,
    ChartUnavailable,
    Release,
    Renderer,
    cluster_api_versions,
    crd_schemas,
    helm_releases,
    installed_crds,
    key_in_defaults,
    locate_chart,
    raw_values_files,
    read_templates,
)

POD_KINDS = ("Deployment", "StatefulSet", "DaemonSet")
# Issue "Fit" builds the pod inventory there; until it is merged the cross-check says it is skipped.
POD_INVENTORY_MODULE = "fit.inventory"


@dataclass
class Report:
    release: Release
    source: str = ""
    skipped: str | None = None
    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    objects: int = 0


# --- checks ----------------------------------------------------------------------------------------


def validate_object(
    obj: Mapping[str, Any], *, kubernetes_version: str, crds: Mapping[tuple[str, str], Mapping[str, Any]]
) -> str | None:
    """None when valid; otherwise one line naming the object and the first schema error."""
    kind, api_version = obj.get("kind", "?"), obj.get("apiVersion", "?")
    name = f"{kind} {obj.get('metadata', {}).get('name', '?')} ({api_version})"
    schema = crds.get((api_version, kind))
    if schema is not None:
        errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(_without_metadata(obj)), key=str)
        return f"{name}: {errors[0].message} at {'/'.join(map(str, errors[0].absolute_path))}" if errors else None
    try:
        kv.validate(dict(obj), kubernetes_version, strict=True)
    except kv.SchemaNotFoundError:
        return f"{name}: no schema (neither a Kubernetes {kubernetes_version} kind nor a CRD a chart installs)"
    except kv.ValidationError as error:
        return f"{name}: {error.caused_by.message} at {'/'.join(map(str, error.caused_by.absolute_path))}"
    return None


def _without_metadata(obj: Mapping[str, Any]) -> dict[str, Any]:
    # A CRD's schema leaves metadata to the API server (ObjectMeta); it is validated as such elsewhere.
    return {key: value for key, value in obj.items() if key != "metadata"}


def leaf_paths(values: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for key, value in values.items():
        path = (*prefix, str(key))
        if isinstance(value, Mapping) and value:
            yield from leaf_paths(value, path)
        else:
            yield path


def without(values: Mapping[str, Any], path: Sequence[str]) -> dict[str, Any]:
    copied = copy.deepcopy(dict(values))
    node = copied
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return copied


def _get(values: Mapping[str, Any], path: Sequence[str]) -> Any:
    node: Any = values
    for key in path:
        node = node[key]
    return node


def ineffective_values(
    values: Mapping[str, Any],
    render: Callable[[Mapping[str, Any]], list[dict[str, Any]]],
    defaults: Mapping[str, Any],
) -> tuple[list[str], list[str]]:
    """(findings, notes): each value we set whose removal leaves the render unchanged.

    A subtree that changes nothing is split into its leaves; one that does is searched key by key. A
    leaf the chart's values.yaml does not have is a finding (Helm ignores unknown keys silently: a
    typo, or a key of another chart version). One it has is a note: restating the default pins it, and
    some keys act only outside a render (test hooks, upgrades), which this check cannot see.
    """
    baseline = render(values)
    findings: list[str] = []
    notes: list[str] = []

    def visit(prefix: tuple[str, ...]) -> None:
        node = _get(values, prefix) if prefix else values
        for key in node:
            path = (*prefix, str(key))
            try:
                changed = render(without(values, path)) != baseline
            except Exception:  # the chart requires it (a `required` or `fail`): it certainly matters
                changed = True
            if changed:
                child = node[key]
                if isinstance(child, Mapping) and child:
                    visit(path)
                continue
            child = node[key]
            for leaf in leaf_paths(child, path) if isinstance(child, Mapping) and child else [path]:
                dotted = ".".join(leaf)
                present, default = key_in_defaults(leaf, defaults)
                if not present:
                    findings.append(f"value {dotted}: not a key of the chart's values.yaml; changes nothing (ignored)")
                elif default == _get(values, leaf):
                    notes.append(f"value {dotted}: restates the chart default")
                else:
                    notes.append(f"value {dotted}: changes nothing in the render (chart default {default!r})")

    visit(())
    return findings, notes


# --- pods against the inventory --------------------------------------------------------------------


def _quantity_m(value: Any) -> int:
    text = str(value)
    return int(text[:-1]) if text.endswith("m") else int(float(text) * 1000)


_MEMORY_UNITS = {
    "Ki": 1 / 1024,
    "Mi": 1,
    "Gi": 1024,
    "K": 1000 / 1024 / 1024,
    "M": 1000**2 / 1024**2,
    "G": 1000**3 / 1024**2,
}


def _quantity_mib(value: Any) -> int:
    text = str(value)
    for unit, factor in _MEMORY_UNITS.items():
        if text.endswith(unit):
            return round(float(text[: -len(unit)]) * factor)
    return round(int(text) / 1024**2)


def rendered_pods(objects: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """(kind, name) -> replicas, summed container requests and node selector of each pod controller."""
    pods: dict[tuple[str, str], dict[str, Any]] = {}
    objects = list(objects)
    for obj in objects:
        if obj.get("kind") not in POD_KINDS:
            continue
        pod = obj["spec"]["template"]["spec"]
        requests = [c.get("resources", {}).get("requests", {}) for c in pod.get("containers", [])]
        pods[(obj["kind"], obj["metadata"]["name"])] = {
            "replicas": None if obj["kind"] == "DaemonSet" else _replicas(obj, objects),
            "cpu_request_m": sum(_quantity_m(r["cpu"]) for r in requests if "cpu" in r),
            "memory_request_mib": sum(_quantity_mib(r["memory"]) for r in requests if "memory" in r),
            "node_selector": dict(pod.get("nodeSelector", {})),
        }
    return pods


def _replicas(workload: Mapping[str, Any], objects: Sequence[Mapping[str, Any]]) -> int:
    """The replicas a controller runs at rest: an HPA's minimum when one scales it (istiod), else spec.replicas."""
    for hpa in objects:
        target = (hpa.get("spec") or {}).get("scaleTargetRef") or {}
        if hpa.get("kind") == "HorizontalPodAutoscaler" and (target.get("kind"), target.get("name")) == (
            workload["kind"],
            workload["metadata"]["name"],
        ):
            return int(hpa["spec"].get("minReplicas", 1))
    return int(workload["spec"].get("replicas", 1))


def compare_pods(
    release: Release, pods: Mapping[tuple[str, str], Mapping[str, Any]], inventory: Sequence[Any]
) -> list[str]:
    """Findings where the rendered pods of one release and the inventory's entries for it disagree."""
    entries = {(c.kind, c.name): c for c in inventory if c.source == release.release}
    findings = [
        f"pods: {kind} {name} rendered by the chart is not in the pod inventory"
        for kind, name in sorted(set(pods) - set(entries))
    ]
    findings += [
        f"pods: inventory lists {kind} {name}, which the chart does not render"
        for kind, name in sorted(set(entries) - set(pods))
    ]
    for key in sorted(set(pods) & set(entries)):
        pod, entry = pods[key], entries[key]
        label = f"pods: {key[0]} {key[1]}"
        if pod["replicas"] is not None and pod["replicas"] != entry.replicas:
            findings.append(f"{label}: renders {pod['replicas']} replicas, inventory says {entry.replicas}")
        if entry.namespace != release.namespace:
            findings.append(f"{label}: inventory namespace {entry.namespace}, release namespace {release.namespace}")
        for field_name in ("cpu_request_m", "memory_request_mib"):
            if pod[field_name] != getattr(entry, field_name):
                findings.append(
                    f"{label}: renders {field_name}={pod[field_name]}, inventory says {getattr(entry, field_name)}"
                )
        selector = dict(getattr(entry, "node_selector", {}) or {})
        if pod["node_selector"] != selector:
            findings.append(f"{label}: renders nodeSelector {pod['node_selector']}, inventory says {selector}")
    return findings


def load_inventory(config: AppConfig) -> tuple[Sequence[Any] | None, str]:
    try:
        module = importlib.import_module(POD_INVENTORY_MODULE)
    except ModuleNotFoundError:
        return None, f'pod inventory cross-check SKIPPED: no {POD_INVENTORY_MODULE} module (issue "Fit") in this tree'
    return tuple(module.pod_inventory(config)), f"pod inventory: {POD_INVENTORY_MODULE}.pod_inventory"


# --- driver ----------------------------------------------------------------------------------------


def verify_release(
    release: Release,
    source: Path,
    *,
    kubernetes_version: str,
    api_versions: Sequence[str],
    our_objects: Sequence[Mapping[str, Any]],
    all_crds: Mapping[tuple[str, str], Mapping[str, Any]],
    inventory: Sequence[Any] | None,
) -> Report:
    report = Report(release=release, source=str(source))
    renderer = Renderer(source, release, kube_version=kubernetes_version, api_versions=api_versions)
    chart = renderer.load()
    try:
        if chart.version != release.version:
            report.findings.append(f"chart at {source} is version {chart.version}, the pin is {release.version}")
            return report
        if chart.schema is not None:
            try:
                chart.validate_schema(dict(release.values))
                report.notes.append("values.schema.json: values valid")
            except helm.HelmError as error:
                report.findings.append(f"values.schema.json: {error}")
        else:
            report.notes.append("values.schema.json: none in this chart")
        chart_crds = [
            doc for crd in chart.crds for doc in yaml.safe_load_all(crd.get("data", "")) if isinstance(doc, dict)
        ]
    finally:
        chart.close()
    try:
        objects = renderer.render(release.values)
    except helm.HelmError as error:
        report.findings.append(f"render failed: {error}")
        return report
    report.objects = len(objects)
    crds = {**all_crds, **crd_schemas([*objects, *chart_crds])}
    report.findings += [
        problem
        for obj in objects
        if (problem := validate_object(obj, kubernetes_version=kubernetes_version, crds=crds))
    ]
    # Our own custom resources of this chart's CRDs (e.g. ExternalSecrets) against the schemas it installs.
    own = crd_schemas([*objects, *chart_crds])
    for obj in our_objects:
        if (obj.get("apiVersion"), obj.get("kind")) in own:
            problem = validate_object(obj, kubernetes_version=kubernetes_version, crds=own)
            report.findings.append(f"our {problem}") if problem else report.notes.append(
                f"our {obj['kind']} {obj['metadata']['name']}: valid against the chart's CRD"
            )
    defaults = raw_values_files(source)
    findings, notes = ineffective_values(release.values, renderer.render, defaults)
    report.findings += findings
    report.notes += notes
    if inventory is not None:
        report.findings += compare_pods(release, rendered_pods(objects), inventory)
    return report


def print_reports(reports: Sequence[Report]) -> tuple[int, int]:
    """Print every report, by stack and release; the numbers of failed and skipped releases."""
    failed = skipped = 0
    for report in sorted(reports, key=lambda r: (r.release.stack, r.release.release)):
        r = report.release
        head = f"{r.stack} {r.release} ({r.chart} {r.version}, {r.namespace})"
        if report.skipped:
            skipped += 1
            print(f"SKIPPED {head}: {report.skipped}")
            continue
        status = "FAIL" if report.findings else "ok"
        failed += bool(report.findings)
        print(f"{status:7} {head}: {report.objects} objects from {report.source}")
        for note in report.notes:
            print(f"          - {note}")
        for finding in report.findings:
            print(f"          ! {finding}")
    return failed, skipped


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env", default="prod")
    parser.add_argument("--assembly", type=Path, default=Path("cdk.out"))
    parser.add_argument("--require-all", action="store_true", help="a skipped release fails the run (CI)")
    parser.add_argument("--no-pull", action="store_true", help="read HELM_CHART_CACHE only, never a repository")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.env)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    kubernetes_version = config.eks.kubernetes_version
    assert kubernetes_version in SUPPORTED_VERSIONS
    templates = read_templates(args.assembly)
    releases = helm_releases(templates)
    if not releases:
        print(f"verify-charts: no {HELM_RESOURCE_TYPE} in {args.assembly}: run make synth first", file=sys.stderr)
        return 2
    cache_env = os.environ.get("HELM_CHART_CACHE")
    cache = Path(cache_env) if cache_env else None
    pull: Callable[..., Any] | None = None
    if not args.no_pull:
        pull = helm.pull
    our_objects = [obj for template in templates.values() for obj in applied_manifests(template)]

    located: dict[Release, Path] = {}
    reports: list[Report] = []
    for release in releases:
        try:
            located[release] = locate_chart(release, cache=cache, pull_cache=DEFAULT_PULL_CACHE, pull=pull)
        except ChartUnavailable as reason:
            reports.append(Report(release=release, skipped=str(reason)))
    if not located:
        print(
            f"verify-charts: SKIPPED (nothing verified): no chart source for any of {len(releases)} releases: {reports[0].skipped}"
        )
        return 1 if args.require_all else 0

    all_crds, extra_api_versions = installed_crds(located, kubernetes_version=kubernetes_version)
    api_versions = cluster_api_versions(kubernetes_version, extra_api_versions)

    inventory, inventory_line = load_inventory(config)
    print(
        f"verify-charts: {args.env}, Kubernetes {kubernetes_version}, {len(api_versions)} API versions; {inventory_line}"
    )
    for release, source in located.items():
        reports.append(
            verify_release(
                release,
                source,
                kubernetes_version=kubernetes_version,
                api_versions=api_versions,
                our_objects=our_objects,
                all_crds=all_crds,
                inventory=inventory,
            )
        )
    failed, skipped = print_reports(reports)
    verified = len(reports) - skipped
    print(
        f"verify-charts: {verified - failed} of {len(reports)} releases passed, {failed} failed, {skipped} SKIPPED (not verified)"
    )
    return 1 if failed or (skipped and args.require_all) else 0


if __name__ == "__main__":
    sys.exit(main())
