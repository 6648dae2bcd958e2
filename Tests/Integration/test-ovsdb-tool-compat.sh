#!/usr/bin/env bash
# File compatibility of our ovsdb-tool with Debian's, both ways.
#
#   - A database Debian's tool created and wrote transactions to reads the same in ours:
#     show-log (every verbosity), query, db-name/version/cksum, needs-conversion; compacting
#     it with either tool gives the same contents.
#   - A database ours created, wrote to and compacted opens in Debian's: show-log, query,
#     db-cksum and compact succeed and agree with ours; Debian can write to it afterwards.
#   - A torn tail (the file cut mid-record) or a corrupt byte in the last record: both tools
#     show the records before it the same way and then fail the same way (Open vSwitch's
#     ovsdb-tool reports the damage rather than repairing it; only ovsdb-server drops a bad
#     tail), and neither changes the file.
#   - convert to a changed schema gives the same contents with both tools.
#   - Errors (missing file, bad schema, unknown table, bad arguments) match.
#
# Environment:
#   OVSDB_TOOL_OURS     our ovsdb-tool     (default .build/debug/ovsdb-tool, from the
#                                          repository root)
#   OVSDB_TOOL_DEBIAN   Debian's           (default /usr/bin/ovsdb-tool)
#   VSWITCH_SCHEMA      schema to use      (default Debian's vswitch.ovsschema)
#
# Prints "PASS: ..." or "FAIL: ..." (with a diff) per check, then "N passed, M failed".

