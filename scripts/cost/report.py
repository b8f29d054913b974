"""The estimate as text (`make cost`), as JSON (`COST_ARGS=--json`) and as the README's Markdown tables."""

from __future__ import annotations

from typing import Any

from scripts.cost.model import FREE, NEGLIGIBLE, NO_SOURCE, Estimate, Item
from scripts.cost.prices import PriceTable


def usd(value: float) -> str:
    return f"{value:,.2f}"


def signed(value: float) -> str:
    return f"{'+' if value >= 0 else '-'}{abs(value):,.2f}"


def completeness(estimate: Estimate) -> str:
    missing = estimate.missing
    if not missing:
        return "complete: every billable resource has a price"
    types = sorted({u.type.split("::", 1)[-1] for u in missing})
    resources = {(u.stack, u.logical_id) for u in missing}
    return (
        f"INCOMPLETE: {len(missing)} charge(s) of {len(resources)} resource(s) have no price source and are not "
        f"in these totals ({', '.join(types)})"
    )


def _quantity(item: Item) -> str:
    text = f"{item.quantity:,.4g}"
    return (
        text
        if item.quantity_at_max is None or item.max_quantity == item.quantity
        else f"{text} (max {item.max_quantity:,.4g})"
    )


def text(estimate: Estimate, table: PriceTable, top: int | None = None) -> list[str]:
    lines = [
        f"Monthly cost estimate of {estimate.environment} (USD, 730 h a month, on-demand list prices of "
        "scripts/cost/prices.yaml)",
        "",
        f"  at desired size  {usd(estimate.monthly_total):>10} USD/month",
        f"  at maximum size  {usd(estimate.monthly_total_at_max):>10} USD/month",
        f"  {completeness(estimate)}",
        "",
        "By stack (desired / maximum):",
    ]
    lines += [f"  {name:<32} {usd(d):>10} {usd(m):>10}" for name, (d, m) in estimate.by("stack").items()]
    lines += ["", "By service (desired / maximum):"]
    lines += [f"  {name:<32} {usd(d):>10} {usd(m):>10}" for name, (d, m) in estimate.by("service").items()]
    items = sorted(estimate.items, key=lambda i: (-i.monthly, -i.monthly_at_max, i.stack, i.logical_id))
    shown = items if top is None else items[:top]
    lines += ["", f"Items, largest first{'' if top is None else f' (the {top} largest of {len(items)})'}:"]
    lines.append(
        f"  {'monthly':>9} {'at max':>9}  {'quantity':<20} {'unit':<16} {'unit price':>10}  resource: what [source]"
    )
    for item in shown:
        lines.append(
            f"  {usd(item.monthly):>9} {usd(item.monthly_at_max):>9}  {_quantity(item):<20} {item.unit:<16} "
            f"{item.unit_price:>10.4f}  {item.stack}/{item.logical_id}: {item.description} [{item.source}]"
        )
    lines += ["", "Not priced (left out of the totals):"]
    for entry in estimate.not_priced():
        count = f" ({len(entry['resources'])})" if entry["resources"] else ""
        lines.append(f"  {entry['kind']:<16} {entry['type']}{count}: {entry['reason']}")
    lines += ["", "Assumptions:"]
    for key, value in estimate.assumptions.items():
        if key == "usage":
            lines.append("  usage (config cost.usage, per month): " + ", ".join(f"{k}={v}" for k, v in value.items()))
        else:
            lines.append(f"  {key}: {value}")
    lines += ["", "Price sources (prices.yaml):"]
    lines += [f"  {sid}: {source['what']} <{source['url']}>" for sid, source in sorted(table.sources.items())]
    if estimate.problems:
        lines += ["", *estimate.problems]
    return lines


def as_json(estimate: Estimate, table: PriceTable) -> dict[str, Any]:
    data = estimate.to_json()
    data["sources"] = {sid: dict(source) for sid, source in sorted(table.sources.items())}
    data["price_table"] = [
        {"region": p.region, "key": p.key, "usd": p.usd, "unit": p.unit, "source": p.source_id, "read": p.read}
        for p in table.rows()
    ]
    return data


def markdown(estimate: Estimate) -> list[str]:
    """The README's tables of one environment: totals, by stack, by service, and what is not priced."""
    lines = [
        f"**{estimate.environment}**: {usd(estimate.monthly_total)} USD/month at desired size, "
        f"{usd(estimate.monthly_total_at_max)} at maximum size; {completeness(estimate)}.",
        "",
        "| stack | desired | maximum |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {usd(d)} | {usd(m)} |" for name, (d, m) in estimate.by("stack").items()]
    lines += ["", "| service | desired | maximum |", "|---|---:|---:|"]
    lines += [f"| {name} | {usd(d)} | {usd(m)} |" for name, (d, m) in estimate.by("service").items()]
    lines += ["", "| not priced: no price source | resources |", "|---|---|"]
    for entry in estimate.not_priced():
        if entry["kind"] == NO_SOURCE:
            lines.append(f"| {entry['type']}: {entry['reason']} | {len(entry['resources'])} |")
    free = sorted({e["type"] for e in estimate.not_priced() if e["kind"] in (FREE, NEGLIGIBLE)})
    lines += ["", f"Free or next to nothing (not in the totals): {', '.join(f'`{t}`' for t in free)}."]
    return lines
