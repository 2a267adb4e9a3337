#!/usr/bin/env python3
"""ASL simulator benchmark: a loop-heavy definition on awskb's engine and on aws-local-stepfunctions.

The definition (bench/asl_simulate/loop.asl.json) is a JSONPath-mode counter: a Pass state "Init",
then a Pass state "Step" whose Parameters call States.MathAdd, States.Format, States.Array and
States.ArrayLength, and a Choice state "Loop" (And of NumericGreaterThanEquals and
NumericLessThanPath) that goes back to Step until the counter reaches the input's "limit", then a
Succeed state. The payload stays five small fields. An input limit L makes 2L + 2 state
transitions (state entries), so the default 100,000 transitions is limit 49,999.

What it runs:

* awskb's engine, in process: `cargo build --release -p asl --example simulate_bench`, then
  target/release/examples/simulate_bench parses and validates the definition once, runs it once
  untimed, then times RUNS executions (`Execution::new` + `run()`; dropping the execution
  afterwards is timed apart).
* aws-local-stepfunctions, in process, when `node` and `npm` are on PATH: bench/asl_simulate/run.mjs
  builds the StateMachine once (validation), runs it once untimed while counting its StateEntered
  events, then times RUNS executions with performance.now(). On first use the package is installed
  into bench/asl_simulate/node_modules with `npm ci` (from package-lock.json); if that fails (no
  network) the comparison is skipped.
* For reference, `awskb asl run FILE --input JSON --format json --max-transitions N` end to end
  (process start, parse, validate, run, print), RUNS times (--no-cli skips it; it builds
  target/release/awskb with cargo, which is quick when it is up to date).
* With --node-no-stack-traces, aws-local-stepfunctions once more under
  `node --stack-trace-limit=0`: its JSONPath library (jsonpath-plus) returns every scalar query
  result by throwing and catching an Error, and capturing the stack dominates its run time.

It checks that both engines made the same number of transitions and ended with the same output,
then prints for each: transitions, median ms, transitions per second, and the ratio of the medians.
Timings are medians: on a shared 2-core machine single runs move by 10-20 %.

Standard library only (Python 3.11+).

    python3 bench/asl_simulate.py                      # 100,000 transitions, 5 timed runs each
    python3 bench/asl_simulate.py --runs 3 --transitions 20000 --no-cli
    python3 bench/asl_simulate.py --no-node             # awskb only
    python3 bench/asl_simulate.py --node-no-stack-traces   # also Node without stack capture
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_ROOT / "bench" / "asl_simulate"
DEFINITION = BENCH_DIR / "loop.asl.json"
RUNNER = BENCH_DIR / "run.mjs"
PACKAGE = "aws-local-stepfunctions"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transitions", type=int, default=100_000,
                        help="state transitions per execution, even and >= 4 (default 100000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per engine (default 5)")
    parser.add_argument("--no-node", action="store_true", help="skip aws-local-stepfunctions")
    parser.add_argument("--no-cli", action="store_true", help="skip the `awskb asl run` timing")
    parser.add_argument("--node-no-stack-traces", action="store_true",
                        help="also time aws-local-stepfunctions under `node --stack-trace-limit=0` "
                             "(its JSONPath library throws an Error per scalar query)")
    parser.add_argument("--no-build", action="store_true",
                        help="use the binaries already in target/release")
    args = parser.parse_args()
    if args.transitions < 4 or args.transitions % 2:
        parser.error("--transitions must be even and at least 4 (Init, then Step+Loop per round, then Done)")
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    limit = (args.transitions - 2) // 2
    input_json = json.dumps({"limit": limit})
    # Our engine stops a run after Options::max_transitions (10,000 by default): leave headroom.
    max_transitions = 2 * args.transitions

    print(f"definition: {DEFINITION.relative_to(REPO_ROOT)}  input: {input_json}  "
          f"expected transitions: {args.transitions:,}  timed runs: {args.runs}")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print()

    results: list[dict] = []

    # ---- awskb's engine, in process -----------------------------------------------------------
    example = REPO_ROOT / "target" / "release" / "examples" / "simulate_bench"
    if not args.no_build:
        cargo(["build", "--release", "-p", "asl", "--example", "simulate_bench"])
    ours = run_json([str(example), str(DEFINITION), "--input", input_json, "--runs", str(args.runs),
                     "--warmups", "1", "--max-transitions", str(max_transitions), "--json"])
    if ours["outcome"].get("status") != "SUCCEEDED":
        print(f"awskb's engine did not succeed: {ours['outcome']}", file=sys.stderr)
        return 1
    ours_row = row("awskb asl (library, Rust)", ours["transitions"], ours["run_ms"], ours["validate_ms"])
    ours_row["drop_ms"] = statistics.median(ours["drop_ms"])
    results.append(ours_row)
    print_row(ours_row)
    print(f"    (then dropping the finished execution, which frees its history: "
          f"median {ours_row['drop_ms']:.0f} ms, not included above)")

    # ---- aws-local-stepfunctions, in process --------------------------------------------------
    theirs = None
    if args.no_node:
        print("aws-local-stepfunctions: skipped (--no-node)")
    elif not (shutil.which("node") and shutil.which("npm")):
        print("aws-local-stepfunctions: skipped (node or npm is not on PATH)")
    elif not ensure_node_modules():
        print("aws-local-stepfunctions: skipped (npm could not install it; no network?)")
    else:
        theirs = run_json(["node", str(RUNNER), str(DEFINITION), input_json, str(args.runs), "1"],
                          cwd=BENCH_DIR)
        their_row = row(f"{PACKAGE} {theirs['version']} (Node {theirs['node']})",
                        theirs["transitions"], theirs["run_ms"], theirs["validate_ms"])
        results.append(their_row)
        print_row(their_row)
        node_major = int(theirs["node"].lstrip("v").split(".")[0])
        if node_major < 22:
            print(f"    (note: {PACKAGE} {theirs['version']} declares Node >= 22; npm warned and it "
                  f"ran on {theirs['node']})")
        if args.node_no_stack_traces:
            fast = run_json(["node", "--stack-trace-limit=0", str(RUNNER), str(DEFINITION), input_json,
                             str(args.runs), "1"], cwd=BENCH_DIR)
            fast_row = row(f"{PACKAGE} {fast['version']}, node --stack-trace-limit=0",
                           fast["transitions"], fast["run_ms"], fast["validate_ms"])
            results.append(fast_row)
            print_row(fast_row)

    # ---- the CLI, end to end ------------------------------------------------------------------
    cli_row = None
    if not args.no_cli:
        awskb = REPO_ROOT / "target" / "release" / "awskb"
        if not args.no_build:
            cargo(["build", "--release", "-p", "awskb", "--bin", "awskb"])
        if not awskb.exists():
            print("awskb asl run: skipped (no target/release/awskb; run without --no-build)")
        else:
            cli_row = time_cli(awskb, input_json, max_transitions, args.runs, ours)
            print_row(cli_row)

    # ---- checks and summary -------------------------------------------------------------------
    print()
    problems = []
    if ours["transitions"] != args.transitions:
        problems.append(f"awskb made {ours['transitions']:,} transitions, expected {args.transitions:,}")
    if theirs is not None:
        if theirs["transitions"] != ours["transitions"]:
            problems.append(f"transitions differ: awskb {ours['transitions']:,}, "
                            f"{PACKAGE} {theirs['transitions']:,}")
        if theirs["output"] != ours["outcome"].get("output"):
            problems.append(f"outputs differ:\n  awskb: {json.dumps(ours['outcome'].get('output'))}\n"
                            f"  {PACKAGE}: {json.dumps(theirs['output'])}")
        else:
            print(f"Both engines made {ours['transitions']:,} transitions and ended with the same output: "
                  f"{json.dumps(theirs['output'])}")
    for problem in problems:
        print(f"MISMATCH: {problem}")

    print()
    print("| engine | transitions | validate ms | median run ms | min ms | transitions/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results + ([cli_row] if cli_row else []):
        validate = "" if r["validate_ms"] is None else f"{r['validate_ms']:.2f}"
        print(f"| {r['name']} | {r['transitions']:,} | {validate} | {r['median_ms']:.1f} | "
              f"{r['min_ms']:.1f} | {r['rate']:,.0f} |")
    if theirs is not None:
        print()
        print("ratios (above 1: awskb is faster):")
        for other in results[1:]:
            print(f"       {other['name']} median / awskb library median = "
                  f"{other['median_ms'] / results[0]['median_ms']:.1f}x")
        if cli_row:
            print(f"       {results[1]['name']} in-process median / `awskb asl run` end-to-end median = "
                  f"{results[1]['median_ms'] / cli_row['median_ms']:.1f}x")
    return 1 if problems else 0


def cargo(arguments: list[str]) -> None:
    started = time.perf_counter()
    print(f"$ cargo {' '.join(arguments)}", flush=True)
    done = subprocess.run(["cargo", *arguments], cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"cargo failed:\n{done.stderr[-3000:]}")
    seconds = time.perf_counter() - started
    if seconds > 5:
        print(f"  (built in {seconds:.0f} s)")


def run_json(command: list[str], cwd: Path = REPO_ROOT) -> dict:
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[:2])} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ensure_node_modules() -> bool:
    """Installs aws-local-stepfunctions into bench/asl_simulate/node_modules unless it is there."""
    if (BENCH_DIR / "node_modules" / PACKAGE / "package.json").exists():
        return True
    lock = BENCH_DIR / "package-lock.json"
    command = ["npm", "ci" if lock.exists() else "install", "--no-audit", "--no-fund"]
    print(f"$ (cd {BENCH_DIR.relative_to(REPO_ROOT)} && {' '.join(command)})", flush=True)
    try:
        done = subprocess.run(command, cwd=BENCH_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=300)
    except subprocess.TimeoutExpired:
        print("  npm timed out after 300 s")
        return False
    if done.returncode != 0:
        print("  npm failed:\n" + "\n".join("    " + line for line in done.stdout.splitlines()[-10:]))
        return False
    return (BENCH_DIR / "node_modules" / PACKAGE / "package.json").exists()


def time_cli(awskb: Path, input_json: str, max_transitions: int, runs: int, ours: dict) -> dict:
    command = [str(awskb), "asl", "run", str(DEFINITION), "--input", input_json, "--format", "json",
               "--max-transitions", str(max_transitions)]
    times = []
    for _ in range(runs + 1):  # the first run warms the file cache and is not counted
        started = time.perf_counter()
        done = subprocess.run(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
        times.append((time.perf_counter() - started) * 1e3)
        if done.returncode != 0:
            sys.exit(f"awskb asl run failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
        if json.loads(done.stdout).get("output") != ours["outcome"].get("output"):
            sys.exit("awskb asl run printed a different output from the library run")
    return row("awskb asl run (CLI, end to end)", ours["transitions"], times[1:], None)


def row(name: str, transitions: int, run_ms: list[float], validate_ms: float | None) -> dict:
    median = statistics.median(run_ms)
    return {
        "name": name,
        "transitions": transitions,
        "validate_ms": validate_ms,
        "run_ms": run_ms,
        "median_ms": median,
        "min_ms": min(run_ms),
        "rate": transitions / (median / 1e3),
    }


def print_row(r: dict) -> None:
    runs = " ".join(f"{ms:.0f}" for ms in r["run_ms"])
    validate = "" if r["validate_ms"] is None else f", validate once {r['validate_ms']:.2f} ms"
    print(f"{r['name']}: {r['transitions']:,} transitions, median {r['median_ms']:.1f} ms, "
          f"{r['rate']:,.0f} transitions/s{validate}  [runs ms: {runs}]", flush=True)


if __name__ == "__main__":
    sys.exit(main())
