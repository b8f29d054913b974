"""Benchmark for this machine: median wall time of the full synth, an empty one-stack app (the floor),
`make check` (the inner loop) and the test command; their ratios; and the synth's peak memory (all
processes of the run together).

    make bench                       # 3 runs of each (synth, empty synth, make check, make test), the release review
    make bench PEER=../peer          # also a peer CDK app's synth (e.g. CDK EKS Blueprints), in the same turns
    .venv/bin/python -m scripts.bench --review-only prod=cdk.out dev=cdk.out.dev   # only the review gate
    .venv/bin/python -m scripts.bench --synth-runs 5 --test-runs 3 --json bench/results/latest.json

The floor is aws-cdk-lib's defaults (its built-in CloudFormation validation runs in jsii for the empty
app too); the full synth is `cdk synth` of app.py, which runs the same validation natively. On a shared
machine absolute seconds are noise: compare the ratios, all measured in one run, runs interleaved so a
burst of load from elsewhere hits every command alike; `make check` runs in the same turns as the synths
(goal: at most 30 s on the 2-core reference machine). The test command runs warm: `make bench` depends
on the bootstrap, so the virtualenvs and node_modules exist before anything is timed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CDK = ROOT / "node_modules" / ".bin" / "cdk"
PYTHON = ROOT / ".venv" / "bin" / "python"
# make bench runs this with make's PATH: the project's Node 24 first where the machine's is too old (Makefile).
ENV = {**os.environ, "CDK_DISABLE_CLI_TELEMETRY": "true"}

# `make synth`'s flags (Makefile CDK_FLAGS, --quiet), for our synth and the peer's. The floor keeps the
# flags it has always been measured with, so its figure stays comparable across runs.
SYNTH_FLAGS = ("--no-lookups", "--no-notices", "--no-version-reporting", "--quiet")

EMPTY_APP = textwrap.dedent(
    """
    import aws_cdk as cdk
    app = cdk.App()
    cdk.Stack(app, "Empty", env=cdk.Environment(account="111111111111", region="ap-northeast-1"))
    app.synth()
    """
)


def _tree_rss_bytes(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            statm = (entry / "statm").read_text().split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(statm[1]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time (s) and peak resident memory of the whole process tree (bytes)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss_bytes(process.pid))
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(
            f"{' '.join(command)} failed ({process.returncode}):\n{process.stderr.read() if process.stderr else ''}"
        )
    return elapsed, peak


def median_run(command: list[str], cwd: Path, runs: int) -> tuple[float, int]:
    results = [run(command, cwd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def review_seconds(env: str, assembly: Path, runs: int = 3) -> float:
    """The release review (`make diff` after synth) of one synthesized environment; exit 1 (dangers) counts."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(
            [str(PYTHON), "-m", "scripts.offline_diff", "--env", env, "--assembly", str(assembly), "--color", "never"],
            cwd=ROOT,
            env=ENV,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            sys.exit(f"the review of {assembly} failed ({result.returncode}): {result.stderr.strip()}")
    return statistics.median(times)


