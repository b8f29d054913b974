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
from scripts.cost.model import Estimate
from scripts.cost.report import signed, usd
from scripts.release_review.inputs import StackInfo
from scripts.release_review.model import WARNING, Finding

TITLE = "Monthly cost change (USD a month, 730 h; `make cost` for the whole estimate)"


@dataclass
class CostChange:
    lines: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # the Markdown summary's lines


def _per_resource(result: Estimate) -> dict[tuple[str, str], tuple[float, float, list[str]]]:
    out: dict[tuple[str, str], tuple[float, float, list[str]]] = {}
    for item in result.items:
        desired, at_max, what = out.get((item.stack, item.logical_id), (0.0, 0.0, []))
        out[(item.stack, item.logical_id)] = (
            desired + item.monthly,
            at_max + item.monthly_at_max,
            [*what, item.description],
        )
    return out


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
        o_desired, o_max, o_what = old_items.get(key, (0.0, 0.0, []))
        n_desired, n_max, n_what = new_items.get(key, (0.0, 0.0, []))
        if abs(n_desired - o_desired) >= 0.005 or abs(n_max - o_max) >= 0.005:
            if not o_what:
                why = f"new {key[1]}: {'; '.join(n_what)}"
            elif not n_what:
                why = f"removed {key[1]}: {'; '.join(o_what)}"
            else:
                changed = [f"{a} -> {b}" for a, b in zip(o_what, n_what, strict=False) if a != b]
                why = f"{key[1]}: {'; '.join(changed) or 'usage share'}"
            changes.append((key[0], key[1], n_desired - o_desired, n_max - o_max, why))
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
        was, now = sorted(old_missing.get(key, [])), sorted(new_missing.get(key, []))
        if was != now:
            result.lines.append(
                f"not priced: {key[0]}/{key[1]}: {'; '.join(was) or 'nothing'} -> {'; '.join(now) or 'priced or gone'}"
            )
    result.summary = [f"Monthly cost change {line}" for line in result.lines[:2]]
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
