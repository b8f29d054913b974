"""The cluster side of a release: every Kubernetes object, Helm release and add-on configuration the
templates apply, decoded from both sides and compared object by object.

Manifests are JSON strings inside `Custom::AWSCDK-EKS-KubernetesResource`, often an `Fn::Join` around
tokens (a role ARN, a stack output): tokens become `${...}` placeholders so the document parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from scripts.release_review.model import DANGER, WARNING, Finding
from scripts.release_review.templates import decode_json, leaf_diffs, short

MANIFEST = "Custom::AWSCDK-EKS-KubernetesResource"
HELM = "Custom::AWSCDK-EKS-HelmChart"
ADDON = "AWS::EKS::Addon"
CLUSTER = "AWS::EKS::Cluster"
# Deleting one of these loses data or everything built on it (a namespace takes its objects along,
# a CRD its custom resources, an ExternalSecret the Secret it owns).
DATA_KINDS = {
    "Namespace",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "CustomResourceDefinition",
    "ExternalSecret",
    "StatefulSet",
}
IMMUTABLE_SELECTORS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}
# Labels the CDK adds to every object of a manifest for pruning; they say nothing about the change.
PRUNE_LABEL = re.compile(r"aws\.cdk\.eks/prune-")

ObjectKey = tuple[str, str, str]  # kind, namespace, name


@dataclass
class ClusterState:
    objects: dict[ObjectKey, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # key -> (owner, object)
    helm: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # namespace/release -> (owner, props)
    addons: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    versions: dict[str, tuple[str, str]] = field(default_factory=dict)  # cluster name -> (owner, version)
    undecodable: list[str] = field(default_factory=list)


def _decode(owner: str, value: Any, state: ClusterState) -> Any:
    try:
        return decode_json(value)
    except ValueError as error:
        state.undecodable.append(f"{owner}: {error}")
        return None


def _strip_prune_labels(obj: dict[str, Any]) -> dict[str, Any]:
    labels = (obj.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        obj = {
            **obj,
            "metadata": {**obj["metadata"], "labels": {k: v for k, v in labels.items() if not PRUNE_LABEL.match(k)}},
        }
    return obj


def read_cluster(templates: dict[str, dict[str, Any]]) -> ClusterState:
    state = ClusterState()
    for stack, template in sorted(templates.items()):
        for lid, resource in (template.get("Resources") or {}).items():
            owner, kind, props = f"{stack}/{lid}", resource.get("Type"), resource.get("Properties") or {}
            if kind == MANIFEST:
                documents = _decode(owner, props.get("Manifest"), state) or []
                for obj in documents if isinstance(documents, list) else [documents]:
                    if isinstance(obj, dict) and obj.get("kind"):
                        meta = obj.get("metadata") or {}
                        key = (str(obj["kind"]), str(meta.get("namespace", "")), str(meta.get("name", "")))
                        state.objects[key] = (owner, _strip_prune_labels(obj))
            elif kind == HELM:
                release = f"{props.get('Namespace', 'default')}/{props.get('Release') or props.get('Chart')}"
                values = _decode(owner, props.get("Values"), state)
                state.helm[release] = (
                    owner,
                    {**{k: v for k, v in props.items() if k not in ("Values", "ServiceToken")}, "values": values},
                )
            elif kind == ADDON:
                config = _decode(owner, props.get("ConfigurationValues"), state)
                state.addons[str(props.get("AddonName"))] = (
                    owner,
                    {"version": props.get("AddonVersion"), "configuration": config},
                )
            elif kind == CLUSTER and props.get("Version"):
                state.versions[str(props.get("Name") or lid)] = (owner, str(props["Version"]))
    return state


def _name(key: ObjectKey, obj: dict[str, Any]) -> str:
    kind, namespace, name = key
    return f"{obj.get('apiVersion', '?')} {kind} {namespace + '/' if namespace else ''}{name}"


def _value(path: str, before: Any, after: Any) -> tuple[str, str]:
    images = path.endswith(".image") and isinstance(before, str) and isinstance(after, str)
    if images and ":" in before and ":" in after and before.rsplit(":", 1)[0] == after.rsplit(":", 1)[0]:
        return before.rsplit(":", 1)[1], after.rsplit(":", 1)[1]
    return short(before, 80), short(after, 80)


def _ingress_services(objects: dict[ObjectKey, tuple[str, dict[str, Any]]]) -> set[tuple[str, str]]:
    services = set()
    for (kind, namespace, _), (_, obj) in objects.items():
        if kind != "Ingress":
            continue
        spec = obj.get("spec") or {}
        backends = [spec.get("defaultBackend") or {}]
        for rule in spec.get("rules") or []:
            backends += [p.get("backend") or {} for p in (rule.get("http") or {}).get("paths") or []]
        services |= {(namespace, str((b.get("service") or {}).get("name"))) for b in backends if b.get("service")}
    return services


def _external_secret_targets(objects: dict[ObjectKey, tuple[str, dict[str, Any]]]) -> dict[tuple[str, str], ObjectKey]:
    targets = {}
    for key, (_, obj) in objects.items():
        if key[0] == "ExternalSecret":
            target = ((obj.get("spec") or {}).get("target") or {}).get("name") or key[2]
            targets[(key[1], str(target))] = key
    return targets


def _major(version: Any) -> int | None:
    match = re.match(r"v?(\d+)", str(version or ""))
    return int(match.group(1)) if match else None


def _minor(version: str) -> tuple[int, int] | None:
    match = re.match(r"(\d+)\.(\d+)", version)
    return (int(match.group(1)), int(match.group(2))) if match else None


@dataclass
class ClusterReview:
    lines: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def danger(self, key: str, message: str, *details: str) -> None:
        self.findings.append(Finding(DANGER, "kubernetes", key, message, details))


def _stack_of(owner: str) -> str:
    return owner.split("/", 1)[0]


def review(old: ClusterState, new: ClusterState) -> ClusterReview:
    result = ClusterReview()
    ingress_services = _ingress_services(old.objects) | _ingress_services(new.objects)
    targets = _external_secret_targets(old.objects)
    for key in sorted(set(old.objects) | set(new.objects)):
        before, after = old.objects.get(key), new.objects.get(key)
        accept = f"{_stack_of((before or after)[0])}/{'/'.join(key)}"  # type: ignore[index]
        if before is None and after is not None:
            result.lines.append(f"+ {_name(key, after[1])} ({after[0]})")
            continue
        if after is None and before is not None:
            result.lines.append(f"- {_name(key, before[1])} ({before[0]})")
            if key[0] in DATA_KINDS or ((key[1], key[2]) in targets and key[0] == "Secret"):
                result.danger(
                    accept, f"- {_name(key, before[1])} would be DELETED from the cluster (owned by {before[0]})"
                )
            continue
        assert before is not None and after is not None
        label = _name(key, after[1])
        if before[0] != after[0]:
            result.lines.append(f"~ {label}: moves from {before[0]} to {after[0]}")
            if key[0] in DATA_KINDS:
                result.danger(
                    accept,
                    f"~ {label} moves from {before[0]} to {after[0]}: the old owner's update deletes it (kubectl prune/delete), so it is gone until, or for good if, the new owner applies it first",
                )
        for path, a, b in leaf_diffs(before[1], after[1]):
            shown_a, shown_b = _value(path, a, b)
            result.lines.append(f"~ {label}: {path} {shown_a} → {shown_b}")
        if key[0] in IMMUTABLE_SELECTORS and (before[1].get("spec") or {}).get("selector") != (
            after[1].get("spec") or {}
        ).get("selector"):
            result.danger(accept, f"~ {label}: spec.selector changes; it is immutable, so the apply fails")
        if key[0] == "Service" and (key[1], key[2]) in ingress_services:
            old_spec, new_spec = before[1].get("spec") or {}, after[1].get("spec") or {}
            for part in ("type", "ports"):
                if old_spec.get(part) != new_spec.get(part):
                    result.danger(
                        accept,
                        f"~ {label}: spec.{part} changes behind the Ingress: {short(old_spec.get(part), 80)} → {short(new_spec.get(part), 80)}",
                    )
        if key[0] == "ExternalSecret":
            old_target = ((before[1].get("spec") or {}).get("target") or {}).get("name") or key[2]
            new_target = ((after[1].get("spec") or {}).get("target") or {}).get("name") or key[2]
            if old_target != new_target:
                result.danger(
                    accept,
                    f"~ {label}: target Secret {old_target} → {new_target}: the old Secret is deleted under the pods that read it",
                )
    _review_helm(old, new, result)
    _review_addons(old, new, result)
    _review_versions(old, new, result)
    for problem in new.undecodable:
        result.findings.append(Finding(WARNING, "kubernetes", problem.split(":")[0], f"could not decode {problem}"))
    return result


def _review_helm(old: ClusterState, new: ClusterState, result: ClusterReview) -> None:
    for release in sorted(set(old.helm) | set(new.helm)):
        before, after = old.helm.get(release), new.helm.get(release)
        if before is None and after is not None:
            result.lines.append(
                f"+ Helm release {release}: {after[1].get('Chart')} {after[1].get('Version')} ({after[0]})"
            )
            continue
        if after is None and before is not None:
            result.lines.append(
                f"- Helm release {release}: {before[1].get('Chart')} {before[1].get('Version')} uninstalled ({before[0]})"
            )
            result.findings.append(
                Finding(
                    WARNING,
                    "kubernetes",
                    before[0],
                    f"Helm release {release} is uninstalled: what it runs (and CRDs it installed) goes",
                )
            )
            continue
        assert before is not None and after is not None
        old_version, new_version = before[1].get("Version"), after[1].get("Version")
        old_major, new_major = _major(old_version), _major(new_version)
        if old_major is not None and new_major is not None and new_major != old_major:
            result.danger(
                after[0],
                f"~ Helm release {release}: chart {after[1].get('Chart')} {old_version} → {new_version} changes major version (breaking changes, read the upgrade notes)",
            )
        for path, a, b in leaf_diffs(
            {k: v for k, v in before[1].items() if k != "values"}, {k: v for k, v in after[1].items() if k != "values"}
        ):
            result.lines.append(f"~ Helm release {release}: {path} {short(a, 80)} → {short(b, 80)}")
        for path, a, b in leaf_diffs(before[1].get("values"), after[1].get("values")):
            result.lines.append(f"~ Helm release {release} values: {path or '.'} {short(a, 80)} → {short(b, 80)}")


def _review_addons(old: ClusterState, new: ClusterState, result: ClusterReview) -> None:
    for name in sorted(set(old.addons) | set(new.addons)):
        before, after = old.addons.get(name), new.addons.get(name)
        if before is None or after is None:
            sign, which = ("+", after) if before is None else ("-", before)
            assert which is not None
            result.lines.append(f"{sign} EKS add-on {name} ({which[0]})")
            continue
        for path, a, b in leaf_diffs(before[1], after[1]):
            result.lines.append(f"~ EKS add-on {name}: {path} {short(a, 80)} → {short(b, 80)}")


def _review_versions(old: ClusterState, new: ClusterState, result: ClusterReview) -> None:
    for cluster, (owner, version) in sorted(new.versions.items()):
        if cluster not in old.versions:
            continue
        before = _minor(old.versions[cluster][1])
        after = _minor(version)
        if before is None or after is None or before == after:
            continue
        result.lines.append(f"~ EKS cluster {cluster}: Kubernetes {old.versions[cluster][1]} → {version}")
        step = (after[0] - before[0]) * 100 + (after[1] - before[1])
        if step < 0:
            result.danger(
                owner,
                f"~ EKS cluster {cluster}: Kubernetes {old.versions[cluster][1]} → {version} is a downgrade, which EKS refuses",
            )
        elif step > 1:
            result.danger(
                owner,
                f"~ EKS cluster {cluster}: Kubernetes {old.versions[cluster][1]} → {version} skips minor versions; EKS upgrades one minor at a time",
            )
