"""Logins survive the database password's rotation: the chain from Secrets Manager to the backend's pods.

Aurora's single-user rotation changes the password every `database.secret_rotation_days`; the backend reads it
from its environment, which a running container never re-reads. The chain this file holds, link by link, on
the synthesized templates: the rotated secret -> db-credentials (External Secrets, refreshed every minute)
-> the backend Deployment names db-credentials for Reloader -> Reloader, in the backend's namespace, rolls it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from addons import reloader
from fit.inventory import pod_inventory
from k8s_charts.platform import DATABASE_REFRESH_INTERVAL, REFRESH_INTERVAL
from scripts.applied_manifests import applied_manifests
from tests.conftest import Synthesized
from tests.test_eks import helm_values

SECONDS = {"s": 1, "m": 60, "h": 3600}


def _seconds(interval: str) -> int:
    match = re.fullmatch(r"(\d+)([smh])", interval)
    assert match, interval
    return int(match[1]) * SECONDS[match[2]]


def _workloads(synth: Synthesized) -> dict[str, Any]:
    return synth.template_json(synth.built.workloads)


def _objects(synth: Synthesized) -> list[dict[str, Any]]:
    return applied_manifests(_workloads(synth))


def _reloader_chart(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    (found,) = [
        (lid, r)
        for lid, r in template["Resources"].items()
        if r["Type"] == "Custom::AWSCDK-EKS-HelmChart" and r["Properties"]["Chart"] == reloader.RELEASE.chart
    ]
    return found


def test_the_database_secret_rotates(prod: Synthesized) -> None:
    database = prod.template_json(prod.built.database)
    (schedule,) = [r for r in database["Resources"].values() if r["Type"] == "AWS::SecretsManager::RotationSchedule"]
    days = prod.config.database.secret_rotation_days
    assert schedule["Properties"]["RotationRules"]["ScheduleExpression"] == f"rate({days} days)"


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_db_credentials_follow_the_rotated_secret_within_a_minute(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    (external,) = [
        o for o in _objects(synth) if o["kind"] == "ExternalSecret" and o["spec"]["target"]["name"] == "db-credentials"
    ]
    assert external["spec"]["refreshInterval"] == DATABASE_REFRESH_INTERVAL
    assert _seconds(DATABASE_REFRESH_INTERVAL) <= 60 < _seconds(REFRESH_INTERVAL)
    # It reads the secret the rotation schedule rotates: the cluster's attached secret.
    template = _workloads(synth)
    (manifest,) = [
        r
        for r in template["Resources"].values()
        if r["Type"] == "Custom::AWSCDK-EKS-KubernetesResource"
        and "db-credentials" in json.dumps(r["Properties"])
        and "ExternalSecret" in json.dumps(r["Properties"])
    ]
    references = json.dumps(manifest["Properties"]["Manifest"])
    assert '"StackName": "TechLib-' in references and "CredentialsAttachment" in references


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_the_backend_is_restarted_when_its_secrets_change(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    (backend,) = [o for o in _objects(synth) if o["kind"] == "Deployment" and o["metadata"]["name"] == "backend"]
    named = backend["metadata"]["annotations"][reloader.RELOAD_SECRETS_ANNOTATION].split(",")
    assert named == ["db-credentials", "redis-credentials"]
    # Every Secret the backend reads from its environment is one Reloader watches for it.
    (container,) = backend["spec"]["template"]["spec"]["containers"]
    read = {
        e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"] if "secretKeyRef" in e.get("valueFrom", {})
    }
    assert read == set(named)


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_reloader_watches_only_the_backends_namespace(env: str, synthesized: Synthesized) -> None:
    synth = synthesized
    template = _workloads(synth)
    chart_id, chart = _reloader_chart(template)
    properties = chart["Properties"]
    assert (properties["Release"], properties["Version"]) == ("reloader", reloader.RELEASE.version)
    assert properties["Namespace"] == synth.config.workloads.namespace
    assert properties.get("CreateNamespace") is not True
    values = helm_values(chart)["reloader"]
    assert values["watchGlobally"] is False
    assert values["reloadStrategy"] == "annotations"
    assert values["deployment"]["containerSecurityContext"]["allowPrivilegeEscalation"] is False
    # Installed (and watching) before the backend's Deployment is applied, after its namespace exists.
    (manifest_id,) = [
        lid
        for lid, r in template["Resources"].items()
        if r["Type"] == "Custom::AWSCDK-EKS-KubernetesResource" and '\\"name\\":\\"backend\\"' in json.dumps(r)
    ]
    assert chart_id in template["Resources"][manifest_id]["DependsOn"]
    declared = {d.node.path for d in synth.built.workloads.reloader.node.dependencies}  # type: ignore[union-attr]
    assert synth.built.eks.app_namespace.node.path in declared


def test_reloaders_pod_is_counted_on_app_nodes(prod: Synthesized) -> None:
    (pod,) = [c for c in pod_inventory(prod.config) if c.name == "reloader"]
    assert (pod.namespace, pod.node_group, pod.replicas) == ("tech-lib", "app-nodes", 1)
