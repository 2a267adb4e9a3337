#!/usr/bin/env python3
"""Search benchmark for awskb: what the Pagefind index costs a build, and what a query costs a reader.

On the synthetic corpora of build_bench.py (1,000 and 10,000 pages by default) it builds each corpus
with `search = true` and with `search = false` and prints, per size:

- the median build time and peak memory of both, and their difference (the cost of the index);
- the size of the search bundle (`pagefind/`): files and bytes, split into the index itself (records,
  word index chunks, filters, metadata), Pagefind's runtime that the theme loads (pagefind.js, its web
  worker and wasm), and Pagefind's own UI files, which the theme does not use;
- with Node.js and `npm ci` done in tests/browser: the bytes a reader downloads for one query, counted
  by the HTTP server while headless Chromium runs it (bench/search_query.mjs): the search page opened
  at `/search/?q=QUERY`, and the header box's first and second query on an ordinary page.

Standard library only (Python 3.11+), plus Node for the query part. Run with --help for the options.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_bench as bb  # noqa: E402  (the corpus generator and the timing helpers)

QUERY_SCRIPT = Path(__file__).resolve().parent / "search_query.mjs"
UI_FILES = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.")


def site_for(corpus: Path, work: Path, size: int, search: bool) -> Path:
    """A site folder whose content/ is the corpus's and whose config turns search on or off."""
    site = work / f"site-{size}-{'on' if search else 'off'}"
    site.mkdir()
    (site / "content").symlink_to(corpus / "content", target_is_directory=True)
    (site / "awskb.toml").write_text(f"search = {'true' if search else 'false'}\n")
    return site


def bundle_stats(bundle: Path) -> dict[str, tuple[int, int]]:
    """(files, bytes) of the bundle by part."""
    parts: dict[str, tuple[int, int]] = {}
    for path in bundle.rglob("*"):
        if not path.is_file():
            continue
        name = path.name
        part = ("Pagefind UI (unused)" if name.startswith(UI_FILES)
                else "runtime" if name.startswith(RUNTIME_FILES)
                else "index")
        files, size = parts.get(part, (0, 0))
        parts[part] = (files + 1, size + path.stat().st_size)
    return parts


def query_bytes(out: Path, query: str, second: str) -> dict | None:
    node = shutil.which("node")
    if not node:
        print("  node not on PATH: skipping the bytes-per-query measurement")
        return None
    done = subprocess.run([node, str(QUERY_SCRIPT), str(out), query, second], capture_output=True, text=True)
    if done.returncode != 0:
        print("  the query measurement failed (did you run `npm ci` in tests/browser?):")
        print("    " + done.stderr.strip().replace("\n", "\n    ")[-3000:])
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def kib(n: int) -> str:
    return f"{n / 1024:,.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="What the search index costs a build and a query costs a reader.")
    parser.add_argument("--sizes", type=bb.parse_sizes, default=list(bb.DEFAULT_SIZES),
                        help="comma-separated page counts (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=None,
                        help="builds per setting and size (default 5 up to 2,000 pages, else 3)")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="corpora in DIR/<size>/, shared with build_bench.py --keep and reused when unchanged")
    parser.add_argument("--awskb", default=None, metavar="PATH",
                        help="awskb binary (default: $AWSKB, else target/release/awskb in the repo)")
    parser.add_argument("--query", default="lambda", help="the query whose downloads are counted (default %(default)s)")
    parser.add_argument("--second-query", default="quota", help="a second query in the header box (default %(default)s)")
    parser.add_argument("--no-query", action="store_true", help="skip the browser measurement")
    parser.add_argument("--seed", type=int, default=bb.DEFAULT_SEED, help="corpus seed (default %(default)s)")
    args = parser.parse_args(argv)

    awskb = bb.find_awskb(args.awskb)
    if not (awskb.is_file() and os.access(awskb, os.X_OK)):
        print(f"awskb binary not found at {awskb}; build it with `cargo build --release` or pass --awskb PATH.",
              file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="awskb-search-bench-"))
    corpora = args.keep.resolve() if args.keep else work / "corpora"
    builds: list[tuple[int, bb.Result, bb.Result, dict]] = []
    queries: list[tuple[int, dict]] = []
    try:
        print(f"machine: {os.cpu_count()} CPUs; awskb: {awskb}")
        for size in args.sizes:
            print(f"\n== {size:,} pages ==")
            corpus = corpora / str(size)
            bb.generate_corpus(corpus, size, args.seed)
            runs = args.runs or (5 if size <= 2000 else 3)
            results = {}
            for search in (False, True):
                name = f"search-{'on' if search else 'off'}"
                site = site_for(corpus, work, size, search)
                results[search] = bb.bench_tool(
                    name, lambda out, site=site: [str(awskb), "build", "-r", str(site), "-o", str(out)],
                    size, runs, work)
                if results[search].failed:
                    return 1
            out = work / f"out-search-on-{size}"
            stats = bundle_stats(out / "pagefind")
            for part, (files, size_bytes) in sorted(stats.items()):
                print(f"  bundle {part}: {files:,} files, {kib(size_bytes)} KiB")
            builds.append((size, results[False], results[True], stats))
            if not args.no_query:
                measured = query_bytes(out, args.query, args.second_query)
                if measured:
                    print(f"  query {args.query!r}: {json.dumps(measured)}")
                    queries.append((size, measured))

        print("\nBuild (medians; the index is the difference):\n")
        print("| pages | search off s | search on s | index s | peak MiB off | peak MiB on "
              "| bundle files | bundle MiB | of which index MiB |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for size, off, on, stats in builds:
            files = sum(f for f, _ in stats.values())
            total = sum(b for _, b in stats.values())
            print(f"| {size:,} | {off.median:.2f} | {on.median:.2f} | {on.median - off.median:.2f} "
                  f"| {off.peak_mib:,.0f} | {on.peak_mib:,.0f} | {files:,} | {total / 2**20:.1f} "
                  f"| {stats.get('index', (0, 0))[1] / 2**20:.1f} |")
        if queries:
            print(f"\nDownloads for one query, KiB as served (no HTTP compression), cold cache:\n")
            print("| pages | results | search page total | Pagefind runtime | index chunks | fragments "
                  "| header box, 1st query | header box, 2nd query |")
            print("|---:|---:|---:|---:|---:|---:|---:|---:|")
            for size, q in queries:
                page = q["searchPage"]
                print(f"| {size:,} | {q['results']:,} | {kib(page['bytes'])} "
                      f"| {kib(page['byKind'].get('pagefind runtime', 0))} "
                      f"| {kib(page['byKind'].get('index chunks', 0))} | {kib(page['byKind'].get('fragments', 0))} "
                      f"| {kib(q['headerFirstQuery']['bytes'])} | {kib(q['headerSecondQuery']['bytes'])} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
