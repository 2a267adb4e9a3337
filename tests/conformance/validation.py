#!/usr/bin/env python3
"""Agreement of `awskb asl validate` with the validation corpus's verdicts.

The corpus (../shared/conformance/validation/ beside the repository, not part of it) holds
definitions from two open-source validators with their verdicts. This script validates every file
with one `awskb asl validate --format json` run, compares verdicts, prints the agreement and every
disagreement, and fails when agreement drops under the minimum or a disagreement is not explained
in validation-disagreements.md (beside this script).

usage: validation.py AWSKB_BINARY CORPUS_DIR [--min-percent 95]
"""
import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def documented() -> set[str]:
    """File names listed as `- `name`` in the disagreements document."""
    text = (HERE / "validation-disagreements.md").read_text(encoding="utf-8")
    return set(re.findall(r"^- `([^`]+)`", text, flags=re.M))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("awskb")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--min-percent", type=float, default=95.0)
    args = parser.parse_args()

    entries = json.loads((args.corpus / "manifest.json").read_text(encoding="utf-8"))["entries"]
    files = [str(args.corpus / e["file"]) for e in entries]
    run = subprocess.run(
        [args.awskb, "asl", "validate", "--format", "json", *files],
        capture_output=True, text=True, check=False,
    )
    if run.returncode not in (0, 1):
        print(run.stderr, file=sys.stderr)
        print(f"awskb exited with {run.returncode}", file=sys.stderr)
        return 2
    diagnostics = json.loads(run.stdout)
    errors: dict[str, list[dict]] = {}
    for d in diagnostics:
        if d["severity"] == "error":
            errors.setdefault(Path(d["file"]).name, []).append(d)

    disagreements = []
    for entry in entries:
        name = Path(entry["file"]).name
        ours = "invalid" if name in errors else "valid"
        if ours != entry["expected"]:
            first = errors.get(name, [{}])[0]
            disagreements.append((name, entry["expected"], ours, first.get("code", ""), first.get("message", "")))

    agreed = len(entries) - len(disagreements)
    percent = 100.0 * agreed / len(entries)
    for name, theirs, ours, code, message in disagreements:
        detail = f" ({code}: {message})" if code else ""
        print(f"disagree: {name}: corpus says {theirs}, awskb says {ours}{detail}")
    print(f"validation corpus: {agreed}/{len(entries)} verdicts agree ({percent:.1f}%)")

    listed = documented()
    undocumented = [d[0] for d in disagreements if d[0] not in listed]
    stale = sorted(listed - {d[0] for d in disagreements})
    for name in stale:
        print(f"note: {name} is listed in validation-disagreements.md but now agrees; remove it there")
    if undocumented:
        print("undocumented disagreements (explain them in tests/conformance/validation-disagreements.md):")
        for name in undocumented:
            print(f"  {name}")
        return 1
    if percent < args.min_percent:
        print(f"agreement {percent:.1f}% is under the minimum {args.min_percent}%")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
