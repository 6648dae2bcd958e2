# Counts checks for a shell test and prints the closing line CI reads.
# Source it, call `result STATUS DESCRIPTION` per check (STATUS 0 is a pass), end with
# `summary`, which prints "N passed, M failed" and returns non-zero if anything failed.
passed=0
failed=0

result() {
    if [ "$1" = 0 ]; then
        passed=$((passed + 1))
        echo "PASS: $2"
    else
        failed=$((failed + 1))
        echo "FAIL: $2"
    fi
}

summary() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
