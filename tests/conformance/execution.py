#!/usr/bin/env python3
"""Pass rate of `awskb asl run`'s simulator on the execution corpus recorded from real AWS.

The corpus (../shared/conformance/execution/ beside the repository, not part of it) holds
executions with their definition, input and AWS's result. This script runs every case with one
`awskb asl test --format json` call and prints the pass count overall, for the JSONPath and the
JSONata cases, and per tag. It fails when
* fewer cases pass than `execution-baseline.json` records (the count only goes up: raise it
  there when more pass), or
* a case fails without being listed, with its reason, in execution-failures.md.

usage: execution.py AWSKB_BINARY CORPUS_DIR
"""
import argparse
import collections
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def documented() -> set[str]:
    """Case file names listed as `- `name`` in the failures document."""
    text = (HERE / "execution-failures.md").read_text(encoding="utf-8")
    return set(re.findall(r"^- `([^`]+)`", text, flags=re.M))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("awskb")
    parser.add_argument("corpus", type=Path)
    args = parser.parse_args()

    manifest = json.loads((args.corpus / "manifest.json").read_text(encoding="utf-8"))
    tags = {Path(c["file"]).name: c["tags"] for c in manifest["cases"]}
    run = subprocess.run(
        [args.awskb, "asl", "test", "--format", "json", str(args.corpus / "cases")],
        capture_output=True, text=True, check=False,
    )
    if run.returncode not in (0, 1):
        print(run.stderr, file=sys.stderr)
        print(f"awskb exited with {run.returncode}", file=sys.stderr)
        return 2
    results = {Path(c["file"]).name: c for c in json.loads(run.stdout)["cases"]}

    by_tag: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    failures = []
    by_language = {"JSONPath": [0, 0], "JSONata": [0, 0]}
    for name, case_tags in sorted(tags.items()):
        result = results.get(name)
        passed = bool(result and result["passed"])
        for tag in case_tags:
            by_tag[tag][0] += passed
            by_tag[tag][1] += 1
        language = by_language["JSONata" if "jsonata" in case_tags else "JSONPath"]
        language[0] += passed
        language[1] += 1
        if not passed:
            failures.append((name, result["difference"] if result else "not run"))

    for name, difference in failures:
        print(f"fail: {name}: {difference}")
    overall = sum(1 for name in tags if results.get(name, {}).get("passed"))
    print("per tag (passed/total):", ", ".join(
        f"{tag} {p}/{t}" for tag, (p, t) in sorted(by_tag.items(), key=lambda kv: -kv[1][1])))
    for language, (passed, total) in by_language.items():
        print(f"{language} cases: {passed}/{total} pass")
    print(f"execution corpus: {overall}/{len(tags)} cases pass overall "
          f"({100.0 * overall / len(tags):.1f}%)")

    baseline = json.loads((HERE / "execution-baseline.json").read_text(encoding="utf-8"))
    status = 0
    minimum = baseline["passed"]
    if overall < minimum:
        print(f"only {overall} cases pass; execution-baseline.json records {minimum}")
        status = 1
    elif overall > minimum:
        print(f"note: {overall} pass, more than the {minimum} recorded; raise execution-baseline.json")
    listed = documented()
    undocumented = [name for name, _ in failures if name not in listed]
    for name in sorted(listed - {name for name, _ in failures}):
        print(f"note: {name} is listed in execution-failures.md but now passes; remove it there")
    if undocumented:
        print("failing cases not explained in tests/conformance/execution-failures.md:")
        for name in undocumented:
            print(f"  {name}")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
