"""`make diff` / `make baseline`: the offline release review (scripts/release_review/)."""

from __future__ import annotations

import sys

from scripts.release_review.cli import main

if __name__ == "__main__":
    sys.exit(main())
