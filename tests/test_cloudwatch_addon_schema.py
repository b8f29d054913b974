"""The amazon-cloudwatch-observability add-on: its version is pinned, and our configurationValues fit the
configuration schema of that version, so EKS does not reject the add-on at deploy time.

EKS serves the schema only through DescribeAddonConfiguration (an account). What public sources show of it
(the schema of the 6.x builds as published by users of `aws eks describe-addon-configuration`): a closed root
(`additionalProperties: false`) offering the chart's values minus those EKS sets itself (clusterName, region,
k8sMode, roleArn, ...) and minus the chart's root `replicaCount`; `manager` and `containerLogs` closed too. That
excerpt is transcribed below; where a clone of aws-observability/helm-charts exists, every key we set is also
looked up in the pinned version's own values.yaml.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import jsonschema
import pytest
import yaml

from addons import cloudwatch_observability
from config import load_config
from tests.conftest import Synthesized
from tests.test_cloudwatch_agent_effective import CHART, chart_git_dir

WORKLOADS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {kind: {"type": "array", "items": {"type": "string"}} for kind in ("daemonsets", "deployments")},
}
ADDON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2019-09/schema",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **{
            key: {}
            for key in (
                "admissionWebhooks",
                "agent",
                "agents",
                "applicationSignals",
                "containerInsights",
                "dcgmExporter",
                "kubeStateMetrics",
                "neuronMonitor",
                "nodeExporter",
                "otelContainerInsights",
            )
        },
        "tolerations": {"type": "array", "items": {"type": "object"}},
        "containerLogs": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"enabled": {"type": "boolean"}, "fluentBit": {}},
        },
        "manager": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                key: {}
                for key in (
                    "affinity",
                    "applicationSignals",
                    "autoAnnotateAutoInstrumentation",
                    "autoInstrumentationConfiguration",
                    "nodeSelector",
                    "resources",
                    "tolerations",
                )
            },
        },
    },
}


def configuration(env: str) -> dict[str, Any]:
    config = load_config(env, environ={})
    return cloudwatch_observability.configuration(config=config, region=config.region)


def schema_errors(values: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft201909Validator(ADDON_SCHEMA)
    return sorted(
        f"{'.'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(values)
    )


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_our_configuration_fits_the_addons_schema(env: str) -> None:
    assert schema_errors(configuration(env)) == []


@pytest.mark.parametrize(
    ("fault", "where"),
    [
        ({"replicaCount": 1}, "<root>"),  # the chart has it, the add-on's schema does not
        ({"containerLog": {"enabled": False}}, "<root>"),
        ({"manager": {"replicas": 2}}, "manager"),
        ({"containerLogs": {"enabled": "false"}}, "containerLogs.enabled"),
    ],
)
def test_the_schema_check_reports_a_key_the_addon_rejects(fault: dict[str, Any], where: str) -> None:
    values = {**configuration("prod"), **fault}
    errors = schema_errors(values)
    assert errors and all(error.startswith(f"{where}: ") for error in errors), errors


def test_the_version_is_pinned_for_the_configured_kubernetes_version(prod: Synthesized, dev: Synthesized) -> None:
    for synth in (prod, dev):
        template = synth.template_json(synth.built.monitoring)
        (addon,) = [
            r["Properties"]
            for r in template["Resources"].values()
            if r["Type"] == "AWS::EKS::Addon" and r["Properties"]["AddonName"] == cloudwatch_observability.NAME
        ]
        version = cloudwatch_observability.VERSIONS[synth.config.eks.kubernetes_version]
        assert addon["AddonVersion"] == version
        assert json.loads(addon["ConfigurationValues"]) == configuration(synth.config.name)
        assert version in cloudwatch_observability.CHART_VERSIONS


# Kubernetes objects the chart passes through whole: their keys are the API's, not the chart's.
PASS_THROUGH = {"resources", "nodeSelector", "tolerations", "affinity", "config"}


def _unknown_keys(ours: Any, chart: Any, path: str) -> list[str]:
    """Keys we set that the chart's values.yaml does not have (free-form where the chart's default is empty)."""
    if not isinstance(ours, dict) or not isinstance(chart, dict) or not chart:
        return []
    unknown = []
    for key, value in ours.items():
        if key not in chart:
            unknown.append(f"{path}{key}")
        elif key not in PASS_THROUGH:
            unknown.extend(_unknown_keys(value, chart[key], f"{path}{key}."))
    return unknown


@pytest.mark.validators  # git show of the chart clone
@pytest.mark.parametrize("env", ["prod", "dev"])
def test_every_key_we_set_exists_in_the_pinned_charts_values(env: str) -> None:
    git_dir = chart_git_dir()
    config = load_config(env, environ={})
    chart_version = cloudwatch_observability.CHART_VERSIONS[
        cloudwatch_observability.VERSIONS[config.eks.kubernetes_version]
    ]
    raw = subprocess.run(
        ["git", f"--git-dir={git_dir}", "show", f"{CHART}-{chart_version}:charts/{CHART}/values.yaml"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    chart_values = yaml.safe_load(raw)
    ours = configuration(env)
    # agent.config is the agent's own JSON (tests/test_cloudwatch_agent_effective.py renders it).
    assert _unknown_keys(ours, chart_values, "") == []
    # The check can fail: a misspelled key is reported.
    assert _unknown_keys({"manager": {"nodeSelecter": {}}}, chart_values, "") == ["manager.nodeSelecter"]
