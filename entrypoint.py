"""How `cdk synth` runs the app (app.py): the CLI's context, the configuration before the CDK, the gates, the exit.

- `app_context` reads the context exactly as aws-cdk-lib's App will (its `context` prop, CDK_CONTEXT_JSON,
  the overflow file), so `main` loads and checks the configuration and the capacity of every node group
  before aws-cdk-lib, cdk-nag and the stacks (seconds of jsii assembly loading) are imported: a
  configuration mistake is reported at once, one line per problem, exit 2, no traceback.
- `new_app` makes every App that synthesizes this project (`cdk synth`, the test session), with aws-cdk-lib's
  CloudFormation validation moved out of jsii; `validate` runs the same engine natively on the written
  templates.
- `run_as_script` runs `main` without the interpreter's clean-up (no cyclic GC, no teardown).
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

# Only the configuration is imported up front; everything that needs aws-cdk-lib imports it where it runs:
# ruff: noqa: PLC0415
from config import AppConfig, ConfigError, image_tag_override, load_config

if TYPE_CHECKING:
    import aws_cdk as cdk
    from constructs import IConstruct

    from scripts import cfn_validate

# Where aws-cdk-lib's App reads the CLI's context (cx-api CONTEXT_ENV, CONTEXT_OVERFLOW_LOCATION_ENV): the
# JSON in one environment variable, and what did not fit there in a file the CLI names in another.
CONTEXT_ENV = "CDK_CONTEXT_JSON"
CONTEXT_OVERFLOW_ENV = "CONTEXT_OVERFLOW_LOCATION_ENV"

# What the CDK CLI adds to cdk.json's context (Makefile: --no-version-reporting; path and asset metadata on).
CLI_CONTEXT: dict[str, Any] = {
    "aws:cdk:enable-path-metadata": True,
    "aws:cdk:enable-asset-metadata": True,
    "aws:cdk:version-reporting": False,
    "aws:cdk:bundling-stacks": ["**"],
}

Built = TypeVar("Built")


def new_app(**props: Any) -> cdk.App:
    """The App, with aws-cdk-lib's built-in CloudFormation validation moved out of the jsii process.

    The same engine and rules run natively on the written templates (`validate`, scripts/cfn_validate.py):
    the same findings at a fraction of the cost. Every App that synthesizes this project (`cdk synth`,
    the test session) is made here, so none skips the check.
    """
    import aws_cdk as cdk

    return cdk.App(builtin_cloud_formation_validation=False, **props)


def validate(assembly: cdk.cx_api.CloudAssembly, engine: cfn_validate.EngineInBackground | None = None) -> int:
    """The built-in CloudFormation validation gate on a synthesized assembly: 0, or 1 with the findings printed."""
    from scripts import cfn_validate

    return cfn_validate.gate(Path(assembly.directory), engine.get() if engine else None)


def app_context(props_context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The context cdk.App will hold, read without it: its `context` prop, then CDK_CONTEXT_JSON, then the
    overflow file, each overriding the one before (aws-cdk-lib core/lib/app.js `loadContext`)."""
    context = dict(props_context or {})
    if from_env := os.environ.get(CONTEXT_ENV):
        context.update(json.loads(from_env))
    if overflow := os.environ.get(CONTEXT_OVERFLOW_ENV):
        context.update(json.loads(Path(overflow).read_text()))
    return context


def selecting_context(source: cdk.App | Mapping[str, Any]) -> tuple[Any, Any]:
    """The two context keys that choose the configuration: `env` and `imageTag`."""
    if isinstance(source, Mapping):
        return source.get("env"), source.get("imageTag")
    return source.node.try_get_context("env"), source.node.try_get_context("imageTag")


def config_from_context(source: cdk.App | Mapping[str, Any]) -> AppConfig:
    """The environment's configuration, from an App's context or the same context read before the App exists."""
    env, image_tag = selecting_context(source)
    overrides = image_tag_override(str(image_tag)) if image_tag else None
    return load_config(str(env) if env else None, overrides=overrides)


def bare_app_props() -> dict[str, Any]:
    """`python app.py` without the CLI (no CDK_CONTEXT_JSON): cdk.json's context and feature flags, output in
    cdk.out, so a debugger or a quick check synthesizes exactly what `cdk synth` does."""
    if CONTEXT_ENV in os.environ or "CDK_OUTDIR" in os.environ:
        return {}
    root = Path(__file__).resolve().parent
    context = {**CLI_CONTEXT, **json.loads((root / "cdk.json").read_text())["context"]}
    return {"context": context, "outdir": str(root / "cdk.out")}


def exit_with(error: ConfigError) -> NoReturn:
    """A configuration mistake is the user's to fix: one line per problem, exit 2, no traceback."""
    for line in error.lines:
        print(f"configuration error: {line}", file=sys.stderr)
    sys.exit(2)


def main(
    *,
    build: Callable[[cdk.App, AppConfig], Built],
    verify: Callable[[Built], Sequence[str]],
    warn_on: Callable[[Built], IConstruct],
) -> None:
    """Configuration and capacity first, then the App: `build` it, `verify` the cross-layer rules (their
    warnings annotate `warn_on`), synthesize, and run the CloudFormation validation gate; exits with its code."""
    props = bare_app_props()
    try:
        context = app_context(props.get("context"))
        config = config_from_context(context)
        # Every node group holds what the platform places on it (fit/capacity.py, `make capacity`).
        from fit.capacity import check_capacity

        check_capacity(config)
    except ConfigError as error:
        exit_with(error)

    import aws_cdk as cdk

    from scripts import cfn_validate

    # Compiles the validation rules on another thread while jsii builds and synthesizes the app.
    engine = cfn_validate.EngineInBackground()
    app = new_app(**props)
    if selecting_context(app) != selecting_context(context):
        raise RuntimeError(
            f"the App's context {selecting_context(app)} differs from the one the configuration was chosen by "
            f"{selecting_context(context)}: app_context() no longer reads the context the way aws-cdk-lib does"
        )
    built = build(app, config)
    try:
        warnings = verify(built)
    except ConfigError as error:
        exit_with(error)
    for warning in warnings:
        cdk.Annotations.of(warn_on(built)).add_warning_v2("@tech-lib/fit:crossLayer", warning)
    # cdk-nag (a validation plugin) gates inside synth(); the CloudFormation validation right after it.
    sys.exit(validate(app.synth(), engine))


def run_as_script(main: Callable[[], None]) -> NoReturn:
    """`main()` as the CDK CLI runs it, without the interpreter's clean-up: one synth per process."""
    # Its objects (aws-cdk-lib's bindings, jsii proxies) live until exit: the cyclic collector only re-scanned
    # them, ~0.5-2 s of a synth (more under load), and the peak memory without it is the same (maxrss 505 MiB
    # with it, 505 without).
    gc.disable()
    try:
        main()
        code = 0
    except SystemExit as exited:
        if exited.code is None or isinstance(exited.code, int):
            code = exited.code or 0
        else:
            print(exited.code, file=sys.stderr)
            code = 1
    # Tearing down the interpreter (freeing every module and object one by one) took 1.4-1.7 s after the
    # synth was written. The exit handlers still run (jsii's stops its Node process), the output is
    # flushed, then the process ends; nothing of the synth is left unwritten (its files are closed).
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
