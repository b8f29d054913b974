"""Run the release review on a copy of a synthesized assembly whose templates a test mutated."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scripts import offline_diff

Template = dict[str, Any]
RED = "\033[31m"


def baseline_from(assembly: Path, target: Path, env: str = "prod") -> Path:
    baseline = target / "baseline"
    args = ["--env", env, "--assembly", str(assembly), "--baseline-dir", str(baseline), "--update", "--color", "never"]
    assert offline_diff.main(args) == 0
    return baseline


def mutated(assembly: Path, target: Path, edits: dict[str, Callable[[Template], None]]) -> Path:
    """A copy of the assembly; edits maps a stack-name suffix (e.g. "-Database") to an in-place edit."""
    copy = target / "assembly"
    copy.mkdir()
    for entry in assembly.iterdir():
        # The review reads the manifest and the templates; the asset directories (Lambda code, layers: most
        # of the assembly's size) are never edited, so the copy links them.
        if entry.is_dir():
            (copy / entry.name).symlink_to(entry.resolve(), target_is_directory=True)
        else:
            shutil.copy2(entry, copy / entry.name)
    for suffix, edit in edits.items():
        (path,) = [p for p in copy.glob("*.template.json") if p.name.endswith(f"{suffix}.template.json")]
        template = json.loads(path.read_text())
        edit(template)
        path.write_text(json.dumps(template))
    return copy


def run_gate(
    assembly: Path, baseline: Path, capsys: pytest.CaptureFixture[str], *extra: str, env: str = "prod"
) -> tuple[int, str]:
    capsys.readouterr()
    code = offline_diff.main(
        ["--env", env, "--assembly", str(assembly), "--baseline-dir", str(baseline), "--color", "always", *extra]
    )
    return code, capsys.readouterr().out


def resources(template: Template, resource_type: str) -> list[tuple[str, dict[str, Any]]]:
    return [(lid, r) for lid, r in template["Resources"].items() if r["Type"] == resource_type]


def one(
    template: Template, resource_type: str, where: Callable[[dict[str, Any]], bool] = lambda r: True
) -> dict[str, Any]:
    (resource,) = [r for _, r in resources(template, resource_type) if where(r)]
    return resource


def replace_in_strings(value: Any, old: str, new: str) -> Any:
    """Edit the literal text of a manifest (a string or the string parts of an Fn::Join)."""
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [replace_in_strings(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: replace_in_strings(v, old, new) for k, v in value.items()}
    return value


def edit_manifest(template: Template, contains: str, old: str, new: str) -> None:
    for _, resource in resources(template, "Custom::AWSCDK-EKS-KubernetesResource"):
        manifest = resource["Properties"]["Manifest"]
        if contains in json.dumps(manifest):
            resource["Properties"]["Manifest"] = replace_in_strings(manifest, old, new)
            return
    raise AssertionError(f"no manifest contains {contains}")
