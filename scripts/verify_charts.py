"""Render every pinned Helm release with the values the synthesized templates pass, and validate the result.

`make verify-charts` runs what an experienced platform engineer runs in CI (`helm template` + schema
validation), through helm-python-sdk (Helm v4's Go SDK in a bundled C library; no helm binary):

- the release's chart at its pinned version, from HELM_CHART_CACHE (`<chart>-<version>.tgz`, or a
  `<chart>-<version>/` marked as an unverified copy) or pulled into .chart-cache/; an archive whose
  sha256 is not the pinned digest is refused (scripts/chart_source.py); no chart: one SKIPPED line;
- the values from the templates' Custom::AWSCDK-EKS-HelmChart resources, tokens as placeholders;
- the chart's values.schema.json (Helm's own check), when it ships one;
- every rendered object through kubernetes-validate --strict at the cluster's version, custom
  resources as the API server takes them (CRD defaults applied, unknown fields rejected, metadata
  checked: scripts/chart_objects.py) against the CRDs the charts install, and so every custom resource
  we apply;
- every value we set is removed in turn and the chart re-rendered: a value that changes nothing is a
  key the chart ignores (a typo, or a key of another chart version) unless it restates the default
  (scripts/chart_values.py; material a chart generates on every render is masked);
- the rendered pods (replicas, requests, node selector) against issue "Fit"'s pod inventory.

Every chart renders against the same API versions: the configured Kubernetes version's built-ins and
the platform's CRDs (PLATFORM_API_VERSIONS). Exit 0 when everything rendered passed, 1 on a finding or
when nothing could be verified; a release without a chart is a SKIPPED line and a check that could not
run a `?` line, never a pass (`--require-all` turns a skip into a failure, for CI which has network).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import helm_python as helm

from config import AppConfig, ConfigError, load_config
from config.kubernetes import SUPPORTED_VERSIONS
from scripts.applied_manifests import applied_manifests
from scripts.chart_objects import validate_object
from scripts.chart_render import (
    DEFAULT_PULL_CACHE,
    HELM_RESOURCE_TYPE,
    PLATFORM_API_VERSIONS,
    YAML_LOADER_NAME,
    Release,
    Renderer,
    chart_crd_objects,
    cluster_api_versions,
    crd_schemas,
    helm_releases,
    installed_crds,
    raw_values_files,
    read_templates,
)
from scripts.chart_source import ChartSource, ChartUnavailable, locate_chart, pinned_digests
from scripts.chart_values import CheckCannotRun, ineffective_values

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
    # Checks that could not run for this release (printed, and counted in the summary: never a pass).
    not_run: list[str] = field(default_factory=list)
    objects: int = 0


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
    source: ChartSource,
    *,
    kubernetes_version: str,
    api_versions: Sequence[str],
    our_objects: Sequence[Mapping[str, Any]],
    all_crds: Mapping[tuple[str, str], Mapping[str, Any]],
    inventory: Sequence[Any] | None,
) -> Report:
    report = Report(release=release, source=str(source.path), notes=[f"chart: {source.trust}"])
    if source.refused:
        report.findings.append(source.refused)
        return report
    renderer = Renderer(source.path, release, kube_version=kubernetes_version, api_versions=api_versions)
    chart = renderer.load()
    try:
        if chart.version != release.version:
            report.findings.append(f"chart at {source.path} is version {chart.version}, the pin is {release.version}")
            return report
        if chart.schema is not None:
            try:
                chart.validate_schema(dict(release.values))
                report.notes.append("values.schema.json: values valid")
            except helm.HelmError as error:
                report.findings.append(f"values.schema.json: {error}")
        else:
            report.notes.append("values.schema.json: none in this chart")
        chart_crds = chart_crd_objects(chart)
    finally:
        chart.close()
    try:
        objects = renderer.render(release.values)
    except helm.HelmError as error:
        report.findings.append(f"render failed: {error}")
        return report
    report.objects = len(objects)
    own = crd_schemas([*objects, *chart_crds])
    report.findings += [
        f"installs CRDs of {api}, which PLATFORM_API_VERSIONS (scripts/chart_render.py) does not list: "
        "the other charts render as if the cluster did not serve it"
        for api in sorted({api for api, _ in own} - set(PLATFORM_API_VERSIONS))
    ]
    crds = {**all_crds, **own}
    report.findings += [
        problem
        for obj in objects
        if (problem := validate_object(obj, kubernetes_version=kubernetes_version, crds=crds))
    ]
    # Our own custom resources of this chart's CRDs (e.g. ExternalSecrets) against the schemas it installs.
    for obj in our_objects:
        if (obj.get("apiVersion"), obj.get("kind")) in own:
            problem = validate_object(obj, kubernetes_version=kubernetes_version, crds=own)
            report.findings.append(f"our {problem}") if problem else report.notes.append(
                f"our {obj['kind']} {obj['metadata']['name']}: valid against the chart's CRD"
            )
    try:
        findings, notes = ineffective_values(release.values, renderer.render, raw_values_files(source.path))
        report.findings += findings
        report.notes += notes
    except CheckCannotRun as reason:
        report.not_run.append(str(reason))
    if inventory is not None:
        report.findings += compare_pods(release, rendered_pods(objects), inventory)
    return report


def unvalidated_custom_resources(
    our_objects: Sequence[Mapping[str, Any]], crds: Mapping[tuple[str, str], Any]
) -> list[str]:
    """Our objects of the platform's custom APIs whose CRD no chart of this run installs: not validated."""
    return [
        f"our {obj.get('kind')} {(obj.get('metadata') or {}).get('name')} ({obj.get('apiVersion')}): NOT validated, "
        "no chart found in this run installs its CRD"
        for obj in our_objects
        if obj.get("apiVersion") in PLATFORM_API_VERSIONS and (obj.get("apiVersion"), obj.get("kind")) not in crds
    ]


