"""Weakened protections of AWS resources: edge (WAF), TLS floors (CloudFront), supply chain (ECR), availability.

The design names each of these floors; a change that lowers one is rarely a typo-level edit, and the
CDK's diff shows it only as a property change among dozens. Each rule below compares one resource's
old and new properties and says, in one line each, what weakened from what to what. The rules are a
table (`RULES`) keyed by resource type; `protections_k8s` holds the same for Kubernetes objects.

A weakening is a danger in prod (`--accept STACK/ID` passes it) and a warning elsewhere, as broadened
access is: dev runs smaller floors on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from scripts.release_review.model import DANGER, WARNING, Finding, StackDiff
from scripts.release_review.templates import placeholder, short

Props = dict[str, Any]
Rule = Callable[[Props, Props | None], Iterator[str]]  # (old, new or None when removed) -> what weakened

# Stronger last. CloudFront's viewer minimum (ViewerCertificate.MinimumProtocolVersion; TLSv1 when absent).
VIEWER_TLS = ["SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021"]
VIEWER_TLS += ["TLSv1.2_2025", "TLSv1.3_2025"]
ORIGIN_TLS = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"]
VIEWER_POLICY = ["allow-all", "redirect-to-https", "https-only"]
ORIGIN_POLICY = ["http-only", "match-viewer", "https-only"]
# A WAF rule's action, by how much it stops: Count and Allow only let the request through.
BLOCKING = {"Block": 2, "Captcha": 2, "Challenge": 2, "Count": 1, "Allow": 0}
RATE_WINDOW_DEFAULT = 300  # seconds: RateBasedStatement.EvaluationWindowSec when absent


def rank(order: list[str], value: Any) -> int | None:
    return order.index(value) if isinstance(value, str) and value in order else None


def lowered(order: list[str], before: Any, after: Any) -> bool:
    """`after` is weaker than `before` on `order`; an unknown new value counts as weaker (review it)."""
    old, new = rank(order, before), rank(order, after)
    return old is not None and before != after and (new is None or new < old)


def _action(rule: Props) -> str:
    action = rule.get("Action") or rule.get("OverrideAction") or {}
    name = next(iter(action), "?") if isinstance(action, dict) else "?"
    return "None (the group's own actions)" if name == "None" else str(name)


def _strength(rule: Props) -> int:
    action = _action(rule)
    return 2 if action.startswith("None") else BLOCKING.get(action, 2)  # None: the managed group's own actions apply


def _label(rule: Props) -> str:
    group = (rule.get("Statement") or {}).get("ManagedRuleGroupStatement")
    if isinstance(group, dict):
        return f"managed rule group {group.get('VendorName')}/{group.get('Name')}"
    return f"rule {rule.get('Name')}"


def _overridden(rule: Props) -> dict[str, str]:
    """The managed group's rules that no longer block: RuleActionOverrides to Count/Allow, ExcludedRules."""
    group = (rule.get("Statement") or {}).get("ManagedRuleGroupStatement") or {}
    found = {str(r.get("Name")): "Count (excluded)" for r in group.get("ExcludedRules") or []}
    for override in group.get("RuleActionOverrides") or []:
        action = next(iter(override.get("ActionToUse") or {}), "?")
        if BLOCKING.get(action, 2) < 2:
            found[str(override.get("Name"))] = action
    return found


def _rate(rule: Props) -> tuple[float, str] | None:
    statement = (rule.get("Statement") or {}).get("RateBasedStatement")
    if not isinstance(statement, dict) or not isinstance(statement.get("Limit"), int | float):
        return None
    window = statement.get("EvaluationWindowSec", RATE_WINDOW_DEFAULT)
    text = f"{statement['Limit']}" + ("" if window == RATE_WINDOW_DEFAULT else f" per {window} s")
    return statement["Limit"] / window, text


