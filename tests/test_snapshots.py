"""Whole-template snapshots: a drift alarm only. The facts are asserted by the per-stack tests.

Asset hashes are normalised, so a library bump that only rebuilds a handler bundle is not noise;
update with `.venv/bin/pytest tests/test_snapshots.py --snapshot-update` and review the diff.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from tests.conftest import Synthesized

ASSET_HASH = re.compile(r"\b[0-9a-f]{64}\b")


def normalise(template: dict[str, Any]) -> Any:
    return json.loads(ASSET_HASH.sub("<asset-hash>", json.dumps(template, sort_keys=True)))


@pytest.fixture
def json_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


def test_every_stack_matches_its_snapshot(prod: Synthesized, json_snapshot: SnapshotAssertion) -> None:
    for stack in prod.built.stacks:
        assert normalise(prod.template_json(stack)) == json_snapshot(name=stack.stack_name)


def test_normalise_hides_asset_hashes_only() -> None:
    digest = "a" * 64
    template = {"Code": {"S3Key": f"{digest}.zip"}, "Name": "tech-lib"}
    assert normalise(template) == {"Code": {"S3Key": "<asset-hash>.zip"}, "Name": "tech-lib"}
