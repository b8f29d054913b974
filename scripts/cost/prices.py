"""The price table (prices.yaml): every price with its source and the day it was read, nothing else.

A price the table lacks is `None` here, never a zero: the estimate turns it into a "no price source" line.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PRICES_FILE = Path(__file__).with_name("prices.yaml")


class PriceTableError(Exception):
    """prices.yaml is malformed: one line naming the entry."""


@dataclass(frozen=True)
class Price:
    key: str
    region: str
    usd: float
    unit: str
    source_id: str
    source: str  # what was read, and where
    read: str  # ISO date it was read

    @property
    def citation(self) -> str:
        return f"{self.source_id} (read {self.read})"


@dataclass(frozen=True)
class PriceTable:
    prices: dict[tuple[str, str], Price]
    sources: dict[str, dict[str, str]]

    def get(self, region: str, key: str) -> Price | None:
        return self.prices.get((region, key))

    def rows(self) -> list[Price]:
        return [self.prices[k] for k in sorted(self.prices)]


def _entry(region: str, key: str, raw: Any, sources: dict[str, dict[str, str]]) -> Price:
    where = f"prices.yaml: regions.{region}.{key}"
    if not isinstance(raw, dict) or set(raw) != {"usd", "unit", "source", "read"}:
        raise PriceTableError(f"{where}: expected {{usd, unit, source, read}}, got {raw!r}")
    usd, source, read = raw["usd"], raw["source"], raw["read"]
    if isinstance(usd, bool) or not isinstance(usd, (int, float)) or usd < 0:
        raise PriceTableError(f"{where}.usd: {usd!r} is not a non-negative number")
    if source not in sources:
        raise PriceTableError(f"{where}.source: {source!r} is not in sources ({', '.join(sorted(sources))})")
    if not isinstance(read, datetime.date):
        raise PriceTableError(f"{where}.read: {read!r} is not a date (YYYY-MM-DD)")
    text = f"{sources[source]['what']} <{sources[source]['url']}>"
    return Price(key, region, float(usd), str(raw["unit"]), source, text, read.isoformat())


def parse(data: Any) -> PriceTable:
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("sources"), dict)
        or not isinstance(data.get("regions"), dict)
    ):
        raise PriceTableError("prices.yaml: expected the mappings `sources` and `regions`")
    sources: dict[str, dict[str, str]] = {}
    for source_id, source in data["sources"].items():
        if not isinstance(source, dict) or not source.get("what") or not source.get("url"):
            raise PriceTableError(f"prices.yaml: sources.{source_id}: expected {{what, url}}")
        sources[str(source_id)] = {"what": str(source["what"]), "url": str(source["url"])}
    prices = {
        (str(region), str(key)): _entry(str(region), str(key), raw, sources)
        for region, entries in data["regions"].items()
        for key, raw in (entries or {}).items()
    }
    return PriceTable(prices, sources)


@functools.cache
def load(path: Path = PRICES_FILE) -> PriceTable:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text(), Loader=loader)  # a safe loader (C or Python)
    except yaml.YAMLError as error:
        raise PriceTableError(f"{path.name}: not valid YAML: {' '.join(str(error).split())}") from None
    return parse(data)
