"""Template mutations for the weakened-protection tests: each edits the real synthesized JSON in place,
as the code or configuration change would, and raises when what it edits is not there."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.release_review_helpers import Template, edit_manifest, one, resources

Edit = Callable[[Template], None]


def waf_rule(name: str, change: Callable[[dict[str, Any]], None]) -> Edit:
    def edit(template: Template) -> None:
        (rule,) = [r for r in one(template, "AWS::WAFv2::WebACL")["Properties"]["Rules"] if r["Name"] == name]
        change(rule)

    return edit


def drop_waf_rule(name: str) -> Edit:
    def edit(template: Template) -> None:
        acl = one(template, "AWS::WAFv2::WebACL")["Properties"]
        acl["Rules"] = [r for r in acl["Rules"] if r["Name"] != name]

    return edit


def acl(change: Callable[[dict[str, Any]], None]) -> Edit:
    return lambda template: change(one(template, "AWS::WAFv2::WebACL")["Properties"])


def distribution(change: Callable[[dict[str, Any]], None]) -> Edit:
    return lambda template: change(one(template, "AWS::CloudFront::Distribution")["Properties"]["DistributionConfig"])


def origin(config: dict[str, Any]) -> dict[str, Any]:
    (origin,) = [o for o in config["Origins"] if o["Id"] == "ALBOrigin"]
    custom: dict[str, Any] = origin["CustomOriginConfig"]
    return custom


def api_behavior(config: dict[str, Any]) -> dict[str, Any]:
    (behavior,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    return behavior


def repository(name: str, change: Callable[[dict[str, Any]], None]) -> Edit:
    return lambda template: change(
        one(template, "AWS::ECR::Repository", lambda r: r["Properties"]["RepositoryName"] == name)["Properties"]
    )


def node_group_props(name: str, change: Callable[[dict[str, Any]], None]) -> Edit:
    return lambda template: change(
        one(template, "AWS::EKS::Nodegroup", lambda r: r["Properties"]["NodegroupName"] == name)["Properties"]
    )


def node_group(name: str, minimum: int) -> Edit:
    return node_group_props(name, lambda props: props["ScalingConfig"].update(MinSize=minimum))


def drop_node_group(name: str) -> Edit:
    def edit(template: Template) -> None:
        (lid,) = [i for i, r in resources(template, "AWS::EKS::Nodegroup") if r["Properties"]["NodegroupName"] == name]
        del template["Resources"][lid]

    return edit


def redis(**values: Any) -> Edit:
    return lambda template: one(template, "AWS::ElastiCache::ReplicationGroup")["Properties"].update(values)


def drop_readers(template: Template) -> None:
    for lid, resource in resources(template, "AWS::RDS::DBInstance"):
        if resource["Properties"]["PromotionTier"] != 0:
            del template["Resources"][lid]


def add_reader(template: Template) -> None:
    ((lid, reader),) = [
        (i, r) for i, r in resources(template, "AWS::RDS::DBInstance") if r["Properties"]["PromotionTier"]
    ]
    template["Resources"][f"{lid}Second"] = json.loads(json.dumps(reader))


def object(kind: str, name: str, change: Callable[[dict[str, Any]], dict[str, Any] | None]) -> Edit:
    """Edit (or, when `change` returns None, cut) one object of the manifest list that holds it.

    The object must lie within one literal part of the manifest's Fn::Join (no token inside it)."""
    opening = f'"kind":"{kind}","metadata":'

    def edit(template: Template) -> None:
        for _, resource in resources(template, "Custom::AWSCDK-EKS-KubernetesResource"):
            parts = resource["Properties"]["Manifest"]["Fn::Join"][1]
            for index, part in enumerate(parts):
                found = part.find(opening) if isinstance(part, str) else -1
                while found >= 0:
                    start = part.rindex('{"apiVersion"', 0, found)
                    obj, end = json.JSONDecoder().raw_decode(part, start)
                    if obj["metadata"]["name"] == name:
                        changed = change(obj)
                        head, tail = part[:start], part[end:]
                        if changed is not None:
                            parts[index] = head + json.dumps(changed, separators=(",", ":")) + tail
                        else:
                            parts[index] = head.rstrip(",") + tail if tail.startswith("]") else head + tail.lstrip(",")
                        return
                    found = part.find(opening, end)
        raise AssertionError(f"no {kind} {name} in a manifest")

    return edit


def spec(**values: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda obj: {**obj, "spec": {**obj["spec"], **values}}


def ingress(old: str, new: str) -> Edit:
    """A literal edit of the Ingress (its annotations hold tokens, so it spans several parts)."""

    def edit(template: Template) -> None:
        manifest = one(template, "Custom::AWSCDK-EKS-KubernetesResource", lambda r: "tech-lib-ingress" in str(r))
        parts = manifest["Properties"]["Manifest"]["Fn::Join"][1]
        assert any(old in part for part in parts if isinstance(part, str)), f"{old} is not in the Ingress manifest"
        edit_manifest(template, "tech-lib-ingress", old, new)

    return edit


def all(*edits: Edit) -> Edit:
    def edit(template: Template) -> None:
        for each in edits:
            each(template)

    return edit


def sql_rule() -> dict[str, Any]:
    return {
        "Name": "AWSManagedRulesSQLiRuleSet",
        "OverrideAction": {"None": {}},
        "Priority": 5,
        "Statement": {"ManagedRuleGroupStatement": {"Name": "AWSManagedRulesSQLiRuleSet", "VendorName": "AWS"}},
        "VisibilityConfig": {"CloudWatchMetricsEnabled": True, "MetricName": "SQLi", "SampledRequestsEnabled": True},
    }


def kubernetes(version: str) -> Edit:
    return lambda template: one(template, "AWS::EKS::Cluster")["Properties"].update(Version=version)
