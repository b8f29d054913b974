"""The pinned Helm releases of the synthesized templates, their chart sources, and rendering them with helm-python-sdk.

scripts/verify_charts.py checks what `Renderer` renders; this module finds, renders, and collects the CRD
schemas the charts install (`crd_schemas`, `installed_crds`).
"""

from __future__ import annotations

import json
import tarfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate.utils as kv
import yaml
from helm_python import _native

from scripts.applied_manifests import _flatten

HELM_RESOURCE_TYPE = "Custom::AWSCDK-EKS-HelmChart"
DEFAULT_PULL_CACHE = Path(".chart-cache")


@dataclass(frozen=True, eq=False)
class Release:
    """One Helm release as the synthesized template declares it."""

    stack: str
    release: str
    chart: str
    version: str
    repository: str
    namespace: str
    values: Mapping[str, Any]

    @property
    def archive_name(self) -> str:
        return f"{self.chart}-{self.version}"


# --- values from the templates ---------------------------------------------------------------------


def helm_releases(templates: Mapping[str, Mapping[str, Any]]) -> list[Release]:
    """Every Helm release of the synthesized templates (stack name -> template), in a stable order."""
    releases = []
    for stack, template in sorted(templates.items()):
        for resource in template.get("Resources", {}).values():
            if resource.get("Type") != HELM_RESOURCE_TYPE:
                continue
            props = resource["Properties"]
            raw = props.get("Values")
            releases.append(
                Release(
                    stack=stack,
                    release=_flatten(props["Release"]),
                    chart=_flatten(props["Chart"]),
                    version=_flatten(props["Version"]),
                    repository=_flatten(props["Repository"]),
                    namespace=_flatten(props.get("Namespace", "default")),
                    values=json.loads(_flatten(raw)) if raw is not None else {},
                )
            )
    return releases


def read_templates(assembly: Path) -> dict[str, dict[str, Any]]:
    return {
        path.name.removesuffix(".template.json"): json.loads(path.read_text())
        for path in sorted(assembly.glob("*.template.json"))
    }


# --- chart sources ---------------------------------------------------------------------------------


class ChartUnavailable(Exception):
    """The chart could not be found locally nor pulled: the release is skipped, with this reason."""


def locate_chart(release: Release, *, cache: Path | None, pull_cache: Path, pull: Callable[..., Any] | None) -> Path:
    """The chart's directory or archive: HELM_CHART_CACHE first, then a pull from its repository."""
    if cache is not None:
        for candidate in (cache / release.archive_name, cache / f"{release.archive_name}.tgz"):
            if candidate.exists():
                return candidate
        if pull is None:
            raise ChartUnavailable(
                f"no {release.archive_name}/ or {release.archive_name}.tgz in HELM_CHART_CACHE={cache}"
            )
    archive = pull_cache / f"{release.archive_name}.tgz"
    if archive.exists():
        return archive
    if pull is None:
        raise ChartUnavailable("no HELM_CHART_CACHE and pulling is off")
    pull_cache.mkdir(parents=True, exist_ok=True)
    try:
        if release.repository.startswith("oci://"):
            pull(f"{release.repository.rstrip('/')}/{release.chart}", version=release.version, destination=pull_cache)
        else:
            pull(release.chart, repo_url=release.repository, version=release.version, destination=pull_cache)
    except Exception as error:  # the SDK raises HelmRepoError and friends; any of them means "unavailable"
        where = "not in HELM_CHART_CACHE, and " if cache is not None else "no HELM_CHART_CACHE, and "
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ChartUnavailable(f"{where}pulling {release.repository} failed: {reason}") from error
    if not archive.exists():
        raise ChartUnavailable(f"pull from {release.repository} wrote no {archive.name}")
    return archive


def raw_values_files(source: Path) -> dict[str, Any]:
    """The chart's values.yaml and each bundled subchart's, as written (nulls kept), by chart path."""
    texts: dict[str, str] = {}
    if source.is_dir():
        for path in source.rglob("values.yaml"):
            rel = path.relative_to(source).parent.as_posix()
            texts[rel] = path.read_text()
    else:
        with tarfile.open(source) as archive:
            for member in archive.getmembers():
                parts = member.name.split("/")
                if parts[-1] == "values.yaml" and member.isfile():
                    handle = archive.extractfile(member)
                    if handle is not None:
                        texts["/".join(parts[1:-1]) or "."] = handle.read().decode()
    return {key: yaml.safe_load(text) or {} for key, text in texts.items()}


