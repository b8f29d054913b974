"""What Aurora PostgreSQL accepts, so a bad class or version fails at synth time instead of at deploy time."""

from __future__ import annotations

from collections.abc import Iterator

from config.errors import Loc, Problem

# Aurora PostgreSQL 15 minors still offered for new clusters (15.4 and older are retired: README, deviations).
# Kept to the ones the pinned aws-cdk-lib names (it has no VER_15_16), newest last.
SUPPORTED_ENGINE_VERSIONS = ("15.10", "15.12", "15.13", "15.14", "15.15", "15.17")

# Instance classes Aurora PostgreSQL offers, by family. Note that the memory-optimised
# Graviton families start at `large`: the seed's db.r6g.medium does not exist.
_XLARGE = ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")
AURORA_POSTGRES_CLASSES: dict[str, tuple[str, ...]] = {
    "t3": ("medium", "large"),
    "t4g": ("medium", "large"),
    "r5": ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"),
    "r6g": _XLARGE,
    "r6i": (*_XLARGE, "24xlarge", "32xlarge"),
    "r7g": _XLARGE,
    "r7i": (*_XLARGE, "24xlarge", "48xlarge"),
    "r8g": (*_XLARGE, "24xlarge", "48xlarge"),
    "x2g": _XLARGE,
}


def aurora_instance_class_problem(loc: Loc, instance_class: str) -> Iterator[Problem]:
    _, family, size = instance_class.split(".", 2)
    sizes = AURORA_POSTGRES_CLASSES.get(family)
    if sizes is None or size not in sizes:
        allowed = sorted(f"db.{f}.{s}" for f, ss in AURORA_POSTGRES_CLASSES.items() for s in ss[:2])
        yield Problem(
            loc, f"{instance_class!r} is not an Aurora PostgreSQL instance class", ", ".join(allowed) + ", ..."
        )


def engine_version_attribute(version: str) -> str:
    """The `AuroraPostgresEngineVersion` attribute name for a version string: 15.17 -> VER_15_17."""
    return "VER_" + version.replace(".", "_")
