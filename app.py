#!/usr/bin/env python3
"""Composition root: load the environment's configuration, build the stacks, wire them together.

cdk synth                 # prod (the design document)
cdk synth -c env=dev      # the cheaper development environment
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

# Only the configuration is imported up front: `main` loads and checks it before aws-cdk-lib, cdk-nag and
# the stacks (seconds of jsii assembly loading) are imported, so a configuration mistake is reported at
# once. Everything that needs them imports them where it runs, hence:
# ruff: noqa: PLC0415
from config import AppConfig, ConfigError, image_tag_override, load_config

if TYPE_CHECKING:
    import aws_cdk as cdk

    from scripts import cfn_validate
    from stacks.backup import BackupDrStack, BackupStack
    from stacks.cache import CacheStack
    from stacks.cdn import CdnStack
    from stacks.cicd import CicdStack
    from stacks.database import DatabaseStack
    from stacks.edge import EdgeStack
    from stacks.eks import EksStack
    from stacks.file_system import FileSystemStack
    from stacks.monitoring import EdgeMonitoringStack, MonitoringStack
    from stacks.network import NetworkStack
    from stacks.workloads import WorkloadsStack

# Where aws-cdk-lib's App reads the CLI's context (cx-api CONTEXT_ENV, CONTEXT_OVERFLOW_LOCATION_ENV): the
# JSON in one environment variable, and what did not fit there in a file the CLI names in another.
CONTEXT_ENV = "CDK_CONTEXT_JSON"
CONTEXT_OVERFLOW_ENV = "CONTEXT_OVERFLOW_LOCATION_ENV"


@dataclass
class TechLibApp:
    """The stacks of one environment, by role, for tests and tools."""

    config: AppConfig
    network: NetworkStack
    database: DatabaseStack
    cache: CacheStack
    eks: EksStack
    workloads: WorkloadsStack
    monitoring: MonitoringStack
    monitoring_edge: EdgeMonitoringStack
    cicd: CicdStack
    edge: EdgeStack
    cdn: CdnStack
    backup: BackupStack
    backup_dr: BackupDrStack | None
    file_system: FileSystemStack | None = None

    @property
    def stacks(self) -> list[cdk.Stack]:
        return [
            self.network,
            self.database,
            self.cache,
            self.eks,
            self.workloads,
            self.monitoring,
            self.monitoring_edge,
            self.cicd,
            self.edge,
            self.cdn,
            self.backup,
            *([self.backup_dr] if self.backup_dr else []),
            *([self.file_system] if self.file_system else []),
        ]


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


def build(app: cdk.App, config: AppConfig, *, nag: bool = True) -> TechLibApp:
    import aws_cdk as cdk

    from stacks.aspects import SuppressCdkHandlerFindings
    from stacks.backup import BackupDrStack, BackupStack
    from stacks.cache import CacheStack
    from stacks.cdn import CdnStack
    from stacks.cicd import CicdStack
    from stacks.database import DatabaseStack
    from stacks.edge import EdgeStack
    from stacks.eks import EksStack
    from stacks.file_system import FileSystemStack
    from stacks.monitoring import EdgeMonitoringStack, MonitoringStack
    from stacks.network import NetworkStack
    from stacks.workloads import WorkloadsStack

    network = NetworkStack(app, config.stack_name("Network"), config=config)
    database = DatabaseStack(app, config.stack_name("Database"), config=config, network=network)
    cache = CacheStack(app, config.stack_name("Cache"), config=config, network=network)
    # The app tier's EFS file system exists only when configured (efs.enabled); the cluster's StorageClass uses it.
    file_system = (
        FileSystemStack(app, config.stack_name("FileSystem"), config=config, network=network)
        if config.efs.enabled
        else None
    )
    # Eks reads only the network, so it deploys side by side with Database and Cache; Workloads (the app's
    # secret sync and pods) is the first stack that needs the cluster and the data tier both.
    eks = EksStack(
        app,
        config.stack_name("Eks"),
        config=config,
        network=network,
        file_system_id=file_system.file_system.file_system_id if file_system else None,
    )
    workloads = WorkloadsStack(
        app,
        config.stack_name("Workloads"),
        config=config,
        network=network,
        eks=eks,
        database=database,
        cache=cache,
    )
    # us-east-1: CloudFront accepts its WebACL and certificate from there only.
    edge = EdgeStack(app, config.stack_name("Edge"), config=config)
    cdn = CdnStack(app, config.stack_name("Cdn"), config=config, edge=edge, alb_hostname=workloads.alb_hostname)
    monitoring = MonitoringStack(
        app,
        config.stack_name("Monitoring"),
        config=config,
        eks=eks,
        database=database,
        cache=cache,
        workloads=workloads,
    )
    # The exporters read db-credentials / redis-credentials / app-config, which WorkloadsStack syncs.
    monitoring.exporters.node.add_dependency(workloads.app_secrets)
    # us-east-1: CloudFront publishes its metrics there only, and an alarm watches its own region's metrics.
    monitoring_edge = EdgeMonitoringStack(app, config.stack_name("MonitoringEdge"), config=config, cdn=cdn)
    cicd = CicdStack(app, config.stack_name("Cicd"), config=config)
    # The DR vault (a second region) exists only when configured; every backup rule then copies into it.
    backup_dr = BackupDrStack(app, config.stack_name("BackupDr"), config=config) if config.backup.dr_region else None
    backup = BackupStack(
        app,
        config.stack_name("Backup"),
        config=config,
        database=database.cluster,
        static_assets_bucket=cdn.static_assets_bucket,
        dr_vault=backup_dr,
        file_system=file_system.file_system if file_system else None,
    )
    built = TechLibApp(
        config=config,
        network=network,
        database=database,
        cache=cache,
        eks=eks,
        workloads=workloads,
        monitoring=monitoring,
        monitoring_edge=monitoring_edge,
        cicd=cicd,
        edge=edge,
        cdn=cdn,
        backup=backup,
        backup_dr=backup_dr,
        file_system=file_system,
    )
    cdk.Aspects.of(app).add(SuppressCdkHandlerFindings())
    if nag:
        add_validation_plugins(app)
    return built


def add_validation_plugins(app: cdk.App) -> None:
    """cdk-nag's AwsSolutions and NIST 800-53 R5 packs as validation plugins: any finding of either fails
    synthesis unless acknowledged on its construct with a reason."""
    import aws_cdk as cdk
    from cdk_nag import AwsSolutionsChecks, NIST80053R5Checks

    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), NIST80053R5Checks(app))


# What the CDK CLI adds to cdk.json's context (Makefile: --no-version-reporting; path and asset metadata on).
CLI_CONTEXT: dict[str, Any] = {
    "aws:cdk:enable-path-metadata": True,
    "aws:cdk:enable-asset-metadata": True,
    "aws:cdk:version-reporting": False,
    "aws:cdk:bundling-stacks": ["**"],
}


def bare_app_props() -> dict[str, Any]:
    """`python app.py` without the CLI (no CDK_CONTEXT_JSON): cdk.json's context and feature flags, output in
    cdk.out, so a debugger or a quick check synthesizes exactly what `cdk synth` does."""
    if "CDK_CONTEXT_JSON" in os.environ or "CDK_OUTDIR" in os.environ:
        return {}
    root = Path(__file__).resolve().parent
    context = {**CLI_CONTEXT, **json.loads((root / "cdk.json").read_text())["context"]}
    return {"context": context, "outdir": str(root / "cdk.out")}


def verify(built: TechLibApp) -> list[str]:
    """The cross-layer rules (fit/cross_layer.py) over this app: raises ConfigError, returns the warnings."""
    from fit.cross_layer import check_cross_layer
    from fit.layers import layers

    return check_cross_layer(layers(built.config, alb_to_node_ports=built.network.node_ports_from_albs()))


def exit_with(error: ConfigError) -> NoReturn:
    """A configuration mistake is the user's to fix: one line per problem, exit 2, no traceback."""
    for line in error.lines:
        print(f"configuration error: {line}", file=sys.stderr)
    sys.exit(2)


def main() -> None:
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
        cdk.Annotations.of(built.workloads).add_warning_v2("@tech-lib/fit:crossLayer", warning)
    # cdk-nag (a validation plugin) gates inside synth(); the CloudFormation validation right after it.
    sys.exit(validate(app.synth(), engine))


def run_as_script() -> NoReturn:
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


if __name__ == "__main__":
    run_as_script()
