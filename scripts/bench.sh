#!/usr/bin/env bash
# Builds release binaries and the benchmark harnesses, then measures ours against Debian's
# Open vSwitch in the same run and records the ratios in BENCHMARKS.md.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
swift build -c release --static-swift-stdlib
swift build -c release --package-path Benchmarks
bench_bin=$(swift build -c release --package-path Benchmarks --show-bin-path)
python3 Benchmarks/ovsdb_bench.py "$top/.build/release" "$bench_bin/ovsdb-load" "$bench_bin/json-bench"
python3 Benchmarks/vsctl_bench.py "$top/.build/release"
