"""What an estimate holds: priced items (at desired and at maximum size) and the charges left unpriced."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HOURS_PER_MONTH = 730

# Kinds of a charge left out of the totals. Only NO_SOURCE makes an estimate incomplete.
FREE, NEGLIGIBLE, NO_SOURCE = "free", "next to nothing", "no price source"


@dataclass(frozen=True)
class Item:
    stack: str
    logical_id: str
    type: str
    service: str
    description: str
    quantity: float  # at desired size
    unit: str
    unit_price: float
    source: str
    quantity_at_max: float | None = None  # None: the same as at desired size

    @property
    def monthly(self) -> float:
        return self.quantity * self.unit_price

    @property
    def max_quantity(self) -> float:
        return self.quantity if self.quantity_at_max is None else self.quantity_at_max

    @property
    def monthly_at_max(self) -> float:
        return self.max_quantity * self.unit_price

    def to_json(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "logical_id": self.logical_id,
            "type": self.type,
            "service": self.service,
            "description": self.description,
            "quantity": round(self.quantity, 4),
            "quantity_at_max": round(self.max_quantity, 4),
            "unit": self.unit,
            "unit_price": self.unit_price,
            "monthly": round(self.monthly, 2),
            "monthly_at_max": round(self.monthly_at_max, 2),
            "source": self.source,
        }


@dataclass(frozen=True)
class Unpriced:
    """A charge the totals leave out, with why: free, next to nothing, or no price source."""

    type: str
    kind: str
    reason: str
    stack: str = ""
    logical_id: str = ""


@dataclass
class Estimate:
    environment: str
    items: list[Item] = field(default_factory=list)
    unpriced: list[Unpriced] = field(default_factory=list)
    assumptions: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # bad input: one line each (e.g. an unknown usage key)

    @property
    def monthly_total(self) -> float:
        return sum(item.monthly for item in self.items)

    @property
    def monthly_total_at_max(self) -> float:
        return sum(item.monthly_at_max for item in self.items)

    @property
    def missing(self) -> list[Unpriced]:
        """The charges with no price source: what makes the totals incomplete."""
        return [u for u in self.unpriced if u.kind == NO_SOURCE]

    def by(self, attribute: str) -> dict[str, tuple[float, float]]:
        totals: dict[str, tuple[float, float]] = {}
        for item in self.items:
            key = str(getattr(item, attribute))
            desired, at_max = totals.get(key, (0.0, 0.0))
            totals[key] = (desired + item.monthly, at_max + item.monthly_at_max)
        return dict(sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[0])))

    def not_priced(self) -> list[dict[str, Any]]:
        """One entry per type and reason, with the resources it covers."""
        grouped: dict[tuple[str, str, str], list[str]] = {}
        for u in self.unpriced:
            grouped.setdefault((u.type, u.kind, u.reason), [])
            if u.logical_id:
                grouped[(u.type, u.kind, u.reason)].append(f"{u.stack}/{u.logical_id}")
        return [
            {"type": t, "kind": kind, "reason": reason, "resources": sorted(set(resources))}
            for (t, kind, reason), resources in sorted(grouped.items(), key=lambda kv: (kv[0][1] != NO_SOURCE, kv[0]))
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "environment": self.environment,
            "currency": "USD",
            "hours_per_month": HOURS_PER_MONTH,
            "monthly_total": round(self.monthly_total, 2),
            "monthly_total_at_max": round(self.monthly_total_at_max, 2),
            "complete": not self.missing,
            "items": [item.to_json() for item in sorted(self.items, key=lambda i: (-i.monthly, i.stack, i.logical_id))],
            "not_priced": self.not_priced(),
            "assumptions": self.assumptions,
            "problems": self.problems,
        }
