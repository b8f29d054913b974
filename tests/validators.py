"""The external validators (cfn-lint, checkov), started in the background on a synthesized assembly.

They start as soon as a session fixture has synthesized an environment, so they run on the second
core while the rest of the suite reads the same templates; the validator tests only collect results.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scripts.applied_manifests import applied_manifests

ROOT = Path(__file__).resolve().parent.parent
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
CFN_LINT = ROOT / ".venv" / "bin" / "cfn-lint"
CDK = ROOT / "node_modules" / ".bin" / "cdk"
TIMEOUT_S = 900


@dataclass
class BackgroundRun:
    """One validator process; `result()` waits for it (once) and returns its output."""

    command: list[str]
    # Where the command writes its output, for the tests that read it (the CLI's cloud assembly).
    output: Path | None = None
    env: dict[str, str] | None = None
    process: subprocess.Popen[str] = field(init=False)
    _result: subprocess.CompletedProcess[str] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        # Its own process group: checkov forks a runner per framework, and a session that ends before the
        # scan must stop those too (they hold the output pipes open, and reading them would never end).
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
            start_new_session=True,
        )

    def result(self) -> subprocess.CompletedProcess[str]:
        if self._result is None:
            stdout, stderr = self.process.communicate(timeout=TIMEOUT_S)
            self._result = subprocess.CompletedProcess(self.command, self.process.returncode, stdout, stderr)
        return self._result

    def stop(self) -> None:
        """Ends the run and everything it started, unless it already finished."""
        if self._result is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.communicate()


def all_manifests(template_files: list[Path]) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for path in template_files:
        objects.extend(applied_manifests(json.loads(path.read_text())))
    return objects


def cdk_synth(env: str, output: Path) -> BackgroundRun:
    """The CDK CLI's `cdk synth` of the app, as `make synth` runs it (Makefile CDK_FLAGS), into `output`.

    No CDK_* variable of the test process reaches it: the CLI sets what the app reads (CDK_CONTEXT_JSON,
    CDK_OUTDIR), as it does on a fresh machine without credentials.
    """
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CDK_")}
    environ |= {"CDK_DISABLE_CLI_TELEMETRY": "true"}
    command = [str(CDK), "synth", "--no-lookups", "--no-notices", "--no-version-reporting", "--quiet"]
    command += ["-c", f"env={env}", "--output", str(output)]  # the app command is cdk.json's
    return BackgroundRun(command, output=output, env=environ)


def built_in_validation(assembly: Path, scratch: Path) -> BackgroundRun:
    """aws-cdk-lib's jsii validation plugin on the assembly's templates and two probe apps (tests/builtin_validation.py)."""
    command = [sys.executable, "-m", "tests.builtin_validation", str(assembly), str(scratch)]
    return BackgroundRun(command, output=scratch)


def cfn_lint(template_files: list[Path]) -> BackgroundRun:
    config = ROOT / ".cfnlintrc.yaml"
    return BackgroundRun(
        [str(CFN_LINT), "--config-file", str(config), "--format", "parseable", "--", *map(str, template_files)]
    )


def checkov(directory: Path, *frameworks: str) -> BackgroundRun:
    """One checkov process for every framework asked (its start-up, ~5 s of CPU, is most of a small scan)."""
    config = ROOT / ".checkov.yaml"
    return BackgroundRun(
        [
            str(CHECKOV),
            "--config-file",
            str(config),
            "--output",
            "json",
            "--directory",
            str(directory),
            "--framework",
            *frameworks,
        ]
    )


def start_all(template_files: list[Path], scratch: Path) -> dict[str, BackgroundRun]:
    """cfn-lint and checkov on the templates, checkov's Kubernetes checks on every applied object."""
    templates_dir, manifests_dir = scratch / "templates", scratch / "manifests"
    templates_dir.mkdir()
    manifests_dir.mkdir()
    # checkov gets the templates alone: cdk.out also holds the CDK's own Lambda asset bundles.
    for path in template_files:
        (templates_dir / path.name).write_text(path.read_text())
    for index, obj in enumerate(all_manifests(template_files)):
        name = f"{index:03d}-{obj['kind']}-{obj['metadata'].get('name', 'x')}.yaml".lower()
        (manifests_dir / name).write_text(yaml.safe_dump(obj, sort_keys=False))
    # One checkov over both folders: each framework reads only its own files (the CloudFormation runner skips
    # the manifests, the Kubernetes runner the templates), with the same findings as two separate runs.
    return {
        "cfn-lint": cfn_lint(template_files),
        "checkov": checkov(scratch, "cloudformation", "kubernetes"),
    }


def checkov_outcome(run: BackgroundRun, framework: str | None = None) -> dict[str, Any]:
    """Failed checks, passed and parsing-error counts, of one framework's report or of all of them."""
    result = run.result()
    assert result.returncode in (0, 1), result.stderr[-3000:]
    data = json.loads(result.stdout) if result.stdout.strip() else []
    reports = [r for r in (data if isinstance(data, list) else [data]) if framework in (None, r.get("check_type"))]
    if framework is not None:
        assert len(reports) == 1, f"checkov wrote {len(reports)} {framework} reports"
    return {
        "failed": [
            f"{c['check_id']} {c['resource']} ({c.get('file_path', '')}): {c['check_name']}"
            for r in reports
            for c in r.get("results", {}).get("failed_checks", [])
        ],
        "passed": sum(r.get("summary", {}).get("passed", 0) for r in reports),
        "parsing_errors": sum(r.get("summary", {}).get("parsing_errors", 0) for r in reports),
    }
