#!/usr/bin/env bash
# A private Open vSwitch environment in ./sandbox: our ovsdb-server serving the
# Open_vSwitch schema, OVS_RUNDIR/OVS_LOGDIR/OVS_DBDIR pointing there, and a shell with our
# tools (ovsdb-*, ovs-vsctl) first on PATH. Without a terminal it runs a short tour instead of
# the shell.
# (The switch daemon and VM agent join the sandbox as their issues land.)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$top/.build/debug}
dir=$top/sandbox
rm -rf "$dir"
mkdir -p "$dir"
export OVS_RUNDIR=$dir OVS_LOGDIR=$dir OVS_DBDIR=$dir OVS_SYSCONFDIR=$dir
export PATH=$BIN:$PATH

tool=${OVSDB_TOOL:-$BIN/ovsdb-tool}
"$tool" create "$dir/conf.db" "$top/schemas/vswitch.ovsschema" 2>/dev/null || ovsdb-tool create "$dir/conf.db" "$top/schemas/vswitch.ovsschema"
"$BIN/ovsdb-server" --remote=punix:"$dir/db.sock" --remote=db:Open_vSwitch,Open_vSwitch,manager_options \
    --pidfile --log-file --detach --no-chdir "$dir/conf.db"
pid=$(cat "$dir/ovsdb-server.pid")
trap 'kill "$pid" 2>/dev/null || true' EXIT
ovs-vsctl --no-wait init

cat <<TXT
swift-ovs sandbox in $dir
  ovsdb-server (ours) pid $pid, socket $dir/db.sock, log $dir/ovsdb-server.log
Try:
  ovs-vsctl --no-wait add-br br0 -- add-port br0 vif1.0 -- set Interface vif1.0 external_ids:iface-id=vm1-nic0
  ovs-vsctl --no-wait show
  ovsdb-client dump Open_vSwitch Bridge
  ovsdb-client monitor Open_vSwitch Interface name,external_ids     (Ctrl-C to stop)
  ovs-appctl -t ovsdb-server ovsdb-server/list-dbs
  ovsdb-tool show-log -m $dir/conf.db
Leave the shell to stop the sandbox.
TXT

if [ -t 0 ]; then
    PS1="[swift-ovs sandbox] \w\$ " bash --norc -i || true
else
    set -x
    ovs-vsctl --no-wait add-br br0 -- add-port br0 vif1.0 -- set Interface vif1.0 external_ids:iface-id=vm1-nic0
    ovs-vsctl --no-wait show
    ovs-appctl -t ovsdb-server ovsdb-server/list-dbs
    ovsdb-client dump Open_vSwitch Interface name external_ids
fi
