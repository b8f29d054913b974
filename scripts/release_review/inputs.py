"""The two sides of the review: the synthesized assembly (cdk.out) and the committed baseline."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent


class ReviewError(Exception):
    """A problem with the inputs (no cdk.out, wrong environment): exit 2 with one line."""


@dataclass(frozen=True)
class StackInfo:
    environment: str
    termination_protection: bool = False
    dependencies: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"environment": self.environment, "terminationProtection": self.termination_protection}

    @classmethod
    def from_json(cls, value: Any) -> StackInfo:
        if isinstance(value, str):  # the first baseline format: stack -> environment
            return cls(value)
        return cls(str(value.get("environment", "")), bool(value.get("terminationProtection", False)))


@dataclass
class Assembly:
    templates: dict[str, dict[str, Any]]
    stacks: dict[str, StackInfo]
    files: dict[str, Path]


def read_assembly(assembly: Path, stack_prefix: str) -> Assembly:
    manifest_path = assembly / "manifest.json"
    if not manifest_path.is_file():
        raise ReviewError(f"{manifest_path} not found: run `make synth` first")
    manifest = json.loads(manifest_path.read_text())
    artifacts = manifest.get("artifacts", {})
    stack_ids = {a for a, art in artifacts.items() if art.get("type") == "aws:cloudformation:stack"}
    templates, stacks, files = {}, {}, {}
    for artifact_id in sorted(stack_ids):
        artifact = artifacts[artifact_id]
        properties = artifact.get("properties", {})
        path = assembly / properties["templateFile"]
        templates[artifact_id] = json.loads(path.read_text())
        stacks[artifact_id] = StackInfo(
            artifact.get("environment", ""),
            bool(properties.get("terminationProtection", False)),
            tuple(d for d in artifact.get("dependencies", []) if d in stack_ids),
        )
        files[artifact_id] = path
    if not templates:
        raise ReviewError(f"{assembly} holds no stack templates")
    foreign = sorted(s for s in templates if not s.startswith(stack_prefix))
    if foreign:
        raise ReviewError(f"{assembly} holds {foreign[0]}, not a {stack_prefix}* stack: synthesize the same ENV")
    return Assembly(templates, stacks, files)


class Baseline:
    """baseline/<env>/: one template per stack plus stacks.json (environment, termination protection)."""

    INDEX = "stacks.json"

    def __init__(self, directory: Path, ref: str | None = None) -> None:
        self.directory = directory
        self.ref = ref

    def _read(self, name: str) -> str | None:
        if self.ref is None:
            path = self.directory / name
            return path.read_text() if path.is_file() else None
        relative = (self.directory / name).resolve().relative_to(ROOT).as_posix()
        shown = subprocess.run(
            ["git", "show", f"{self.ref}:{relative}"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return shown.stdout if shown.returncode == 0 else None

    def stacks(self) -> dict[str, StackInfo]:
        text = self._read(self.INDEX)
        data: dict[str, Any] = json.loads(text) if text else {}
        return {stack: StackInfo.from_json(value) for stack, value in data.items()}

    def templates(self) -> dict[str, dict[str, Any]]:
        result = {}
        for stack in self.stacks():
            text = self._read(f"{stack}.template.json")
            if text is not None:
                result[stack] = json.loads(text)
        return result

    def update(self, assembly: Assembly) -> list[str]:
        if self.ref is not None:
            raise ReviewError("--update writes the working tree's baseline; drop --baseline-ref")
        self.directory.mkdir(parents=True, exist_ok=True)
        written = []
        for old in self.directory.glob("*.template.json"):
            if old.name.removesuffix(".template.json") not in assembly.templates:
                old.unlink()
                written.append(f"removed {old.name}")
        for stack, path in sorted(assembly.files.items()):
            target = self.directory / f"{stack}.template.json"
            if not target.is_file() or target.read_bytes() != path.read_bytes():
                shutil.copyfile(path, target)
                written.append(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
        index = {stack: info.to_json() for stack, info in sorted(assembly.stacks.items())}
        (self.directory / self.INDEX).write_text(json.dumps(index, indent=2) + "\n")
        return written
