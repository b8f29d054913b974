"""The first create of the EKS stack: no load-balancer-controller webhook stands between the releases installed
beside the controller and the API server (aws-load-balancer-controller issue 4140), and the Ingress still waits
for the controller's Ingress webhook."""

from __future__ import annotations

import json
from typing import Any

import pytest

from addons.aws_load_balancer_controller import RELEASE as AWS_LOAD_BALANCER_CONTROLLER
from scripts.applied_manifests import applied_manifests
from tests.conftest import Synthesized
from tests.test_eks import helm_chart, helm_values

HELM_CHART = "Custom::AWSCDK-EKS-HelmChart"


def _helm_releases(synth: Synthesized) -> list[tuple[str, str, dict[str, Any]]]:
    """(stack, logical id, values) of every Helm release in the assembly."""
    releases = []
    for path in synth.template_files():
        template = json.loads(path.read_text())
        for logical_id, resource in template.get("Resources", {}).items():
            if resource["Type"] == HELM_CHART:
                releases.append(
                    (path.name, logical_id, helm_values(resource) if "Values" in resource["Properties"] else {})
                )
    return releases


def _service_types(value: Any) -> list[str]:
    """Every `type` set under a `service` key of Helm values (the charts' convention for their Services)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key.lower().endswith("service") and isinstance(inner, dict) and isinstance(inner.get("type"), str):
                found.append(inner["type"])
            found.extend(_service_types(inner))
    elif isinstance(value, list):
        for inner in value:
            found.extend(_service_types(inner))
    return found


def test_the_service_mutator_webhook_is_off(prod: Synthesized) -> None:
    """Chart 3.2.2 installs mservice.elbv2.k8s.aws (failurePolicy Fail, all namespaces) unless this value is false."""
    values = helm_values(helm_chart(prod.template_json(prod.built.eks), AWS_LOAD_BALANCER_CONTROLLER)[1])
    assert values["enableServiceMutatorWebhook"] is False
    # The Ingress validation webhook stays: it is what rejects a broken Ingress before the controller acts on it.
    assert "webhookConfig" not in values


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_no_service_of_type_load_balancer_needs_the_mutator(env: str, synthesized: Synthesized) -> None:
    """The mutator only sets loadBalancerClass on type LoadBalancer Services: with none, turning it off loses nothing."""
    synth = synthesized
    objects = [o for path in synth.template_files() for o in applied_manifests(json.loads(path.read_text()))]
    services = [o for o in objects if o.get("kind") == "Service"]
    assert services, "the workloads' Services are applied"
    assert [o["metadata"]["name"] for o in services if o.get("spec", {}).get("type") == "LoadBalancer"] == []
    releases = _helm_releases(synth)
    assert len(releases) >= 6
    assert [(stack, lid) for stack, lid, values in releases if "LoadBalancer" in _service_types(values)] == []


def test_releases_beside_the_controller_do_not_wait_for_it(prod: Synthesized) -> None:
    """The choice this file pins: the webhook off, the releases still side by side (no ordering needed)."""
    eks_json = prod.template_json(prod.built.eks)
    alb_id, _ = helm_chart(eks_json, AWS_LOAD_BALANCER_CONTROLLER)
    beside = [
        lid
        for lid, resource in eks_json["Resources"].items()
        if resource["Type"] == HELM_CHART and lid != alb_id and alb_id not in resource.get("DependsOn", [])
    ]
    assert len(beside) >= 2, "metrics-server and external-secrets install beside the controller"
