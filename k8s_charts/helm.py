"""The one description of a pinned Helm release, for the EKS controllers (stacks) and the monitoring charts.

The kubectl handler downloads the chart at deploy time, never at synth; scripts/verify_charts.py renders
the same releases offline.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HelmRelease:
    """A pinned chart and where it is installed."""

    chart: str
    repository: str
    version: str
    namespace: str
    release: str
    service_account: str | None = None
    # sha256 of the published archive: the `digest` of the version's entry in the repository's index.yaml.
    # `make verify-charts` refuses a chart whose archive differs; a version bump must bring its digest.
    digest: str | None = None