def _countries(rule: Props) -> tuple[str, set[str]] | None:
    """("block", codes) for a blocking geo match; ("allow", codes) for a NOT-geo match (an allow list)."""
    statement = rule.get("Statement") or {}
    if "GeoMatchStatement" in statement:
        return "block", set(statement["GeoMatchStatement"].get("CountryCodes") or [])
    inner = (statement.get("NotStatement") or {}).get("Statement") or {}
    if "GeoMatchStatement" in inner:
        return "allow", set(inner["GeoMatchStatement"].get("CountryCodes") or [])
    return None


def _codes(codes: set[str]) -> str:
    return ", ".join(sorted(codes)) or "(none)"


def web_acl(old: Props, new: Props | None) -> Iterator[str]:
    if new is None:
        yield f"WebACL {old.get('Name')} removed: nothing filters the requests it filtered"
        return
    old_default, new_default = (
        next(iter(old.get("DefaultAction") or {}), "?"),
        next(iter(new.get("DefaultAction") or {}), "?"),
    )
    if old_default != new_default:
        effect = "requests no rule blocks pass" if new_default == "Allow" else "requests no rule allows are refused"
        yield f"WebACL {new.get('Name')}: default action {old_default} → {new_default} ({effect})"
    new_rules = {str(r.get("Name")): r for r in new.get("Rules") or []}
    old_names = {str(r.get("Name")) for r in old.get("Rules") or []}
    renamed = [r for name, r in new_rules.items() if name not in old_names]
    for before in old.get("Rules") or []:
        # A renamed rule is the same statement under a new name: compared, not reported as removed.
        after = new_rules.get(str(before.get("Name"))) or next(
            (r for r in renamed if r.get("Statement") == before.get("Statement")), None
        )
        where = f"WebACL {new.get('Name')} {_label(before)}"
        if after is None:
            if _strength(before) == 2:
                yield f"{where} removed (action {_action(before)}, priority {before.get('Priority')})"
            continue
        if _strength(after) < _strength(before):
            yield f"{where}: action {_action(before)} → {_action(after)} (matching requests pass)"
        old_over, new_over = _overridden(before), _overridden(after)
        for name in sorted(set(new_over) - set(old_over)):
            yield f"{where}: its rule {name} overridden to {new_over[name]}"
        old_rate, new_rate = _rate(before), _rate(after)
        if old_rate and new_rate and new_rate[0] > old_rate[0]:
            yield f"{where}: rate limit {old_rate[1]} → {new_rate[1]}"
        old_geo, new_geo = _countries(before), _countries(after)
        if old_geo and new_geo and old_geo[0] == new_geo[0] == "block" and old_geo[1] - new_geo[1]:
            yield f"{where}: geo-block list {_codes(old_geo[1])} → {_codes(new_geo[1])} ({_codes(old_geo[1] - new_geo[1])} no longer blocked)"
        if old_geo and new_geo and old_geo[0] == new_geo[0] == "allow" and new_geo[1] - old_geo[1]:
            yield f"{where}: geo allow list {_codes(old_geo[1])} → {_codes(new_geo[1])} ({_codes(new_geo[1] - old_geo[1])} now let in)"


def _behaviors(config: Props) -> dict[str, Props]:
    behaviors = {"(default)": config.get("DefaultCacheBehavior") or {}}
    behaviors |= {str(b.get("PathPattern")): b for b in config.get("CacheBehaviors") or []}
    return behaviors


def _min_origin_tls(origin: Props) -> str | None:
    protocols = (origin.get("CustomOriginConfig") or {}).get("OriginSSLProtocols")
    ranked = [p for p in protocols or [] if p in ORIGIN_TLS]
    return min(ranked, key=ORIGIN_TLS.index) if ranked else None


def _viewer_minimum(config: Props) -> str:
    certificate = config.get("ViewerCertificate") or {}
    if certificate.get("CloudFrontDefaultCertificate"):
        return "TLSv1"  # the *.cloudfront.net certificate accepts TLS 1.0 whatever the field says
    return str(certificate.get("MinimumProtocolVersion") or "TLSv1")


def _distribution(props: Props) -> str:
    aliases = (props.get("DistributionConfig") or {}).get("Aliases") or []
    return f"CloudFront distribution {aliases[0] if aliases and isinstance(aliases[0], str) else '(default domain)'}"