def key_in_defaults(path: Sequence[str], defaults: Mapping[str, Any]) -> tuple[bool, Any]:
    """Whether a values path exists in the raw values.yaml files (merge_values drops null defaults)."""
    tree: Any = defaults.get(".", {})
    # Istio's charts keep every default under one key (Helm cannot otherwise tell a default from a user value).
    if isinstance(tree, Mapping) and "_internal_defaults_do_not_set" in tree:
        tree = {**tree, **tree["_internal_defaults_do_not_set"]}
    for key in path:
        if not isinstance(tree, Mapping) or key not in tree:
            # A subchart's own values.yaml answers for the keys under its name.
            sub = defaults.get(f"charts/{path[0]}")
            if sub is not None and len(path) > 1:
                return key_in_defaults(path[1:], {".": sub})
            return False, None
        tree = tree[key]
    return True, tree


# --- rendering -------------------------------------------------------------------------------------


def cluster_api_versions(kubernetes_version: str, extra: Iterable[str] = ()) -> list[str]:
    """The API group versions (and group/version/Kind) a live cluster of this version serves.

    Offline, Helm assumes only its defaults, and charts that branch on .Capabilities.APIVersions (e.g.
    prometheus-adapter's APIService) render an old API. kubernetes-validate's definitions of the version
    list every built-in kind; the CRDs the charts install add theirs.
    """
    version = [v for v in kv.all_versions() if kv.major_minor(v) <= kubernetes_version][-1]
    definitions = kv.schema_contents(f"kubernetes-json-schema/v{version}-local/_definitions.json", kubernetes_version)
    found: set[str] = set(extra)
    for definition in definitions.get("$defs", definitions.get("definitions", {})).values():
        gvks = definition.get("x-kubernetes-group-version-kind", [])
        if len(gvks) != 1:  # DeleteOptions, WatchEvent: listed under every group version ever served
            continue
        for gvk in gvks:
            group_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            found.add(group_version)
            found.add(f"{group_version}/{gvk['kind']}")
    return sorted(found)


class Renderer:
    """Loads the chart afresh for every render: helm-python-sdk's render mutates the loaded chart."""

    def __init__(self, source: Path, release: Release, *, kube_version: str, api_versions: Sequence[str]) -> None:
        self.source = source
        self.release = release
        self.kube_version = kube_version
        self.api_versions = list(api_versions)

    def load(self) -> Any:
        if self.source.is_dir():
            return helm.Chart.load(self.source)
        return helm.Chart.load_archive(self.source.read_bytes())

    def render(self, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        chart = self.load()
        # Chart.render (0.2.2) forwards only name/namespace/revision; the C ABI's render options also take
        # kube_version and api_versions, which a `helm template --kube-version --api-versions` needs.
        options = {
            "name": self.release.release,
            "namespace": self.release.namespace,
            "is_install": True,
            "kube_version": f"v{self.kube_version}.0",
            "api_versions": self.api_versions,
        }
        try:
            rendered = json.loads(
                _native.call_string("helm_render", chart._raw(), json.dumps(values), json.dumps(options))
            )
        finally:
            chart.close()
        objects: list[dict[str, Any]] = []
        for path, text in sorted(rendered.items()):
            if not path.endswith((".yaml", ".yml")):
                continue
            for doc in yaml.safe_load_all(text):
                if isinstance(doc, dict) and doc:
                    # kubectl and Helm apply a List's items one by one.
                    objects.extend(doc.get("items") or [] if doc.get("kind") == "List" else [doc])
        return objects


def crd_schemas(objects: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind) -> openAPIV3Schema of every served version of the CRDs among these objects."""
    schemas: dict[tuple[str, str], dict[str, Any]] = {}
    for obj in objects:
        if obj.get("kind") != "CustomResourceDefinition":
            continue
        spec = obj["spec"]
        for version in spec.get("versions", []):
            if version.get("served", True) and "schema" in version:
                key = (f"{spec['group']}/{version['name']}", spec["names"]["kind"])
                schemas[key] = version["schema"]["openAPIV3Schema"]
    return schemas


def installed_crds(
    located: Mapping[Release, Path], *, kubernetes_version: str
) -> tuple[dict[tuple[str, str], Mapping[str, Any]], set[str]]:
    """The CRDs every chart installs (and their API versions), so a chart's custom resources of another chart's CRD validate too."""
    all_crds: dict[tuple[str, str], Mapping[str, Any]] = {}
    extra_api_versions: set[str] = set()
    for release, source in located.items():
        renderer = Renderer(source, release, kube_version=kubernetes_version, api_versions=[])
        chart = renderer.load()
        try:
            chart_crds = [
                doc for crd in chart.crds for doc in yaml.safe_load_all(crd.get("data", "")) if isinstance(doc, dict)
            ]
        finally:
            chart.close()
        try:
            found = crd_schemas([*renderer.render(release.values), *chart_crds])
        except Exception:  # verify_release reports the failure
            found = {}
        all_crds.update(found)
        extra_api_versions.update(api for api, _ in found)
        extra_api_versions.update(f"{api}/{kind}" for api, kind in found)
    return all_crds, extra_api_versions
