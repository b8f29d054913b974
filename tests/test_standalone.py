"""The repository stands on its own: whoever clones it has none of the files or folders of the machine it was
written on, so no tracked file may point at them (a sibling checkout's notes, a home or work directory)."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.repository import ROOT

# Written in pieces so that this file does not match itself.
OUTSIDE = re.compile(
    "|".join(
        (
            r"\.\./" + "shared",  # a sibling folder of the checkout
            "DESIGN" + r"\.md",  # notes kept beside the repository, not in it
            "STYLE" + r"\.md",
            r"(?<![\w.])/" + r"(?:work|home|Users|root)/",  # absolute paths of one machine
        )
    )
)


def tracked_files() -> list[str]:
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    return [name for name in listing.decode().split("\0") if name]


def outside_references(text: str) -> list[str]:
    return [match.group(0) for match in OUTSIDE.finditer(text)]


@pytest.mark.validators  # git ls-files
def test_no_tracked_file_refers_to_a_path_outside_the_repository() -> None:
    found: dict[str, list[str]] = {}
    for name in tracked_files():
        path = ROOT / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary: archives and the like name no paths a reader follows
        if hits := outside_references(text):
            found[name] = sorted(set(hits))
    assert not found, f"files refer to paths outside the repository: {found}"


def test_the_probe_sees_each_kind_of_outside_path() -> None:
    planted = [
        "see ../" + "shared/seed/x.txt",
        "as DESIGN" + ".md says",
        "per STYLE" + ".md",
        "clone at /" + "work/.mirror/repo",
        "in /" + "home/me/src",
    ]
    assert [bool(outside_references(line)) for line in planted] == [True] * len(planted)
    assert not outside_references("a path in the repository: docs/architecture.md, ./scripts/x.py, /tmp/cache")