set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
ours=${OVSDB_TOOL_OURS:-.build/debug/ovsdb-tool}
case $ours in /*) ;; *) ours=$root/$ours ;; esac
debian=${OVSDB_TOOL_DEBIAN:-/usr/bin/ovsdb-tool}
schema=${VSWITCH_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}

for tool in "$ours" "$debian"; do
    [ -x "$tool" ] || { echo "$tool: not found"; echo "0 passed, 1 failed"; exit 1; }
done

. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/tally.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/ovsdb-tool-compat.XXXXXX") || exit 1
trap '[ "${OVSDB_KEEP_TMP:-}" = 1 ] && echo "kept $work" || rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
cd "$work" || exit 1

# run TOOL ARG...: run TOOL, writing stdout, then stderr, then the exit status to stdout,
# with the tool's own path shown as "ovsdb-tool".
run() {
    local tool=$1 status
    shift
    "$tool" "$@" >out.tmp 2>err.tmp
    status=$?
    cat out.tmp
    echo "--- stderr"
    sed "s|^$tool: |ovsdb-tool: |" err.tmp
    echo "--- exit $status"
}

# same DESC ARG...: both tools, run with the same arguments, must print the same bytes and
# exit the same way.
same() {
    local desc=$1
    shift
    run "$debian" "$@" >debian.out
    run "$ours" "$@" >ours.out
    diff -u --label debian --label ours debian.out ours.out
    result $? "same: $desc"
}

# same_status DESC ARG...: both tools must fail (or succeed) with the same exit status.
same_status() {
    local desc=$1 a b
    shift
    "$debian" "$@" >/dev/null 2>&1
    a=$?
    "$ours" "$@" >/dev/null 2>&1
    b=$?
    [ "$a" = "$b" ] || echo "exit status: debian $a, ours $b"
    result $((a != b)) "same exit status ($a): $desc"
}

# check DESC COMMAND...: COMMAND must succeed.
check() {
    local desc=$1
    shift
    "$@"
    result $? "$desc"
}

# agree DESC FILE1 FILE2: two outputs that must be equal.
agree() {
    diff -u --label "$2" --label "$3" "$2" "$3"
    result $? "$1"
}

# Replaces show-log's dates, which differ between files written at different times.
undate() {
    sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}/<date>/g'
}

# Sorts the rows of each select result: Open vSwitch lists rows in its hash table's order.
sort_rows() {
    python3 -c '
import json, sys
for line in sys.stdin:
    result = json.loads(line)
    if isinstance(result, list):
        for r in result:
            if isinstance(r, dict) and "rows" in r:
                r["rows"].sort(key=lambda row: json.dumps(row, sort_keys=True))
    print(json.dumps(result, sort_keys=True, separators=(",", ":")))
'
}

# query_both DESC DB QUERY: the query's result (rows sorted) from each tool, which must agree,
# left in query-debian.txt and query-ours.txt.
query_both() {
    local desc=$1 db=$2 q=$3
    "$debian" query "$db" "$q" | sort_rows >query-debian.txt
    "$ours" query "$db" "$q" | sort_rows >query-ours.txt
    agree "query agrees: $desc" query-debian.txt query-ours.txt
}

# The transactions both tools write: a bridge with two ports and interfaces, updates to an
# optional column, a map and a set, a mutation, a port removed (and collected with its
# interface), a second bridge, comments.
txns=(
    '["Open_vSwitch",
      {"op":"insert","table":"Open_vSwitch","uuid-name":"ovs",
       "row":{"bridges":["named-uuid","br"],"external_ids":["map",[["system-id","abc"],["hostname","h1"]]]}},
      {"op":"insert","table":"Bridge","uuid-name":"br",
       "row":{"name":"br0","ports":["set",[["named-uuid","p0"],["named-uuid","p1"]]],"fail_mode":"secure"}},
      {"op":"insert","table":"Port","uuid-name":"p0","row":{"name":"br0","interfaces":["named-uuid","i0"]}},
      {"op":"insert","table":"Interface","uuid-name":"i0","row":{"name":"br0","type":"internal","mtu_request":1500}},
      {"op":"insert","table":"Port","uuid-name":"p1","row":{"name":"eth0","interfaces":["named-uuid","i1"],"tag":10}},
      {"op":"insert","table":"Interface","uuid-name":"i1","row":{"name":"eth0","options":["map",[["a","1"],["b","2"]]]}},
      {"op":"comment","comment":"add br0 with eth0"}]'
    '["Open_vSwitch",
      {"op":"update","table":"Interface","where":[["name","==","br0"]],"row":{"mtu_request":9000}},
      {"op":"update","table":"Interface","where":[["name","==","eth0"]],"row":{"options":["map",[["a","9"],["c","3"]]]}},
      {"op":"update","table":"Port","where":[["name","==","eth0"]],"row":{"tag":["set",[]],"trunks":["set",[1,2,3]]}},
      {"op":"mutate","table":"Open_vSwitch","where":[],"mutations":[["next_cfg","+=",1]]}]'
    '["Open_vSwitch",
      {"op":"mutate","table":"Bridge","where":[["name","==","br0"]],
       "mutations":[["ports","delete",["set",[["uuid","PORT1"]]]]]},
      {"op":"update","table":"Bridge","where":[],"row":{"fail_mode":["set",[]]}},
      {"op":"insert","table":"Bridge","uuid-name":"br1","row":{"name":"br1","ports":["named-uuid","p2"]}},
      {"op":"insert","table":"Port","uuid-name":"p2","row":{"name":"br1","interfaces":["named-uuid","i2"],"tag":20}},
      {"op":"insert","table":"Interface","uuid-name":"i2","row":{"name":"br1","type":"internal"}},
      {"op":"mutate","table":"Open_vSwitch","where":[],"mutations":[["bridges","insert",["set",[["named-uuid","br1"]]]]]},
      {"op":"comment","comment":"remove eth0, add br1"}]'
)

# write_db TOOL DB: create DB with TOOL and write the transactions to it with TOOL.
write_db() {
    local tool=$1 db=$2 t port1
    "$tool" create "$db" "$schema" || return 1
    for t in "${txns[@]}"; do
        port1=$("$tool" query "$db" '["Open_vSwitch",{"op":"select","table":"Port","where":[["name","==","eth0"]],"columns":["_uuid"]}]' |
            sed -nE 's/.*"uuid","([0-9a-f-]{36})".*/\1/p')
        "$tool" transact "$db" "${t//PORT1/$port1}" >>"$db.results" || return 1
        if grep -q '"error"' "$db.results"; then
            echo "$db: a transaction failed:"
            cat "$db.results"
            return 1
        fi
    done
}

one_row='["Open_vSwitch",{"op":"select","table":"Interface","where":[["name","==","br0"]],"columns":["name","type","mtu_request","options"]}]'
all_rows='["Open_vSwitch",
  {"op":"select","table":"Open_vSwitch","where":[],"columns":["external_ids","next_cfg"]},
  {"op":"select","table":"Bridge","where":[],"columns":["name","fail_mode"]},
  {"op":"select","table":"Port","where":[],"columns":["name","tag","trunks"]},
  {"op":"select","table":"Interface","where":[],"columns":["name","type","mtu_request","options"]}]'

echo "## A database written by Debian's ovsdb-tool, read by ours"
check "debian: create and transact" write_db "$debian" deb.db
for v in "" -m -mm; do
    same "show-log $v" $v show-log deb.db
