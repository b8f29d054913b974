"""The review's monthly cost change: `make cost`'s estimate of the baseline and of cdk.out, compared.

Both sides are priced with the same price table and the current configuration's usage assumptions, so the
change is what the templates change (a node group's ceiling, an instance class), never a new guess of
traffic. A rise above `cost.review_warning_percent` of the baseline's estimate is a warning; a change to a
resource whose price has no source is printed as such, never as a zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from config import AppConfig
from scripts.cost.estimate import estimate, region_of
from scripts.cost.model import Estimate, Item
from scripts.cost.report import signed, usd
from scripts.release_review.inputs import StackInfo
from scripts.release_review.model import WARNING, Finding

TITLE = "Monthly cost change (USD a month, 730 h; `make cost` for the whole estimate)"


@dataclass
class CostChange:
    lines: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # the Markdown summary's lines


def _per_resource(result: Estimate) -> dict[tuple[str, str], list[Item]]:
    out: dict[tuple[str, str], list[Item]] = {}
    for item in result.items:
        out.setdefault((item.stack, item.logical_id), []).append(item)
    return out


def _why(logical_id: str, was: list[Item], now: list[Item]) -> str:
    """What changed in one resource's lines: a changed description, or the amount of an unchanged one."""
    if not was:
        return f"new {logical_id}: {'; '.join(i.description for i in now)}"
    if not now:
        return f"removed {logical_id}: {'; '.join(i.description for i in was)}"
    parts = []
    for before, after in zip(was, now, strict=False):
        if before.description != after.description:
            parts.append(f"{before.description} -> {after.description}")
        elif abs(after.monthly - before.monthly) >= 0.005 or abs(after.monthly_at_max - before.monthly_at_max) >= 0.005:
            parts.append(
                f"{after.description}: {signed(after.monthly - before.monthly)} at desired, "
                f"{signed(after.monthly_at_max - before.monthly_at_max)} at maximum"
            )
    if len(was) != len(now):
        parts.append(f"{len(was)} -> {len(now)} priced lines")
    return f"{logical_id}: {'; '.join(parts)}"


def _unpriced(result: Estimate) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for u in result.missing:
        out.setdefault((u.stack, u.logical_id), []).append(u.reason)
    return out


def _by_stack(changes: list[tuple[str, str, float, float, str]], index: int) -> str:
    stacks: dict[str, list[tuple[float, str]]] = {}
    for stack, _lid, d_desired, d_max, why in changes:
        delta = d_desired if index == 0 else d_max
        if abs(delta) >= 0.005:
            stacks.setdefault(stack, []).append((delta, why))
    if not stacks:
        return "none"
    parts = []
    for stack, entries in sorted(stacks.items(), key=lambda kv: -abs(sum(d for d, _ in kv[1]))):
        parts.append(f"{stack} {signed(sum(d for d, _ in entries))} ({'; '.join(why for _, why in entries)})")
    return ", ".join(parts)


def review(
    old: dict[str, dict[str, Any]],
    new: dict[str, dict[str, Any]],
    old_stacks: dict[str, StackInfo],
    new_stacks: dict[str, StackInfo],
    config: AppConfig,
) -> CostChange:
    before = estimate(old, {s: region_of(i.environment) for s, i in old_stacks.items()}, config)
    after = estimate(new, {s: region_of(i.environment) for s, i in new_stacks.items()}, config)
    old_items, new_items = _per_resource(before), _per_resource(after)
    changes: list[tuple[str, str, float, float, str]] = []
    for key in sorted(set(old_items) | set(new_items)):
        was, now = old_items.get(key, []), new_items.get(key, [])
        d_desired = sum(i.monthly for i in now) - sum(i.monthly for i in was)
        d_max = sum(i.monthly_at_max for i in now) - sum(i.monthly_at_max for i in was)
        if abs(d_desired) >= 0.005 or abs(d_max) >= 0.005:
            changes.append((key[0], key[1], d_desired, d_max, _why(key[1], was, now)))
    delta_desired = after.monthly_total - before.monthly_total
    delta_max = after.monthly_total_at_max - before.monthly_total_at_max
    result = CostChange()
    result.lines = [
        f"{signed(delta_desired)} USD/month at desired size: {_by_stack(changes, 0)}",
        f"{signed(delta_max)} USD/month at maximum size: {_by_stack(changes, 1)}",
        f"estimate {usd(before.monthly_total)} -> {usd(after.monthly_total)} USD/month at desired size, "
        f"{usd(before.monthly_total_at_max)} -> {usd(after.monthly_total_at_max)} at maximum; "
        f"{len(after.missing)} charge(s) without a price source are in neither figure",
    ]
    old_missing, new_missing = _unpriced(before), _unpriced(after)
    for key in sorted(set(old_missing) | set(new_missing)):
        reasons_was, reasons_now = sorted(old_missing.get(key, [])), sorted(new_missing.get(key, []))
        if reasons_was != reasons_now:
            result.lines.append(
                f"not priced: {key[0]}/{key[1]}: {'; '.join(reasons_was) or 'nothing'} -> "
                f"{'; '.join(reasons_now) or 'priced or gone'}"
            )
    result.summary = [f"Monthly cost change {line}" for line in result.lines[:2]]
    result.summary += [line for line in result.lines if line.startswith("not priced: ")]
    share = config.cost.review_warning_percent
    for label, delta, base in (
        ("desired", delta_desired, before.monthly_total),
        ("maximum", delta_max, before.monthly_total_at_max),
    ):
        if delta > 0 and base > 0 and 100 * delta / base > share:
            result.findings.append(
                Finding(
                    WARNING,
                    "cost",
                    f"cost/{label}",
                    f"the monthly estimate at {label} size rises by {usd(delta)} USD ({100 * delta / base:.1f} % of "
                    f"{usd(base)}), more than cost.review_warning_percent ({share} %)",
                )
            )
    return result
