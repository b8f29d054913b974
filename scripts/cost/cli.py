"""`make cost ENV=<env>`: the monthly estimate of cdk.out, offline, from the price table and the configuration.

    python -m scripts.cost --env prod                     # text: totals, by stack and service, every item
    python -m scripts.cost --env prod --json              # the same as JSON
    python -m scripts.cost --write-readme --prod-assembly A --dev-assembly B   # `make cost-reference`
    python -m scripts.cost --check-readme --prod-assembly A --dev-assembly B   # exit 1 if README.md is stale

Exit 2 with one line on unusable input (no cdk.out, another environment's cdk.out, a bad configuration or
price table, a usage key that names no resource). A type or class without a price is a line of the
estimate ("no price source") and makes the totals say they are incomplete, never an error or a zero.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from config import AppConfig, ConfigError, load_config
from scripts.cost import readme, report
from scripts.cost.estimate import AssemblyError, estimate, read_assembly
from scripts.cost.model import Estimate
from scripts.cost.prices import PriceTableError, load

ROOT = Path(__file__).resolve().parent.parent.parent


def estimate_of(assembly: Path, config: AppConfig) -> Estimate:
    templates, regions = read_assembly(assembly)
    prefix = config.stack_name("")
    foreign = sorted(stack for stack in templates if not stack.startswith(prefix))
    if foreign:
        raise AssemblyError(
            f"{assembly} holds {foreign[0]}, not a {prefix}* stack: run `make synth ENV={config.name}` first"
        )
    return estimate(templates, regions, config)


def _readme(args: argparse.Namespace) -> int:
    if not args.prod_assembly or not args.dev_assembly:
        raise AssemblyError("--write-readme and --check-readme need --prod-assembly and --dev-assembly")
    prod, dev = load_config("prod", environ={}), load_config("dev", environ={})
    block = readme.block(estimate_of(Path(args.prod_assembly), prod), estimate_of(Path(args.dev_assembly), dev), prod)
    if args.check_readme:
        if readme.current() != block:
            print("README.md's cost tables are stale: run `make cost-reference`", file=sys.stderr)
            return 1
        return 0
    readme.write(block)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.write_readme or args.check_readme:
        return _readme(args)
    config = load_config(args.env)
    result = estimate_of(Path(args.assembly), config)
    table = load()
    if args.json:
        print(json.dumps(report.as_json(result, table), indent=2))
    else:
        print("\n".join(report.text(result, table, top=args.top)))
    for problem in result.problems:
        print(problem, file=sys.stderr)
    return 2 if result.problems else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--env", default="prod", help="environment (config/<env>.yaml); default prod")
    parser.add_argument("--assembly", default=str(ROOT / "cdk.out"), help="synthesized cloud assembly (cdk.out)")
    parser.add_argument("--json", action="store_true", help="print the estimate as JSON")
    parser.add_argument("--top", type=int, default=None, help="list only the N largest items")
    parser.add_argument("--write-readme", action="store_true", help="regenerate README.md's cost tables")
    parser.add_argument("--check-readme", action="store_true", help="exit 1 when README.md's cost tables are stale")
    parser.add_argument("--prod-assembly", help="cdk.out of prod (for the README tables)")
    parser.add_argument("--dev-assembly", help="cdk.out of dev (for the README tables)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    except (AssemblyError, PriceTableError) as error:
        print(f"make cost: {error}", file=sys.stderr)
        return 2
