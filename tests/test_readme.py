"""The README states the two commands, and its configuration table is generated from the schema."""

from __future__ import annotations

import re

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


def test_every_path_in_the_code_map_exists() -> None:
    """The README's code map and design-to-code table name real files, so a move that forgets them fails here."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Code map") : readme.index("## Configuration")]
    paths: set[str] = set()
    for name in re.findall(r"`([\w./{},<>-]+)`", section):
        if "/" not in name and not name.endswith(".py"):
            continue
        braces = re.fullmatch(r"(.*)\{([^}]*)\}(.*)", name)
        expanded = [f"{braces[1]}{part}{braces[3]}" for part in braces[2].split(",")] if braces else [name]
        paths.update(p for p in expanded if "<" not in p and not p.startswith("/"))
    assert len(paths) > 40  # the map names every stack, chart, add-on and config module
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert not missing, f"the README's code map names paths that do not exist: {missing}"
