"""Every acknowledged finding in a synthesized assembly, with its reason, by pack: what a reviewer signs off on.

- cdk-nag (AwsSolutions, NIST 800-53 R5) and built-in validation acknowledgements (construct metadata
  `aws:cdk:acknowledged-rules`);
- checkov suppressions on CloudFormation resources (`Metadata.checkov.skip`);
- checkov suppressions on applied Kubernetes objects (`checkov.io/skipN` annotations).

    make suppressions            # after make synth
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scripts.applied_manifests import applied_manifests


def collect(assembly: Path) -> list[tuple[str, str, str, str]]:
    """(stack, where, rule, reason) rows, sorted."""
    rows: set[tuple[str, str, str, str]] = set()
    for metadata_file in assembly.glob("*.metadata.json"):
        stack = metadata_file.name.removesuffix(".metadata.json")
        for path, entries in json.loads(metadata_file.read_text()).items():
            for entry in entries:
                if entry.get("type") == "aws:cdk:acknowledged-rules":
                    for rule, reason in entry["data"].items():
                        rows.add((stack, path.removeprefix(f"/{stack}/"), rule.removeprefix("Annotation::"), reason))
    for template_file in assembly.glob("*.template.json"):
        stack = template_file.name.removesuffix(".template.json")
        template = json.loads(template_file.read_text())
        for logical_id, resource in template.get("Resources", {}).items():
            for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
                rows.add((stack, logical_id, f"checkov {skip['id']}", skip["comment"]))
        for obj in applied_manifests(template):
            for key, value in obj["metadata"].get("annotations", {}).items():
                if key.startswith("checkov.io/skip"):
                    check, _, reason = value.partition("=")
                    where = f"{obj['kind']}/{obj['metadata'].get('namespace', '-')}/{obj['metadata']['name']}"
                    rows.add((stack, where, f"checkov {check}", reason))
    return sorted(rows)


def pack_of(rule: str) -> str:
    """The check set a rule belongs to: a cdk-nag pack (the rule's prefix), the built-in validation, checkov."""
    if rule.startswith("checkov "):
        return "checkov"
    if rule.startswith("CloudFormation"):
        return "built-in validation"
    if rule.startswith("@"):
        return "construct annotation"
    # cdk-nag rule ids are <pack>-<rule>[<finding>]: AwsSolutions-IAM4[...], NIST.800.53.R5-LambdaDLQ.
    return f"cdk-nag {rule.split('-', 1)[0]}"


def by_pack(rows: list[tuple[str, str, str, str]]) -> dict[str, list[tuple[str, str, str, str]]]:
    """The rows grouped by `pack_of` their rule, packs in name order."""
    packs: dict[str, list[tuple[str, str, str, str]]] = {}
    for row in rows:
        packs.setdefault(pack_of(row[2]), []).append(row)
    return dict(sorted(packs.items()))


def render(rows: list[tuple[str, str, str, str]]) -> str:
    packs = by_pack(rows)
    lines = []
    for pack, pack_rows in packs.items():
        lines.append(f"== {pack}: {len(pack_rows)} acknowledged")
        lines.extend(f"{stack}  {where}  {rule}\n    {reason}" for stack, where, rule, reason in pack_rows)
        lines.append("")
    summary = ", ".join(f"{len(pack_rows)} {pack}" for pack, pack_rows in packs.items())
    lines.append(f"{summary} acknowledgements, each with its reason")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assembly", type=Path, default=Path("cdk.out"))
    args = parser.parse_args()
    print(render(collect(args.assembly)))


if __name__ == "__main__":
    main()