def distribution(old: Props, new: Props | None) -> Iterator[str]:
    if new is None:
        return
    before, after = old.get("DistributionConfig") or {}, new.get("DistributionConfig") or {}
    name = _distribution(new)
    if lowered(VIEWER_TLS, _viewer_minimum(before), _viewer_minimum(after)):
        yield f"{name}: viewer minimum protocol {_viewer_minimum(before)} → {_viewer_minimum(after)}"
    new_behaviors = _behaviors(after)
    for pattern, behavior in _behaviors(before).items():
        policy = (new_behaviors.get(pattern) or {}).get("ViewerProtocolPolicy")
        if pattern in new_behaviors and lowered(VIEWER_POLICY, behavior.get("ViewerProtocolPolicy"), policy):
            yield f"{name} behavior {pattern}: viewer protocol policy {behavior.get('ViewerProtocolPolicy')} → {policy} (HTTP allowed)"
    new_origins = {str(o.get("Id")): o for o in after.get("Origins") or []}
    for origin in before.get("Origins") or []:
        twin = new_origins.get(str(origin.get("Id")))
        if twin is None:
            continue
        old_min, new_min = _min_origin_tls(origin), _min_origin_tls(twin)
        if old_min and new_min and lowered(ORIGIN_TLS, old_min, new_min):
            protocols = [(o.get("CustomOriginConfig") or {}).get("OriginSSLProtocols") for o in (origin, twin)]
            yield f"{name} origin {origin.get('Id')}: SSL protocols {short(protocols[0])} → {short(protocols[1])}"
        old_policy = (origin.get("CustomOriginConfig") or {}).get("OriginProtocolPolicy")
        new_policy = (twin.get("CustomOriginConfig") or {}).get("OriginProtocolPolicy")
        if lowered(ORIGIN_POLICY, old_policy, new_policy):
            yield f"{name} origin {origin.get('Id')}: origin protocol policy {old_policy} → {new_policy} (HTTP to the origin)"


def distribution_waf(old: Props, new: Props | None) -> Iterator[str]:
    before = (old.get("DistributionConfig") or {}).get("WebACLId")
    if new is not None and before and not (new.get("DistributionConfig") or {}).get("WebACLId"):
        shown = before if isinstance(before, str) else placeholder(before)
        yield f"{_distribution(new)}: WebACLId {shown} → (absent): no WAF in front of the distribution"


def repository(old: Props, new: Props | None) -> Iterator[str]:
    if new is None:
        return
    before, after = old.get("ImageTagMutability", "MUTABLE"), new.get("ImageTagMutability", "MUTABLE")
    filters = [
        str(f.get("ImageTagMutabilityExclusionFilterValue"))
        for f in new.get("ImageTagMutabilityExclusionFilters") or []
    ]
    if before != after and after in ("MUTABLE", "MUTABLE_WITH_EXCLUSION"):
        yield f"ECR repository {new.get('RepositoryName')}: ImageTagMutability {before} → {after} (a released tag can be overwritten)"
    elif after == "IMMUTABLE_WITH_EXCLUSION" and "*" in filters and before != after:
        yield f"ECR repository {new.get('RepositoryName')}: ImageTagMutability {before} → {after} with the exclusion '*' (every tag can be overwritten)"
    old_scan = (old.get("ImageScanningConfiguration") or {}).get("ScanOnPush") is True
    if old_scan and (new.get("ImageScanningConfiguration") or {}).get("ScanOnPush") is not True:
        yield f"ECR repository {new.get('RepositoryName')}: scan on push true → {short((new.get('ImageScanningConfiguration') or {}).get('ScanOnPush'))}"


def replication_group(old: Props, new: Props | None) -> Iterator[str]:
    if new is None:
        return
    for name in ("AutomaticFailoverEnabled", "MultiAZEnabled"):
        if old.get(name) is True and new.get(name) is not True:
            yield f"Redis replication group {new.get('ReplicationGroupId') or '(generated name)'}: {name} true → {short(new.get(name))}"


