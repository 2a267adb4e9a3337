#!/usr/bin/env python3
"""Search benchmark for awskb: what the search index costs a build, and what a query costs a reader.

On the synthetic corpora of build_bench.py (1,000 and 10,000 pages by default) it builds each corpus
with `search = true` and with `search = false` and prints, per size, side by side:

- the median build time and peak memory of both, their ratio and difference (the cost of the index);
- the size of the search bundle (`search-index/`): files and bytes by part (word chunks, page
  records, filter lists, meta.json), as written and gzipped, and the client (js/search.js);
- with Node.js and `npm ci` done in tests/browser, in headless Chromium (bench/search_query.mjs):
  the bytes a reader downloads for one query, counted by the HTTP server (the search page opened at
  `/search/?q=QUERY`, and the header box's first and second query on an ordinary page), as served
  and as they would be gzipped; and the time from the first key typed in the header box to the
  first result shown.

Standard library only (Python 3.11+), plus Node for the query part. Run with --help for the options.
"""

from __future__ import annotations

import argparse
import gzip
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
BUNDLE = "search-index"
PARTS = {"w": "word chunks", "p": "records", "f": "filters"}


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def bundle_stats(bundle: Path) -> dict[str, tuple[int, int, int]]:
    """(files, bytes, gzipped bytes) of the bundle by part."""
    parts: dict[str, tuple[int, int, int]] = {}
    for path in bundle.rglob("*"):
        if not path.is_file():
            continue
        part = PARTS.get(path.relative_to(bundle).parts[0], "meta")
        files, size, packed = parts.get(part, (0, 0, 0))
        parts[part] = (files + 1, size + path.stat().st_size, packed + gzipped(path))
    return parts


def served_gzipped(out: Path, measured: dict) -> int:
    """What the files of one measurement would weigh gzipped (a server that compresses)."""
    files = [out / path.lstrip("/") for path in measured["paths"]]
    return sum(gzipped(f / "index.html" if f.is_dir() else f) for f in files)


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
                site = bb.site_for(corpus, work, size, search)
                results[search] = bb.bench_tool(
                    name, lambda out, site=site: [str(awskb), "build", "-r", str(site), "-o", str(out)],
                    size, runs, work)
                if results[search].failed:
                    return 1
            out = work / f"out-search-on-{size}"
            stats = bundle_stats(out / BUNDLE)
            for part, (files, size_bytes, packed) in sorted(stats.items()):
                print(f"  bundle {part}: {files:,} files, {kib(size_bytes)} KiB, {kib(packed)} KiB gzipped")
            client = out / "js" / "search.js"
            print(f"  client js/search.js: {kib(client.stat().st_size)} KiB, {gzipped(client) / 1024:.1f} KiB gzipped")
            builds.append((size, results[False], results[True], stats))
            if not args.no_query:
                measured = query_bytes(out, args.query, args.second_query)
                if measured:
                    for key in ("searchPage", "headerFirstQuery", "headerSecondQuery"):
                        measured[key]["gzipped"] = served_gzipped(out, measured[key])
                        del measured[key]["paths"]
                    del measured["ordinaryPage"]
                    print(f"  query {args.query!r}: {json.dumps(measured)}")
                    queries.append((size, measured))

        print("\nBuild (medians; the index is the difference):\n")
        print("| pages | search off s | search on s | on/off | index s | peak MiB off | peak MiB on "
              "| bundle files | bundle MiB | gzipped MiB |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for size, off, on, stats in builds:
            files = sum(f for f, _, _ in stats.values())
            total = sum(b for _, b, _ in stats.values())
            packed = sum(g for _, _, g in stats.values())
            print(f"| {size:,} | {off.median:.2f} | {on.median:.2f} | {on.median / off.median:.2f} "
                  f"| {on.median - off.median:.2f} | {off.peak_mib:,.0f} | {on.peak_mib:,.0f} | {files:,} "
                  f"| {total / 2**20:.1f} | {packed / 2**20:.1f} |")
        if queries:
            print(f"\nOne query ({args.query!r}, then {args.second_query!r}), cold cache; KiB as served "
                  "(no HTTP compression) / gzipped:\n")
            print("| pages | results | search page total | of which client | meta | word chunks | records "
                  "| header box, 1st query | 2nd query | first key to first result ms |")
            print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for size, q in queries:
                page = q["searchPage"]
                by = page["byKind"]
                print(f"| {size:,} | {q['results']:,} | {kib(page['bytes'])} / {kib(page['gzipped'])} "
                      f"| {kib(by.get('client', 0))} | {kib(by.get('meta', 0))} | {kib(by.get('word chunks', 0))} "
                      f"| {kib(by.get('records', 0))} "
                      f"| {kib(q['headerFirstQuery']['bytes'])} / {kib(q['headerFirstQuery']['gzipped'])} "
                      f"| {kib(q['headerSecondQuery']['bytes'])} / {kib(q['headerSecondQuery']['gzipped'])} "
                      f"| {q['firstKeyToResultMs']} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
