#!/usr/bin/env python3
"""JSONata benchmark: awskb's evaluator (crates/jsonata) against the `jsonata` npm package, per evaluation.

    python3 bench/jsonata_bench.py [SUITE_DIR]
    python3 bench/jsonata_bench.py --only sum,join-library      # a few expressions
    python3 bench/jsonata_bench.py --expressions FILE           # another list

SUITE_DIR is the official JSONata test suite, by default ../shared/conformance/jsonata relative
to the repository. Only its datasets/ folder is read, at run time; nothing of it is copied into
the repository.

The expressions are bench/jsonata_expressions.json: real expressions from the suite's groups,
each with the dataset its case evaluates against, covering paths, predicates, wildcards and
descendants, the parent operator, aggregation, string functions, $map/$filter/$reduce/$sift
with lambdas, object construction and grouping, sorting, joins with @ and #, regular
expressions, conditionals, transforms and date functions with fixed inputs. Three are adapted
and say so in their "case" field. None depends on the time or on randomness.

What it runs, one after the other so that they do not compete for the cores:

* Ours: `cargo build --release -p jsonata --example bench` (into cargo's target folder, or
  CARGO_TARGET_DIR), then that example. The ratio uses `Expression::evaluate_input` with the
  dataset converted once by `jsonata::Input::new`, as npm evaluates the JavaScript object it is
  given; a second column and summary give `Expression::evaluate` with a serde_json::Value, which
  converts the input on every call.
* The reference: `node bench/jsonata_bench.mjs`, which calls `await jsonata(expr).evaluate(data)`.
  On first use the package is installed with `npm install --prefix TMP/awskb-jsonata-bench
  jsonata@2`, TMP being the system's temporary folder, and reused afterwards (delete that folder
  to get a newer 2.x).

Both compile each expression once and parse its dataset once, evaluate once for the result,
evaluate for 200 ms to warm up, then time 5 rounds of about 200 ms each and report the median
time per evaluation. Both also print a digest of the result: compact JSON with object keys
sorted and numbers rounded to 15 significant digits (long results cut and hashed). When the
digests differ, the expression is reported and left out of the ratios.

The table gives, per expression, the median microseconds per evaluation of each, and the ratio
npm / ours (above 1: ours is faster). Then come the median and the geometric mean of the ratios,
and the verdict against the target of ours being at least 3 times as fast per evaluation: met
when the geometric mean reaches 3, with the expressions below 3 listed. The machine is shared
and has 2 cores, so expect 10-20 % of noise on single figures.

Exit status: 0, or 1 when a result differs or an expression fails on either side.
Standard library only (Python 3.11+); needs cargo, node and npm on PATH.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
EXPRESSIONS = REPO_ROOT / "bench" / "jsonata_expressions.json"
RUNNER = REPO_ROOT / "bench" / "jsonata_bench.mjs"
NODE_PREFIX = Path(tempfile.gettempdir()) / "awskb-jsonata-bench"
TARGET_RATIO = 3.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suite", nargs="?", type=Path,
                        default=REPO_ROOT.parent / "shared" / "conformance" / "jsonata",
                        help="the JSONata test suite (default: ../shared/conformance/jsonata)")
    parser.add_argument("--expressions", type=Path, default=EXPRESSIONS,
                        help="the list of expressions (default: bench/jsonata_expressions.json)")
    parser.add_argument("--only", help="comma-separated names: run just these expressions")
    args = parser.parse_args()

    suite = args.suite.resolve()
    if not (suite / "datasets").is_dir():
        parser.error(f"{suite}: no datasets/ folder; pass the JSONata test suite's folder")
    for tool in ("cargo", "node", "npm"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not on PATH")

    entries = json.loads(args.expressions.read_text(encoding="utf-8"))
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {entry["name"] for entry in entries}
        if unknown:
            parser.error(f"unknown expression names: {', '.join(sorted(unknown))}")
        entries = [entry for entry in entries if entry["name"] in wanted]

    version = install_jsonata()
    ours = build_ours()
    node_version = subprocess.run(["node", "--version"], capture_output=True, text=True,
                                  check=True).stdout.strip()
    print(f"{len(entries)} expressions; ours: crates/jsonata (release); "
          f"reference: jsonata {version} on Node {node_version}", file=sys.stderr)

    # Both programs read the list from a file: a copy, which --only may have filtered.
    with tempfile.TemporaryDirectory(prefix="awskb-jsonata-bench-") as scratch:
        listing = Path(scratch) / "expressions.json"
        listing.write_text(json.dumps(entries), encoding="utf-8")
        rust = measure("ours", [str(ours), str(listing), str(suite)])
        npm = measure("npm", ["node", str(RUNNER), str(listing), str(suite), str(NODE_PREFIX)])

    return report([entry["name"] for entry in entries], rust, npm)


def install_jsonata() -> str:
    """Installs jsonata 2.x into NODE_PREFIX unless it is there, and returns its version."""
    package = NODE_PREFIX / "node_modules" / "jsonata" / "package.json"
    if not package.is_file():
        print(f"installing jsonata@2 into {NODE_PREFIX}", file=sys.stderr)
        subprocess.run(["npm", "install", "--prefix", str(NODE_PREFIX), "jsonata@2",
                        "--no-audit", "--no-fund", "--loglevel=error"], check=True)
    return json.loads(package.read_text(encoding="utf-8"))["version"]


def build_ours() -> Path:
    """Builds the bench example in release and returns its path, wherever the target folder is."""
    print("building crates/jsonata/examples/bench.rs (release)", file=sys.stderr)
    built = subprocess.run(
        ["cargo", "build", "--release", "-p", "jsonata", "--example", "bench",
         "--message-format=json-render-diagnostics"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True, check=True)
    for line in built.stdout.splitlines():
        message = json.loads(line)
        if (message.get("reason") == "compiler-artifact" and message["target"]["name"] == "bench"
                and message.get("executable")):
            return Path(message["executable"])
    sys.exit("cargo built no bench executable")


def measure(label: str, command: list[str]) -> dict[str, dict]:
    """Runs one benchmark program, echoing its progress, and returns its lines by name."""
    results = {}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, encoding="utf-8") as run:
        for line in run.stdout:
            result = json.loads(line)
            results[result["name"]] = result
            us = result["us_per_eval"]
            shown = "not timed" if us is None else f"{us:.3f} µs"
            print(f"  {label:4} {result['name']:24} {shown}", file=sys.stderr)
    if run.returncode != 0:
        sys.exit(f"{label}: {' '.join(command)} exited with status {run.returncode}")
    return results


def report(names: list[str], rust: dict[str, dict], npm: dict[str, dict]) -> int:
    """Prints the table, the ratios' summary and the verdict; returns the exit status."""
    ratios: dict[str, float] = {}
    ratios_json: dict[str, float] = {}
    problems: list[tuple[str, str]] = []
    print("| expression | ours µs | ours µs, input converted each call | npm µs | npm ÷ ours |")
    print("|---|---:|---:|---:|---:|")
    for name in names:
        ours, theirs = rust[name], npm[name]
        if ours["us_per_eval"] is None or theirs["us_per_eval"] is None:
            ratio = "failed"
            problems.append((name, "an evaluation failed"))
        elif ours["result_digest"] != theirs["result_digest"]:
            ratio = "differs"
            problems.append((name, "the results differ"))
        else:
            ratios[name] = theirs["us_per_eval"] / ours["us_per_eval"]
            if ours.get("us_per_eval_json"):
                ratios_json[name] = theirs["us_per_eval"] / ours["us_per_eval_json"]
            ratio = f"{ratios[name]:.2f}"
        each_call = us_text({"us_per_eval": ours.get("us_per_eval_json")})
        print(f"| {name} | {us_text(ours)} | {each_call} | {us_text(theirs)} | {ratio} |")

    for name, why in problems:
        print(f"\n{name}: {why}, so it is left out of the ratios\n"
              f"  ours: {rust[name]['result_digest']}\n  npm:  {npm[name]['result_digest']}")
    if not problems:
        print(f"\nall {len(names)} results agree")
    if not ratios:
        print("\nno expression gave the same result on both sides")
        return 1
    geometric = math.exp(statistics.fmean(math.log(r) for r in ratios.values()))
    slow = [name for name, r in ratios.items() if r < TARGET_RATIO]
    print(f"\nratio npm / ours over {len(ratios)} expressions: "
          f"median {statistics.median(ratios.values()):.2f}, geometric mean {geometric:.2f}")
    if ratios_json:
        geometric_json = math.exp(statistics.fmean(math.log(r) for r in ratios_json.values()))
        print(f"with the input converted from serde_json on every call (Expression::evaluate): "
              f"median {statistics.median(ratios_json.values()):.2f}, geometric mean {geometric_json:.2f}")
    verdict = "met" if geometric >= TARGET_RATIO else "NOT met"
    print(f"target (ours at least {TARGET_RATIO:g}x as fast per evaluation): {verdict} "
          f"on the geometric mean; {len(slow)} of {len(ratios)} expressions below it"
          + (f": {', '.join(slow)}" if slow else ""))
    return 1 if problems else 0


def us_text(result: dict) -> str:
    us = result["us_per_eval"]
    return "–" if us is None else f"{us:,.2f}"


if __name__ == "__main__":
    sys.exit(main())
