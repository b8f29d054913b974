"""`make capacity ENV=...`: the capacity table per node group and the pod inventory behind it.

Exit 2 with one line when a node group cannot hold its pods at its maximum size (the same check synth runs).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from config import ConfigError, load_config
from fit.capacity import capacity, check_capacity, inventory_table, table
from fit.inventory import pod_inventory
from fit.mesh_ingress import price_table

ROOT = Path(__file__).resolve().parent.parent

BEGIN, END = "<!-- capacity:begin -->", "<!-- capacity:end -->"
README = ROOT / "README.md"


def readme_block() -> str:
    """The README's generated capacity section: prod's table (the design), between its markers."""
    config = load_config("prod")
    return f"{BEGIN}\n{table(capacity(config, pod_inventory(config)))}\n{END}"


def write_readme() -> None:
    text = README.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    README.write_text(text[:start] + readme_block() + text[end:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default=None, help="environment (config/<env>.yaml); default prod")
    parser.add_argument("--inventory", action="store_true", help="also list every pod-producing component")
    parser.add_argument("--write-readme", action="store_true", help="regenerate README.md's prod capacity table")
    args = parser.parse_args(argv)
    try:
        if args.write_readme:
            write_readme()
            return 0
        config = load_config(args.env)
        inventory = pod_inventory(config)
        print(f"capacity of {config.name} (fit/capacity.py):\n")
        print(table(capacity(config, inventory)))
        if config.mesh.enabled:
            print("\nthe ALB-facing ports under STRICT mTLS, priced (fit/mesh_ingress.py):\n")
            print(price_table(config))
        if args.inventory:
            print(f"\npod inventory of {config.name} (fit/inventory.py):\n")
            print(inventory_table(inventory))
        check_capacity(config, inventory)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
