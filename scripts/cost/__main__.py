"""`python -m scripts.cost`: see scripts/cost/cli.py."""

from __future__ import annotations

import sys

from scripts.cost.cli import main

if __name__ == "__main__":
    sys.exit(main())
