"""`make diff`: compare every stack template in cdk.out with the committed baseline, offline.

    python scripts/offline_diff.py --env prod                 # diff cdk.out against baseline/prod/
    python scripts/offline_diff.py --env prod --update        # `make baseline`: refresh baseline/prod/
    python scripts/offline_diff.py --env prod --baseline-ref origin/main   # against main's baseline

Every added, removed and modified resource (and property) is listed. Exit code 1, in red, when a
stateful resource would be replaced or deleted: a type in STATEFUL_TYPES or any resource whose
DeletionPolicy keeps data (Retain/Snapshot). A changed logical ID is a delete plus a create.

Why not just `cdk diff --template`: the CLI diffs one stack per run (about 2.5 s each), prints text
meant for people, and `--fail-on destructive` fails on any replacement (a security-group rule, a
Lambda version) rather than on the data we must not lose. This script reads the replacement rules
from the very database the pinned CLI uses (node_modules/aws-cdk/db.json.gz, CloudFormation's
resource specification: which property changes require replacement), follows replacements through
Ref/GetAtt/Sub and across stacks (Fn::GetStackOutput, Fn::ImportValue), and applies our stateful
policy. tests/test_offline_diff.py checks that it agrees with the CLI on the Aurora case.

Template `Metadata` (construct paths, asset paths, checkov/nag notes) is ignored: it changes nothing
in the account.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = ROOT / "node_modules" / "aws-cdk" / "db.json.gz"

# Resource types whose replacement or deletion loses data or breaks everything built on them.
STATEFUL_TYPES: dict[str, str] = {
    "AWS::RDS::DBCluster": "the Aurora cluster and its data",
    "AWS::RDS::DBInstance": "an Aurora instance",
    "AWS::ElastiCache::ReplicationGroup": "the Redis replication group and its data",
    "AWS::S3::Bucket": "a bucket and its objects",
    "AWS::Backup::BackupVault": "a backup vault and its recovery points",
    "AWS::KMS::Key": "a KMS key (data encrypted with it becomes unreadable once it is deleted)",
    "AWS::SecretsManager::Secret": "a secret (credentials the workloads use)",
    "AWS::ECR::Repository": "an image repository and the released images",
    "AWS::EKS::Cluster": "the EKS cluster and everything running on it",
    "AWS::IAM::OIDCProvider": "the GitHub OIDC provider every CI role trusts",
}
# A resource the author chose to keep on delete is stateful too (log groups, for instance).
RETAINING_POLICIES = {"Retain", "Snapshot", "RetainExceptOnCreate"}
# The specification marks some properties "maybe": replacement depends on the value. For stateful types
# these are the ones that do replace in the changes this app can make; other "maybe"s are listed only.
MAYBE_REPLACES: dict[str, set[str]] = {
    "AWS::RDS::DBCluster": {"Engine", "MasterUsername", "GlobalClusterIdentifier"},
    "AWS::RDS::DBInstance": {
        "Engine",
        "DBClusterSnapshotIdentifier",
        "DBSnapshotIdentifier",
        "SourceDBClusterIdentifier",
    },
    "AWS::ElastiCache::ReplicationGroup": {"NumNodeGroups", "NodeGroupConfiguration"},
}
RESOURCE_ATTRIBUTES = (
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "DependsOn",
    "Condition",
    "UpdatePolicy",
    "CreationPolicy",
)
IGNORED_TYPES = {"AWS::CDK::Metadata"}
SECTIONS = ("Parameters", "Conditions", "Mappings", "Outputs", "Rules")

RED, YELLOW, GREEN, BOLD, RESET = "\033[31m", "\033[33m", "\033[32m", "\033[1m", "\033[0m"


class DiffError(Exception):
    """A problem with the inputs (no cdk.out, wrong environment): exit 2 with one line."""


# ---------------------------------------------------------------------------------------------- spec


@functools.cache
def _read_spec(path: Path) -> dict[str, dict[str, str]]:
    with gzip.open(path) as handle:
        database = json.load(handle)
    table: dict[str, dict[str, str]] = {}
    for entity in database["schema"]["resource"]["entities"]:
        table[entity["cloudFormationType"]] = {
            name: prop.get("causesReplacement", "no") for name, prop in entity.get("properties", {}).items()
        }
    return table


class ReplacementSpec:
    """Which top-level property changes replace a resource, from CloudFormation's specification."""

    def __init__(self, table: dict[str, dict[str, str]]) -> None:
        self._table = table

    @classmethod
    def load(cls, path: Path = DEFAULT_SPEC) -> ReplacementSpec:
        if not path.is_file():
            raise DiffError(f"{path} is missing: run `make synth` first (it installs the pinned CDK CLI)")
        return cls(_read_spec(path.resolve()))

    def causes_replacement(self, resource_type: str, prop: str) -> str:
        """'yes', 'maybe' or 'no' (unknown types and properties: 'no', as `cdk diff` does)."""
        return self._table.get(resource_type, {}).get(prop, "no")


