"""app.py (through entrypoint.py) chooses the configuration from the context before aws-cdk-lib is imported (a configuration
mistake is then reported in about a second): the context it reads must be the one cdk.App reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import entrypoint

# Every test runs the app (or the CDK CLI) in a process of its own.
pytestmark = pytest.mark.validators

ROOT = Path(__file__).resolve().parent.parent
CDK = ROOT / "node_modules" / ".bin" / "cdk"


def _env(**env: str) -> dict[str, str]:
    """A fresh process's environment: jsii's Node process copies it once, when it starts, so the context
    variables are tested in a new interpreter, never by changing this one's."""
    full = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    for name in (entrypoint.CONTEXT_ENV, entrypoint.CONTEXT_OVERFLOW_ENV):
        if name not in env:
            full.pop(name, None)
    return full


def _run(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=cwd,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# Run by the real CDK CLI, whose context is larger than it passes in an environment variable: it keeps
# the entries before the first one that does not fit (`fromVariable`) in CDK_CONTEXT_JSON and writes that
# one and the rest (`filler`, `env`, `imageTag`) to the overflow file. Both override the App's `context` prop.
PROBE = """
import json, os
import aws_cdk as cdk
import entrypoint as app
props = {"env": "prod", "imageTag": "r0", "filler": "props", "fromProps": True}
keys = ("env", "imageTag", "fromProps", "fromVariable")
results = {}
for name, given in (("cli", None), ("props", props)):
    read, the_app = app.app_context(given), cdk.App(context=given)
    results[name] = {
        "read": [read.get(k) for k in keys] + [len(read.get("filler", ""))],
        "app": [the_app.node.try_get_context(k) for k in keys] + [len(the_app.node.try_get_context("filler") or "")],
        "same_config": app.config_from_context(read) == app.config_from_context(the_app),
    }
results["overflow_file"] = os.environ.get(app.CONTEXT_OVERFLOW_ENV) is not None
in_variable = json.loads(os.environ.get(app.CONTEXT_ENV, "{}"))
results["in_variable"] = {k: k in in_variable for k in ("fromVariable", "filler", "env")}
json.dump(results, open(os.environ["PROBE_OUT"], "w"))
the_app.synth()
"""


def test_the_configuration_is_chosen_from_the_context_the_app_sees(tmp_path: Path) -> None:
    if not CDK.exists():
        pytest.skip("the CDK CLI is not installed (node_modules)")
    (tmp_path / "probe.py").write_text(PROBE)
    (tmp_path / "cdk.json").write_text(
        json.dumps({"app": f"{sys.executable} probe.py", "context": {"fromVariable": "v", "filler": "x" * 140_000}})
    )
    out = tmp_path / "probe.json"
    command = [str(CDK), "synth", "--no-notices", "--no-lookups", "--quiet", "-c", "env=dev", "-c", "imageTag=rel-7"]
    result = subprocess.run(
        [*command, "--output", str(tmp_path / "out")],
        cwd=tmp_path,
        env={**_env(), "PROBE_OUT": str(out), "CDK_DISABLE_CLI_TELEMETRY": "true"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.is_file(), result.stderr
    probe = json.loads(out.read_text())
    assert probe["overflow_file"]
    assert probe["in_variable"] == {"fromVariable": True, "filler": False, "env": False}
    assert probe["cli"]["read"] == probe["cli"]["app"] == ["dev", "rel-7", None, "v", 140_000]
    assert probe["props"]["read"] == probe["props"]["app"] == ["dev", "rel-7", True, "v", 140_000]
    assert probe["cli"]["same_config"] and probe["props"]["same_config"]


def test_a_configuration_error_exits_before_aws_cdk_lib_is_imported(tmp_path: Path) -> None:
    result = _run(
        """
        import sys
        import app
        try:
            app.main()
        except SystemExit as exited:
            print(exited.code, sorted(m for m in ("aws_cdk", "cdk_nag", "jsii", "stacks") if m in sys.modules))
        """,
        tmp_path,
        **{entrypoint.CONTEXT_ENV: json.dumps({"env": "staging"})},
    )
    assert result.stdout.strip() == "2 []", result.stderr
    assert result.stderr.strip() == "configuration error: env: unknown environment 'staging' (allowed: dev, prod)"
