#!/usr/bin/env bash
# Differential test of our ovsdb-client against Debian's: both clients run the same
# command lines against the same server, and their stdout, stderr and exit status must be
# identical (UUIDs numbered by first appearance, timestamps and temporary paths masked).
# Every command runs against a reference server ($REFERENCE_OVSDB_SERVER) and against the
# server under test ($OVSDB_SERVER), both populated by the same ovs-vsctl --no-wait script.
# Then `monitor` runs in the background in both clients while ovs-vsctl makes changes.
#
# Environment (see also lib.sh):
#   OVSDB_CLIENT_OURS       our client      (default .build/debug/ovsdb-client)
#   REFERENCE_OVSDB_CLIENT  Debian's client (default /usr/bin/ovsdb-client)
#   VERBOSE=1               show the diff of every failure in full
# Prints "N passed, M failed" last; exits non-zero if anything failed.

# shellcheck disable=SC2154  # make_tmpdir and ovsdb_start assign via printf -v
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$INTEGRATION_DIR/../.." && pwd)
OURS=${OVSDB_CLIENT_OURS:-$ROOT/.build/debug/ovsdb-client}
REF=${REFERENCE_OVSDB_CLIENT:-/usr/bin/ovsdb-client}
VSCTL=${VSCTL:-/usr/bin/ovs-vsctl}
if [ -z "${OVSDB_SERVER_SET:-}" ] && [ "$OVSDB_SERVER" = /usr/sbin/ovsdb-server ] && [ -x "$ROOT/.build/debug/ovsdb-server" ]; then
    OVSDB_SERVER=$ROOT/.build/debug/ovsdb-server
fi
[ -x "$OURS" ] || { echo "$OURS: not built" >&2; exit 1; }

make_tmpdir work
passed=0
failed=0
failures=()

# normalize DIR < IN > OUT: the masks applied before comparing.
normalize() {
    sed -E -e "s|$1|<dir>|g" -e "s#^$REF:#ovsdb-client:#" -e "s#^$OURS:#ovsdb-client:#" \
        -e 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z\|/<time>|/' \
        -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}/<timestamp>/g' \
        -e 's/"_date":[0-9]+/"_date":<date>/g' \
        -e 's/^(OVSDB JSON [0-9]+) [0-9a-f]{40}$/\1 <sha1>/' |
        normalize_uuids
}

# record LABEL: compares $work/{ref,ours}.{out,err,rc} and counts the result.
record() {
    local label=$1 f
    for f in ref ours; do
        {
            normalize "$dir" <"$work/$f.out"
            echo "--- stderr"
            normalize "$dir" <"$work/$f.err"
            echo "--- exit $(<"$work/$f.rc")"
        } >"$work/$f.all"
    done
    if cmp -s "$work/ref.all" "$work/ours.all"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures+=("$label")
        echo "FAIL: $label"
        if [ "${VERBOSE:-}" = 1 ]; then
            diff -u "$work/ref.all" "$work/ours.all"
        else
            diff -u "$work/ref.all" "$work/ours.all" | head -40
        fi
    fi
}