# ------------------------------------------------------------------------------------------- model


@dataclass
class PropertyChange:
    name: str  # top-level property or resource attribute
    old: Any
    new: Any
    replacement: str = "no"  # yes | maybe | no
    because: str = ""  # why an unchanged-looking value changes (a referenced resource is replaced)

    @property
    def label(self) -> str:
        if self.because:
            return f"(requires replacement: {self.because})"
        return {"yes": "(requires replacement)", "maybe": "(may cause replacement)"}.get(self.replacement, "")


@dataclass
class ResourceChange:
    stack: str
    logical_id: str
    resource_type: str
    kind: str  # added | removed | modified
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    changes: list[PropertyChange] = field(default_factory=list)
    replaced: bool = False
    may_replace: bool = False
    note: str = ""

    @property
    def stateful(self) -> bool:
        resource = self.old or self.new or {}
        return self.resource_type in STATEFUL_TYPES or resource.get("DeletionPolicy") in RETAINING_POLICIES

    @property
    def key(self) -> str:
        return f"{self.stack}/{self.logical_id}"

    @property
    def action(self) -> str:
        if self.kind == "modified":
            return "replace" if self.replaced else ("may replace" if self.may_replace else "update")
        return {"added": "create", "removed": "delete"}[self.kind]

    @property
    def dangerous(self) -> bool:
        if not self.stateful:
            return False
        if self.kind == "removed":
            return True
        if self.replaced:
            return True
        return any(
            c.replacement == "maybe" and c.name in MAYBE_REPLACES.get(self.resource_type, set()) for c in self.changes
        )

    def danger_message(self) -> str:
        what = STATEFUL_TYPES.get(self.resource_type, "a resource kept on delete (DeletionPolicy Retain/Snapshot)")
        if self.kind == "removed":
            policy = (self.old or {}).get("DeletionPolicy")
            verb = {
                "Retain": "orphaned (DeletionPolicy Retain: it stays, outside CloudFormation)",
                "RetainExceptOnCreate": "orphaned (DeletionPolicy RetainExceptOnCreate: it stays, outside CloudFormation)",
                "Snapshot": "DELETED after a final snapshot (DeletionPolicy Snapshot)",
            }.get(str(policy), "DELETED")
        elif self.replaced:
            verb = "REPLACED"
        else:
            verb = "possibly REPLACED"
        reasons = [self.note] if self.note else []
        reasons += [f"{c.name} {c.label}" for c in self.changes if c.replacement in ("yes", "maybe") or c.because]
        detail = f" — {'; '.join(reasons)}" if reasons else ""
        return f"{self.stack}: {self.resource_type} {self.logical_id} ({what}) would be {verb}{detail}"


@dataclass
class SectionChange:
    stack: str
    section: str
    name: str
    kind: str
    old: Any = None
    new: Any = None


@dataclass
class StackDiff:
    stack: str
    resources: list[ResourceChange] = field(default_factory=list)
    sections: list[SectionChange] = field(default_factory=list)
    new_stack: bool = False
    removed_stack: bool = False

    @property
    def empty(self) -> bool:
        return not self.resources and not self.sections


# ------------------------------------------------------------------------------------- references


