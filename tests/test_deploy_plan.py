"""scripts/deploy_plan.py: the waves and critical path of the real assembly, and the estimator's mechanics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scripts import deploy_plan
from scripts.deploy_plan import Stack
from tests.conftest import ROOT, Synthesized


@pytest.fixture(scope="module")
def prod_stacks(prod: Synthesized) -> dict[str, Stack]:
    return deploy_plan.load_assembly(prod.outdir)


def test_the_eks_platform_deploys_beside_the_data_tier(prod_stacks: dict[str, Stack]) -> None:
    waves = deploy_plan.waves(prod_stacks)
    assert waves[0] == ["TechLib-prod-BackupDr", "TechLib-prod-Cicd", "TechLib-prod-Edge", "TechLib-prod-Network"]
    assert waves[1] == ["TechLib-prod-Cache", "TechLib-prod-Database", "TechLib-prod-Eks"]
    assert waves[2] == ["TechLib-prod-Workloads"]
    assert sorted(s for w in waves for s in w) == sorted(prod_stacks)


def test_a_fresh_prod_deploy_takes_at_most_six_tenths_of_the_sequential_sum(prod_stacks: dict[str, Stack]) -> None:
    result = deploy_plan.plan(prod_stacks, {name: None for name in prod_stacks})
    assert result.critical_s <= 0.6 * result.sequential_s, deploy_plan.render(result, None)
    # The replay of `cdk deploy --concurrency <widest wave>` loses nothing against unlimited concurrency.
    assert result.scheduled_s == pytest.approx(result.critical_s)
    assert result.concurrency == max(len(w) for w in result.waves) == 4
    # Nothing deployed yet: every stack is new, so the diff is the fresh deploy.
    assert result.diff_critical_s == pytest.approx(result.critical_s)


def test_the_eks_stack_is_estimated_from_its_longest_resource_chain(prod_stacks: dict[str, Stack]) -> None:
    eks = prod_stacks["TechLib-prod-Eks"]
    resources = eks.template["Resources"]
    seconds, chain = deploy_plan.longest_chain(
        deploy_plan.resource_graph(eks.template),
        lambda r: deploy_plan.resource_seconds(resources[r]["Type"], "create"),
    )
    types = [resources[r]["Type"] for r in chain]
    # Cluster, then its nodes, then the charts that wait for running pods.
    assert (
        types.index("AWS::EKS::Cluster")
        < types.index("AWS::EKS::Nodegroup")
        < types.index("Custom::AWSCDK-EKS-HelmChart")
    )
    assert deploy_plan.fresh_seconds(eks) == deploy_plan.STACK_OVERHEAD_S + seconds
    # Below the sum of all its resources: CloudFormation creates independent ones together, e.g. the
    # two node groups and the add-ons installed beside each other count once.
    total = sum(deploy_plan.resource_seconds(r["Type"], "create") for r in resources.values())
    assert seconds < total
    assert types.count("AWS::EKS::Nodegroup") == 1 < sum(r["Type"] == "AWS::EKS::Nodegroup" for r in resources.values())


def test_the_committed_baseline_diff_is_measured_by_logical_id(prod_stacks: dict[str, Stack]) -> None:
    baselines = deploy_plan.load_baselines(prod_stacks, ROOT / "baseline" / "prod")
    assert all(b is not None for b in baselines.values())
    result = deploy_plan.plan(prod_stacks, baselines)
    unchanged = set(prod_stacks) - set(result.changed)
    assert all(result.diff[name] == deploy_plan.UNCHANGED_STACK_S for name in unchanged)
    assert result.diff_critical_s < result.critical_s


def _stack(name: str, deps: tuple[str, ...] = (), resources: dict[str, Any] | None = None) -> Stack:
    return Stack(name=name, dependencies=deps, template={"Resources": resources or {}})


def test_waves_and_critical_path_of_a_small_graph() -> None:
    stacks = {
        "A": _stack("A"),
        "B": _stack("B", ("A",)),
        "C": _stack("C", ("A",)),
        "D": _stack("D", ("B", "C")),
    }
    assert deploy_plan.waves(stacks) == [["A"], ["B", "C"], ["D"]]
    seconds = {"A": 1.0, "B": 5.0, "C": 2.0, "D": 1.0}
    assert deploy_plan.critical_path(stacks, seconds) == (7.0, ["A", "B", "D"])
    assert deploy_plan.schedule(stacks, seconds, 2) == 7.0
    assert deploy_plan.schedule(stacks, seconds, 1) == 9.0


def test_a_dependency_cycle_is_an_error() -> None:
    stacks = {"A": _stack("A", ("B",)), "B": _stack("B", ("A",))}
    with pytest.raises(ValueError, match="cycle"):
        deploy_plan.waves(stacks)


def test_resource_changes_compare_by_logical_id_and_ignore_metadata() -> None:
    before = {
        "Resources": {
            "Kept": {"Type": "AWS::S3::Bucket", "Metadata": {"a": 1}},
            "Changed": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 1}},
            "Gone": {"Type": "AWS::SNS::Topic"},
        }
    }
    after = {
        "Resources": {
            "Kept": {"Type": "AWS::S3::Bucket", "Metadata": {"a": 2}},
            "Changed": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 2}},
            "New": {"Type": "AWS::EKS::Cluster"},
        }
    }
    assert deploy_plan.resource_changes(after, before) == {"New": "create", "Changed": "update", "Gone": "delete"}
    stack = Stack(name="S", dependencies=(), template=after)
    assert deploy_plan.diff_seconds(stack, before) == deploy_plan.STACK_OVERHEAD_S + 15 * 60
    assert deploy_plan.diff_seconds(stack, after) == deploy_plan.UNCHANGED_STACK_S


def test_the_cli_prints_the_plan_and_the_concurrency(prod: Synthesized, capsys: pytest.CaptureFixture[str]) -> None:
    deploy_plan.main(["--assembly", str(prod.outdir), "--concurrency"])
    assert capsys.readouterr().out.strip() == "4"
    deploy_plan.main(["--assembly", str(prod.outdir), "--baseline", str(ROOT / "baseline" / "prod")])
    out = capsys.readouterr().out
    assert "cdk deploy --concurrency 4" in out and "critical path" in out


def test_the_cli_names_a_missing_assembly(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no assembly"):
        deploy_plan.main(["--assembly", str(tmp_path)])


def test_the_makefile_sizes_concurrency_from_the_plan() -> None:
    makefile = (ROOT / "Makefile").read_text()
    deploy = makefile.split("\ndeploy:", 1)[1].split("\n\n", 1)[0]
    assert "-m scripts.deploy_plan --assembly cdk.out --concurrency" in deploy
    assert "--concurrency $$concurrency" in deploy and "--progress events" in deploy
