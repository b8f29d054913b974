"""Session fixtures: the whole app is synthesized once per test session and every test reads it.

The test App gets cdk.json's context (feature flags) and what the CDK CLI adds to it (entrypoint.CLI_CONTEXT:
construct paths and asset metadata), so tests see exactly what `cdk synth` writes. The real `cdk synth`
of prod runs beside the session's own synthesis, and a test compares the two template by template.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

import app as techlib_app
import entrypoint
from config import AppConfig, load_config
from scripts import cfn_validate
from tests.validators import BackgroundRun, built_in_validation, cdk_synth, start_all

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# One validation engine for the session, its rules compiled while the first environment synthesizes.
VALIDATION_ENGINE = cfn_validate.EngineInBackground()


def cdk_json_context() -> dict[str, Any]:
    context: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
    return context


def new_app(outdir: Path | None = None, **extra_context: Any) -> cdk.App:
    context = {**entrypoint.CLI_CONTEXT, **cdk_json_context(), **extra_context}
    return entrypoint.new_app(outdir=str(outdir) if outdir else None, context=context)


@dataclass
class Synthesized:
    """One synthesized environment: the built stacks, their templates, and the assembly directory."""

    built: techlib_app.TechLibApp
    assembly: cdk.cx_api.CloudAssembly
    outdir: Path
    validators: dict[str, BackgroundRun] = field(default_factory=dict)

    @property
    def config(self) -> AppConfig:
        return self.built.config

    def template(self, stack: cdk.Stack) -> Template:
        return Template.from_json(self.template_json(stack))

    def template_json(self, stack: cdk.Stack) -> dict[str, Any]:
        path = self.outdir / self.assembly.get_stack_artifact(stack.artifact_id).template_file
        data: dict[str, Any] = json.loads(path.read_text())
        return data

    def template_files(self) -> list[Path]:
        return sorted(self.outdir.glob("*.template.json"))


def synthesize(env: str, outdir: Path, **overrides: Any) -> Synthesized:
    app = new_app(outdir, env=env)
    config = load_config(env, overrides=overrides or None)
    built = techlib_app.build(app, config)
    assembly = app.synth()
    # The CloudFormation validation gate `cdk synth` runs (entrypoint.main): a finding fails the session.
    assert entrypoint.validate(assembly, VALIDATION_ENGINE) == 0, "CloudFormation validation failed (see stderr)"
    return Synthesized(built=built, assembly=assembly, outdir=outdir)


def _with_validators(
    synth: Synthesized, scratch: Path, started: dict[str, BackgroundRun] | None = None
) -> Iterator[Synthesized]:
    synth.validators = {**(started or {}), **start_all(synth.template_files(), scratch)}
    yield synth
    for run in synth.validators.values():
        run.stop()


@pytest.fixture(scope="session")
def prod(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesized]:
    """The prod environment (the design document), synthesized once for the whole session.

    The CLI's `cdk synth` of prod starts first, on the other core; cfn-lint, checkov and aws-cdk-lib's
    own validation plugin start on the session's output as soon as it is written (tests/validators.py).
    """
    cli = cdk_synth("prod", tmp_path_factory.mktemp("cdk.out.cli"))
    synth = synthesize("prod", tmp_path_factory.mktemp("cdk.out.prod"))
    built_in = built_in_validation(synth.outdir, tmp_path_factory.mktemp("built-in-validation"))
    started = {"cdk synth": cli, "built-in validation": built_in}
    yield from _with_validators(synth, tmp_path_factory.mktemp("validators.prod"), started)


@pytest.fixture(scope="session")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesized]:
    synth = synthesize("dev", tmp_path_factory.mktemp("cdk.out.dev"))
    yield from _with_validators(synth, tmp_path_factory.mktemp("validators.dev"))


@pytest.fixture(scope="session")
def network_template(prod: Synthesized) -> Template:
    return prod.template(prod.built.network)


@pytest.fixture
def no_env_account(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("CDK_DEFAULT_ACCOUNT", raising=False)
    yield
