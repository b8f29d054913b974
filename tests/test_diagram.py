"""scripts/diagram.py (`make diagram`): the picture is drawn from the synthesized assembly.

The references are found here independently of the script (a plain text scan of the templates and
manifest.json), so a reference the script misses fails the test.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns

from scripts import diagram
from tests.conftest import ROOT, Synthesized, new_app

GET_STACK_OUTPUT = re.compile(r'"Fn::GetStackOutput":\s*\{[^{}]*?"StackName":\s*"([^"]+)"')
IMPORT_VALUE = re.compile(r'"Fn::ImportValue":\s*"([^"]+)"')


def _stack_artifacts(outdir: Path) -> dict[str, dict[str, Any]]:
    manifest = json.loads((outdir / "manifest.json").read_text())
    return {k: a for k, a in manifest["artifacts"].items() if a["type"] == "aws:cloudformation:stack"}


def _expected_edges(outdir: Path) -> set[tuple[str, str]]:
    """(producer, consumer) for every weak/strong reference and stack dependency in the assembly."""
    artifacts = _stack_artifacts(outdir)
    by_name = {a["properties"].get("stackName", k): k for k, a in artifacts.items()}
    exports: dict[str, str] = {}
    texts = {k: (outdir / a["properties"]["templateFile"]).read_text() for k, a in artifacts.items()}
    for artifact_id, text in texts.items():
        for output in (json.loads(text).get("Outputs") or {}).values():
            name = (output.get("Export") or {}).get("Name")
            if isinstance(name, str):
                exports[name] = artifact_id
    edges = set()
    for consumer, text in texts.items():
        edges |= {(by_name[name], consumer) for name in GET_STACK_OUTPUT.findall(text)}
        edges |= {(exports[name], consumer) for name in IMPORT_VALUE.findall(text) if name in exports}
        edges |= {(dep, consumer) for dep in artifacts[consumer].get("dependencies", []) if dep in artifacts}
    return {(p, c) for p, c in edges if p != c}


def _edge_pattern(producer: str, consumer: str) -> re.Pattern[str]:
    ids = diagram._mermaid_id(producer), diagram._mermaid_id(consumer)
    return re.compile(rf"^  {ids[0]} (-->\|\"[^\"]*\"\||-\.->\|depends on\|) {ids[1]}$", re.MULTILINE)


@pytest.fixture(scope="module")
def prod_diagram(prod: Synthesized, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("diagram") / "architecture"
    assert diagram.main(["--assembly", str(prod.outdir), "--out", str(out)]) == 0
    return out.with_suffix(".mmd").read_text()


@pytest.fixture(scope="module")
def referencing_assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three stacks: a weak reference (Fn::GetStackOutput), an export/import and a bare dependency."""
    outdir = tmp_path_factory.mktemp("xref")
    app = new_app(outdir)
    env = cdk.Environment(account="111111111111", region="ap-northeast-1")
    storage = cdk.Stack(app, "Storage", env=env)
    bucket = s3.Bucket(storage, "Assets", bucket_name="assets-bucket")
    exported = storage.export_value(bucket.bucket_arn, name="AssetsArn")
    alerts = cdk.Stack(app, "Alerts", env=env)
    sns.Topic(alerts, "Topic", display_name=bucket.bucket_domain_name)
    sns.Topic(alerts, "Imported", display_name=cdk.Fn.import_value("AssetsArn"))
    assert exported
    ops = cdk.Stack(app, "Ops", env=env)
    sns.Topic(ops, "OpsTopic")
    ops.add_dependency(alerts)
    app.synth()
    return outdir


def test_every_stack_of_the_synth_is_drawn_with_its_region(prod: Synthesized, prod_diagram: str) -> None:
    artifacts = _stack_artifacts(prod.outdir)
    assert artifacts
    for artifact_id, artifact in artifacts.items():
        region = artifact["environment"].rsplit("/", 1)[-1]
        assert f'subgraph {diagram._mermaid_id(artifact_id)}["{artifact_id} ({region})"]' in prod_diagram