def interleaved(commands: dict[str, tuple[list[str], Path]], runs: int) -> dict[str, tuple[float, int]]:
    """Median wall time and peak memory of each command, run in turns (A B A B ...) rather than in blocks."""
    results: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, cwd) in commands.items():
            results[name].append(run(command, cwd))
    return {
        name: (statistics.median(r[0] for r in measured), max(r[1] for r in measured))
        for name, measured in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--review-only",
        nargs="+",
        metavar="ENV=ASSEMBLY",
        help="only time the release review of these synthesized assemblies (goal: all together under 10 s)",
    )
    parser.add_argument("--synth-runs", type=int, default=3)
    parser.add_argument("--test-runs", type=int, default=3)
    parser.add_argument(
        "--test-command",
        default="make test",
        help="the test command to time (default: make test), e.g. with make's -o flags on a shared virtualenv",
    )
    parser.add_argument(
        "--check-command",
        default="make check",
        help="the inner loop to time next to the synth (default: make check); an empty string skips it",
    )
    parser.add_argument("--env", default="prod")
    parser.add_argument(
        "--peer",
        type=Path,
        help="a peer CDK app (e.g. a CDK EKS Blueprints project with its node_modules) whose `cdk synth` runs "
        "in the same turns as ours, for the ours/peer ratio",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    if args.review_only:
        pairs = [pair.split("=", 1) for pair in args.review_only]
        reviews = {env: review_seconds(env, Path(assembly)) for env, assembly in pairs}
        total = sum(reviews.values())
        print(
            json.dumps(
                {"review_s": {k: round(v, 2) for k, v in reviews.items()}, "review_total_s": round(total, 2)}, indent=2
            )
        )
        print(f"release review of {', '.join(reviews)}: {total:.2f} s (goal < 10 s)")
        return

    with tempfile.TemporaryDirectory() as scratch:
        scratch_dir = Path(scratch)
        full_cmd = [str(CDK), "synth", *SYNTH_FLAGS, "-c", f"env={args.env}", "--output", str(scratch_dir / "full")]
        (scratch_dir / "empty.py").write_text(EMPTY_APP)
        empty_cmd = [
            str(CDK),
            "synth",
            "--no-lookups",
            "--no-notices",
            "--quiet",
            "--app",
            f"{PYTHON} empty.py",
            "--output",
            str(scratch_dir / "empty"),
        ]
        commands = {"full": (full_cmd, ROOT), "empty": (empty_cmd, scratch_dir)}
        if args.check_command:
            commands["check"] = (args.check_command.split(), ROOT)
        if args.peer:
            # The peer's own CLI and app command (its cdk.json), with our flags minus our context.
            peer_cli = args.peer / "node_modules" / ".bin" / "cdk"
            commands["peer"] = (
                [str(peer_cli), "synth", *SYNTH_FLAGS, "--output", str(scratch_dir / "peer")],
                args.peer,
            )
        synths = interleaved(commands, args.synth_runs)
        (full, full_peak), (empty, empty_peak) = synths["full"], synths["empty"]
        review = review_seconds(args.env, scratch_dir / "full")
    test_cmd = args.test_command.split()
    tests, tests_peak = median_run(test_cmd, ROOT, args.test_runs)

    figures = {
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        "runs": {"synth": args.synth_runs, "test": args.test_runs},
        "full_synth_s": round(full, 2),
        "empty_synth_s": round(empty, 2),
        "test_command_s": round(tests, 2),
        "review_s": round(review, 2),
        "full_over_empty": round(full / empty, 2),
        "tests_over_full": round(tests / full, 2),
        "full_synth_peak_mib": round(full_peak / 2**20),
        "empty_synth_peak_mib": round(empty_peak / 2**20),
        "test_peak_mib": round(tests_peak / 2**20),
    }
    if args.check_command:
        figures["check_command_s"] = round(synths["check"][0], 2)
        figures["check_over_full"] = round(synths["check"][0] / full, 2)
    if args.peer:
        figures["peer_synth_s"] = round(synths["peer"][0], 2)
        figures["full_over_peer"] = round(full / synths["peer"][0], 2)
    print(json.dumps(figures, indent=2))
    print(
        f"full/empty = {figures['full_over_empty']}x (goal <= 1.4x); tests/full = {figures['tests_over_full']}x (goal <= 3x); "
        f"synth peak = {figures['full_synth_peak_mib']} MiB (goal <= 1024 MiB)"
    )
    if args.check_command:
        print(
            f"{args.check_command} = {figures['check_command_s']} s (goal <= 30 s), "
            f"{figures['check_over_full']}x the full synth of {full:.2f} s"
        )
    if args.peer:
        print(f"full/peer = {figures['full_over_peer']}x (goal <= 0.7x; peer {args.peer})")
    else:
        print("full/peer: not measured (make bench PEER=<directory of a peer CDK app with its node_modules>)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
