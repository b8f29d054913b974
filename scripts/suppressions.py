"""Every acknowledged finding in a synthesized assembly, with its reason: what a reviewer signs off on.

- cdk-nag / built-in validation acknowledgements (construct metadata `aws:cdk:acknowledged-rules`);
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assembly", type=Path, default=Path("cdk.out"))
    args = parser.parse_args()
    rows = collect(args.assembly)
    for stack, where, rule, reason in rows:
        print(f"{stack}  {where}  {rule}\n    {reason}")
    by_kind = {"cdk-nag": 0, "built-in validation": 0, "checkov": 0}
    for _, _, rule, _ in rows:
        kind = (
            "checkov"
            if rule.startswith("checkov")
            else "built-in validation"
            if rule.startswith("CloudFormation")
            else "cdk-nag"
        )
        by_kind[kind] += 1
    print(
        "\n"
        + ", ".join(f"{count} {kind}" for kind, count in by_kind.items())
        + " acknowledgements, each with its reason"
    )


if __name__ == "__main__":
    main()
