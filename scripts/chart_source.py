"""Where a release's chart comes from, and whether it is the archive the repository published.

A chart is trusted only as the archive whose sha256 is pinned beside its version (`HelmRelease.digest`,
the `digest` of the repository's index.yaml entry): from HELM_CHART_CACHE (`<chart>-<version>.tgz`) or
pulled into .chart-cache/, an archive with another digest is refused. An unpacked directory cannot be
checked (a chart packaged again from its git tree is not byte-identical to the published archive), so
it is used only when it says so: a `.unverified-copy` file whose first line names where it came from,
and the run prints that line for the release.
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scripts.chart_render import Release

UNVERIFIED_MARKER = ".unverified-copy"
# The packages whose modules define the pinned releases (module-level HelmRelease objects).
PIN_PACKAGES = ("addons", "k8s_charts")
GENERATED_MODULES = ("k8s_charts.imports",)


class ChartUnavailable(Exception):
    """The chart could not be found locally nor pulled: the release is skipped, with this reason."""


@dataclass(frozen=True)
class ChartSource:
    """A located chart: the path, and the one line saying how far it can be trusted.

    `refused` is set when the chart must not be rendered (a digest that differs, an unmarked directory);
    the release then fails with that line.
    """

    path: Path
    trust: str
    refused: str | None = None


def pinned_digests() -> dict[tuple[str, str, str], str | None]:
    """(chart, repository, version) -> the pinned archive digest, of every module-level HelmRelease."""
    from k8s_charts.helm import HelmRelease  # noqa: PLC0415 (the pins import the CDK; only a run needs them)

    pins: dict[tuple[str, str, str], str | None] = {}
    for package_name in PIN_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__, f"{package_name}."):
            if info.name.startswith(GENERATED_MODULES):
                continue
            for value in vars(importlib.import_module(info.name)).values():
                if isinstance(value, HelmRelease):
                    pins[(value.chart, value.repository, value.version)] = value.digest
    return pins


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_source(path: Path, *, archive_name: str, digest: str | None) -> ChartSource:
    """How far the chart at `path` can be trusted, against the pinned digest."""
    if path.is_dir():
        marker = path / UNVERIFIED_MARKER
        if not marker.is_file():
            return ChartSource(
                path,
                trust="unpacked directory",
                refused=(
                    f"refused: {path} is an unpacked directory, whose digest cannot be checked: put the published "
                    f"{archive_name}.tgz in the cache, or add a {UNVERIFIED_MARKER} file saying where the copy came from"
                ),
            )
        origin = (marker.read_text().strip().splitlines() or ["(no origin given)"])[0]
        return ChartSource(path, trust=f"UNVERIFIED copy (digest not checked): {origin}")
    actual = sha256_of(path)
    if digest is None:
        return ChartSource(path, trust=f"digest not pinned: archive sha256 {actual} is not checked against a pin")
    if actual != digest:
        return ChartSource(
            path,
            trust="archive digest differs",
            refused=f"refused: {path} has sha256 {actual}, the pinned digest is {digest} (not the published archive)",
        )
    return ChartSource(path, trust=f"archive sha256 {actual[:12]}… matches the pinned digest")


def locate_chart(
    release: Release,
    *,
    cache: Path | None,
    pull_cache: Path,
    pull: Callable[..., Any] | None,
    digests: Mapping[tuple[str, str, str], str | None] | None = None,
) -> ChartSource:
    """The chart of `release`: HELM_CHART_CACHE first (the archive before a directory), then a pull."""
    digest = (digests or {}).get((release.chart, release.repository, release.version))
    name = release.archive_name
    if cache is not None:
        for candidate in (cache / f"{name}.tgz", cache / name):
            if candidate.exists():
                return check_source(candidate, archive_name=name, digest=digest)
        if pull is None:
            raise ChartUnavailable(f"no {name}.tgz or {name}/ in HELM_CHART_CACHE={cache}")
    archive = pull_cache / f"{name}.tgz"
    if archive.exists():
        return check_source(archive, archive_name=name, digest=digest)
    if pull is None:
        raise ChartUnavailable("no HELM_CHART_CACHE and pulling is off")
    pull_cache.mkdir(parents=True, exist_ok=True)
    try:
        if release.repository.startswith("oci://"):
            pull(f"{release.repository.rstrip('/')}/{release.chart}", version=release.version, destination=pull_cache)
        else:
            pull(release.chart, repo_url=release.repository, version=release.version, destination=pull_cache)
    except Exception as error:  # the SDK raises HelmRepoError and friends; any of them means "unavailable"
        where = "not in HELM_CHART_CACHE, and " if cache is not None else "no HELM_CHART_CACHE, and "
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ChartUnavailable(f"{where}pulling {release.repository} failed: {reason}") from error
    if not archive.exists():
        raise ChartUnavailable(f"pull from {release.repository} wrote no {archive.name}")
    return check_source(archive, archive_name=name, digest=digest)
