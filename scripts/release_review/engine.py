"""Each stack's change from the CDK's own diff engine (`@aws-cdk/cloudformation-diff`, via cfn_diff.js).

The library computes replacement impact from its resource specification and follows replacements
inside a stack. What it cannot see is the app: a replaced subnet whose ID another stack reads through
`Fn::GetStackOutput`. We follow those here by rewriting the consumer's reference into a visibly
changed value and letting the library diff the consumer again, until nothing more changes.
"""

from __future__ import annotations

import atexit
import copy
import hashlib
import json
import os
import subprocess
from typing import Any

from scripts.release_review.inputs import ROOT, ReviewError
from scripts.release_review.model import PropChange, ResourceChange, StackDiff

NODE_SCRIPT = ROOT / "scripts" / "release_review" / "cfn_diff.js"
LIBRARY = ROOT / "node_modules" / "@aws-cdk" / "cloudformation-diff"
IGNORED_TYPES = {"AWS::CDK::Metadata"}
# Large JSON documents inside Kubernetes resources: the cluster section diffs them object by object,
# so the library sees a digest (still a change, with the same impact) instead of a 20 kB string.
CLUSTER_DOCUMENTS = {
    "Custom::AWSCDK-EKS-KubernetesResource": "Manifest",
    "Custom::AWSCDK-EKS-HelmChart": "Values",
    "AWS::EKS::Addon": "ConfigurationValues",
}


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return (
        f"(document sha256:{hashlib.sha256(text.encode()).hexdigest()[:12]}, {len(text)} bytes: see Kubernetes changes)"
    )


def prepare(template: dict[str, Any] | None) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The template as the library should see it, and each resource's construct path (for its text)."""
    if template is None:
        return None, {}
    prepared = copy.deepcopy(template)
    paths: dict[str, str] = {}
    resources = prepared.get("Resources") or {}
    for lid in list(resources):
        resource = resources[lid]
        if resource.get("Type") in IGNORED_TYPES:
            del resources[lid]
            continue
        metadata = resource.pop("Metadata", None) or {}
        if isinstance(metadata.get("aws:cdk:path"), str):
            paths[lid] = metadata["aws:cdk:path"]
        document = CLUSTER_DOCUMENTS.get(str(resource.get("Type")))
        properties = resource.get("Properties") or {}
        if document and document in properties:
            properties[document] = _digest(properties[document])
    (prepared.get("Conditions") or {}).pop("CDKMetadataAvailable", None)
    prepared.pop("Metadata", None)
    return prepared, paths


