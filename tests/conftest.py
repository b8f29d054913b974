"""Session fixtures: the whole app is synthesized once per test session and every test reads it.

The test App gets cdk.json's context (feature flags) and what the CDK CLI adds to it (entrypoint.CLI_CONTEXT:
construct paths and asset metadata), so tests see exactly what `cdk synth` writes. The real `cdk synth`
of prod runs beside the session's own synthesis, and a test compares the two template by template.

What a test needs decides where it runs. `make check` (the inner loop) runs the tests that need neither
kind below; `make test` runs all of them:
- `synth`: a full synthesized environment (the session's `prod`/`dev`, `synthesized`, or any fixture
  built on one of them, such as a stack's template);
- `validators`: another program (cfn-lint, checkov, check-jsonschema, git, the CDK CLI or Node diff
  engine, the app in a process of its own), which is slow to start and can be missing on a laptop.
Both markers are applied at collection from the fixtures a test requests (fixtures declare their kinds
with `@needs`); a test that runs a program in its own body carries `@pytest.mark.validators`. Nothing
keeps a list of tests: a test that reaches a full synthesis or starts a program without its marker fails
and says which marker it lacks (`_require`), so the split cannot drift from what the tests do.
"""

from __future__ import annotations

import functools
import json
import subprocess
from collections.abc import Callable, Iterator
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

SYNTH, VALIDATORS = "synth", "validators"
# Fixture name -> the kinds it needs (filled by @needs where each fixture is defined).
FIXTURE_NEEDS: dict[str, frozenset[str]] = {}
F = Callable[..., Any]


def needs(*kinds: str) -> Callable[[F], F]:
    """Declares what a fixture needs (SYNTH, VALIDATORS); every test that requests it gets those markers."""

    def declare(fixture: F) -> F:
        FIXTURE_NEEDS[fixture.__name__] = frozenset(kinds)
        return fixture

    return declare


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{SYNTH}: reads a full synthesized environment (not in make check)")
    config.addinivalue_line("markers", f"{VALIDATORS}: runs a validator or another program (not in make check)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks each test with the kinds of every fixture it requests, directly or through other fixtures."""
    for item in items:
        kinds = set().union(*(FIXTURE_NEEDS.get(name, ()) for name in getattr(item, "fixturenames", ())))
        for kind in sorted(kinds - {mark.name for mark in item.iter_markers()}):
            item.add_marker(kind)


# The test being run (its fixtures are set up inside its protocol), for _require.
_CURRENT: list[pytest.Item] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    _CURRENT.append(item)
    try:
        return (yield)
    finally:
        _CURRENT.pop()


def _require(kind: str, what: str) -> None:
    """Fails the current test when it does `what` without the marker `kind` (make check would run it)."""
    if _CURRENT and _CURRENT[-1].get_closest_marker(kind) is None:
        pytest.fail(
            f"{_CURRENT[-1].nodeid} {what} but is not marked {kind!r}: request the fixture statically "
            f"(not through request.getfixturevalue) or mark the test @pytest.mark.{kind}",
            pytrace=False,
        )


_POPEN_INIT = subprocess.Popen.__init__


def _guarded_popen_init(self: subprocess.Popen[Any], *args: Any, **kwargs: Any) -> None:
    _require(VALIDATORS, f"starts a program ({args[0] if args else kwargs.get('args')!r})")
    _POPEN_INIT(self, *args, **kwargs)


# Every program a test starts goes through Popen (subprocess.run too); jsii's Node process starts at import.
subprocess.Popen.__init__ = _guarded_popen_init  # type: ignore[method-assign]


@functools.cache
def validation_engine() -> cfn_validate.EngineInBackground:
    """One validation engine for the session, its rules compiled on a thread while the first environment
    synthesizes (started by the first synthesis, so `make check` never builds it)."""
    return cfn_validate.EngineInBackground()


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
    _require(SYNTH, f"synthesizes the whole {env} app")
    engine = validation_engine()
    app = new_app(outdir, env=env)
    config = load_config(env, overrides=overrides or None)
    built = techlib_app.build(app, config)
    assembly = app.synth()
    # The CloudFormation validation gate `cdk synth` runs (entrypoint.main): a finding fails the session.
    assert entrypoint.validate(assembly, engine) == 0, "CloudFormation validation failed (see stderr)"
    return Synthesized(built=built, assembly=assembly, outdir=outdir)


def _with_validators(
    synth: Synthesized, scratch: Path, started: dict[str, BackgroundRun] | None = None
) -> Iterator[Synthesized]:
    synth.validators = {**(started or {}), **start_all(synth.template_files(), scratch)}
    yield synth
    for run in synth.validators.values():
        run.stop()


@pytest.fixture(scope="session")
@needs(SYNTH, VALIDATORS)
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
@needs(SYNTH, VALIDATORS)
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesized]:
    synth = synthesize("dev", tmp_path_factory.mktemp("cdk.out.dev"))
    yield from _with_validators(synth, tmp_path_factory.mktemp("validators.dev"))


@pytest.fixture
@needs(SYNTH, VALIDATORS)
def synthesized(request: pytest.FixtureRequest, env: str) -> Synthesized:
    """The session's environment named by the test's `env` parameter (prod or dev)."""
    synth: Synthesized = request.getfixturevalue(env)
    return synth


@pytest.fixture(scope="session")
def network_template(prod: Synthesized) -> Template:
    return prod.template(prod.built.network)


@pytest.fixture
def no_env_account(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("CDK_DEFAULT_ACCOUNT", raising=False)
    yield
