"""The README states the two commands, and its configuration table is generated from the schema."""

from __future__ import annotations

from scripts.config_reference import BEGIN, END, table
from tests.conftest import ROOT


def test_readme_names_the_two_commands_and_ci_runs_the_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make synth" in readme and "make test" in readme
    ci = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line and not line.startswith(("#", "set ", "cd "))
    ]
    assert ci == ["make test"]


def test_configuration_reference_is_current() -> None:
    readme = (ROOT / "README.md").read_text()
    assert f"{BEGIN}\n{table()}\n{END}" in readme, "README.md's configuration table is stale: make config-reference"