done
same "db-name" db-name deb.db
same "db-version" db-version deb.db
same "db-cksum" db-cksum deb.db
same "schema-cksum" schema-cksum "$schema"
same "needs-conversion (no)" needs-conversion deb.db "$schema"
same "query, one row" query deb.db "$one_row"
query_both "all tables" deb.db "$all_rows"
check "query sees the last transaction" grep -q '"fail_mode":\["set",\[\]\],"name":"br0"' query-ours.txt
same "query, unknown table" query deb.db '["Open_vSwitch",{"op":"select","table":"Nope","where":[]}]'
same "query, wrong database name" query deb.db '["Nope",{"op":"select","table":"Bridge","where":[]}]'
same "query, a wait that would block" query deb.db \
    '["Open_vSwitch",{"op":"wait","table":"Bridge","where":[],"columns":["name"],"until":"==","rows":[],"timeout":1000}]'

cp deb.db deb-compacted-by-debian.db
cp deb.db deb-compacted-by-ours.db
check "debian: compact" "$debian" compact deb-compacted-by-debian.db
check "ours: compact" "$ours" compact deb-compacted-by-ours.db
for db in deb-compacted-by-debian.db deb-compacted-by-ours.db; do
    "$debian" show-log "$db" | undate >"$db.log"
done
agree "compacted files have the same records (up to dates)" deb-compacted-by-debian.db.log deb-compacted-by-ours.db.log
check "compacted: one snapshot record after the schema" grep -q '^record 1: <date> "compacted by ovsdb-tool 3.1.0"$' deb-compacted-by-ours.db.log
query_both "compacted by debian" deb-compacted-by-debian.db "$all_rows"
cp query-ours.txt compacted-by-debian.txt
query_both "compacted by ours" deb-compacted-by-ours.db "$all_rows"
agree "both compactions hold the same rows" compacted-by-debian.txt query-ours.txt
check "ours: compact to another file" "$ours" compact deb.db deb-copy.db
query_both "compacted copy" deb-copy.db "$all_rows"
agree "the copy holds the same rows" compacted-by-debian.txt query-ours.txt

echo "## A database written by our ovsdb-tool, read by Debian's"
check "ours: create and transact" write_db "$ours" ours.db
for v in "" -m -mm; do
    same "show-log $v" $v show-log ours.db
done
same "db-cksum" db-cksum ours.db
same "needs-conversion (no)" needs-conversion ours.db "$schema"
same "query, one row" query ours.db "$one_row"
query_both "all tables" ours.db "$all_rows"
"$ours" query deb.db "$all_rows" | sort_rows >deb-rows.txt
agree "same rows as the database Debian wrote" deb-rows.txt query-ours.txt
cp ours.db ours-compacted-by-debian.db
cp ours.db ours-compacted-by-ours.db
check "debian: compact ours" "$debian" compact ours-compacted-by-debian.db
check "ours: compact ours" "$ours" compact ours-compacted-by-ours.db
same "show-log of our compacted file" -mm show-log ours-compacted-by-ours.db
query_both "compacted by debian" ours-compacted-by-debian.db "$all_rows"
agree "debian's compaction of ours holds the same rows" deb-rows.txt query-ours.txt
query_both "compacted by ours" ours-compacted-by-ours.db "$all_rows"
agree "our compaction holds the same rows" deb-rows.txt query-ours.txt
"$debian" transact ours-compacted-by-ours.db \
    '["Open_vSwitch",{"op":"insert","table":"Bridge","uuid-name":"x","row":{"name":"br2"}},
      {"op":"mutate","table":"Open_vSwitch","where":[],"mutations":[["bridges","insert",["set",[["named-uuid","x"]]]]]}]' \
    >debian-transact.txt
check "debian: transact on our compacted file" grep -q '^\[{"uuid":\["uuid","[0-9a-f-]*"\]},{"count":1}\]$' debian-transact.txt
same "show-log after debian wrote to it" -m show-log ours-compacted-by-ours.db
query_both "after debian wrote to it" ours-compacted-by-ours.db \
    '["Open_vSwitch",{"op":"select","table":"Bridge","where":[],"columns":["name"]}]'

echo "## Damaged tails"
size=$(stat -c %s deb.db)
cp deb.db torn.db
truncate -s $((size - 20)) torn.db
cp torn.db torn.orig
same "show-log -m of a torn file" -m show-log torn.db
same "query of a torn file" query torn.db "$one_row"
same "transact on a torn file" transact torn.db '["Open_vSwitch"]'
same "compact of a torn file" compact torn.db
same "db-name of a torn file (reads only the schema)" db-name torn.db
check "the torn file is left as it was" cmp -s torn.db torn.orig