def print_reports(reports: Sequence[Report]) -> tuple[int, int, int]:
    """Print every report, by stack and release; the numbers of failed and skipped releases and of checks not run."""
    failed = skipped = not_run = 0
    for report in sorted(reports, key=lambda r: (r.release.stack, r.release.release)):
        r = report.release
        head = f"{r.stack} {r.release} ({r.chart} {r.version}, {r.namespace})"
        if report.skipped:
            skipped += 1
            print(f"SKIPPED {head}: {report.skipped}")
            continue
        status = "FAIL" if report.findings else "ok"
        failed += bool(report.findings)
        not_run += len(report.not_run)
        print(f"{status:7} {head}: {report.objects} objects from {report.source}")
        for note in report.notes:
            print(f"          - {note}")
        for line in report.not_run:
            print(f"          ? {line}")
        for finding in report.findings:
            print(f"          ! {finding}")
    return failed, skipped, not_run


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
    digests = pinned_digests()

    located: dict[Release, ChartSource] = {}
    reports: list[Report] = []
    for release in releases:
        try:
            located[release] = locate_chart(
                release, cache=cache, pull_cache=DEFAULT_PULL_CACHE, pull=pull, digests=digests
            )
        except ChartUnavailable as reason:
            reports.append(Report(release=release, skipped=str(reason)))
    usable = {release: source.path for release, source in located.items() if not source.refused}
    if not usable:
        reasons = [r.skipped for r in reports] + [s.refused for s in located.values()]
        print(
            f"verify-charts: FAILED, nothing verified: no usable chart for any of the {len(releases)} releases "
            f"(first: {reasons[0]})"
        )
        return 1

    # One fixed set for the configured version: what a chart renders never depends on the charts found.
    api_versions = cluster_api_versions(kubernetes_version)
    all_crds = installed_crds(usable, kubernetes_version=kubernetes_version, api_versions=api_versions)
    inventory, inventory_line = load_inventory(config)
    print(
        f"verify-charts: {args.env}, Kubernetes {kubernetes_version}, {len(api_versions)} API versions, "
        f"YAML loader {YAML_LOADER_NAME}; {inventory_line}"
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
    failed, skipped, not_run = print_reports(reports)
    unchecked = unvalidated_custom_resources(our_objects, all_crds)
    for line in unchecked:
        print(f"SKIPPED {line}")
    verified = len(reports) - skipped
    print(
        f"verify-charts: {verified - failed} of {len(reports)} releases passed, {failed} failed, "
        f"{skipped} SKIPPED (not verified); {not_run} checks could not run, {len(unchecked)} of our custom "
        "resources not validated"
    )
    return 1 if failed or (skipped and args.require_all) else 0


if __name__ == "__main__":
    sys.exit(main())