# both [<STDIN] ARG...: runs Debian's client and ours with ARG... ("@S@" stands for the
# server's socket) and compares them.
both() {
    local input=/dev/null args=() a f prog
    if [[ ${1:-} == '<'* ]]; then
        input=${1#<}
        shift
    fi
    for a in "$@"; do args+=("${a//@S@/unix:$dir/db.sock}"); done
    for f in ref ours; do
        if [ "$f" = ref ]; then prog=$REF; else prog=$OURS; fi
        (cd "$work" && OVS_RUNDIR=$dir timeout 20 "$prog" "${args[@]}" <"$input" >"$work/$f.out" 2>"$work/$f.err")
        echo $? >"$work/$f.rc"
    done
    record "[$server_label] ovsdb-client $*"
}

# vsctl ARG...: ovs-vsctl against the current server.
vsctl() {
    "$VSCTL" --no-wait --timeout=10 --db="unix:$dir/db.sock" "$@" >/dev/null || {
        echo "ovs-vsctl $* failed" >&2
        exit 1
    }
}

populate() {
    vsctl init
    vsctl add-br br0 -- set Bridge br0 other_config:hwaddr=\"00:11:22:33:44:55\" \
        'external_ids:note="a, b and \"c\""' 'external_ids:html="<b>&amp;</b>"' \
        external_ids:newline='"x\ny"' 'external_ids:ünïcode=välue' external_ids:empty='""' \
        protocols=OpenFlow10,OpenFlow13 stp_enable=true fail_mode=secure
    vsctl add-port br0 p1 -- set Interface p1 type=internal ofport_request=5 mtu_request=1500
    vsctl add-port br0 p2 tag=10 trunks=1,2,3 -- set Port p2 'other_config:priority-tags=true'
    vsctl add-port br0 p3 -- set Port p3 vlan_mode=trunk trunks=100,200 \
        -- set Interface p3 options:remote_ip=10.0.0.1 options:key=flow type=vxlan
    vsctl add-br br1 -- set Bridge br1 datapath_type=netdev
    vsctl add-bond br1 bond0 e1 e2 -- set Port bond0 bond_mode=balance-slb lacp=active
    vsctl add-br fake1 br1 20
    vsctl set Open_vSwitch . external_ids:system-id=host-1 other_config:stats-update-interval=5000
    vsctl -- --id=@q create Queue other_config:max-rate=1000 dscp=5 \
        -- --id=@qos create QoS type=linux-htb queues:0=@q other_config:max-rate=2000 \
        -- set Port p1 qos=@qos
    vsctl -- --id=@m create Mirror name=m1 select_all=true -- add Bridge br0 mirrors @m
    vsctl set-controller br0 tcp:127.0.0.1:6653 ptcp:6654
    vsctl set-manager ptcp:6640
    vsctl -- --id=@n create NetFlow targets=\"10.0.0.2:5566\" active_timeout=60 -- set Bridge br0 netflow=@n
    vsctl add-port br0 'p 4' -- set Interface 'p 4' 'external_ids:"quoted key"="x=1"' 
}

# run_commands: the command lines compared against the current server.
run_commands() {
    local fmt
    # Usage and option errors (no server needed).
    both --help
    both -h
    both --version
    both
    both nosuchcommand
    both --nosuchoption list-dbs @S@
    both -x list-dbs @S@
    both --format=xml list-dbs @S@
    both --data=xml list-dbs @S@
    both --timeout=0 list-dbs @S@
    both --timeout=abc list-dbs @S@
    both --format
    both list-dbs unix:"$dir"/nonexistent.sock
    both list-dbs
    both list-tables nosuch:thing
    both list-dbs @S@ extra

    # Databases and schemas.
    both list-dbs @S@
    both get-schema @S@
    both get-schema @S@ Open_vSwitch
    both get-schema @S@ _Server
    both --pretty get-schema @S@
    both get-schema @S@ nosuchdb
    both get-schema-version @S@
    both get-schema-version @S@ _Server
    both get-schema-cksum @S@
    both get-schema-cksum @S@ _Server
    both list-tables @S@
    both list-tables @S@ _Server
    both list-columns @S@
    both list-columns @S@ Open_vSwitch Bridge
    both list-columns @S@ _Server Database
    both list-columns @S@ Open_vSwitch NoSuchTable
    for fmt in table list csv json html; do
        both --format=$fmt list-tables @S@
        both --format=$fmt list-columns @S@ Open_vSwitch Interface
    done
    both -f csv --no-headings list-tables @S@
    both --bare list-columns @S@ Open_vSwitch Port

    # dump, every format and cell format.
    both dump @S@
    both dump @S@ Open_vSwitch
    both dump @S@ _Server
    for fmt in table list csv json html; do
        both --format=$fmt dump @S@
        both --format=$fmt --no-headings dump @S@ Open_vSwitch Bridge
        both --format=$fmt --data=bare dump @S@ Open_vSwitch Port
        both --format=$fmt --data=json dump @S@ Open_vSwitch Interface
    done
    both --pretty --format=json dump @S@ Open_vSwitch Bridge
    both --bare dump @S@ Open_vSwitch Bridge
    both --bare --format=table dump @S@ Open_vSwitch Port
    both --timestamp dump @S@ Open_vSwitch Mirror
    both -f csv -d string dump @S@ Open_vSwitch Bridge
    both --max-column-width=10 dump @S@ Open_vSwitch Bridge
    both dump @S@ Open_vSwitch Port
    both dump @S@ Open_vSwitch Port name tag trunks
    both dump @S@ Open_vSwitch Port _uuid name
    both dump @S@ Open_vSwitch Port _version name
    both dump @S@ Open_vSwitch Interface name type options ofport_request
    both dump @S@ Open_vSwitch NoSuchTable
    both dump @S@ Open_vSwitch Port nosuchcolumn
    both dump @S@ Bridge
    both dump Open_vSwitch

    # transact and query.
    both transact @S@ '["Open_vSwitch",{"op":"select","table":"Bridge","where":[],"columns":["name","ports"]}]'
    both --pretty transact @S@ '["Open_vSwitch",{"op":"select","table":"Port","where":[["name","==","p2"]]}]'
    both transact @S@ '["Open_vSwitch",{"op":"select","table":"Nope","where":[]}]'
    both transact @S@ '["Open_vSwitch",{"op":"comment","comment":"hello"}]'
    both transact @S@ '["Open_vSwitch",{"op":"insert","table":"Bridge","row":{"name":"x"}}]'
    both transact @S@ '["Open_vSwitch",{"op":"mutate","table":"Open_vSwitch","where":[],"mutations":[["next_cfg","+=",1]]}]'
    both transact @S@ '["NoSuchDB",{"op":"comment","comment":"x"}]'
    both transact @S@ '["Open_vSwitch"'
    both transact @S@ '"Open_vSwitch"'
    both transact @S@ ' 12 '
    both transact @S@ 'null'
    both transact @S@ '{}'
    both transact @S@ '[]'
    both transact @S@ '[1]'
    both transact '["Open_vSwitch"]'
    both query @S@ '["Open_vSwitch",{"op":"select","table":"Mirror","where":[],"columns":["name","select_all"]}]'
    both query @S@ '["Open_vSwitch",{"op":"insert","table":"Bridge","row":{"name":"q"}},{"op":"select","table":"Bridge","where":[["name","==","q"]],"columns":["name"]}]'
    both query @S@ '["Open_vSwitch",{"op":"select","table":"Nope","where":[]}]'
    both query @S@ '[]'
    both query @S@ '{}'

    # Monitors that fail before printing anything.
    both monitor @S@ Open_vSwitch NoSuchTable
    both monitor @S@ Open_vSwitch Bridge nosuchcolumn
    both monitor @S@ Open_vSwitch Bridge name,name
    both monitor-cond @S@ Open_vSwitch '[["name","==","br0"]]' NoSuchTable
    both monitor-cond @S@ Open_vSwitch '[["nosuch","==","br0"]]' Bridge
    both monitor-cond @S@ Open_vSwitch '[["name","==",1]]' Bridge
    both monitor-cond @S@ Open_vSwitch '[[' Bridge
    both monitor-cond @S@ Open_vSwitch '[]' ALL
    both monitor @S@

    # wait against a database that is there (and one that is not, for "removed").
    both wait @S@ Open_vSwitch added
    both wait @S@ Open_vSwitch connected
    both wait @S@ NoSuchDB removed
    both wait @S@ Open_vSwitch nosuchstate
    both wait Open_vSwitch

    # Locks: --timeout ends the program while it holds the lock.
    both --timeout=1 lock @S@ lock1
    both --timeout=1 unlock @S@ lock1
    both --timeout=1 steal @S@ lock1
    both lock @S@
    both lock @S@ a b

    # backup (compared after masking the date and the second record's checksum) and restore.
    both backup @S@ Open_vSwitch
    "$REF" backup "unix:$dir/db.sock" >"$work/backup.db"
    both '<'"$work/backup.db" restore @S@
    both '<'"$work/backup.db" restore @S@ _Server
    both '<'/dev/null restore @S@
    echo garbage >"$work/garbage"
    both '<'"$work/garbage" restore @S@
    "$REF" backup "unix:$dir/db.sock" _Server >"$work/server-backup.db"
    both '<'"$work/server-backup.db" restore @S@
    both '<'"$work/server-backup.db" --force restore @S@
    both dump @S@
    # Our backup must restore, and read back, as Debian's does.
    "$OURS" backup "unix:$dir/db.sock" >"$work/our-backup.db"
    both '<'"$work/our-backup.db" restore @S@
    both dump @S@
    both needs-conversion @S@ "$VSWITCH_SCHEMA"
}

# monitor_test ARG...: both clients monitor with ARG... ("@S@" is the socket) while
# ovs-vsctl makes changes; they are stopped by pid and their outputs compared.
monitor_test() {
    local args=() a f pids=() prog i
    for a in "$@"; do args+=("${a//@S@/unix:$dir/db.sock}"); done
    for f in ref ours; do
        if [ "$f" = ref ]; then prog=$REF; else prog=$OURS; fi
        "$prog" "${args[@]}" >"$work/$f.out" 2>"$work/$f.err" &
        pids+=($!)
    done
    # Both have printed their initial contents (or failed) before anything changes.
    for ((i = 0; i < 100; i++)); do
        [ -s "$work/ref.out" ] && [ -s "$work/ours.out" ] && break
        sleep 0.1
    done
    sleep 0.3
    vsctl add-br mon$monitor_round -- set Bridge mon$monitor_round external_ids:k=v
    sleep 0.3
    vsctl set Bridge mon$monitor_round external_ids:k=w other_config:a=b stp_enable=true
    sleep 0.3
    vsctl add-port mon$monitor_round mp$monitor_round -- set Interface mp$monitor_round type=internal
    sleep 0.3
    vsctl del-br mon$monitor_round
    sleep 0.5
    for i in 0 1; do
        kill "${pids[$i]}" 2>/dev/null
        wait "${pids[$i]}"
        echo $? >"$work/$([ $i = 0 ] && echo ref || echo ours).rc"
    done
    record "[$server_label] monitor: ovsdb-client $*"
    # Identical silence would pass the comparison: the new rows must have been reported.
    if ! grep -q "mon$monitor_round\|mp$monitor_round" "$work/ref.out"; then
        failed=$((failed + 1))
        failures+=("[$server_label] monitor $* saw no changes")
        echo "FAIL: [$server_label] monitor: ovsdb-client $* saw no changes"
    fi
    monitor_round=$((monitor_round + 1))
}

run_monitors() {
    local fmt
    monitor_test --format=json monitor @S@ Open_vSwitch Bridge
    monitor_test monitor @S@ Open_vSwitch Bridge
    monitor_test monitor @S@ Open_vSwitch Bridge name,external_ids,other_config
    monitor_test --format=json monitor @S@ Open_vSwitch ALL
    monitor_test monitor @S@ Open_vSwitch ALL
    monitor_test monitor @S@ Open_vSwitch Bridge name,!initial
    monitor_test monitor @S@ Open_vSwitch Bridge name,!insert,!delete external_ids
    monitor_test monitor @S@ Open_vSwitch Interface name,type,!modify
    monitor_test --timestamp monitor @S@ Open_vSwitch Bridge name
    # (--format=json with --timestamp crashes Debian's 3.1 client, so it is not compared.)
    for fmt in list csv html; do
        monitor_test --format=$fmt monitor @S@ Open_vSwitch Bridge name,external_ids
    done
    monitor_test --format=json monitor-cond @S@ Open_vSwitch '[["name","!=","br0"]]' Bridge
    monitor_test monitor-cond @S@ Open_vSwitch '[["name","!=","br0"]]' Bridge name,external_ids,stp_enable
    monitor_test monitor-cond @S@ Open_vSwitch '[true]' Port
    monitor_test --format=json monitor-cond @S@ Open_vSwitch '[["type","==","internal"]]' Interface name,type,!initial
    monitor_test monitor-cond-since @S@ Open_vSwitch '[true]' Bridge name
}

# Lock contention: Debian's client holds a lock while both clients try to take it (each
# waits and is told nothing), steal it, and release one it does not hold.
run_locks() {
    local holder
    "$REF" lock "unix:$dir/db.sock" held >"$work/holder.out" 2>&1 &
    holder=$!
    sleep 0.5
    both --timeout=1 lock @S@ held
    both --timeout=1 unlock @S@ held
    both --timeout=1 steal @S@ held
    kill "$holder"
    wait "$holder" 2>/dev/null
}

# wait_test STATE ACTION...: both clients wait for database Tiny to reach STATE while
# ACTION (an ovs-appctl command) adds or removes it.
wait_test() {
    local state=$1 f prog pids=() i
    shift
    for f in ref ours; do
        if [ "$f" = ref ]; then prog=$REF; else prog=$OURS; fi
        timeout 10 "$prog" wait "unix:$dir/db.sock" Tiny "$state" >"$work/$f.out" 2>"$work/$f.err" &
        pids+=($!)
    done
    sleep 1
    "$@" >/dev/null || echo "$* failed" >&2
    for i in 0 1; do
        wait "${pids[$i]}"
        echo $? >"$work/$([ $i = 0 ] && echo ref || echo ours).rc"
    done
    record "[$server_label] wait: ovsdb-client wait Tiny $state across $*"
    # Identical hangs would pass the comparison: the wait must also have ended well.
    if [ "$(<"$work/ref.rc")" != 0 ]; then
        failed=$((failed + 1))
        failures+=("[$server_label] wait Tiny $state did not end (exit $(<"$work/ref.rc"))")
        echo "FAIL: [$server_label] wait Tiny $state across $* did not end (exit $(<"$work/ref.rc"))"
    fi
}

run_waits() {
    local appctl=(ovs-appctl --timeout=10 -t "$dir/ctl")
    echo '{"name": "Tiny", "version": "1.0.0", "tables": {"T": {"columns": {"x": {"type": "integer"}}}}}' \
        >"$dir/tiny.ovsschema"
    "$REFERENCE_OVSDB_TOOL" create "$dir/tiny.db" "$dir/tiny.ovsschema"
    wait_test added "${appctl[@]}" ovsdb-server/add-db "$dir/tiny.db"
    both wait @S@ Tiny connected
    wait_test removed "${appctl[@]}" ovsdb-server/remove-db Tiny
    wait_test added "${appctl[@]}" ovsdb-server/add-db "$dir/tiny.db"
}

# A passive remote: each client listens and the server connects to it (add-remote).
run_passive() {
    local f prog pid appctl=(ovs-appctl --timeout=10 -t "$dir/ctl")
    for f in ref ours; do
        if [ "$f" = ref ]; then prog=$REF; else prog=$OURS; fi
        timeout 10 "$prog" list-dbs "punix:$dir/passive.sock" >"$work/$f.out" 2>"$work/$f.err" &
        pid=$!
        sleep 0.5
        "${appctl[@]}" ovsdb-server/add-remote "unix:$dir/passive.sock" >/dev/null
        wait "$pid"
        echo $? >"$work/$f.rc"
        "${appctl[@]}" ovsdb-server/remove-remote "unix:$dir/passive.sock" >/dev/null
    done
    record "[$server_label] ovsdb-client list-dbs punix:<dir>/passive.sock"
}

monitor_round=0
for server_label in reference ours; do
    if [ $server_label = reference ]; then
        ovsdb_start srv "$REFERENCE_OVSDB_SERVER" "$REFERENCE_OVSDB_TOOL"
    else
        ovsdb_start srv "$OVSDB_SERVER" "$OVSDB_TOOL"
    fi
    dir=$srv
    populate
    run_commands
    run_monitors
    run_locks
    run_waits
    run_passive
done

[ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
