"""Python OVSDB clients against a private ovsdb-server ($OVSDB_SERVER).

Covers the PyPI `ovs` IDL (used by ovs-xapi-sync and other Python daemons)
and ovsdbapp's Open_vSwitch API (used by Neutron and os-vif).  Run with
`python3 -m pytest -p no:cacheprovider -p no:benchmark
Tests/Integration/test_python_clients.py` (the plugins would leave
.pytest_cache and .benchmarks behind).
"""

import os
import subprocess
import threading
import time
import uuid

import ovs.db.idl
import ovs.poller
import pytest
from ovsdbapp.backend.ovs_idl import connection
from ovsdbapp.schema.open_vswitch import impl_idl

from ovsdb_fixture import VSWITCH_SCHEMA, ovsdb_server  # noqa: F401 (fixture)

Transaction = ovs.db.idl.Transaction
TIMEOUT = 10
VSCTL = os.environ.get("VSCTL", "/usr/bin/ovs-vsctl")


# --- helpers around ovs.db.idl ------------------------------------------------

def make_idl(remote, columns=None):
    """An Idl for the vswitch schema, replicating either all tables or just
    'columns' ({table: [column, ...]})."""
    helper = ovs.db.idl.SchemaHelper(location=VSWITCH_SCHEMA)
    if columns is None:
        helper.register_all()
    else:
        for table, names in columns.items():
            helper.register_columns(table, names)
    return ovs.db.idl.Idl(remote, helper)


def run_until(idl, predicate, what):
    """Run 'idl' until predicate() holds; fail after TIMEOUT seconds."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        idl.run()
        if predicate():
            return
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        poller = ovs.poller.Poller()
        idl.wait(poller)
        poller.timer_wait(100)
        poller.block()


def connect(remote):
    """An Idl replicating the whole database, with its initial contents."""
    idl = make_idl(remote)
    run_until(idl, idl.has_ever_connected, "the initial database contents")
    return idl


def commit(txn):
    """Commit 'txn' like Transaction.commit_block(), but with a timeout."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        status = txn.commit()
        if status != Transaction.INCOMPLETE:
            return status
        if time.monotonic() > deadline:
            pytest.fail("timed out committing a transaction")
        txn.idl.run()
        poller = ovs.poller.Poller()
        txn.idl.wait(poller)
        txn.wait(poller)
        poller.timer_wait(100)
        poller.block()


def rows(idl, table):
    return list(idl.tables[table].rows.values())


def bridge_named(idl, name):
    return next((br for br in rows(idl, "Bridge") if br.name == name), None)


def create_bridge(idl, name, external_ids):
    """Like `ovs-vsctl init -- add-br` minus ports: one transaction creates
    the Open_vSwitch row, a second adds a Bridge to its bridges column.
    Returns the bridge's UUID."""
    txn = Transaction(idl)
    txn.insert(idl.tables["Open_vSwitch"])
    assert commit(txn) == Transaction.SUCCESS
    [ovs_row] = rows(idl, "Open_vSwitch")

    txn = Transaction(idl)
    bridge = txn.insert(idl.tables["Bridge"])
    bridge.name = name
    bridge.external_ids = external_ids
    ovs_row.verify("bridges")
    ovs_row.bridges = ovs_row.bridges + [bridge]
    assert commit(txn) == Transaction.SUCCESS
    bridge_uuid = txn.get_insert_uuid(bridge.uuid)
    assert isinstance(bridge_uuid, uuid.UUID)
    return bridge_uuid


# --- ovs.db.idl ------------------------------------------------------------

def test_idl_changes_replicate_between_clients(ovsdb_server):
    writer = connect(ovsdb_server.remote)
    reader = connect(ovsdb_server.remote)
    assert rows(writer, "Open_vSwitch") == []
    assert rows(reader, "Bridge") == []

    bridge_uuid = create_bridge(writer, "br-idl", {"owner": "python-idl"})
    seqno = reader.change_seqno
    run_until(reader, lambda: bridge_named(reader, "br-idl"), "the new bridge")
    assert reader.change_seqno > seqno
    bridge = bridge_named(reader, "br-idl")
    assert bridge.uuid == bridge_uuid
    assert bridge.external_ids == {"owner": "python-idl"}
    assert bridge.ports == []
    assert bridge.stp_enable is False
    [ovs_row] = rows(reader, "Open_vSwitch")
    assert [br.uuid for br in ovs_row.bridges] == [bridge_uuid]

    # Map mutations (setkey/delkey) from the reader flow back to the writer.
    txn = Transaction(reader)
    bridge.setkey("external_ids", "zone", "blue")
    bridge.delkey("external_ids", "owner")
    bridge.fail_mode = "secure"
    assert commit(txn) == Transaction.SUCCESS
    run_until(writer,
              lambda: bridge_named(writer, "br-idl").external_ids
              == {"zone": "blue"},
              "the external_ids change")
    assert bridge_named(writer, "br-idl").fail_mode == ["secure"]

    # Deleting the row and its reference removes it everywhere.
    txn = Transaction(writer)
    [ovs_row] = rows(writer, "Open_vSwitch")
    ovs_row.bridges = []
    bridge_named(writer, "br-idl").delete()
    assert commit(txn) == Transaction.SUCCESS
    run_until(reader, lambda: rows(reader, "Bridge") == [], "the deletion")
    assert rows(reader, "Open_vSwitch")[0].bridges == []


