#!/usr/bin/env python3
"""Live-reload latency of `awskb serve`: from saving a page to the reload event.

Generates the build benchmark's synthetic corpus (see build_bench.py), starts `awskb serve` on it,
listens to the Server-Sent Events stream like an open page does, then saves one page again and
again with a new sentence in its body and times each save until the `reload` event naming that
page arrives. Prints each time, the median and the spread. Standard library only (Python 3.11+).

    cargo build --release
    python3 bench/serve_bench.py                      # 1,000 and 10,000 pages, 20 saves each
    python3 bench/serve_bench.py --sizes 1000 --edits 50 --keep /tmp/kb
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from queue import Empty, Queue

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_bench  # noqa: E402  (the corpus generator, shared with the build benchmark)


def start_server(awskb: Path, corpus: Path) -> tuple[subprocess.Popen, str, float]:
    """Starts the server on a free port; returns it, its URL and the seconds to the first build."""
    started = time.perf_counter()
    server = subprocess.Popen([str(awskb), "serve", "-r", str(corpus), "-p", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline() if server.stdout else ""
    if "http://" not in line:
        server.kill()
        raise SystemExit(f"awskb serve did not start: {line!r}")
    return server, line.split(" at ", 1)[1].split()[0], time.perf_counter() - started


def listen(url: str, events: Queue) -> socket.socket:
    """Opens the event stream (HTTP/1.0, so the body is plain) and queues (time, event, data)."""
    host, port = url.split("//", 1)[1].rstrip("/").split(":")
    sock = socket.create_connection((host, int(port)))
    sock.sendall(b"GET /__awskb/events HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n")

    def read() -> None:
        stream = sock.makefile("r", encoding="utf-8", newline="\n")
        event = None
        for line in stream:
            line = line.rstrip("\r\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event:
                events.put((time.perf_counter(), event, line[5:].strip()))
                event = None

    threading.Thread(target=read, daemon=True).start()
    return sock


def wait_for(events: Queue, file: str, timeout: float) -> float | None:
    """The arrival time of the next `reload` naming `file`."""
    deadline = time.perf_counter() + timeout
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            return None
        try:
            at, event, data = events.get(timeout=left)
        except Empty:
            return None
        if event == "reload" and file in json.loads(data).get("files", []):
            return at


def bench(awskb: Path, corpus: Path, edits: int) -> list[float]:
    server, url, first = start_server(awskb, corpus)
    print(f"  first build and start: {first:.2f} s")
    events: Queue = Queue()
    sock = listen(url, events)
    try:
        time.sleep(0.5)
        page = sorted((corpus / "content").glob("s01/page-*.md"))[0]
        output = f"s01/{page.stem}/index.html"
        original = page.read_text(encoding="utf-8")
        times = []
        for edit in range(edits):
            while not events.empty():
                events.get_nowait()
            text = original + f"\nEdit number {edit} of the latency benchmark.\n"
            saved = time.perf_counter()
            page.write_text(text, encoding="utf-8")
            arrived = wait_for(events, output, timeout=30)
            if arrived is None:
                print(f"  edit {edit + 1}: no reload event within 30 s")
                continue
            times.append((arrived - saved) * 1000)
            print(f"  edit {edit + 1:2}: {times[-1]:6.1f} ms")
            time.sleep(0.2)
        page.write_text(original, encoding="utf-8")
        return times
    finally:
        sock.close()
        server.terminate()
        server.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=build_bench.parse_sizes, default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=20, help="saves per size (default 20)")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="generate corpora into DIR/<size>/ and reuse them")
    parser.add_argument("--awskb", default=None, metavar="PATH",
                        help="awskb binary (default: $AWSKB, else target/release/awskb)")
    args = parser.parse_args()
    awskb = build_bench.find_awskb(args.awskb)
    if not awskb.is_file():
        print(f"no awskb binary at {awskb}; run `cargo build --release` first", file=sys.stderr)
        return 2
    corpora = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="awskb-serve-bench-"))
    print(f"machine: {os.cpu_count()} CPUs; awskb: {awskb}")
    rows = []
    for size in args.sizes:
        print(f"\n== {size:,} pages ==")
        corpus = corpora / str(size)
        build_bench.generate_corpus(corpus, size, build_bench.DEFAULT_SEED)
        times = bench(awskb, corpus, args.edits)
        if not times:
            return 1
        median = statistics.median(times)
        print(f"  median {median:.1f} ms, min {min(times):.1f}, max {max(times):.1f} "
              f"({len(times)} saves)")
        rows.append((size, median, min(times), max(times)))
    print("\n| pages | median ms | min ms | max ms |\n|---:|---:|---:|---:|")
    for size, median, low, high in rows:
        print(f"| {size:,} | {median:.1f} | {low:.1f} | {high:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
