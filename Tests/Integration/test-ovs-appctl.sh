#!/usr/bin/env bash
# Debian's ovs-appctl against the control socket of the server under test
# ($OVSDB_SERVER) and of the reference server ($REFERENCE_OVSDB_SERVER).
# Deterministic replies must be identical on both ("same" steps); for the
# rest both must pass the same shape check ("expect" steps), which proves
# the check against the reference.  See lib.sh for the environment.

# shellcheck disable=SC2154  # make_tmpdir and ovsdb_start assign via printf -v
. "$(dirname "$0")/lib.sh"

APPCTL=${APPCTL:-/usr/bin/ovs-appctl}
VSCTL=${VSCTL:-/usr/bin/ovs-vsctl}

make_tmpdir work
ovsdb_start reference "$REFERENCE_OVSDB_SERVER" "$REFERENCE_OVSDB_TOOL"
ovsdb_start tested "$OVSDB_SERVER" "$OVSDB_TOOL"
labels=(reference tested)
. "$(dirname "${BASH_SOURCE[0]}")/tally.sh"

# appctl LABEL ARG...: run "ovs-appctl ARG..." against LABEL's server; write
# its stdout, stderr and exit status, with the directory normalised, to
# $work/LABEL.out.
appctl() {
    local label=$1 dir=${!1}
    shift
    {
        "$APPCTL" --timeout=10 -t "$dir/ctl" "$@" 2>&1
        echo "--- exit $?"
    } | sed "s|$dir|<dir>|g" >"$work/$label.out"
}

# same ARG...: "ovs-appctl ARG..." must answer identically on both servers.
same() {
    local label
    for label in "${labels[@]}"; do
        appctl "$label" "$@"
    done
    diff -u --label reference --label tested "$work/reference.out" "$work/tested.out"
    result $? "same: $*"
}

# expect CHECK ARG...: run "ovs-appctl ARG..." on both servers; the shell
# function CHECK LABEL FILE must succeed for each.
expect() {
    local check=$1 label status=0
    shift
    for label in "${labels[@]}"; do
        appctl "$label" "$@"
        if ! "$check" "$label" "$work/$label.out"; then
            echo "$label server's reply to '$*':"
            cat "$work/$label.out"
            status=1
        fi
    done
    result $status "expect $check: $*"
}

# Shape checks: CHECK LABEL FILE.

succeeded_nonempty() {
    [ "$(tail -n 1 "$2")" = "--- exit 0" ] && [ "$(wc -l <"$2")" -gt 1 ]
}

# The commands that OVS's scripts and this test rely on are listed.
lists_needed_commands() {
    local command
    [ "$(head -n 1 "$2")" = "The available commands are:" ] || return 1
    for command in exit version list-commands memory/show vlog/list vlog/set \
        vlog/reopen ovsdb-server/add-remote ovsdb-server/remove-remote \
        ovsdb-server/list-remotes ovsdb-server/list-dbs ovsdb-server/compact; do
        grep -q "^  $command\( \|$\)" "$2" || { echo "missing $command"; return 1; }
    done
}

# ovs-lib's stop_daemon only uses "exit" if the last word of the first line
# is a version >= 2.5.90.
reports_version() {
    local version
    version=$(awk 'NR == 1 { print $NF }' "$2")
    [[ $version =~ ^[0-9]+(\.[0-9]+)+$ ]] &&
        [ "$(printf '2.5.90\n%s\n' "$version" | sort -V | head -n 1)" = 2.5.90 ]
}

# A vlog/list table in which every module logs to the file at level $1.
vlog_file_level() {
    awk -v level="$1" '
        NR == 1 { ok = ($1 == "console" && $2 == "syslog" && $3 == "file") }
        NR > 2 && !/^--- exit/ { n++; if ($4 != level) ok = 0 }
        END { exit !(ok && n > 0) }' "$2"
}
logs_debug_to_file() { vlog_file_level DBG "$2"; }
logs_info_to_file() { vlog_file_level INFO "$2"; }

# The "ptcp:0:127.0.0.1" remote listens on some port that serves the databases.
serves_tcp() {
    local pid_var=${1}_PID address
    address=$(ss -Hltnp | grep "pid=${!pid_var}," | awk '$4 ~ /^127\.0\.0\.1:/ { print $4 }')
    [ -n "$address" ] || { echo "no TCP listener"; return 1; }
    [ "$(ovsdb-client --timeout=10 list-dbs "tcp:$address" | tr '\n' ' ')" = "Open_vSwitch _Server " ]
}

# After compaction the file holds just the schema and one snapshot record,
# readable by the reference ovsdb-tool, and the data is still served.
compacted() {
    local dir=${!1}
    [ "$(tail -n 1 "$2")" = "--- exit 0" ] &&
        [ "$("$REFERENCE_OVSDB_TOOL" show-log "$dir/db" | grep -c '^record ')" = 2 ] &&
        [ "$("$VSCTL" --no-wait --timeout=10 --db="unix:$dir/db.sock" list-br)" = br0 ]
}

# "exit" makes the server terminate with status 0 and remove its pidfile and
# sockets.
exited() {
    local dir=${!1} pid_var=${1}_PID i
    for ((i = 0; i < 50; i++)); do
        kill -0 "${!pid_var}" 2>/dev/null || break
        sleep 0.1
    done
    wait "${!pid_var}" || { echo "still running or exit status $?"; return 1; }
    [ ! -e "$dir/pid" ] && [ ! -e "$dir/db.sock" ] && [ ! -e "$dir/ctl" ]
}

same ovsdb-server/list-dbs
expect lists_needed_commands list-commands
expect reports_version version
expect succeeded_nonempty memory/show
same nosuchcommand

same ovsdb-server/list-remotes
same ovsdb-server/add-remote ptcp:0:127.0.0.1
same ovsdb-server/list-remotes
expect serves_tcp ovsdb-server/list-remotes
same ovsdb-server/remove-remote ptcp:0:127.0.0.1
same ovsdb-server/list-remotes
same ovsdb-server/remove-remote ptcp:0:127.0.0.1
# ovs-ctl's add_managers.
same ovsdb-server/add-remote db:Open_vSwitch,Open_vSwitch,manager_options
same ovsdb-server/list-remotes
same ovsdb-server/remove-remote db:Open_vSwitch,Open_vSwitch,manager_options
same ovsdb-server/list-remotes

expect logs_info_to_file vlog/list
same vlog/set file:dbg
expect logs_debug_to_file vlog/list
same vlog/set file:info
expect logs_info_to_file vlog/list
same vlog/set nosuchmodule:dbg
# logrotate's postrotate.
same vlog/reopen

for label in "${labels[@]}"; do
    dir=${!label}
    "$VSCTL" --no-wait --timeout=10 --db="unix:$dir/db.sock" \
        init -- add-br br0 -- add-br br1 -- del-br br1 >/dev/null
    "$VSCTL" --no-wait --timeout=10 --db="unix:$dir/db.sock" add-port br0 eth0 >/dev/null
done
expect compacted ovsdb-server/compact

expect exited exit

summary
