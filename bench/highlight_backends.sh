#!/usr/bin/env bash
# Compares syntect's two regex back-ends (Oniguruma, the default, and the pure-Rust fancy-regex)
# by building awskb with each and timing the same synthetic corpus with bench/build_bench.py.
# Usage: bench/highlight_backends.sh [SIZE] [RUNS]   (defaults: 1000 pages, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-1000}"
runs="${2:-5}"
target="${CARGO_TARGET_DIR:-target}"
corpus="${BENCH_CORPUS:-/tmp/awskb-bench}"

cargo build --release --quiet --target-dir "$target/bench-onig"
cargo build --release --quiet --no-default-features --features highlight-fancy --target-dir "$target/bench-fancy"
for backend in onig fancy; do
  echo "== $backend"
  python3 bench/build_bench.py --no-hugo --sizes "$size" --runs "$runs" --keep "$corpus" \
    --awskb "$target/bench-$backend/release/awskb" | tail -n 3
done
