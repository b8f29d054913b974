"""aws-cdk-lib's built-in CloudFormation validation, run natively on the written assembly.

aws-cdk-lib 2.275 validates every template at synth with its `CloudFormationValidatePlugin`: the
`@aws/cloudformation-validate` engine (1.12.1) plus aws-cdk-lib's own Rego rules, run in jsii's Node
process, where it costs about half of this app's synth. The same engine ships natively on PyPI as
`cloudformation-validate` (pinned to the same 1.12.1). `app.py` turns the built-in plugin off
(`builtin_cloud_formation_validation=False`) and runs this gate on the written templates instead, with
the plugin's exact configuration (below, read from aws-cdk-lib's
core/lib/validation/cloudformation-validate-plugin.js) and its acknowledgement semantics
(core/lib/private/synthesis-validation.js: an `Acknowledgment` with id `CloudFormation-Validate::RULE`
suppresses a finding on its construct and everything below it; fatal findings cannot be acknowledged).
tests/test_validators.py proves the two give the same findings on the same templates.

    .venv/bin/python -m scripts.cfn_validate --assembly cdk.out   # exit 1 on any unacknowledged error
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import sys
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cloudformation_validate as cfv

PLUGIN_NAME = "CloudFormation Validate"
NAMESPACE = "CloudFormation-Validate"
# The plugin's fixed configuration (aws-cdk-lib 2.275.0).
IGNORE_RULES = ("W3005", "W1020", "E1018", "W9002", "W9013", "W1103")
EXCLUDED_SERVICES = (("W3697", "AWS::AutoScaling"),)
SEVERITIES = {"FATAL": "error", "ERROR": "error", "WARN": "warning", "INFO": "informational", "DEBUG": "debug"}
CDK_LIB_PACKAGE = "aws-cdk-lib"
RULES_DIR = "core/lib/validation/rules"


def _aws_cdk_lib() -> tuple[str, Path]:
    """aws-cdk-lib's version and the tarball jsii loads, found without importing it (that loads it)."""
    spec = importlib.util.find_spec("aws_cdk")
    assert spec is not None and spec.submodule_search_locations
    (tarball,) = Path(next(iter(spec.submodule_search_locations)), "_jsii").glob(f"{CDK_LIB_PACKAGE}@*.jsii.tgz")
    return tarball.name.removeprefix(f"{CDK_LIB_PACKAGE}@").removesuffix(".jsii.tgz"), tarball


def _package_cache_dirs(version: str) -> list[Path]:
    """Where jsii unpacked this aws-cdk-lib (its package cache, on by default)."""
    root = os.environ.get("JSII_RUNTIME_PACKAGE_CACHE_ROOT") or str(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "aws" / "jsii" / "package-cache"
    )
    return sorted((Path(root) / CDK_LIB_PACKAGE / version).glob("*/"))


def cdk_rego_rules() -> list[cfv.ExternalRuleSource]:
    """aws-cdk-lib's own Rego rules, which the plugin adds to the engine's built-in ones."""
    version, tarball = _aws_cdk_lib()
    for unpacked in _package_cache_dirs(version):
        rules = sorted((unpacked / RULES_DIR).glob("*.rego"))
        if rules:
            return [cfv.ExternalRuleSource(name=p.name, content=p.read_text()) for p in rules]
    # No package cache (JSII_RUNTIME_PACKAGE_CACHE=disabled): read them from the tarball (slower).
    sources = []
    with tarfile.open(tarball) as archive:
        for member in archive:
            if member.name.startswith(f"package/{RULES_DIR}/") and member.name.endswith(".rego"):
                extracted = archive.extractfile(member)
                assert extracted is not None
                sources.append(cfv.ExternalRuleSource(name=Path(member.name).name, content=extracted.read().decode()))
    return sorted(sources, key=lambda s: s.name)


def bundled_engine_version() -> str | None:
    """The @aws/cloudformation-validate version aws-cdk-lib's plugin runs (None if not unpacked yet)."""
    version, _ = _aws_cdk_lib()
    for unpacked in _package_cache_dirs(version):
        package = unpacked / "node_modules" / "@aws" / "cloudformation-validate" / "package.json"
        if package.is_file():
            found: str = json.loads(package.read_text())["version"]
            return found
    return None


