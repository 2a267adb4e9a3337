#!/usr/bin/env python3
"""Search quality benchmark for awskb: do the pages a reader expects come first?

Builds two sites with the awskb binary and runs queries on their /search/ page in headless Chromium
(bench/search_quality.mjs), then scores the result lists against the expected pages:

- the demo knowledge base (this repository's content/), with the hand-written queries of
  bench/search_queries.json;
- a generated corpus (build_bench.py's, 1,000 pages by default), with queries made from its page
  titles: "SERVICE TOPIC" (every page titled with both is expected), the same with the topic
  written another way ("quota" for "Quotas": stemming), and a page's number (that page).

Per corpus it prints, over its queries: hit@1 (the first result is expected), hit@3, MRR (mean of
1/rank of the first expected result, 0 when none is in the first 10) and P@5 (the share of the first
five results that are expected, out of at most five expected pages). `--show` prints each query's
top results. Same results for any search engine the site uses: the script only reads the page.

Standard library only (Python 3.11+), plus Node with `npm ci` done in tests/browser.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_bench as bb  # noqa: E402  (the corpus generator)

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "search_queries.json"
RUNNER = HERE / "search_quality.mjs"

# Topic words of the generated titles written as a reader might: same stem, another form.
VARIANTS = {
    "Quotas": "quota", "Patterns": "pattern", "Scaling": "scaled", "Migration": "migrate",
    "Best Practices": "best practice", "Monitoring": "monitored", "Troubleshooting": "troubleshoot",
    "Integration": "integrations", "Automation": "automated",
}


def generated_queries(size: int, seed: int, count: int) -> list[dict]:
    """Queries over the generated corpus, with the pages that answer them (from the titles)."""
    sections = bb.section_count(size)
    metas = [bb.page_meta(seed, n, size, sections) for n in range(1, size + 1)]
    rng = random.Random(7)
    queries = []

    def titled(service: str, topic: str) -> list[str]:
        return [m.url for m in metas if m.title.startswith(f"{service} {topic} ")]

    picks = rng.sample(metas, count)
    for meta in picks:
        topic = meta.title[len(meta.service) + 1:].rsplit(" ", 1)[0]
        queries.append({"q": f"{meta.service} {topic}".lower(), "expected": titled(meta.service, topic)})
    stemmed = [m for m in metas if any(m.title.startswith(f"{m.service} {t} ") for t in VARIANTS)]
    for meta in rng.sample(stemmed, count // 2):
        topic = meta.title[len(meta.service) + 1:].rsplit(" ", 1)[0]
        queries.append({"q": f"{meta.service} {VARIANTS[topic]}".lower(), "expected": titled(meta.service, topic)})
    for meta in rng.sample(metas, count // 4):
        queries.append({"q": f"{meta.number:05d}", "expected": [meta.url]})
    return queries


def run_queries(out: Path, queries: list[dict], work: Path) -> dict[str, list[str]]:
    listing = work / "queries.json"
    listing.write_text(json.dumps([q["q"] for q in queries]))
    done = subprocess.run(["node", str(RUNNER), str(out), str(listing)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("the browser run failed (did you `npm ci` in tests/browser?):\n" + done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def score(queries: list[dict], found: dict[str, list[str]], show: bool) -> dict[str, float]:
    hit1 = hit3 = mrr = p5 = 0.0
    for query in queries:
        expected = set(query["expected"])
        results = found.get(query["q"], [])[:10]
        rank = next((i + 1 for i, url in enumerate(results) if url in expected), None)
        hit1 += rank == 1
        hit3 += rank is not None and rank <= 3
        mrr += 1 / rank if rank else 0
        p5 += sum(url in expected for url in results[:5]) / min(5, len(expected))
        if show:
            print(f"  {query['q']!r}: rank {rank or '-'} of {len(results)}: {results[:5]}")
    n = len(queries)
    return {"queries": n, "hit@1": hit1 / n, "hit@3": hit3 / n, "MRR": mrr / n, "P@5": p5 / n}


def build(awskb: Path, site: Path, out: Path) -> None:
    done = subprocess.run([str(awskb), "build", "-r", str(site), "-o", str(out)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"awskb build of {site} failed:\n{done.stderr[-3000:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Scores the site search on queries with expected pages.")
    parser.add_argument("--awskb", default=None, metavar="PATH",
                        help="awskb binary (default: $AWSKB, else target/release/awskb in the repo)")
    parser.add_argument("--size", type=int, default=1000, help="pages of the generated corpus (default %(default)s)")
    parser.add_argument("--count", type=int, default=16, help="title queries on the generated corpus (default %(default)s)")
    parser.add_argument("--seed", type=int, default=bb.DEFAULT_SEED, help="corpus seed (default %(default)s)")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="corpora in DIR/<size>/, shared with build_bench.py --keep")
    parser.add_argument("--show", action="store_true", help="print each query's first results")
    args = parser.parse_args(argv)
    awskb = bb.find_awskb(args.awskb)
    if not awskb.is_file():
        print(f"awskb binary not found at {awskb}; pass --awskb PATH.", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="awskb-search-quality-"))
    try:
        corpus = (args.keep.resolve() if args.keep else work / "corpora") / str(args.size)
        bb.generate_corpus(corpus, args.size, args.seed)
        site = work / "generated"
        site.mkdir()
        (site / "content").symlink_to(corpus / "content", target_is_directory=True)
        (site / "awskb.toml").write_text("search = true\n")
        sets = [
            ("demo", bb.REPO_ROOT, json.loads(QUERIES.read_text())["demo"]),
            (f"generated ({args.size:,} pages)", site, generated_queries(args.size, args.seed, args.count)),
        ]
        rows = []
        for name, root, queries in sets:
            out = work / f"out-{len(rows)}"
            build(awskb, root, out)
            print(f"{name}:")
            rows.append((name, score(queries, run_queries(out, queries, work), args.show)))
        print("\n| corpus | queries | hit@1 | hit@3 | MRR | P@5 |\n|---|---:|---:|---:|---:|---:|")
        for name, s in rows:
            print(f"| {name} | {s['queries']} | {s['hit@1']:.2f} | {s['hit@3']:.2f} | {s['MRR']:.2f} | {s['P@5']:.2f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
