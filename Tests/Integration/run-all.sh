#!/usr/bin/env bash
# Runs every integration test against our built binaries (BIN, default .build/debug) and
# prints one closing line: "N passed, M failed" counting test scripts.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-$PWD/.build/debug}
export OVSDB_SERVER=$BIN/ovsdb-server
export OVSDB_TOOL_OURS=$BIN/ovsdb-tool
export OVSDB_CLIENT_OURS=$BIN/ovsdb-client
passed=0; failed=0; failures=()
run() {
    local name=$1; shift
    echo "=== $name"
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}
for t in Tests/Integration/test-*.sh; do
    run "$(basename "$t")" timeout 900 bash "$t"
done
for t in Tests/Integration/test_*.py; do
    run "$(basename "$t")" timeout 900 python3 -m pytest -q -p no:cacheprovider -p no:benchmark "$t"
done
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "integration: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