def _zones(props: Props) -> int | None:
    subnets = props.get("Subnets")
    return len(subnets) if isinstance(subnets, list) else None


def node_group(old: Props, new: Props | None) -> Iterator[str]:
    before = (old.get("ScalingConfig") or {}).get("MinSize")
    if new is None:
        if isinstance(before, int) and before > 0:
            yield f"node group {old.get('NodegroupName')} removed (its minimum was {before})"
        return
    after = (new.get("ScalingConfig") or {}).get("MinSize")
    old_zones, zones = _zones(old), _zones(new)
    if not isinstance(before, int) or not isinstance(after, int):
        return
    # Below the zones it spans, a zone outage can leave the group without a node until it scales out again.
    lowered_below = after < before and (zones is None or after < zones)
    newly_below = zones is not None and old_zones is not None and before >= old_zones and after < zones
    if lowered_below or newly_below:
        spread = f", below its {zones} zones (a zone outage can leave it without a node)" if zones else ""
        grown = f" (its zones {old_zones} → {zones})" if zones != old_zones else ""
        yield f"node group {new.get('NodegroupName')}: minimum {before} → {after}{spread}{grown}"


# resource type -> (category, rule); a type may have several.
RULES: dict[str, tuple[tuple[str, Rule], ...]] = {
    "AWS::WAFv2::WebACL": (("edge", web_acl),),
    "AWS::CloudFront::Distribution": (("tls", distribution), ("edge", distribution_waf)),
    "AWS::ECR::Repository": (("supply-chain", repository),),
    "AWS::ElastiCache::ReplicationGroup": (("availability", replication_group),),
    "AWS::EKS::Nodegroup": (("availability", node_group),),
}


def _instances_per_cluster(template: dict[str, Any] | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for resource in ((template or {}).get("Resources") or {}).values():
        if resource.get("Type") == "AWS::RDS::DBInstance":
            cluster = (resource.get("Properties") or {}).get("DBClusterIdentifier")
            key = cluster.get("Ref") if isinstance(cluster, dict) else cluster
            if isinstance(key, str):
                counts[key] = counts.get(key, 0) + 1
    return counts


def aurora_readers(old: dict[str, Any] | None, new: dict[str, Any] | None) -> Iterator[tuple[str, str]]:
    """(cluster logical ID, line) for each Aurora cluster left with fewer instances (a writer and its readers)."""
    before, after = _instances_per_cluster(old), _instances_per_cluster(new)
    clusters = (new or {}).get("Resources") or {}
    for cluster, count in sorted(before.items()):
        if cluster in clusters and after.get(cluster, 0) < count:
            name = (clusters[cluster].get("Properties") or {}).get("DBClusterIdentifier") or cluster
            yield cluster, f"Aurora cluster {name}: readers {count - 1} → {max(after.get(cluster, 0) - 1, 0)}"


def weakenings(
    diffs: dict[str, StackDiff],
    old_templates: dict[str, dict[str, Any]],
    new_templates: dict[str, dict[str, Any]],
    fail: bool,
) -> list[Finding]:
    severity = DANGER if fail else WARNING
    found: list[Finding] = []
    for stack, diff in sorted(diffs.items()):
        for change in diff.resources.values():
            rules = RULES.get(change.resource_type)
            if not rules or change.added:
                continue
            # A changed logical ID is compared with its twin, not reported as a removal.
            twin = diff.resources.get(change.renamed_to) if change.renamed_to else None
            after = (twin.new if twin else change.new) or None
            old_props, new_props = (change.old or {}).get("Properties") or {}, None
            if after is not None:
                new_props = after.get("Properties") or {}
            for category, rule in rules:
                found += [
                    Finding(severity, category, change.key, f"{stack}: {line}") for line in rule(old_props, new_props)
                ]
        if any(c.resource_type == "AWS::RDS::DBInstance" for c in diff.resources.values()):
            for cluster, line in aurora_readers(old_templates.get(stack), new_templates.get(stack)):
                found.append(Finding(severity, "availability", f"{stack}/{cluster}", f"{stack}: {line}"))
    return found