cp deb.db corrupt.db
# Flip a byte inside the last record's JSON (its last "}" before the newline).
printf 'X' | dd of=corrupt.db bs=1 seek=$((size - 2)) conv=notrunc 2>/dev/null
cp corrupt.db corrupt.orig
same "show-log -mm of a corrupt record" -mm show-log corrupt.db
same "query of a corrupt record" query corrupt.db "$one_row"
same "compact of a corrupt record" compact corrupt.db
check "the corrupt file is left as it was" cmp -s corrupt.db corrupt.orig

# The earlier records are intact: cut the file back to the last whole record and both
# tools read it again, the same way.
good=$(python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
offset = 0
while True:
    eol = data.find(b"\n", offset)
    if eol < 0:
        break
    length = int(data[offset:eol].split()[2])
    if eol + 1 + length > len(data):
        break
    offset = eol + 1 + length
print(offset)' torn.db)
truncate -s "$good" torn.db
same "show-log -mm after cutting the torn record off" -mm show-log torn.db
query_both "after cutting the torn record off" torn.db "$all_rows"

echo "## convert"
python3 - "$schema" >changed.ovsschema <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
s["version"] = "99.0.0"
del s["tables"]["Interface"]["columns"]["mtu_request"]
s["tables"]["Port"]["columns"]["tag"]["type"]["key"] = "integer"
s["tables"]["Bridge"]["columns"]["extra"] = {"type": {"key": "string", "min": 0, "max": "unlimited"}}
s["tables"]["Extra"] = {"columns": {"v": {"type": "string"}}, "isRoot": True}
json.dump(s, sys.stdout)
EOF
same "needs-conversion (yes)" needs-conversion deb.db changed.ovsschema
cp deb.db converted-by-debian.db
cp deb.db converted-by-ours.db
check "debian: convert" "$debian" convert converted-by-debian.db changed.ovsschema
check "ours: convert" "$ours" convert converted-by-ours.db changed.ovsschema
same "db-version after convert" db-version converted-by-ours.db
converted='["Open_vSwitch",
  {"op":"select","table":"Bridge","where":[],"columns":["name","fail_mode","extra"]},
  {"op":"select","table":"Port","where":[],"columns":["name","tag","trunks"]},
  {"op":"select","table":"Interface","where":[],"columns":["name","type","options"]},
  {"op":"select","table":"Extra","where":[]}]'
query_both "converted by debian" converted-by-debian.db "$converted"
cp query-ours.txt converted-by-debian.txt
query_both "converted by ours" converted-by-ours.db "$converted"
agree "both conversions hold the same rows" converted-by-debian.txt query-ours.txt
check "ours: convert to another file" "$ours" convert deb.db changed.ovsschema converted-copy.db
same "needs-conversion of the copy (no)" needs-conversion converted-copy.db changed.ovsschema
same "needs-conversion of the source (still yes)" needs-conversion deb.db changed.ovsschema

echo "## Errors"
printf '{"name": "X", "tables": {' >truncated.ovsschema
printf '{"name": "X", "tables": {"t": {"columns": {"a": {"type": "intege"}}}}}' >badtype.ovsschema
printf 'hello\n' >garbage.db
: >empty.db
same "query of a missing file" query missing.db "$one_row"
same "show-log of a missing file" show-log missing.db
same "db-name of a missing file" db-name missing.db
same "compact of a missing file" compact missing.db
same "create with a missing schema" create new.db missing.ovsschema
same_status "create with a schema that is not JSON" create new.db truncated.ovsschema
same "create with an invalid schema" create new.db badtype.ovsschema
same "schema-name of an invalid schema" schema-name badtype.ovsschema
same "create over an existing file" create deb.db "$schema"
same "show-log of a file that is not a database" show-log garbage.db
same "query of an empty file" query empty.db "$one_row"
same "query with a transaction that is not JSON" query deb.db '["Open_vSwitch",'
same "query with a transaction that is a string" query deb.db '"Open_vSwitch"'
same "unknown command" frobnicate
same "missing command" ""
same "too many arguments" db-name a b
same "too few arguments" query
same "unknown option" -x show-log deb.db
same "compare-versions (true)" compare-versions 1.2.3 '<' 1.10.0
same "compare-versions (false)" compare-versions 1.2.3 '==' 1.10.0
same "compare-versions (bad version)" compare-versions 1.2 '<' 1.10.0
same "--version" --version

summary
