#!/usr/bin/env python3
"""Times `awskb check` on pages that stress what existing notes bring: one heading repeated
20,000 times (the unique-id search once restarted from 1 for each), 10,000 Hugo shortcodes and
Liquid tags, 10,000 Obsidian wikilinks, and 10,000 bare URLs and emoji codes. Each kind is one
page in its own site; the figure is the wall-clock time of the whole check. Uses only the Python
standard library.

    cargo build --release
    python3 bench/notes_bench.py                  # target/release/awskb, 3 runs each
    python3 bench/notes_bench.py --awskb PATH --runs 5 --scale 2
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def pages(scale):
    n = 10_000 * scale
    return {
        "repeated heading": "".join("## Same heading\n\ntext\n\n" for _ in range(2 * n)),
        "shortcodes and Liquid": "".join(
            f'{{{{% notice info %}}}}\nNote {i} of {{{{< param "service" >}}}}.\n{{{{% /notice %}}}}\n\n'
            f"{{{{< unknown-{i % 7} >}}}} {{{{ site.title }}}}\n\n"
            for i in range(n // 2)
        ),
        "wikilinks": "".join(f"- [[Note {i % 100}]] and [[Note {i % 100}#Part]]\n" for i in range(n // 2)),
        "bare URLs and emoji": "".join(
            f"See https://example.com/{i} :rocket: and www.example.org :white_check_mark:\n\n"
            for i in range(n)
        ),
    }


def site(root, body):
    content = root / "content"
    content.mkdir(parents=True)
    (content / "page.md").write_text("---\ntitle: Stress\nservice: Lambda\n---\n\n" + body)
    for i in range(100):
        (content / f"Note {i}.md").write_text(f"# Note {i}\n\n## Part\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--awskb", default=os.environ.get("AWSKB", "target/release/awskb"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=int, default=1, help="multiply the sizes")
    args = parser.parse_args()
    if not Path(args.awskb).is_file():
        raise SystemExit(f"no awskb binary at {args.awskb}: run `cargo build --release` first")
    print(f"{'page':<24}{'size':>10}{'median':>10}{'min':>10}")
    for name, body in pages(args.scale).items():
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            site(root, body)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                subprocess.run(
                    [args.awskb, "check", "-r", str(root), "--format", "json"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                times.append(time.perf_counter() - start)
        size = f"{len(body) // 1024} KB"
        print(f"{name:<24}{size:>10}{statistics.median(times):>9.2f}s{min(times):>9.2f}s")


if __name__ == "__main__":
    main()