def test_idl_verify_detects_concurrent_change(ovsdb_server):
    first = connect(ovsdb_server.remote)
    second = connect(ovsdb_server.remote)
    create_bridge(first, "br-race", {"owner": "first"})
    run_until(second, lambda: bridge_named(second, "br-race"), "the bridge")

    # 'second' prepares a change based on what it has seen...
    stale = Transaction(second)
    bridge = bridge_named(second, "br-race")
    bridge.verify("external_ids")
    bridge.external_ids = {"owner": "second"}
    # ...but 'first' changes the column before it commits.
    txn = Transaction(first)
    bridge_named(first, "br-race").external_ids = {"owner": "first-again"}
    assert commit(txn) == Transaction.SUCCESS

    assert commit(stale) == Transaction.TRY_AGAIN
    run_until(second,
              lambda: bridge_named(second, "br-race").external_ids
              == {"owner": "first-again"},
              "the concurrent change")

    retry = Transaction(second)
    bridge = bridge_named(second, "br-race")
    bridge.verify("external_ids")
    bridge.external_ids = {"owner": "second"}
    assert commit(retry) == Transaction.SUCCESS


def test_idl_lock_is_exclusive(ovsdb_server):
    holder = connect(ovsdb_server.remote)
    holder.set_lock("ovs_vswitchd")
    run_until(holder, lambda: holder.has_lock, "the lock")

    waiter = connect(ovsdb_server.remote)
    waiter.set_lock("ovs_vswitchd")
    run_until(waiter, lambda: waiter.is_lock_contended, "lock contention")
    assert not waiter.has_lock
    # Without the lock the IDL refuses to transact...
    txn = Transaction(waiter)
    txn.insert(waiter.tables["Open_vSwitch"])
    assert commit(txn) == Transaction.NOT_LOCKED
    # ...while the holder's transactions carry an "assert" of the lock.
    txn = Transaction(holder)
    txn.insert(holder.tables["Open_vSwitch"])
    assert commit(txn) == Transaction.SUCCESS

    holder.set_lock(None)
    holder.run()
    run_until(waiter, lambda: waiter.has_lock, "the released lock")
    assert not waiter.is_lock_contended


# --- ovsdbapp --------------------------------------------------------------

class FakeVswitchd:
    """Plays ovs-vswitchd's part in the database for ovsdbapp.

    ovsdbapp, like ovs-vsctl without --no-wait, increments
    Open_vSwitch.next_cfg in each transaction and then waits until cur_cfg
    catches up, checking that new interfaces got an ofport.  This thread
    holds the "ovs_vswitchd" lock, as the real daemon does, and does both.
    """

    def __init__(self, remote):
        self.idl = make_idl(remote, {"Open_vSwitch": ["next_cfg", "cur_cfg"],
                                     "Interface": ["ofport"]})
        self.idl.set_lock("ovs_vswitchd")
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.thread.join(TIMEOUT)
        self.idl.close()

    def _run(self):
        while not self.stopping.is_set():
            self.idl.run()
            if self.idl.has_lock:
                self._reconfigure()
            poller = ovs.poller.Poller()
            self.idl.wait(poller)
            poller.timer_wait(100)
            poller.block()

    def _reconfigure(self):
        txn = Transaction(self.idl)
        for ovs_row in rows(self.idl, "Open_vSwitch"):
            if ovs_row.cur_cfg != ovs_row.next_cfg:
                ovs_row.cur_cfg = ovs_row.next_cfg
        ofports = [iface.ofport[0] for iface in rows(self.idl, "Interface")
                   if iface.ofport]
        for iface in rows(self.idl, "Interface"):
            if not iface.ofport:
                ofports.append(max(ofports, default=0) + 1)
                iface.ofport = [ofports[-1]]
        txn.commit_block()