def test_every_cross_stack_reference_of_the_synth_is_an_edge(prod: Synthesized, prod_diagram: str) -> None:
    for producer, consumer in _expected_edges(prod.outdir):
        assert _edge_pattern(producer, consumer).search(prod_diagram), f"missing edge {producer} -> {consumer}"


def test_no_edge_is_invented(prod: Synthesized, prod_diagram: str) -> None:
    drawn = re.findall(r"^  (\w+) -", prod_diagram, re.MULTILINE)
    assert len(drawn) == len(_expected_edges(prod.outdir))


def test_main_resources_are_drawn_by_type_and_name(prod_diagram: str) -> None:
    assert '["ECR repository<br/>techlib/frontend"]' in prod_diagram
    assert '["ECR repository<br/>techlib/backend"]' in prod_diagram
    assert '["VPC<br/>Vpc"]' in prod_diagram
    assert '["2 NAT gateways"]' in prod_diagram


def test_weak_reference_is_an_edge_labelled_with_the_producer_resource(referencing_assembly: Path) -> None:
    assert '"Fn::GetStackOutput"' in (referencing_assembly / "Alerts.template.json").read_text()
    text, _, edges = diagram.build_diagram(referencing_assembly)
    (edge,) = [e for e in edges if (e.producer, e.consumer) == ("Storage", "Alerts")]
    assert "Assets.DomainName" in edge.labels
    assert '  Storage -->|"Assets.Arn, Assets.DomainName"| Alerts' in text


def test_imported_export_is_an_edge(referencing_assembly: Path) -> None:
    _, _, edges = diagram.build_diagram(referencing_assembly)
    (edge,) = [e for e in edges if (e.producer, e.consumer) == ("Storage", "Alerts")]
    assert edge.reference
    assert "Assets.Arn" in edge.labels


def test_bare_dependency_is_a_dashed_edge(referencing_assembly: Path) -> None:
    text, _, _ = diagram.build_diagram(referencing_assembly)
    assert "  Alerts -.->|depends on| Ops" in text


def test_all_expected_edges_of_the_fixture_are_drawn(referencing_assembly: Path) -> None:
    text, _, _ = diagram.build_diagram(referencing_assembly)
    expected = _expected_edges(referencing_assembly)
    assert expected == {("Storage", "Alerts"), ("Alerts", "Ops")}
    for producer, consumer in expected:
        assert _edge_pattern(producer, consumer).search(text)


def test_writes_mermaid_source_and_a_rendered_markdown_page(referencing_assembly: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs" / "architecture"
    diagram.main(["--assembly", str(referencing_assembly), "--out", str(out)])
    source = out.with_suffix(".mmd").read_text()
    assert source.startswith("flowchart LR\n")
    assert f"```mermaid\n{source}```\n" in out.with_suffix(".md").read_text()


def test_readme_block_between_the_markers_is_replaced(referencing_assembly: Path, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\n<!-- architecture:begin -->\nold picture\n<!-- architecture:end -->\n\nrest\n")
    args = ["--assembly", str(referencing_assembly), "--out", str(tmp_path / "a"), "--readme", str(readme)]
    diagram.main(args)
    once = readme.read_text()
    diagram.main(args)
    assert readme.read_text() == once  # idempotent
    assert "old picture" not in once
    assert once.startswith("# Title\n\n<!-- architecture:begin -->\n")
    assert once.endswith("<!-- architecture:end -->\n\nrest\n")
    assert "```mermaid\nflowchart LR\n" in once


def test_mermaid_ids_and_labels_are_safe(prod_diagram: str) -> None:
    for line in prod_diagram.splitlines()[1:]:
        stripped = line.strip()
        if stripped in ("end", "direction TB"):
            continue
        # id["label"], subgraph id["label"] or an edge: no raw quote inside a label, ids are \w only.
        assert re.fullmatch(r'(subgraph )?\w+\["[^"]*"\]|\w+ (-->\|"[^"]*"\||-\.->\|depends on\|) \w+', stripped), line


def test_make_diagram_runs_the_script_on_the_synth() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^diagram: (.*)\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe is not None
    assert "synth" in recipe.group(1).split()
    assert "-m scripts.diagram --assembly cdk.out --out docs/diagram" in recipe.group(2)
