"""The repository's own files, for the tests that read source and configuration (layers, renovate.json)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Build output, installed packages and caches: never the project's own files. Hidden folders (.git, .venv,
# .venv-checkov, .chart-cache) are left out too.
SKIP_DIRS = {"node_modules", "cdk.out", "dist", "__pycache__"}


@functools.cache
def repository_files() -> tuple[Path, ...]:
    """Every file of the working tree outside SKIP_DIRS, sorted; the walk prunes before descending
    (the virtualenvs and node_modules hold tens of thousands of files)."""
    found: list[Path] = []
    for directory, subdirs, names in os.walk(ROOT):
        subdirs[:] = [d for d in subdirs if d not in SKIP_DIRS and not d.startswith(".")]
        found.extend(Path(directory, name) for name in names)
    return tuple(sorted(found))
