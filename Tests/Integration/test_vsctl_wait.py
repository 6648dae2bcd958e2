"""ovs-vsctl waiting for ovs-vswitchd (next_cfg → cur_cfg), ours against Debian's.

A stand-in for ovs-vswitchd, built on PyPI ovs's IDL, plays the switch's part of the
contract: it copies next_cfg to cur_cfg after each change and gives each new interface an
ofport, or ofport -1 and an error for names starting with "bad". Both tools then run the
same command lines without --no-wait against the same server; they must return once the
switch caught up, with the same output, the same error report for failed interfaces, and
the same exit status.
"""

import os
import subprocess
import sys
import threading

import pytest

from ovsdb_fixture import OvsdbServer, VSWITCH_SCHEMA

import ovs.db.idl
import ovs.poller

OURS = os.path.join(os.environ.get("BIN", os.path.join(os.path.dirname(__file__), "../../.build/debug")), "ovs-vsctl")
DEBIAN = "/usr/bin/ovs-vsctl"


class FakeSwitch(threading.Thread):
    """Acknowledges every configuration change as ovs-vswitchd would."""

    def __init__(self, remote):
        super().__init__(daemon=True)
        helper = ovs.db.idl.SchemaHelper(VSWITCH_SCHEMA)
        helper.register_all()
        self.idl = ovs.db.idl.Idl(remote, helper)
        self.stopping = False

    def run(self):
        seqno = None
        while not self.stopping:
            self.idl.run()
            if self.idl.change_seqno != seqno:
                seqno = self.idl.change_seqno
                self.acknowledge()
            poller = ovs.poller.Poller()
            self.idl.wait(poller)
            poller.timer_wait(100)
            poller.block()

    def acknowledge(self):
        rows = list(self.idl.tables["Open_vSwitch"].rows.values())
        if not rows:
            return
        txn = ovs.db.idl.Transaction(self.idl)
        changed = False
        for iface in self.idl.tables["Interface"].rows.values():
            if not iface.ofport:
                if iface.name.startswith("bad"):
                    iface.ofport = [-1]
                    iface.error = ["could not open network device %s (No such device)" % iface.name]
                else:
                    iface.ofport = [1]
                changed = True
        ovs_row = rows[0]
        if ovs_row.cur_cfg != ovs_row.next_cfg:
            ovs_row.cur_cfg = ovs_row.next_cfg
            changed = True
        if changed:
            txn.commit_block()
        else:
            txn.abort()


class SwitchedServer:
    """A fresh server with the stand-in switch attached."""

    def __enter__(self):
        self.server = OvsdbServer(os.environ.get("OVSDB_SERVER", "/usr/sbin/ovsdb-server"),
                                  os.environ.get("OVSDB_TOOL", "/usr/bin/ovsdb-tool"))
        self.server.start()
        self.switch = FakeSwitch(self.server.remote)
        self.switch.start()
        return self.server

    def __exit__(self, *exc):
        self.switch.stopping = True
        self.switch.join(timeout=5)
        self.server.stop()


def run(tool, server, *args):
    env = dict(os.environ, OVS_LOGDIR="/var/log/openvswitch")
    p = subprocess.run([tool, "--db=" + server.remote, "--timeout=10", *args],
                       capture_output=True, text=True, env=env, timeout=30)
    return p.returncode, p.stdout, p.stderr


SETUP = ["--no-wait", "add-br", "br0", "--", "add-port", "br0", "eth9"]


@pytest.mark.parametrize("args", [
    ["add-br", "br1"],
    ["add-port", "br0", "eth0"],
    ["add-port", "br0", "bad0"],
    ["add-bond", "br0", "bond0", "bad1", "eth1", "--", "add-port", "br0", "bad2"],
    ["set", "Bridge", "br0", "other_config:hwaddr=00:11:22:33:44:55"],
    ["list-ports", "br0"],
    ["--may-exist", "add-br", "br0"],
    ["del-port", "eth9"],
])
def test_waits_for_switch_like_debian(args):
    results = []
    for tool in (DEBIAN, OURS):
        with SwitchedServer() as server:
            assert run(DEBIAN, server, *SETUP)[0] == 0
            results.append(run(tool, server, *args))
    assert results[1] == results[0]
    assert results[0][0] == 0
    # Failed interfaces are reported only after waiting for the switch to try them.
    assert ("Error detected while setting up 'bad" in results[0][2]) == any(a.startswith("bad") for a in args)
