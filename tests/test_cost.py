"""`make cost` (scripts/cost) and the monthly cost change of `make diff` (scripts/release_review/cost_delta.py).

Every resource type of prod's and dev's templates is priced or named with why it is not; a class without a
price is a "no price source" line, never a zero; the review prices what a change changes.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from config import load_config
from scripts.cost import cli, readme
from scripts.cost.estimate import NO_RULE, estimate, read_assembly
from scripts.cost.free import NOT_PRICED
from scripts.cost.model import FREE, HOURS_PER_MONTH, NEGLIGIBLE, NO_SOURCE, Estimate
from scripts.cost.prices import PriceTableError, load, parse
from scripts.cost.pricing import PRICERS
from scripts.release_review import cost_delta
from scripts.release_review.inputs import StackInfo
from tests.conftest import Synthesized
from tests.release_review_helpers import baseline_from, mutated, one, run_gate

Templates = dict[str, dict[str, Any]]


def _inputs(synth: Synthesized) -> tuple[Templates, dict[str, str]]:
    return read_assembly(synth.outdir)


def _estimate(synth: Synthesized, edit: Any = None) -> Estimate:
    templates, regions = _inputs(synth)
    if edit is not None:
        templates = copy.deepcopy(templates)
        edit(templates)
    return estimate(templates, regions, synth.config)


def _stack(templates: Templates, suffix: str) -> dict[str, Any]:
    (name,) = [n for n in templates if n.endswith(suffix)]
    return templates[name]


def _items(result: Estimate, contains: str) -> list[Any]:
    return [item for item in result.items if contains in item.description]


# ------------------------------------------------------------------------------------------- coverage


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_every_resource_type_is_priced_or_named_with_its_reason(env: str, synthesized: Synthesized) -> None:
    templates, _ = _inputs(synthesized)
    types = {body["Type"] for t in templates.values() for body in t["Resources"].values()}
    assert types, "no templates"
    unknown = sorted(t for t in types if t not in PRICERS and t not in NOT_PRICED)
    assert unknown == [], f"resource types with no rule in scripts/cost/pricing.py or free.py: {unknown}"
    result = _estimate(synthesized)
    assert [u for u in result.unpriced if u.reason == NO_RULE] == []
    covered = {item.type for item in result.items} | {u.type for u in result.unpriced}
    assert covered >= types


def test_free_and_negligible_charges_say_so() -> None:
    assert NOT_PRICED["AWS::IAM::Role"] == (FREE, "IAM is free")
    assert NOT_PRICED["AWS::EC2::SecurityGroup"][0] == FREE and NOT_PRICED["AWS::EC2::RouteTable"][0] == FREE
    kind, reason = NOT_PRICED["AWS::Lambda::Function"]
    assert kind == NEGLIGIBLE and "CDK's handler functions" in reason and "next to nothing" in reason


def test_an_unknown_resource_type_is_an_unpriced_line_that_makes_the_total_incomplete(prod: Synthesized) -> None:
    def add(templates: Templates) -> None:
        _stack(templates, "-Network")["Resources"]["Mystery"] = {"Type": "AWS::Mystery::Thing", "Properties": {}}

    result = _estimate(prod, add)
    (entry,) = [e for e in result.not_priced() if e["type"] == "AWS::Mystery::Thing"]
    assert entry["kind"] == NO_SOURCE and entry["reason"] == NO_RULE


# ------------------------------------------------------------------------------------------ the estimate


def test_node_groups_are_priced_at_desired_and_at_max_size(prod: Synthesized) -> None:
    result = _estimate(prod)
    table = load()
    t3_medium = table.get("ap-northeast-1", "ec2/t3.medium")
    assert t3_medium is not None
    for group in prod.config.eks.node_groups:
        (item,) = [i for i in result.items if i.description.startswith(f"{group.name}: {group.desired_size} ")]
        assert item.quantity == group.desired_size * HOURS_PER_MONTH
        assert item.max_quantity == group.max_size * HOURS_PER_MONTH
        assert item.unit_price == table.get("ap-northeast-1", f"ec2/{group.instance_type}").usd  # type: ignore[union-attr]
    assert result.monthly_total_at_max > result.monthly_total > 0


def test_the_spot_group_is_priced_at_its_highest_spot_price_and_says_the_saving(prod: Synthesized) -> None:
    result = _estimate(prod)
    (item,) = _items(result, "app-nodes-spot: 0 Spot nodes")
    spot = prod.config.eks.spot_app_nodes
    assert spot is not None
    table = load()
    prices = [table.get("ap-northeast-1", f"ec2-spot/{t}") for t in spot.instance_types]
    assert item.unit_price == max(p.usd for p in prices if p is not None)
    assert item.quantity == 0 and item.max_quantity == spot.max_size * HOURS_PER_MONTH
    assert "% below t3.medium on demand" in item.description
    assert "Spot saving" in readme.spot_saving(prod.config, table)


def test_a_class_without_a_price_is_a_line_never_a_zero(prod: Synthesized) -> None:
    def unknown_types(templates: Templates) -> None:
        group = one(
            _stack(templates, "-Eks"), "AWS::EKS::Nodegroup", lambda r: r["Properties"]["NodegroupName"] == "app-nodes"
        )
        group["Properties"]["InstanceTypes"] = ["m9.colossal"]

    result = _estimate(prod, unknown_types)
    assert not [i for i in result.items if "m9.colossal" in i.description or (i.unit_price == 0 and i.quantity)]
    reasons = [u.reason for u in result.missing]
    assert any("ec2/m9.colossal in ap-northeast-1: no price source" in r for r in reasons), reasons
    assert "INCOMPLETE" in "\n".join(cli.report.text(result, load()))


def test_aurora_and_redis_have_no_price_source_and_the_total_says_so(prod: Synthesized) -> None:
    result = _estimate(prod)
    reasons = " ".join(u.reason for u in result.missing)
    assert "rds/aurora-postgresql/db.r6g.large in ap-northeast-1: no price source" in reasons
    assert "elasticache/cache.r6g.large in ap-northeast-1: no price source" in reasons
    assert not result.to_json()["complete"]


def test_usage_priced_charges_follow_the_cost_section(prod: Synthesized) -> None:
    usage = prod.config.cost.usage
    result = _estimate(prod)
    nat = _items(result, "NAT data processing")
    assert len(nat) == 2 and sum(i.quantity for i in nat) == pytest.approx(usage.nat_processed_gb)
    (flow,) = _items(result, "log group FlowLogGroup: ingestion")
    assert flow.quantity == usage.log_ingestion_gb["FlowLogGroup"]
    (waf,) = _items(result, "WAF requests inspected")
    assert waf.quantity == usage.waf_requests_millions
    (alb,) = _items(result, "ALB of Ingress tech-lib/tech-lib-ingress")
    assert alb.unit_price == 0.0243


def test_every_price_names_its_source_and_the_day_it_was_read() -> None:
    table = load()
    assert table.rows()
    for price in table.rows():
        assert (
            price.source_id in table.sources
            and price.read
            and price.source.startswith(table.sources[price.source_id]["what"])
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"sources": {}, "regions": {"r": {"k": {"usd": 1, "unit": "h", "source": "nowhere", "read": "x"}}}},
            "is not in sources",
        ),
        (
            {"sources": {"s": {"what": "w", "url": "u"}}, "regions": {"r": {"k": {"usd": 1}}}},
            "expected {usd, unit, source, read}",
        ),
        (
            {
                "sources": {"s": {"what": "w", "url": "u"}},
                "regions": {"r": {"k": {"usd": -1, "unit": "h", "source": "s", "read": "x"}}},
            },
            "not a non-negative number",
        ),
    ],
)
def test_a_malformed_price_table_is_one_line(data: dict[str, Any], message: str) -> None:
    with pytest.raises(PriceTableError, match=r"prices\.yaml") as raised:
        parse(data)
    assert message in str(raised.value) and "\n" not in str(raised.value)


# ------------------------------------------------------------------------------------------------- CLI


def test_json_has_the_documented_shape(prod: Synthesized, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--env", "prod", "--assembly", str(prod.outdir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {
        "environment",
        "currency",
        "hours_per_month",
        "monthly_total",
        "monthly_total_at_max",
        "items",
        "not_priced",
        "assumptions",
    } <= set(data)
    assert data["currency"] == "USD" and data["hours_per_month"] == 730 and data["environment"] == "prod"
    item_keys = {"stack", "logical_id", "type", "description", "quantity", "unit", "unit_price", "monthly", "source"}
    assert all(item_keys <= set(item) for item in data["items"])
    assert all({"type", "reason"} <= set(entry) for entry in data["not_priced"])
    assert data["assumptions"]["usage"]["nat_processed_gb"] == 100.0


def test_another_environments_assembly_is_one_line(prod: Synthesized, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--env", "dev", "--assembly", str(prod.outdir)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "not a TechLib-dev-* stack" in err and "make synth ENV=dev" in err


def test_a_missing_assembly_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--env", "prod", "--assembly", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"make cost: {tmp_path}/manifest.json not found: run `make synth` first"


def test_a_usage_key_naming_no_resource_is_one_line(prod: Synthesized) -> None:
    config = load_config("prod", overrides={"cost": {"usage": {"s3_storage_gb": {"NoSuchBucket": 3}}}})
    templates, regions = _inputs(prod)
    result = estimate(templates, regions, config)
    (problem,) = result.problems
    assert problem.startswith("configuration: cost.usage.s3_storage_gb.NoSuchBucket: no resource has construct id")


def test_readme_cost_tables_are_current(prod: Synthesized, dev: Synthesized) -> None:
    generated = readme.block(_estimate(prod), _estimate(dev), prod.config)
    assert readme.current() == generated, "README.md's cost tables are stale: run `make cost-reference`"


# ------------------------------------------------------------------------------------- the review's change


def _change(prod: Synthesized, edit: Any) -> cost_delta.CostChange:
    templates, regions = _inputs(prod)
    new = copy.deepcopy(templates)
    edit(new)
    stacks = {s: StackInfo(f"aws://111111111111/{r}") for s, r in regions.items()}
    return cost_delta.review(templates, new, stacks, stacks, prod.config)


def _app_nodes(template: dict[str, Any]) -> dict[str, Any]:
    return one(template, "AWS::EKS::Nodegroup", lambda r: r["Properties"]["NodegroupName"] == "app-nodes")


def test_a_higher_node_group_ceiling_costs_nothing_at_desired_and_more_at_max(prod: Synthesized) -> None:
    def ceiling(templates: Templates) -> None:
        _app_nodes(_stack(templates, "-Eks"))["Properties"]["ScalingConfig"]["MaxSize"] = 12

    change = _change(prod, ceiling)
    t3_medium, gp3 = load().get("ap-northeast-1", "ec2/t3.medium"), load().get("ap-northeast-1", "ebs/gp3")
    assert t3_medium is not None and gp3 is not None
    rise = 2 * (t3_medium.usd * HOURS_PER_MONTH + 30 * gp3.usd)
    assert change.lines[0] == "+0.00 USD/month at desired size: none"
    assert change.lines[1].startswith(f"+{rise:,.2f} USD/month at maximum size: TechLib-prod-Eks +{rise:,.2f} (")
    assert "(max 10) -> " in change.lines[1] and "(max 12)" in change.lines[1]
    assert change.findings == []  # below 10 % of the maximum estimate


def test_a_large_rise_is_a_warning(prod: Synthesized) -> None:
    def more(templates: Templates) -> None:
        _app_nodes(_stack(templates, "-Eks"))["Properties"]["ScalingConfig"]["DesiredSize"] = 9

    change = _change(prod, more)
    (finding,) = [f for f in change.findings if f.key == "cost/desired"]
    assert finding.severity == "warning" and "cost.review_warning_percent (10 %)" in finding.message


def test_a_change_to_an_unpriced_class_is_named_not_counted(prod: Synthesized) -> None:
    def reader_up(templates: Templates) -> None:
        reader = one(
            _stack(templates, "-Database"), "AWS::RDS::DBInstance", lambda r: r["Properties"].get("PromotionTier") == 2
        )
        reader["Properties"]["DBInstanceClass"] = "db.r6g.xlarge"

    change = _change(prod, reader_up)
    assert change.lines[:2] == ["+0.00 USD/month at desired size: none", "+0.00 USD/month at maximum size: none"]
    (line,) = [line for line in change.lines if line.startswith("not priced: TechLib-prod-Database/")]
    assert "db.r6g.large" in line and "-> Aurora instance db.r6g.xlarge" in line and "no price source" in line


def test_make_diff_prints_the_cost_change_and_the_summary_has_it(
    prod: Synthesized, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = baseline_from(prod.outdir, tmp_path / "base")

    def ceiling(template: dict[str, Any]) -> None:
        _app_nodes(template)["Properties"]["ScalingConfig"]["MaxSize"] = 12

    summary = tmp_path / "summary.md"
    code, out = run_gate(
        mutated(prod.outdir, tmp_path, {"-Eks": ceiling}), baseline, capsys, "--markdown", str(summary)
    )
    assert code == 0
    assert cost_delta.TITLE in out and "USD/month at maximum size: TechLib-prod-Eks +" in out
    assert "- Monthly cost change +0.00 USD/month at desired size: none" in summary.read_text()