class DiffEngine:
    """One Node process for the whole review: the specification loads once."""

    def __init__(self, color: bool) -> None:
        if not (LIBRARY / "package.json").is_file():
            raise ReviewError(f"{LIBRARY} is missing: run `make synth` first (npm ci installs the pinned diff library)")
        env = {**os.environ, "FORCE_COLOR": "1" if color else "0"}
        self._process = subprocess.Popen(
            ["node", str(NODE_SCRIPT)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    def diff(self, stacks: dict[str, dict[str, Any]]) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps({"stacks": stacks}) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise ReviewError(f"node {NODE_SCRIPT.name} exited ({self._process.poll()}) without an answer")
        reply: dict[str, Any] = json.loads(line)
        if not reply.get("ok"):
            raise ReviewError(f"the diff library failed: {reply.get('error')}")
        result: dict[str, Any] = reply["stacks"]
        return result

    def alive(self) -> bool:
        return self._process.poll() is None

    def close(self) -> None:
        if self._process.stdin and not self._process.stdin.closed:
            self._process.stdin.close()
        self._process.wait(timeout=30)


_SHARED: dict[bool, DiffEngine] = {}


def shared_engine(color: bool) -> DiffEngine:
    """One engine per colour setting for the life of this Python process, closed when it exits.

    `make diff` reviews once, so nothing changes there; a caller that reviews many assemblies (the test
    suite runs the gate on dozens of mutated copies) loads the library's specification once, not per review.
    The process keeps no state between requests: each diff is computed from the request alone.
    """
    engine = _SHARED.get(color)
    if engine is None or not engine.alive():
        engine = _SHARED[color] = DiffEngine(color)
        atexit.register(engine.close)
    return engine


def _substitute_outputs(value: Any, changed: set[tuple[str, str]], hits: list[str]) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and "Fn::GetStackOutput" in value and isinstance(value["Fn::GetStackOutput"], dict):
            ref = value["Fn::GetStackOutput"]
            target = (str(ref.get("StackName")), str(ref.get("OutputName")))
            if target in changed:
                hits.append(f"{target[0]}.{target[1]}")
                return f"${{{target[0]}.{target[1]}}} (changes: {target[0]} replaces or changes it)"
            return value
        return {k: _substitute_outputs(v, changed, hits) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute_outputs(v, changed, hits) for v in value]
    return value


def _local_refs(value: Any) -> set[str]:
    from scripts.release_review.templates import references  # noqa: PLC0415 - small module, avoid a cycle

    return {ref[1] for ref in references(value) if ref[0] == "local"}


def _to_change(
    stack: str, raw: dict[str, Any], old: dict[str, Any] | None, new: dict[str, Any] | None
) -> ResourceChange:
    lid = raw["id"]
    before = None if raw.get("added") else ((old or {}).get("Resources") or {}).get(lid)
    after = None if raw.get("removed") else ((new or {}).get("Resources") or {}).get(lid)
    return ResourceChange(
        stack=stack,
        logical_id=lid,
        resource_type=str(raw.get("newType") or raw.get("oldType")),
        # Custom resources have no specification: the library reports NO_CHANGE for an updated one.
        impact="WILL_UPDATE" if raw.get("impact") == "NO_CHANGE" else str(raw.get("impact")),
        old=before,
        new=after,
        props={
            n: PropChange(n, p.get("old"), p.get("new"), p.get("impact", "WILL_UPDATE"))
            for n, p in raw["props"].items()
        },
        other={n: (p.get("old"), p.get("new")) for n, p in raw["other"].items()},
        security=raw.get("security") or {},
    )


def _pair_renames(diff: StackDiff) -> None:
    """A removed + added pair of one type is a changed logical ID: CloudFormation deletes and recreates."""
    added = [c for c in diff.resources.values() if c.added]
    for removed in [c for c in diff.resources.values() if c.removed]:
        same_type = [c for c in added if c.resource_type == removed.resource_type]
        twins = [c for c in same_type if (c.new or {}).get("Properties") == (removed.old or {}).get("Properties")]
        candidates = twins or (same_type if len(same_type) == 1 else [])
        if len(candidates) == 1:
            removed.renamed_to, candidates[0].renamed_from = candidates[0].logical_id, removed.logical_id
            added.remove(candidates[0])


def compute(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], engine: DiffEngine) -> dict[str, StackDiff]:
    """The diff of every stack in either set of templates, replacements followed across stacks."""
    names = sorted(set(old) | set(new))
    prepared = {s: (prepare(old.get(s)), prepare(new.get(s))) for s in names}
    current = {s: prepared[s][1][0] for s in names}  # the new side, with changed cross-stack reads rewritten
    pending = {s for s in names if prepared[s][0][0] != current[s]}
    results: dict[str, dict[str, Any]] = {}
    substituted: set[tuple[str, str]] = set()
    while pending:
        request = {
            s: {"old": prepared[s][0][0], "new": current[s], "paths": {**prepared[s][0][1], **prepared[s][1][1]}}
            for s in sorted(pending)
        }
        results.update(engine.diff(request))
        changed_outputs = _changed_outputs(
            results, current, {s: (prepared[s][0][0] or {}).get("Outputs") or {} for s in names}
        )
        fresh = changed_outputs - substituted
        substituted |= fresh
        pending = set()
        for stack in names:
            if current[stack] is None or not fresh:
                continue
            hits: list[str] = []
            rewritten = _substitute_outputs(current[stack], fresh, hits)
            if hits:
                current[stack] = rewritten
                pending.add(stack)
    diffs = {}
    for stack in names:
        diff = StackDiff(stack, new_stack=stack not in old, removed_stack=stack not in new)
        result = results.get(stack)
        if result:
            for raw in result["resources"]:
                change = _to_change(stack, raw, old.get(stack), new.get(stack))
                diff.resources[change.logical_id] = change
            diff.outputs = {o["id"]: (o.get("old"), o.get("new")) for o in result["outputs"]}
            diff.security, diff.text = result["security"], result["text"]
        _pair_renames(diff)
        diffs[stack] = diff
    return diffs


def _changed_outputs(
    results: dict[str, dict[str, Any]],
    current: dict[str, dict[str, Any] | None],
    old_outputs: dict[str, dict[str, Any]],
) -> set[tuple[str, str]]:
    changed: set[tuple[str, str]] = set()
    for stack, result in results.items():
        gone = {
            r["id"]
            for r in result["resources"]
            if r.get("impact") in ("WILL_REPLACE", "MAY_REPLACE") or r.get("removed")
        }
        outputs = (current.get(stack) or {}).get("Outputs") or old_outputs.get(stack) or {}
        for output in result["outputs"]:
            changed.add((stack, output["id"]))
        for name, output in outputs.items():
            if _local_refs(output.get("Value")) & gone:
                changed.add((stack, name))
    return changed
