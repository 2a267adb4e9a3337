#!/usr/bin/env python3
"""Taxonomy benchmark: the cost of many distinct terms.

Generates sites whose tags are all different and builds each with `awskb build`, printing the wall
time and the peak resident memory (`ru_maxrss` of the build process). The shapes are the ones that
once cost memory with the square of the number of terms (issue 21):

- `pages`: N pages with one distinct tag each (N term pages of one page each);
- `tags`:  one page with N distinct tags (N term pages, one taxonomy of N terms).

Standard library only. Examples:

    cargo build --release
    python3 bench/taxonomy_bench.py                         # 3,000 pages; 4,000 and 20,000 tags
    python3 bench/taxonomy_bench.py --shape tags --sizes 20000
    python3 bench/taxonomy_bench.py --keep /tmp/tax         # keep the generated sites
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RUNS = (("pages", 3000), ("tags", 4000), ("tags", 20000))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generate(root: Path, shape: str, size: int) -> None:
    """Writes a site of `shape` and `size` at `root` (search off: only taxonomies are measured)."""
    write(root / "awskb.toml", 'title = "Taxonomy bench"\nsearch = false\n')
    write(root / "content/_index.md", "---\ntitle: Home\n---\nTerms everywhere.\n")
    if shape == "pages":
        for n in range(size):
            write(
                root / f"content/p/page-{n:05}.md",
                f"---\ntitle: Page {n}\ntags: [tag-{n:05}]\n---\nPage {n}.\n",
            )
    else:
        tags = ", ".join(f"tag-{n:05}" for n in range(size))
        write(root / "content/one.md", f"---\ntitle: One\ntags: [{tags}]\n---\nOne page.\n")


def build(awskb: Path, site: Path) -> tuple[float, float, float]:
    """Builds `site` once: wall seconds, CPU seconds (user + system) and peak MiB."""
    out = site / "public"
    if out.exists():
        shutil.rmtree(out)
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(awskb), "build", "-r", str(site), "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"build of {site} failed:\n{stderr[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=("pages", "tags"), help="only this shape")
    parser.add_argument("--sizes", help="comma-separated sizes for --shape")
    parser.add_argument("--awskb", type=Path, default=None, help="the binary (default: target/release/awskb)")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR", help="generate into DIR and keep it")
    args = parser.parse_args()
    if args.shape:
        sizes = [int(s.replace("_", "")) for s in (args.sizes or "3000").split(",")]
        runs = [(args.shape, size) for size in sizes]
    else:
        runs = list(DEFAULT_RUNS)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO_ROOT / "target"))
    awskb = args.awskb or Path(os.environ.get("AWSKB", target / "release/awskb"))
    if not awskb.exists():
        sys.exit(f"no awskb at {awskb}: run `cargo build --release` or pass --awskb PATH")
    work = args.keep or Path(tempfile.mkdtemp(prefix="awskb-taxonomy-"))
    print("| shape | size | term pages | wall s | CPU s | peak MiB |")
    print("|---|---:|---:|---:|---:|---:|")
    try:
        for shape, size in runs:
            site = work / f"{shape}-{size}"
            if not (site / "content").exists():
                generate(site, shape, size)
            seconds, cpu, mib = build(awskb, site)
            label = "pages × 1 distinct tag" if shape == "pages" else "1 page × distinct tags"
            print(f"| {label} | {size:,} | {size:,} | {seconds:.2f} | {cpu:.2f} | {mib:,.0f} |", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
