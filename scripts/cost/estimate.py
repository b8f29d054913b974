"""The estimate of one environment: every resource of every template priced or named with why it is not.

    estimate(templates, regions, config) -> Estimate

`templates` maps stack name -> template; `regions` maps stack name -> its region. The same function prices
cdk.out and the committed baseline, so the review's cost change is the difference of two estimates.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from config import AppConfig
from scripts.cost import cluster
from scripts.cost.free import NOT_PRICED
from scripts.cost.model import NO_SOURCE, Estimate, Unpriced
from scripts.cost.prices import PriceTable, load
from scripts.cost.pricing import PRICERS, Bill, Context, Resource

NO_RULE = "no rule for this resource type: add it to scripts/cost/pricing.py or scripts/cost/free.py"


class AssemblyError(Exception):
    """No usable cdk.out: one line."""


def read_assembly(assembly: Path) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Templates and regions of the stacks in a cloud assembly directory."""
    manifest_path = assembly / "manifest.json"
    if not manifest_path.is_file():
        raise AssemblyError(f"{manifest_path} not found: run `make synth` first")
    artifacts = json.loads(manifest_path.read_text()).get("artifacts", {})
    templates, regions = {}, {}
    for name, artifact in sorted(artifacts.items()):
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        templates[name] = json.loads((assembly / artifact["properties"]["templateFile"]).read_text())
        regions[name] = region_of(artifact.get("environment", ""))
    if not templates:
        raise AssemblyError(f"{assembly} holds no stack templates")
    return templates, regions


def region_of(environment: str) -> str:
    """aws://ACCOUNT/REGION -> REGION."""
    return environment.rsplit("/", 1)[-1] if environment.startswith("aws://") else environment


def _cluster_objects(templates: dict[str, dict[str, Any]]) -> list[Any]:
    objects: list[Any] = []
    for template in templates.values():
        for body in (template.get("Resources") or {}).values():
            if body.get("Type") == "Custom::AWSCDK-EKS-KubernetesResource":
                decoded = cluster.decoded((body.get("Properties") or {}).get("Manifest"))
                objects.extend(decoded if isinstance(decoded, list) else [])
    return objects


def assumptions(config: AppConfig) -> dict[str, Any]:
    return {
        "hours_per_month": 730,
        "prices": "on-demand list prices of scripts/cost/prices.yaml, no free tier, no savings plans, before tax",
        "desired": "node groups at their desired size; every other resource as the templates declare it",
        "maximum": (
            "node groups at their max_size (the cluster autoscaler's ceiling; HPA maxima change the bill only "
            "through the nodes they need, which this ceiling bounds); Aurora readers and cache nodes are fixed "
            "counts (no autoscaling), the same at both sizes"
        ),
        "spot": (
            "a Spot node group is priced at the highest Spot price of its instance types in the catalog "
            "snapshot of prices.yaml (over the region's zones), i.e. the smallest saving seen"
        ),
        "not_modelled": "data transfer out of the region except through CloudFront, cross-zone traffic, support plans",
        "usage": config.cost.usage.model_dump(),
    }


def estimate(
    templates: dict[str, dict[str, Any]],
    regions: dict[str, str],
    config: AppConfig,
    table: PriceTable | None = None,
) -> Estimate:
    counts: Counter[str] = Counter(
        body.get("Type", "?") for t in templates.values() for body in (t.get("Resources") or {}).values()
    )
    ctx = Context(table or load(), config, counts, cluster.storage_classes(_cluster_objects(templates)))
    result = Estimate(config.name, assumptions=assumptions(config))
    for stack in sorted(templates):
        for logical_id, body in sorted((templates[stack].get("Resources") or {}).items()):
            res = Resource(
                stack, regions.get(stack, config.region), logical_id, str(body.get("Type")), body, templates[stack]
            )
            bill = Bill(ctx, res)
            if res.type in PRICERS:
                PRICERS[res.type](bill)
            elif res.type in NOT_PRICED:
                kind, reason = NOT_PRICED[res.type]
                bill.unpriced.append(Unpriced(res.type, kind, reason, stack, logical_id))
            else:
                bill.unpriced.append(Unpriced(res.type, NO_SOURCE, NO_RULE, stack, logical_id))
            result.items.extend(bill.items)
            result.unpriced.extend(bill.unpriced)
    usage = config.cost.usage
    for field_name in ("log_ingestion_gb", "s3_storage_gb"):
        for construct in getattr(usage, field_name):
            if (field_name, construct) not in ctx.used_usage_keys:
                result.problems.append(
                    f"configuration: cost.usage.{field_name}.{construct}: no resource has construct id {construct!r} "
                    f"(allowed: the aws:cdk:path segment before /Resource of a "
                    f"{'log group' if field_name == 'log_ingestion_gb' else 'bucket'})"
                )
    return result