@pytest.fixture
def vsctl_api(ovsdb_server):
    """ovsdbapp's Open_vSwitch API on a database initialised the way ovs-ctl
    does it (`ovs-vsctl --no-wait init`), with a FakeVswitchd running."""
    remote = ovsdb_server.remote
    subprocess.run([VSCTL, "--no-wait", "--db=" + remote, "init"], check=True)
    vswitchd = FakeVswitchd(remote)
    idl = connection.OvsdbIdl.from_server(remote, "Open_vSwitch")
    conn = connection.Connection(idl=idl, timeout=TIMEOUT)
    # Backend keeps its connection in a class attribute, so every test gets
    # a fresh subclass.
    api = type("OvsdbIdl", (impl_idl.OvsdbIdl,), {})(conn)
    try:
        yield api
    finally:
        conn.stop(timeout=TIMEOUT)
        vswitchd.stop()


def vsctl(remote, *args):
    """Debian's ovs-vsctl's view of the same database."""
    result = subprocess.run([VSCTL, "--no-wait", "--db=" + remote, *args],
                            check=True, capture_output=True, text=True)
    return result.stdout.split()


def test_ovsdbapp_vswitch_api(vsctl_api, ovsdb_server):
    api = vsctl_api
    remote = ovsdb_server.remote
    assert api.list_br().execute(check_error=True) == []
    assert api.br_exists("br-app").execute(check_error=True) is False

    bridge = api.add_br("br-app").execute(check_error=True)
    assert bridge.name == "br-app"
    assert isinstance(bridge.uuid, uuid.UUID)
    # With may_exist (the default) an existing bridge yields its bare UUID.
    assert api.add_br("br-app").execute(check_error=True) == bridge.uuid
    assert api.br_exists("br-app").execute(check_error=True) is True
    assert api.list_br().execute(check_error=True) == ["br-app"]
    assert vsctl(remote, "list-br") == ["br-app"]
    assert vsctl(remote, "get", "Bridge", "br-app", "_uuid") == [
        str(bridge.uuid)]

    api.add_port("br-app", "tap0").execute(check_error=True)
    with api.transaction(check_error=True) as txn:
        txn.add(api.add_port("br-app", "tap1"))
        txn.add(api.db_set("Interface", "tap1", ("type", "internal")))
    assert sorted(api.list_ports("br-app").execute(check_error=True)) == [
        "tap0", "tap1"]
    assert vsctl(remote, "list-ports", "br-app") == ["tap0", "tap1"]
    assert api.iface_to_br("tap1").execute(check_error=True) == "br-app"
    assert api.port_to_br("tap0").execute(check_error=True) == "br-app"

    api.db_set("Port", "tap0", ("tag", 42),
               ("external_ids", {"iface-id": "abc"})).execute(check_error=True)
    assert api.db_get("Port", "tap0", "tag").execute(check_error=True) == 42
    assert api.db_get("Port", "tap0", "external_ids").execute(
        check_error=True) == {"iface-id": "abc"}
    assert api.db_get("Interface", "tap1", "type").execute(
        check_error=True) == "internal"
    assert vsctl(remote, "get", "Port", "tap0", "tag") == ["42"]

    found = api.db_find("Port", ("tag", "=", 42),
                        columns=["name", "tag"]).execute(check_error=True)
    assert found == [{"name": "tap0", "tag": 42}]
    assert api.db_find("Port", ("tag", "=", 7)).execute(check_error=True) == []
    listed = api.db_list("Port", columns=["name"]).execute(check_error=True)
    assert sorted(row["name"] for row in listed) == ["br-app", "tap0", "tap1"]
    [interface] = api.db_list("Interface", ["tap1"],
                              columns=["name", "type", "ofport"]).execute(
                                  check_error=True)
    assert interface["name"] == "tap1"
    assert interface["type"] == "internal"
    assert interface["ofport"] > 0      # set by FakeVswitchd

    # Every ovsdbapp transaction bumped next_cfg; the fake daemon caught up.
    [ovs_row] = api.db_list("Open_vSwitch", columns=["next_cfg", "cur_cfg"]
                            ).execute(check_error=True)
    assert ovs_row["next_cfg"] >= 4
    assert ovs_row["cur_cfg"] == ovs_row["next_cfg"]

    api.del_port("tap0").execute(check_error=True)
    assert api.list_ports("br-app").execute(check_error=True) == ["tap1"]
    with pytest.raises(RuntimeError):
        api.del_port("tap0", if_exists=False).execute(check_error=True)
    api.del_br("br-app").execute(check_error=True)
    assert api.br_exists("br-app").execute(check_error=True) is False
    assert api.list_br().execute(check_error=True) == []
    assert vsctl(remote, "list-br") == []
    # Deleting the bridge garbage-collected its ports and interfaces.
    assert api.db_list("Port").execute(check_error=True) == []
    assert api.db_list("Interface").execute(check_error=True) == []
