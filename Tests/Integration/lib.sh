# Shared helpers for the client-compatibility tests (source it from bash).
#
# Each test starts private ovsdb-server instances, one per temporary
# directory, and compares what Debian's client tools see against them.
#
# Environment:
#   OVSDB_SERVER            server under test     (default /usr/sbin/ovsdb-server)
#   OVSDB_TOOL              its ovsdb-tool        (default /usr/bin/ovsdb-tool)
#   REFERENCE_OVSDB_SERVER  reference server      (default /usr/sbin/ovsdb-server)
#   REFERENCE_OVSDB_TOOL    its ovsdb-tool        (default /usr/bin/ovsdb-tool)
#   VSWITCH_SCHEMA          schema for the db     (default Debian's vswitch.ovsschema)
#   OVSDB_SERVER_ARGS       extra server options, e.g. -vjsonrpc:file:dbg
#   OVSDB_KEEP_TMP=1        keep the temporary directories (logs) after the run

OVSDB_SERVER=${OVSDB_SERVER:-/usr/sbin/ovsdb-server}
OVSDB_TOOL=${OVSDB_TOOL:-/usr/bin/ovsdb-tool}
REFERENCE_OVSDB_SERVER=${REFERENCE_OVSDB_SERVER:-/usr/sbin/ovsdb-server}
REFERENCE_OVSDB_TOOL=${REFERENCE_OVSDB_TOOL:-/usr/bin/ovsdb-tool}
VSWITCH_SCHEMA=${VSWITCH_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}

INTEGRATION_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

_ovsdb_pids=()
_ovsdb_dirs=()

ovsdb_cleanup() {
    local pid dir running
    # Only servers not yet reaped (e.g. by a test of "exit"): a reaped pid
    # may already belong to someone else.
    running=" $(jobs -p | tr '\n' ' ') "
    for pid in "${_ovsdb_pids[@]}"; do
        if [[ $running == *" $pid "* ]]; then
            kill "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
        fi
    done
    for dir in "${_ovsdb_dirs[@]}"; do
        if [ "${OVSDB_KEEP_TMP:-}" = 1 ]; then
            echo "kept $dir" >&2
        else
            rm -rf "$dir"
        fi
    done
}
trap ovsdb_cleanup EXIT
trap 'exit 130' INT TERM HUP

# make_tmpdir VAR: create a fresh directory that is removed at exit.
make_tmpdir() {
    local _new
    _new=$(mktemp -d "${TMPDIR:-/tmp}/ovs-integration.XXXXXX") || exit 1
    _ovsdb_dirs+=("$_new")
    printf -v "$1" %s "$_new"
}

# ovsdb_start VAR SERVER TOOL
#
# Creates a vswitch database with TOOL in a fresh temporary directory, starts
# SERVER on it in the background and waits for its database and control
# sockets.  Sets VAR to the directory, which holds db.sock, ctl, pid and log;
# the server's pid is also in VAR_PID.  Exits the script if the server does
# not come up.  Must run in the main shell (not in $(...)) so that the exit
# trap knows the pid.
ovsdb_start() {
    local _var=$1 _server=$2 _tool=$3 _dir _pid _i
    make_tmpdir _dir
    "$_tool" create "$_dir/db" "$VSWITCH_SCHEMA" || exit 1
    # shellcheck disable=SC2086  # OVSDB_SERVER_ARGS is a list of options
    "$_server" --remote="punix:$_dir/db.sock" --unixctl="$_dir/ctl" \
        --pidfile="$_dir/pid" --log-file="$_dir/log" ${OVSDB_SERVER_ARGS:-} \
        "$_dir/db" >"$_dir/stdout" 2>"$_dir/stderr" &
    _pid=$!
    _ovsdb_pids+=("$_pid")
    for ((_i = 0; _i < 100; _i++)); do
        if [ -S "$_dir/db.sock" ] && [ -S "$_dir/ctl" ]; then
            printf -v "$_var" %s "$_dir"
            printf -v "${_var}_PID" %s "$_pid"
            return 0
        fi
        kill -0 "$_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "$_server did not come up in $_dir" >&2
    cat "$_dir/stderr" "$_dir/log" >&2 2>/dev/null
    exit 1
}

# normalize_uuids < IN > OUT: replace each UUID by <uuidN>, numbered in order
# of first appearance.
normalize_uuids() {
    perl -pe 's/\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/$seen{$1} \/\/= "<uuid" . ++$n . ">"/ge'
}

# canonical_dump SOCKET: the whole database, rows named by table and position
# instead of UUID (see canonical_dump.py).
canonical_dump() {
    ovsdb-client --format=json dump "unix:$1" | python3 "$INTEGRATION_DIR/canonical_dump.py"
}