def new_engine() -> cfv.CompositeEngine:
    return cfv.CompositeEngine(cfv.CompositeEngineConfig(rego_rules=cdk_rego_rules()))


class EngineInBackground:
    """Builds the engine (its rules compile once, ~1 s) on a thread while jsii synthesizes the app:
    the native library and jsii's pipe reads both release the GIL."""

    def __init__(self) -> None:
        self._engine: cfv.CompositeEngine | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._build, name="cfn-validate-engine", daemon=True)
        self._thread.start()

    def _build(self) -> None:
        try:
            self._engine = new_engine()
        except BaseException as error:  # re-raised in the caller's thread by get()
            self._error = error

    def get(self) -> cfv.CompositeEngine:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._engine is not None
        return self._engine


@dataclass(frozen=True)
class Finding:
    stack: str
    rule: str
    severity: str
    description: str
    logical_id: str | None
    construct_path: str

    @property
    def key(self) -> tuple[str, str, str, str, str | None]:
        return (self.stack, self.rule, self.severity, self.description, self.logical_id)


@dataclass(frozen=True)
class Suppressed:
    finding: Finding
    acknowledged_at: str
    reason: str


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)
    engine_version: str = ""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def _stacks(assembly: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    manifest = json.loads((assembly / "manifest.json").read_text())
    for name, artifact in manifest["artifacts"].items():
        if artifact["type"] == "aws:cloudformation:stack":
            yield name, artifact


def _account_region(artifact: dict[str, Any]) -> tuple[str | None, str | None]:
    account, _, region = artifact.get("environment", "aws:///").removeprefix("aws://").partition("/")
    known = lambda v: None if not v or v.startswith("unknown-") else v  # noqa: E731
    return known(account), known(region)


def _construct_paths(assembly: Path) -> dict[tuple[str, str], str]:
    """(stack artifact, logical ID) -> construct path, from the assembly's tree.json."""
    tree_file = assembly / "tree.json"
    paths: dict[tuple[str, str], str] = {}
    if not tree_file.is_file():
        return paths

    def walk(node: dict[str, Any], stack: str) -> None:
        logical_id = node.get("attributes", {}).get("aws:cdk:cloudformation:logicalId")
        if logical_id:
            paths[(stack, logical_id)] = node["path"]
        for child in node.get("children", {}).values():
            walk(child, stack)

    # The app's children are its stacks (this app has no Stages), named by their artifact ids.
    for stack in json.loads(tree_file.read_text())["tree"].get("children", {}).values():
        walk(stack, stack["path"])
    return paths


def _acknowledgements(assembly: Path, artifacts: dict[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Rule id (namespaced) -> {construct path: reason}, from every stack's metadata."""
    acknowledged: dict[str, dict[str, str]] = {}
    for artifact in artifacts.values():
        metadata: dict[str, list[dict[str, Any]]] = dict(artifact.get("metadata", {}))
        if artifact.get("additionalMetadataFile"):
            metadata |= json.loads((assembly / artifact["additionalMetadataFile"]).read_text())
        for path, entries in metadata.items():
            for entry in entries:
                if entry.get("type") == "aws:cdk:acknowledged-rules":
                    for rule, reason in entry["data"].items():
                        acknowledged.setdefault(rule, {})[path.removeprefix("/")] = reason
    return acknowledged


def _closest(acks: dict[str, str], construct_path: str) -> tuple[str, str] | None:
    path = construct_path
    while True:
        if path in acks:
            return path, acks[path]
        if not path:
            return None
        path = path.rsplit("/", 1)[0] if "/" in path else ""


def validate_config(account: str | None, region: str | None) -> cfv.ValidateConfig:
    return cfv.ValidateConfig(
        detail_level=cfv.DetailLevel.STANDARD,
        pseudo_parameter_overrides=cfv.PseudoParameterOverrides(account_id=account, region=region),
        exclude=cfv.RuleFilterConfig(
            ids=list(IGNORE_RULES),
            services=[cfv.ServiceFilter(rule_id=rule, service=service) for rule, service in EXCLUDED_SERVICES],
        ),
        severity_level=cfv.Severity.WARN,
    )


def raw_findings(
    engine: cfv.Engine, template: Path, *, stack: str, account: str | None, region: str | None
) -> list[Finding]:
    """The plugin's violations for one template, before acknowledgements (construct path unresolved)."""
    report = engine.validate_template(str(template), validate_config(account, region))
    findings = []
    for diagnostic in report.diagnostics:
        entity = diagnostic.entity
        logical_id = entity.logical_id if entity is not None and entity.entity_type.name == "RESOURCE" else None
        prefix = f"{diagnostic.property_path.removeprefix('Properties.')}: " if diagnostic.property_path else ""
        findings.append(
            Finding(
                stack=stack,
                rule=diagnostic.rule_id,
                severity=SEVERITIES.get(diagnostic.severity.name, "warning"),
                description=prefix + diagnostic.message,
                logical_id=logical_id,
                construct_path=stack,
            )
        )
    return findings


def validate_assembly(assembly: Path, engine: cfv.Engine | None = None) -> Outcome:
    engine = engine or new_engine()
    artifacts = dict(_stacks(assembly))
    paths = _construct_paths(assembly)
    acknowledged = _acknowledgements(assembly, artifacts)
    outcome = Outcome(engine_version=cfv.version())
    for name, artifact in artifacts.items():
        account, region = _account_region(artifact)
        template = assembly / artifact["properties"]["templateFile"]
        for raw in raw_findings(engine, template, stack=name, account=account, region=region):
            construct_path = paths.get((name, raw.logical_id), name) if raw.logical_id else name
            finding = dataclasses.replace(raw, construct_path=construct_path)
            # The plugin maps FATAL to "error", so every one of its findings can be acknowledged.
            ack = _closest(acknowledged.get(f"{NAMESPACE}::{raw.rule}", {}), construct_path)
            if ack is None:
                outcome.findings.append(finding)
            else:
                outcome.suppressed.append(Suppressed(finding=finding, acknowledged_at=ack[0], reason=ack[1]))
    return outcome


def _violation(finding: Finding) -> dict[str, Any]:
    return {
        "ruleName": finding.rule,
        "description": finding.description,
        "severity": finding.severity,
        "violatingConstructs": [
            {"constructPath": finding.construct_path, "templatePath": f"{finding.stack}.template.json"}
            | ({"resourceLogicalId": finding.logical_id} if finding.logical_id else {})
        ],
    }


def write_report(assembly: Path, outcome: Outcome) -> None:
    """The plugin's entry in validation-report.json, where the built-in plugin would have written it."""
    path = assembly / "validation-report.json"
    report = (
        json.loads(path.read_text())
        if path.is_file()
        else {"version": json.loads((assembly / "manifest.json").read_text())["version"], "title": "Validation Report"}
    )
    plugins = [p for p in report.get("pluginReports", []) if p.get("pluginName") != PLUGIN_NAME]
    plugins.append(
        {
            "pluginName": PLUGIN_NAME,
            "pluginVersion": outcome.engine_version,
            "conclusion": "failure" if outcome.errors else "success",
            "violations": [_violation(f) for f in outcome.findings],
            "suppressedViolations": [
                _violation(s.finding) | {"reason": s.reason, "acknowledgedAt": s.acknowledged_at}
                for s in outcome.suppressed
            ],
        }
    )
    report["pluginReports"] = plugins
    path.write_text(json.dumps(report, indent=2) + "\n")


def gate(assembly: Path, engine: cfv.Engine | None = None) -> int:
    """Validate, record the report, print what is not acknowledged; 1 when an error remains."""
    outcome = validate_assembly(assembly, engine)
    write_report(assembly, outcome)
    for finding in outcome.findings:
        where = f"{finding.construct_path} ({finding.logical_id})" if finding.logical_id else finding.construct_path
        print(
            f"[{PLUGIN_NAME}] {finding.severity}: {finding.rule} {where}: {finding.description}",
            file=sys.stderr,
        )
    if outcome.errors:
        print(
            f"ValidationFailed: {len(outcome.errors)} CloudFormation validation error(s); fix them or acknowledge "
            f"each with Validations.of(scope).acknowledge(Acknowledgment(id='{NAMESPACE}::RULE', reason=...))",
            file=sys.stderr,
        )
        return 1
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assembly", type=Path, default=Path("cdk.out"))
    args = parser.parse_args()
    sys.exit(gate(args.assembly))


if __name__ == "__main__":
    main()
