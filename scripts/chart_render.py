"""The pinned Helm releases of the synthesized templates, and rendering them with helm-python-sdk.

scripts/verify_charts.py checks what `Renderer` renders; scripts/chart_source.py finds the charts; this
module renders them and collects the CRD schemas they install (`crd_schemas`, `installed_crds`).
"""

from __future__ import annotations

import functools
import json
import tarfile
from collections.abc import Iterable, Mapping, Sequence
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
# PyYAML's libyaml loader where installed: External Secrets' CRDs (~2 MB of YAML, parsed on every render)
# take seconds per render in pure Python and a fraction of a second in C.
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_loader_name(loader: type[Any]) -> str:
    return "pure Python (slow: PyYAML without libyaml)" if loader is yaml.SafeLoader else "libyaml (C)"


YAML_LOADER_NAME = yaml_loader_name(YAML_LOADER)
# The custom API group versions the cluster serves once the platform is installed: the CRDs of the
# pinned charts and of the amazon-cloudwatch-observability add-on (cloudwatch.aws.amazon.com). Every chart
# renders against the same set, whichever charts a run finds; verify_charts fails a chart that installs
# one missing here.
PLATFORM_API_VERSIONS = (
    "aga.k8s.aws/v1beta1",
    "cloudwatch.aws.amazon.com/v1alpha1",
    "elbv2.k8s.aws/v1alpha1",
    "elbv2.k8s.aws/v1beta1",
    "external-secrets.io/v1",
    "external-secrets.io/v1alpha1",
    "gateway.k8s.aws/v1beta1",
    "generators.external-secrets.io/v1alpha1",
    # Istio base (the mesh): its CRDs' group versions.
    "extensions.istio.io/v1alpha1",
    "networking.istio.io/v1",
    "networking.istio.io/v1alpha3",
    "networking.istio.io/v1beta1",
    "security.istio.io/v1",
    "security.istio.io/v1beta1",
    "telemetry.istio.io/v1",
    "telemetry.istio.io/v1alpha1",
)


def load_yaml_documents(text: str) -> list[Any]:
    return list(yaml.load_all(text, Loader=YAML_LOADER))


@functools.lru_cache(maxsize=512)
def _rendered_documents(text: str) -> tuple[Any, ...]:
    return tuple(load_yaml_documents(text))


def rendered_documents(text: str) -> tuple[Any, ...]:
    """The documents of one rendered template file, parsed once per distinct text.

    The ignored-key check renders a chart dozens of times and most files come out the same (External
    Secrets' ~2 MB of CRDs every time): even with libyaml, PyYAML builds the objects in Python. The
    objects are shared between renders, so the checks treat rendered objects as read-only.
    """
    return _rendered_documents(text)


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


# --- chart files ---------------------------------------------------------------------------------


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
    return {key: yaml.load(text, Loader=YAML_LOADER) or {} for key, text in texts.items()}


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


def cluster_api_versions(kubernetes_version: str, extra: Iterable[str] = PLATFORM_API_VERSIONS) -> list[str]:
    """The API group versions (and group/version/Kind) a live cluster of this version serves.

    Offline, Helm assumes only its defaults, and charts that branch on .Capabilities.APIVersions (e.g.
    prometheus-adapter's APIService) render an old API. kubernetes-validate's definitions of the version
    list every built-in kind; the platform's CRDs add their group versions (a fixed list, so what a chart
    renders never depends on which other charts a run found).
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
            for doc in rendered_documents(text):
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


def chart_crd_objects(chart: Any) -> list[dict[str, Any]]:
    """The CRDs of a loaded chart's crds/ directory (Helm installs them before the templates)."""
    return [doc for crd in chart.crds for doc in load_yaml_documents(crd.get("data", "")) if isinstance(doc, dict)]


def installed_crds(
    located: Mapping[Release, Path], *, kubernetes_version: str, api_versions: Sequence[str]
) -> dict[tuple[str, str], Mapping[str, Any]]:
    """The CRDs every chart installs, so a chart's custom resources of another chart's CRD validate too."""
    all_crds: dict[tuple[str, str], Mapping[str, Any]] = {}
    for release, source in located.items():
        renderer = Renderer(source, release, kube_version=kubernetes_version, api_versions=api_versions)
        chart = renderer.load()
        try:
            chart_crds = chart_crd_objects(chart)
        finally:
            chart.close()
        try:
            all_crds.update(crd_schemas([*renderer.render(release.values), *chart_crds]))
        except Exception:  # verify_release reports the failure
            all_crds.update(crd_schemas(chart_crds))
    return all_crds
