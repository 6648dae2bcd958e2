#!/usr/bin/env bash
# Differential test of our ovs-vsctl ($BIN/ovs-vsctl) against Debian's: every
# command line of vsctl_corpus.txt (commands, options, errors, and the exact
# libvirt/XenServer/RHEL lines) must give the same exit status, stdout and
# stderr, and leave the same database.  Ours runs against $OVSDB_SERVER (set
# by run-all.sh), Debian's against Debian's ovsdb-server; see
# vsctl_differential.py.  BIN defaults to .build/debug.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../../.build/debug}
exec python3 "$here/vsctl_differential.py" --candidate "$BIN/ovs-vsctl"
