"""IAM and security-group changes, as the CDK's diff engine reads them, and when they broaden access.

The library lists statement and rule additions and removals per resource. A changed statement shows
as one removal plus one addition, so an addition only counts as broadening when no removed statement
of the same resource already allowed it (a narrowed statement passes).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from fnmatch import fnmatchcase
from typing import Any

from scripts.release_review.model import DANGER, WARNING, Finding, ResourceChange

PUBLIC_CIDRS = {"0.0.0.0/0", "::/0"}


def _values(targets: Any) -> list[str]:
    return [str(v) for v in (targets or {}).get("values", [])] if isinstance(targets, dict) else []


def _covers(patterns: list[str], values: list[str]) -> bool:
    return all(any(fnmatchcase(v.lower(), p.lower()) for p in patterns) for v in values)


def _statement_covered(added: dict[str, Any], removed: list[dict[str, Any]]) -> bool:
    for old in removed:
        if old.get("effect") != added.get("effect") or old.get("condition") != added.get("condition"):
            continue
        if any(
            bool((old.get(k) or {}).get("not")) != bool((added.get(k) or {}).get("not"))
            for k in ("actions", "resources", "principals")
        ):
            continue
        if (
            _covers(_values(old.get("actions")), _values(added.get("actions")))
            and _covers(_values(old.get("resources")), _values(added.get("resources")))
            and set(_values(added.get("principals"))) <= set(_values(old.get("principals")))
        ):
            return True
    return False


def _parsed(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The library's MaybeParsed wrappers: parsed statements unwrapped, an intrinsic kept as its text."""
    result = []
    for item in statements:
        value = (
            item.get("value") if item.get("type") == "parsed" else item.get("repr", item) if item.get("type") else item
        )
        result.append(value if isinstance(value, dict) else {"unparsed": value})
    return result


def describe_statement(statement: dict[str, Any]) -> str:
    if "unparsed" in statement:  # an intrinsic the library could not read as a statement
        return f"(unparsed) {statement['unparsed']}"
    actions = ", ".join(_values(statement.get("actions"))) or "?"
    resources = ", ".join(_values(statement.get("resources"))) or "*"
    principals = ", ".join(_values(statement.get("principals")))
    text = f"{statement.get('effect', 'Allow')} {actions} on {resources}"
    if principals:
        text += f" for {principals}"
    if statement.get("condition"):
        text += f" when {statement['condition']}"
    return text


def _public_statement(statement: dict[str, Any]) -> bool:
    principals = _values(statement.get("principals"))
    wildcard = any(p in ("*", "AWS:*") for p in principals)
    return statement.get("effect") == "Allow" and wildcard and not statement.get("condition")


def _cidr(rule: dict[str, Any]) -> str | None:
    peer = rule.get("peer") or {}
    return str(peer["ip"]) if peer.get("kind") == "cidr-ip" else None


def _rule_covered(added: dict[str, Any], removed: list[dict[str, Any]]) -> bool:
    for old in removed:
        if old.get("groupId") != added.get("groupId") or old.get("ipProtocol") not in (added.get("ipProtocol"), "-1"):
            continue
        old_from, old_to = old.get("fromPort"), old.get("toPort")
        new_from, new_to = added.get("fromPort"), added.get("toPort")
        if old.get("ipProtocol") != "-1" and not (
            isinstance(old_from, int)
            and isinstance(new_from, int)
            and isinstance(old_to, int)
            and isinstance(new_to, int)
            and old_from <= new_from
            and new_to <= old_to
        ):
            continue
        old_cidr, new_cidr = _cidr(old), _cidr(added)
        if old_cidr and new_cidr:
            try:
                if ipaddress.ip_network(new_cidr).subnet_of(ipaddress.ip_network(old_cidr)):  # type: ignore[arg-type]
                    return True
            except (ValueError, TypeError):
                continue
        elif old.get("peer") == added.get("peer"):
            return True
    return False


def describe_rule(rule: dict[str, Any], direction: str) -> str:
    peer = rule.get("peer") or {}
    source = peer.get("ip") or peer.get("securityGroupId") or peer.get("prefixListId") or "?"
    protocol = str(rule.get("ipProtocol"))
    ports = (
        "all"
        if protocol == "-1"
        else f"{protocol} {rule.get('fromPort')}"
        + ("" if rule.get("fromPort") == rule.get("toPort") else f"-{rule.get('toPort')}")
    )
    return f"{direction} {ports} {'from' if direction == 'ingress' else 'to'} {source} on {rule.get('groupId')}"


def changes(change: ResourceChange) -> tuple[list[str], list[str], list[str]]:
    """(broadening lines, other added lines, removed lines) of one resource's IAM and SG changes."""
    security = change.security or {}
    iam, groups = security.get("iam") or {}, security.get("securityGroups") or {}
    broadening: list[str] = []
    added: list[str] = []
    removed: list[str] = []
    removed_statements = [s for s in _parsed(iam.get("statementRemovals", [])) if "effect" in s]
    for statement in _parsed(iam.get("statementAdditions", [])):
        public = " — PUBLIC (any principal)" if _public_statement(statement) else ""
        line = f"+ IAM {describe_statement(statement)}{public}"
        denies = statement.get("effect") == "Deny"
        (added if denies or _statement_covered(statement, removed_statements) else broadening).append(line)
    removed += [f"- IAM {describe_statement(s)}" for s in _parsed(iam.get("statementRemovals", []))]
    # The library wraps each attachment as it does statements ({"type": "parsed", "value": {...}}).
    for policy in _parsed(iam.get("managedPolicyAdditions", [])):
        broadening.append(
            f"+ managed policy {policy.get('managedPolicyArn', policy)} attached to {policy.get('identityArn', '?')}"
        )
    removed += [
        f"- managed policy {p.get('managedPolicyArn', p)} from {p.get('identityArn', '?')}"
        for p in _parsed(iam.get("managedPolicyRemovals", []))
    ]
    for direction in ("ingress", "egress"):
        old_rules = groups.get(f"{direction}RuleRemovals", [])
        for rule in groups.get(f"{direction}RuleAdditions", []):
            public = " — PUBLIC (the whole internet)" if _cidr(rule) in PUBLIC_CIDRS else ""
            line = f"+ SG {describe_rule(rule, direction)}{public}"
            wider = direction == "ingress" and not _rule_covered(rule, old_rules)
            (broadening if wider else added).append(line)
        removed += [f"- SG {describe_rule(r, direction)}" for r in old_rules]
    return broadening, added, removed


def security_findings(changes_: list[ResourceChange], fail: bool) -> Iterator[Finding]:
    for change in changes_:
        broadening, _added, _removed = changes(change)
        if broadening:
            severity = DANGER if fail else WARNING
            yield Finding(
                severity,
                "security",
                change.key,
                f"{change.stack}: {change.resource_type} {change.logical_id} broadens access",
                tuple(broadening),
            )
