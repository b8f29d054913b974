"""The CloudWatch agent configuration as the add-on applies it, not just the values we pass.

The amazon-cloudwatch-observability chart (which the EKS add-on installs) passes `agent.config` through
its `cloudwatch-agent.config-modifier` helper (templates/_helpers.tpl): when the `agent` block is empty
or has no `region`, the whole block becomes `{"region": <region>}`, dropping the design's
metrics_collection_interval and run_as_user. The first test applies that documented rule in Python and
always runs; the second renders the real chart and reads the AmazonCloudWatchAgent resource.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from addons import cloudwatch_observability as cloudwatch_agent
from config import load_config
from names import NodeGroups

CHART = "amazon-cloudwatch-observability"
# The chart source: a git clone of aws-observability/helm-charts (tags amazon-cloudwatch-observability-<v>),
# named by CLOUDWATCH_CHART_GIT_DIR (its git directory). There is no default: a clone lives wherever its
# engineer put it, and CI has none (no network), so the render tests skip with one line when it is unset.
CHART_GIT_ENV = "CLOUDWATCH_CHART_GIT_DIR"
# The newest chart (6.4.0: the add-on's default for a new 1.36 cluster is its newest build) and the last 4.x,
# whose helper kept a region-less block: the region makes the result the same for both.
CHART_VERSIONS = ("6.4.0", "4.10.3")
DESIGN_AGENT = {"metrics_collection_interval": 60, "run_as_user": "cwagent"}


def helper_rule(config: dict[str, Any], region: str) -> dict[str, Any]:
    """`cloudwatch-agent.config-modifier`'s agent rule (chart 6.4.0 _helpers.tpl), for a config with Container Insights."""
    result = json.loads(json.dumps(config))
    agent = result.get("agent")
    if not agent or not agent.get("region"):
        result["agent"] = {"region": region}
    return result


def addon_values(env: str) -> tuple[dict[str, Any], str, str]:
    config = load_config(env, environ={})
    values = cloudwatch_agent.cloudwatch_addon_configuration(
        resource_prefix=config.resource_prefix,
        cluster_name=config.eks.cluster_name,
        region=config.region,
        node_selector=config.eks.node_group(NodeGroups.SYSTEM).labels,
    )
    return values, config.region, config.eks.cluster_name


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_design_agent_settings_survive_the_helpers_rule(env: str) -> None:
    values, region, _ = addon_values(env)
    effective = helper_rule(values["agent"]["config"], region)
    assert effective["agent"] == {**DESIGN_AGENT, "region": region}
    # The rule is real: without the region the design's settings are gone.
    without_region = {**values["agent"]["config"], "agent": dict(DESIGN_AGENT)}
    assert helper_rule(without_region, region)["agent"] == {"region": region}


def _render(version: str, values: dict[str, Any], scratch: Path, git_dir: str) -> dict[str, Any]:
    helm_python = pytest.importorskip("helm_python", reason="helm-python-sdk is not installed")
    tag = f"{CHART}-{version}"
    target = scratch / version
    target.mkdir()
    archive = subprocess.run(
        ["git", f"--git-dir={git_dir}", "archive", tag, f"charts/{CHART}"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    # A fresh load per render: rendering mutates the loaded chart (helm-python-sdk keeps the rendered state).
    chart = helm_python.Chart.load(target / "charts" / CHART)
    rendered = chart.render(values, name=CHART, namespace="amazon-cloudwatch")
    for text in rendered.values():
        for document in yaml.safe_load_all(text):
            if (
                document
                and document.get("kind") == "AmazonCloudWatchAgent"
                and document["metadata"]["name"] == "cloudwatch-agent"
            ):
                config: dict[str, Any] = json.loads(document["spec"]["config"])
                return config
    raise AssertionError(f"chart {version} rendered no AmazonCloudWatchAgent cloudwatch-agent")


@pytest.mark.validators  # git archive of the chart clone
@pytest.mark.parametrize("version", CHART_VERSIONS)
def test_rendered_chart_keeps_the_design_agent_settings(version: str, tmp_path: Path) -> None:
    git_dir = os.environ.get(CHART_GIT_ENV)
    if not git_dir:
        pytest.skip(f"{CHART_GIT_ENV} is unset: no aws-observability/helm-charts clone to render (no network here)")
    if not (Path(git_dir) / "HEAD").exists():
        pytest.fail(f"{CHART_GIT_ENV}={git_dir} is not a git directory")
    values, region, cluster_name = addon_values("prod")
    chart_values = {**values, "region": region, "clusterName": cluster_name}
    effective = _render(version, chart_values, tmp_path, git_dir)
    assert effective["agent"] == {**DESIGN_AGENT, "region": region}
    assert effective["logs"]["metrics_collected"]["kubernetes"]["metrics_collection_interval"] == 60
    assert effective["metrics"]["namespace"] == "TechLib/EKS"
