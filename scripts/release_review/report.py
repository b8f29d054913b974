"""The review as text (terminal, with colour) and as Markdown (the GitHub job summary)."""

from __future__ import annotations

import re
from pathlib import Path

from scripts.release_review.model import DANGER, WARNING, Finding, StackDiff
from scripts.release_review.security import changes as security_changes

RED, YELLOW, GREEN, BOLD, RESET = "\033[31m", "\033[33m", "\033[32m", "\033[1m", "\033[0m"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
ACTIONS = {
    "WILL_CREATE": "create",
    "WILL_UPDATE": "update",
    "WILL_REPLACE": "replace",
    "MAY_REPLACE": "may replace",
    "WILL_DESTROY": "delete",
    "WILL_ORPHAN": "orphan",
    "WILL_IMPORT": "import",
}


class Printer:
    def __init__(self, color: bool) -> None:
        self.color = color
        self.lines: list[str] = []  # plain text, for --markdown

    def line(self, text: str = "", style: str = "") -> None:
        plain = ANSI.sub("", text)
        self.lines.append(plain)
        print(f"{style}{text}{RESET}" if self.color and style else (text if self.color else plain))


def stacks(diffs: dict[str, StackDiff], printer: Printer) -> None:
    for stack in sorted(diffs):
        diff = diffs[stack]
        suffix = (
            " (new: not in the baseline)" if diff.new_stack else " (REMOVED from the app)" if diff.removed_stack else ""
        )
        printer.line(f"Stack {stack}{suffix}", BOLD)
        if diff.empty:
            printer.line("  no differences")
            continue
        for text in diff.text.rstrip("\n").splitlines():
            printer.line(text)
        for change in sorted(diff.resources.values(), key=lambda c: c.logical_id):
            if change.renamed_to:
                printer.line(
                    f"  {change.logical_id}: logical ID changed to {change.renamed_to}: CloudFormation deletes it and creates a new one",
                    YELLOW,
                )
            broadening, added, removed = security_changes(change)
            for line in broadening:
                printer.line(f"  {change.logical_id}: {line}", RED)
            for line in added:
                printer.line(f"  {change.logical_id}: {line}", GREEN)
            for line in removed:
                printer.line(f"  {change.logical_id}: {line}")
        printer.line()


def section(title: str, lines: list[str], printer: Printer) -> None:
    if not lines:
        return
    printer.line(title, BOLD)
    for line in lines:
        style = RED if line.lstrip().startswith("!") else ""
        printer.line(f"  {line}", style)
    printer.line()


def summary(diffs: dict[str, StackDiff], source: str, printer: Printer) -> None:
    counts: dict[str, int] = {}
    for diff in diffs.values():
        for change in diff.resources.values():
            action = ACTIONS.get(change.impact, change.impact.lower())
            counts[action] = counts.get(action, 0) + 1
    changed = ", ".join(
        f"{n} to {a}"
        for a, n in sorted(
            counts.items(),
            key=lambda item: list(ACTIONS.values()).index(item[0]) if item[0] in ACTIONS.values() else 99,
        )
    )
    printer.line(f"{len(diffs)} stack(s) against {source}: {changed or 'no resource changes'}")


def findings(found: list[Finding], accepted: set[str], printer: Printer) -> list[Finding]:
    """Print dangers (red), accepted dangers and warnings (yellow); return the dangers not accepted."""
    open_dangers = [f for f in found if f.severity == DANGER and f.key not in accepted]
    passed = [f for f in found if f.severity == DANGER and f.key in accepted]
    warnings = [f for f in found if f.severity == WARNING]
    if open_dangers:
        printer.line(f"{len(open_dangers)} danger(s): this change must not be deployed as it is:", RED + BOLD)
        for finding in open_dangers:
            printer.line(f"  [{finding.category}] {finding.message}", RED)
            for detail in finding.details:
                printer.line(f"      {detail}", RED)
            printer.line(f"      (reviewed and intended? --accept {finding.key})", RED)
        printer.line(
            "If this is intended and reviewed: refresh the baseline with `make baseline` in the same change, "
            "or pass --accept STACK/ID.",
            RED,
        )
    for finding in passed:
        printer.line(f"  accepted with --accept {finding.key}: [{finding.category}] {finding.message}", YELLOW)
    for finding in warnings:
        printer.line(f"  warning [{finding.category}] {finding.message}", YELLOW)
        for detail in finding.details:
            printer.line(f"      {detail}", YELLOW)
    return open_dangers


def markdown(
    path: Path, printer: Printer, dangers: list[Finding], title: str, headline: list[str] | None = None
) -> None:
    body = [f"## {title}", ""]
    if dangers:
        body += [":x: **Dangers (the gate fails):**", ""]
        body += [f"- **{f.category}** `{f.key}`: {f.message}" for f in dangers] + [""]
    else:
        body += [":white_check_mark: no dangers", ""]
    body += [f"- {line}" for line in headline or []] + ([""] if headline else [])
    body += ["<details><summary>full review</summary>", "", "```", *printer.lines, "```", "", "</details>", ""]
    with path.open("a") as handle:
        handle.write("\n".join(body))
