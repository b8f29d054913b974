"""Cross-stack wiring and fixed physical names on the real assemblies (scripts/assembly_check.py), and the faults
it exists to find, planted in copies of those assemblies."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from scripts import assembly_check
from scripts.assembly_check import Stack
from tests.conftest import Synthesized


@pytest.fixture(scope="module")
def prod_stacks(prod: Synthesized) -> list[Stack]:
    return assembly_check.load(prod.outdir)


@pytest.fixture(scope="module")
def dev_stacks(dev: Synthesized) -> list[Stack]:
    return assembly_check.load(dev.outdir)


def test_prod_and_dev_have_no_findings_together(prod_stacks: list[Stack], dev_stacks: list[Stack]) -> None:
    assert assembly_check.findings([prod_stacks, dev_stacks]) == []


def test_the_check_sees_the_references_and_names_it_judges(prod_stacks: list[Stack], dev_stacks: list[Stack]) -> None:
    """Not vacuous: prod's stacks read each other's outputs across regions, and both share one account."""
    references = [r for s in prod_stacks for r in assembly_check._walk(s.template, "Fn::GetStackOutput")]
    assert len(references) >= 20
    assert {r["Region"] for r in references} >= {"ap-northeast-1", "us-east-1"}
    names = [n for s in [*prod_stacks, *dev_stacks] for n in assembly_check.physical_names(s)]
    assert {n[0] for n in names} >= {"AWS::S3::Bucket", "AWS::EC2::SecurityGroup", "AWS::Logs::LogGroup"}
    assert {s.account for s in [*prod_stacks, *dev_stacks]} == {"111111111111"}


def _replace(stacks: list[Stack], name: str, template: dict[str, Any]) -> list[Stack]:
    return [dataclasses.replace(s, template=template) if s.name == name else s for s in stacks]


def _first_reference(stacks: list[Stack]) -> tuple[Stack, dict[str, Any], dict[str, Any]]:
    """A consumer, a copy of its template, and the copy's first Fn::GetStackOutput (to mutate)."""
    consumer = next(s for s in stacks if s.name.endswith("-Workloads"))
    template = copy.deepcopy(consumer.template)
    reference = next(assembly_check._walk(template, "Fn::GetStackOutput"))
    return consumer, template, reference


def test_a_misspelled_output_is_reported(prod_stacks: list[Stack]) -> None:
    consumer, template, reference = _first_reference(prod_stacks)
    reference["OutputName"] += "x"
    (line,) = assembly_check.wiring_findings(_replace(prod_stacks, consumer.name, template))
    assert line.startswith(f"[wiring] {consumer.name}: Fn::GetStackOutput {reference['StackName']}.")
    assert line.endswith(f"declares no output {reference['OutputName']}")


def test_a_wrong_region_is_reported(prod_stacks: list[Stack]) -> None:
    consumer, template, reference = _first_reference(prod_stacks)
    reference["Region"] = "us-east-1"
    (line,) = assembly_check.wiring_findings(_replace(prod_stacks, consumer.name, template))
    assert line.endswith(f"{reference['StackName']} deploys to ap-northeast-1, not us-east-1")


def test_a_missing_stack_and_an_unknown_import_are_reported(prod_stacks: list[Stack]) -> None:
    consumer, template, reference = _first_reference(prod_stacks)
    reference["StackName"] = "TechLib-prod-Caches"
    template["Outputs"] = {"Planted": {"Value": {"Fn::ImportValue": "no-such-export"}}}
    lines = assembly_check.wiring_findings(_replace(prod_stacks, consumer.name, template))
    assert any(line.endswith("no stack TechLib-prod-Caches in the assembly") for line in lines)
    assert f"[wiring] {consumer.name}: Fn::ImportValue no-such-export: no stack exports it in ap-northeast-1" in lines


def test_a_duplicate_name_in_one_environment_is_reported(prod_stacks: list[Stack]) -> None:
    owner = next(s for s in prod_stacks if s.name.endswith("-Workloads"))
    bucket = next(n for t, n, _, _ in assembly_check.physical_names(owner) if t == "AWS::S3::Bucket")
    other = next(s for s in prod_stacks if s.name.endswith("-Cicd"))
    template = copy.deepcopy(other.template)
    template["Resources"]["PlantedBucket"] = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": bucket}}
    (line,) = assembly_check.name_findings(_replace(prod_stacks, other.name, template))
    assert line.startswith(f"[names] AWS::S3::Bucket {bucket!r} is used 2 times in one scope (everywhere): ")
    assert "TechLib-prod-Cicd/PlantedBucket" in line and f"{owner.name}/" in line


def test_a_name_prod_and_dev_share_in_one_account_is_reported(
    prod_stacks: list[Stack], dev_stacks: list[Stack]
) -> None:
    """dev's database security group renamed to prod's: both environments deploy to the same account."""
    prod_network = next(s for s in prod_stacks if s.name.endswith("-Network"))
    prod_groups = {
        lid: n for t, n, _, lid in assembly_check.physical_names(prod_network) if t == "AWS::EC2::SecurityGroup"
    }
    logical_id, name = sorted(prod_groups.items())[0]
    dev_network = next(s for s in dev_stacks if s.name.endswith("-Network"))
    template = copy.deepcopy(dev_network.template)
    template["Resources"][logical_id]["Properties"]["GroupName"] = name
    lines = assembly_check.findings([prod_stacks, _replace(dev_stacks, dev_network.name, template)])
    assert lines == [
        f"[names] AWS::EC2::SecurityGroup {name!r} is used 2 times in one scope (111111111111/ap-northeast-1): "
        f"{prod_network.name}/{logical_id}, {dev_network.name}/{logical_id}"
    ]
    # In different accounts the same name is fine.
    elsewhere = [
        dataclasses.replace(s, account="222222222222") for s in _replace(dev_stacks, dev_network.name, template)
    ]
    assert assembly_check.findings([prod_stacks, elsewhere]) == []


def test_a_name_built_from_the_account_id_is_resolved(prod_stacks: list[Stack]) -> None:
    stack = prod_stacks[0]
    joined = {"Fn::Join": ["", ["logs-", {"Ref": "AWS::AccountId"}, "-", {"Ref": "AWS::Region"}]]}
    assert assembly_check._fixed(joined, stack) == f"logs-{stack.account}-{stack.region}"
    assert assembly_check._fixed({"Fn::Join": ["", ["x-", {"Ref": "SomeResource"}]]}, stack) is None


def test_the_cli_exits_1_on_a_finding_and_0_on_the_real_assemblies(
    prod: Synthesized, dev: Synthesized, capsys: pytest.CaptureFixture[str]
) -> None:
    assert assembly_check.main(["--assembly", str(prod.outdir), "--assembly", str(dev.outdir)]) == 0
    out = capsys.readouterr().out
    assert out.endswith("findings\n") and ", 0 findings" in out
