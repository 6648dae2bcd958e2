#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/) with -sanitize=fuzzer,address and runs each for
# FUZZ_SECONDS (default 60) on its corpus in Fuzz/Corpus/, which grows as new inputs are found.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-60}
cd "$top/Fuzz"
swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
bin=$(swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --show-bin-path)
cd "$top"
for target in ${FUZZ_TARGETS:-FuzzJSON FuzzJSONRPC FuzzDatumText FuzzTransaction}; do
    echo "=== $target for ${seconds}s"
    "$bin/$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 "Fuzz/Corpus/$target"
done