def references(value: Any) -> Iterator[tuple[str, ...]]:
    """Every reference inside a template value: ('local', id), ('output', stack, name), ('import', name)."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((fn, arg),) = value.items()
            if fn == "Ref" and isinstance(arg, str) and not arg.startswith("AWS::"):
                yield ("local", arg)
            elif fn == "Fn::GetAtt":
                target = arg[0] if isinstance(arg, list) else str(arg).split(".")[0]
                yield ("local", target)
            elif fn == "Fn::Sub":
                text = arg[0] if isinstance(arg, list) else arg
                if isinstance(text, str):
                    for part in text.split("${")[1:]:
                        name = part.split("}")[0].split(".")[0]
                        if name and not name.startswith(("AWS::", "!")):
                            yield ("local", name)
            elif fn == "Fn::GetStackOutput" and isinstance(arg, dict):
                yield ("output", str(arg.get("StackName")), str(arg.get("OutputName")))
            elif fn == "Fn::ImportValue" and isinstance(arg, str):
                yield ("import", arg)
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def leaf_diffs(old: Any, new: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            if old.get(key, _MISSING) != new.get(key, _MISSING):
                yield from leaf_diffs(old.get(key, _MISSING), new.get(key, _MISSING), f"{path}.{key}")
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            if a != b:
                yield from leaf_diffs(a, b, f"{path}[{index}]")
    else:
        yield path, old, new


class _Missing:
    def __repr__(self) -> str:
        return "(absent)"


_MISSING = _Missing()


# ------------------------------------------------------------------------------------------- diff


def _resources(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        lid: resource
        for lid, resource in (template.get("Resources") or {}).items()
        if resource.get("Type") not in IGNORED_TYPES
    }


def diff_stack(stack: str, old: dict[str, Any] | None, new: dict[str, Any] | None, spec: ReplacementSpec) -> StackDiff:
    result = StackDiff(stack, new_stack=old is None, removed_stack=new is None)
    old_resources, new_resources = _resources(old or {}), _resources(new or {})
    for lid in sorted(set(old_resources) | set(new_resources)):
        before, after = old_resources.get(lid), new_resources.get(lid)
        if before is None and after is not None:
            result.resources.append(ResourceChange(stack, lid, after["Type"], "added", new=after))
        elif after is None and before is not None:
            result.resources.append(ResourceChange(stack, lid, before["Type"], "removed", old=before))
        elif before is not None and after is not None and before != after:
            change = _modified(stack, lid, before, after, spec)
            if change.changes or change.replaced:
                result.resources.append(change)
    _pair_renames(result)
    for section in SECTIONS:
        old_section, new_section = (old or {}).get(section) or {}, (new or {}).get(section) or {}
        for name in sorted(set(old_section) | set(new_section)):
            if section == "Conditions" and name == "CDKMetadataAvailable":
                continue
            a, b = old_section.get(name), new_section.get(name)
            if a != b:
                kind = "added" if a is None else "removed" if b is None else "modified"
                result.sections.append(SectionChange(stack, section, name, kind, a, b))
    return result


def _modified(
    stack: str, lid: str, before: dict[str, Any], after: dict[str, Any], spec: ReplacementSpec
) -> ResourceChange:
    change = ResourceChange(stack, lid, after["Type"], "modified", old=before, new=after)
    if before["Type"] != after["Type"]:
        change.replaced = True
        change.note = f"type changes from {before['Type']} to {after['Type']}"
        return change
    old_props, new_props = before.get("Properties") or {}, after.get("Properties") or {}
    for name in sorted(set(old_props) | set(new_props)):
        a, b = old_props.get(name, _MISSING), new_props.get(name, _MISSING)
        if a != b:
            replacement = spec.causes_replacement(after["Type"], name)
            change.changes.append(PropertyChange(name, a, b, replacement))
            change.replaced |= replacement == "yes"
            change.may_replace |= replacement == "maybe"
    for attribute in RESOURCE_ATTRIBUTES:
        a, b = before.get(attribute, _MISSING), after.get(attribute, _MISSING)
        if a != b:
            change.changes.append(PropertyChange(attribute, a, b))
    return change


def _pair_renames(result: StackDiff) -> None:
    """Name a removed + added pair of one type as a changed logical ID: CloudFormation deletes and recreates."""
    added = [c for c in result.resources if c.kind == "added"]
    for removed in (c for c in result.resources if c.kind == "removed"):
        candidates = [c for c in added if c.resource_type == removed.resource_type]
        if len(candidates) == 1:
            new = candidates[0]
            removed.note = f"logical ID changed to {new.logical_id}: CloudFormation deletes {removed.logical_id} and creates a new one"
            new.note = f"replaces {removed.logical_id} (changed logical ID)"
            added.remove(new)


def cascade(
    diffs: dict[str, StackDiff], old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], spec: ReplacementSpec
) -> None:
    """Follow replacements: a replacement-causing property that refers to a replaced (or recreated)
    resource, in the same stack or through another stack's output, gets a new value, so its resource is
    replaced too. Repeats until nothing changes."""
    gone: set[tuple[str, str]] = set()  # (stack, logical id) whose physical identity changes
    for stack, diff in diffs.items():
        for change in diff.resources:
            if change.kind == "removed" or change.replaced:
                gone.add((stack, change.logical_id))
    index = {(stack, c.logical_id): c for stack, diff in diffs.items() for c in diff.resources}
    while True:
        changed_outputs = _changed_outputs(old, new, gone)
        progress = False
        for stack, template in new.items():
            for lid, resource in _resources(template).items():
                before = _resources(old.get(stack) or {}).get(lid)
                if before is None or (stack, lid) in gone:
                    continue
                for name, value in (resource.get("Properties") or {}).items():
                    replacement = spec.causes_replacement(resource["Type"], name)
                    if replacement != "yes":
                        continue
                    cause = _replaced_reference(stack, value, gone, changed_outputs)
                    if cause is None:
                        continue
                    if (stack, lid) not in index:
                        index[(stack, lid)] = ResourceChange(
                            stack, lid, resource["Type"], "modified", old=before, new=resource
                        )
                        diffs[stack].resources.append(index[(stack, lid)])
                    change = index[(stack, lid)]
                    existing = next((c for c in change.changes if c.name == name), None)
                    if existing is None:
                        change.changes.append(
                            PropertyChange(name, before.get("Properties", {}).get(name), value, "yes", cause)
                        )
                    else:
                        existing.replacement, existing.because = "yes", existing.because or cause
                    change.replaced = True
                    gone.add((stack, lid))
                    progress = True
                    break
        if not progress:
            return


def _outputs_by_export(templates: dict[str, dict[str, Any]]) -> dict[str, tuple[str, str]]:
    exports = {}
    for stack, template in templates.items():
        for name, output in (template.get("Outputs") or {}).items():
            export = (output.get("Export") or {}).get("Name")
            if isinstance(export, str):
                exports[export] = (stack, name)
    return exports


def _changed_outputs(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], gone: set[tuple[str, str]]
) -> set[tuple[str, str]]:
    changed = set()
    for stack, template in new.items():
        old_outputs = (old.get(stack) or {}).get("Outputs") or {}
        for name, output in (template.get("Outputs") or {}).items():
            if old_outputs.get(name, {}).get("Value") != output.get("Value") or any(
                kind == "local" and (stack, ref[0]) in gone for kind, *ref in references(output.get("Value"))
            ):
                changed.add((stack, name))
    for export, target in _outputs_by_export(new).items():
        if target in changed:
            changed.add(("export", export))
    return changed


def _replaced_reference(
    stack: str, value: Any, gone: set[tuple[str, str]], changed_outputs: set[tuple[str, str]]
) -> str | None:
    for kind, *ref in references(value):
        if kind == "local" and (stack, ref[0]) in gone:
            return f"{ref[0]} is replaced"
        if kind == "output" and (ref[0], ref[1]) in changed_outputs:
            return f"output {ref[1]} of {ref[0]} changes"
        if kind == "import" and ("export", ref[0]) in changed_outputs:
            return f"export {ref[0]} changes"
    return None


def compute(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], spec: ReplacementSpec
) -> dict[str, StackDiff]:
    """The diff of every stack in either set of templates (stack name -> template), replacements followed."""
    diffs = {stack: diff_stack(stack, old.get(stack), new.get(stack), spec) for stack in sorted(set(old) | set(new))}
    cascade(diffs, old, new, spec)
    return diffs


def dangers_of(diffs: dict[str, StackDiff], accepted: frozenset[str] = frozenset()) -> list[ResourceChange]:
    return [c for d in diffs.values() for c in d.resources if c.dangerous and c.key not in accepted]


# ------------------------------------------------------------------------------------------ inputs


@dataclass
class Assembly:
    templates: dict[str, dict[str, Any]]
    environments: dict[str, str]
    files: dict[str, Path]


def read_assembly(assembly: Path, stack_prefix: str) -> Assembly:
    manifest_path = assembly / "manifest.json"
    if not manifest_path.is_file():
        raise DiffError(f"{manifest_path} not found: run `make synth` first")
    manifest = json.loads(manifest_path.read_text())
    templates, environments, files = {}, {}, {}
    for artifact_id, artifact in manifest.get("artifacts", {}).items():
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        path = assembly / artifact["properties"]["templateFile"]
        templates[artifact_id] = json.loads(path.read_text())
        environments[artifact_id] = artifact.get("environment", "")
        files[artifact_id] = path
    if not templates:
        raise DiffError(f"{assembly} holds no stack templates")
    foreign = sorted(s for s in templates if not s.startswith(stack_prefix))
    if foreign:
        raise DiffError(f"{assembly} holds {foreign[0]}, not a {stack_prefix}* stack: synthesize the same ENV")
    return Assembly(templates, environments, files)


class Baseline:
    """baseline/<env>/: one template per stack plus stacks.json (each stack's environment)."""

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

    def environments(self) -> dict[str, str]:
        text = self._read(self.INDEX)
        data: dict[str, str] = json.loads(text) if text else {}
        return data

    def templates(self) -> dict[str, dict[str, Any]]:
        result = {}
        for stack in self.environments():
            text = self._read(f"{stack}.template.json")
            if text is not None:
                result[stack] = json.loads(text)
        return result

    def update(self, assembly: Assembly) -> list[str]:
        if self.ref is not None:
            raise DiffError("--update writes the working tree's baseline; drop --baseline-ref")
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
        (self.directory / self.INDEX).write_text(
            json.dumps(dict(sorted(assembly.environments.items())), indent=2) + "\n"
        )
        return written


# ------------------------------------------------------------------------------------------ report


class Printer:
    def __init__(self, color: bool) -> None:
        self.color = color
        self.lines: list[str] = []  # plain text, for --markdown

    def line(self, text: str = "", style: str = "") -> None:
        self.lines.append(text)
        print(f"{style}{text}{RESET}" if self.color and style else text)


def _short(value: Any, limit: int = 160) -> str:
    text = "(absent)" if value is _MISSING or value is None else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def report(diffs: dict[str, StackDiff], printer: Printer, accepted: set[str]) -> list[ResourceChange]:
    dangers = []
    for stack in sorted(diffs):
        diff = diffs[stack]
        header = (
            f"Stack {stack}"
            + (" (new: not in the baseline)" if diff.new_stack else "")
            + (" (REMOVED from the app)" if diff.removed_stack else "")
        )
        printer.line(header, BOLD)
        if diff.empty:
            printer.line("  no differences")
            continue
        order = {"removed": 0, "modified": 1, "added": 2}
        for change in sorted(diff.resources, key=lambda c: (order[c.kind], c.logical_id)):
            symbol = {"added": "[+]", "removed": "[-]", "modified": "[~]"}[change.kind]
            danger = change.dangerous and change.key not in accepted
            style = (
                RED
                if danger
                else (
                    YELLOW
                    if change.replaced or change.kind == "removed" or change.may_replace
                    else (GREEN if change.kind == "added" else "")
                )
            )
            tag = " STATEFUL" if change.stateful else ""
            note = f" ({change.note})" if change.note else ""
            printer.line(f"{symbol} {change.resource_type} {change.logical_id} {change.action}{tag}{note}", style)
            for prop in change.changes:
                printer.line(f"    ~ {prop.name} {prop.label}".rstrip(), RED if danger and prop.label else "")
                if any(isinstance(prop.old, kind) and isinstance(prop.new, kind) for kind in (dict, list)):
                    for path, a, b in list(leaf_diffs(prop.old, prop.new))[:20]:
                        printer.line(f"        {path or '.'}: {_short(a)} -> {_short(b)}")
                else:
                    printer.line(f"        {_short(prop.old)} -> {_short(prop.new)}")
            if change.dangerous:
                if change.key in accepted:
                    printer.line(f"    accepted with --accept {change.key}", YELLOW)
                else:
                    dangers.append(change)
        for section in diff.sections:
            symbol = {"added": "[+]", "removed": "[-]", "modified": "[~]"}[section.kind]
            printer.line(
                f"{symbol} {section.section[:-1] if section.section.endswith('s') else section.section} {section.name}"
            )
    return dangers


def summarize(diffs: dict[str, StackDiff], dangers: list[ResourceChange], printer: Printer, source: str) -> None:
    counts = {"create": 0, "delete": 0, "update": 0, "replace": 0, "may replace": 0}
    for diff in diffs.values():
        for change in diff.resources:
            counts[change.action] += 1
    printer.line()
    printer.line(
        f"{len(diffs)} stack(s) against {source}: " + ", ".join(f"{n} to {a}" for a, n in counts.items() if n)
        if any(counts.values())
        else f"{len(diffs)} stack(s) against {source}: no resource changes"
    )
    if dangers:
        printer.line(f"{len(dangers)} stateful resource(s) would be replaced or deleted:", RED + BOLD)
        for change in dangers:
            printer.line(f"  {change.danger_message()}", RED)
        printer.line(
            "If this is intended and reviewed: refresh the baseline with `make baseline` in the same change, "
            "or pass --accept STACK/LOGICAL_ID.",
            RED,
        )


def write_markdown(path: Path, printer: Printer, dangers: list[ResourceChange], title: str) -> None:
    body = [f"## {title}", ""]
    if dangers:
        body += [":x: **Stateful resources would be replaced or deleted:**", ""]
        body += [f"- `{c.stack}` `{c.logical_id}` ({c.resource_type})" for c in dangers] + [""]
    body += ["```", *printer.lines, "```", ""]
    with path.open("a") as handle:
        handle.write("\n".join(body))


# -------------------------------------------------------------------------------------------- main


def run(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))
    from config import ConfigError, load_config  # noqa: PLC0415 - only the stack-name prefix is needed

    try:
        stack_prefix = load_config(args.env, environ={}).stack_name("")
    except ConfigError as error:
        raise DiffError(f"configuration error: {error}") from None
    assembly = read_assembly(Path(args.assembly), stack_prefix)
    baseline = Baseline(Path(args.baseline_dir) / args.env, ref=args.baseline_ref)
    base_environments = baseline.environments()
    for stack, environment in assembly.environments.items():
        if stack in base_environments and base_environments[stack] != environment:
            raise DiffError(
                f"{stack} was synthesized for {environment}, the baseline for {base_environments[stack]}: "
                "synthesize without AWS credentials or CDK_DEFAULT_ACCOUNT, as the baseline was"
            )
    spec = ReplacementSpec.load(Path(args.spec))
    old = baseline.templates()
    new = assembly.templates
    diffs = compute(old, new, spec)
    color = args.color == "always" or (
        args.color == "auto" and (sys.stdout.isatty() or os.environ.get("GITHUB_ACTIONS") == "true")
    )
    printer = Printer(color)
    source = f"{args.baseline_ref}:" if args.baseline_ref else ""
    source += str(
        baseline.directory.relative_to(ROOT) if baseline.directory.is_relative_to(ROOT) else baseline.directory
    )
    if not old:
        printer.line(
            f"No baseline in {source}: every stack is new. Create it with `make baseline ENV={args.env}`.", YELLOW
        )
    dangers = report(diffs, printer, set(args.accept))
    summarize(diffs, dangers, printer, source)
    if args.markdown:
        write_markdown(Path(args.markdown), printer, dangers, f"Offline diff of {args.env} against {source}")
    if args.update:
        for line in baseline.update(assembly):
            printer.line(line)
        printer.line(f"Baseline {source} refreshed: commit it with the change it records.", GREEN)
        return 0
    return 1 if dangers and not args.warn_only else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--env", required=True, help="environment (prod, dev): baseline/<env>/")
    parser.add_argument(
        "--assembly", default=str(ROOT / "cdk.out"), help="synthesized cloud assembly (default cdk.out)"
    )
    parser.add_argument("--baseline-dir", default=str(ROOT / "baseline"), help="directory of the baselines")
    parser.add_argument("--baseline-ref", help="read the baseline from this git revision (e.g. origin/main)")
    parser.add_argument("--update", action="store_true", help="refresh the baseline from cdk.out (make baseline)")
    parser.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="STACK/LOGICAL_ID",
        help="a reviewed, intended stateful replacement",
    )
    parser.add_argument("--warn-only", action="store_true", help="report stateful replacements but exit 0")
    parser.add_argument("--markdown", help="also append the report as Markdown to this file ($GITHUB_STEP_SUMMARY)")
    parser.add_argument("--spec", default=str(DEFAULT_SPEC), help="the CDK CLI's resource specification database")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except DiffError as error:
        print(f"offline diff: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
