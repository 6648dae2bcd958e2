"""Remotes of the server under test ($OVSDB_SERVER): passive TCP, an active unix connection
that comes back after the peer restarts, remotes read from the database's Manager table
(what ovs-vsctl set-manager configures), and TCP inactivity probes."""

import json
import os
import socket
import subprocess
import time

import pytest

from ovsdb_fixture import OvsdbServer
from test_ovsdb_robustness import Client

SERVER = os.environ.get("OVSDB_SERVER", "/usr/sbin/ovsdb-server")
TOOL = os.environ.get("OVSDB_TOOL", "/usr/bin/ovsdb-tool")
VSCTL = "/usr/bin/ovs-vsctl"
APPCTL = "/usr/bin/ovs-appctl"


@pytest.fixture
def server():
    s = OvsdbServer(SERVER, TOOL)
    s.start()
    try:
        yield s
    finally:
        s.stop()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, what, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


def tcp_client(port):
    def attempt():
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=1)
            return s
        except OSError:
            return None
    return wait_for(attempt, f"tcp:127.0.0.1:{port}")


def rpc(sock, method, params, id=1):
    sock.sendall(json.dumps({"method": method, "params": params, "id": id}).encode())
    buf = b""
    dec = json.JSONDecoder()
    while True:
        buf += sock.recv(65536)
        try:
            msg, _ = dec.raw_decode(buf.decode())
            return msg
        except ValueError:
            continue


def appctl(server, *args):
    return subprocess.run([APPCTL, "-t", server.ctl, *args], check=True, capture_output=True, text=True).stdout


def test_passive_tcp_remote_added_at_run_time(server):
    port = free_port()
    appctl(server, "ovsdb-server/add-remote", f"ptcp:{port}:127.0.0.1")
    s = tcp_client(port)
    assert rpc(s, "list_dbs", [])["result"] == ["Open_vSwitch", "_Server"]
    s.close()
    appctl(server, "ovsdb-server/remove-remote", f"ptcp:{port}:127.0.0.1")
    wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) != 0, "the listener to close")


def test_manager_table_remote(server):
    """ovs-ctl starts the server with db:Open_vSwitch,Open_vSwitch,manager_options; a
    manager added with ovs-vsctl becomes a listener."""
    port = free_port()
    appctl(server, "ovsdb-server/add-remote", "db:Open_vSwitch,Open_vSwitch,manager_options")
    subprocess.run([VSCTL, "--no-wait", "--db=" + server.remote, "init", "--", "set-manager",
                    f"ptcp:{port}:127.0.0.1"], check=True)
    s = tcp_client(port)
    assert rpc(s, "echo", ["hi"])["result"] == ["hi"]
    s.close()
    subprocess.run([VSCTL, "--no-wait", "--db=" + server.remote, "del-manager"], check=True)
    wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) != 0, "the manager listener to close")


def test_active_unix_remote_reconnects(server, tmp_path):
    path = str(tmp_path / "peer.sock")
    for round_no in range(2):
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(path)
        listener.listen(1)
        listener.settimeout(15)
        if round_no == 0:
            appctl(server, "ovsdb-server/add-remote", "unix:" + path)
        conn, _ = listener.accept()
        conn.settimeout(5)
        assert rpc(conn, "list_dbs", [], id=round_no)["result"] == ["Open_vSwitch", "_Server"]
        conn.close()
        listener.close()
        os.unlink(path)


def test_tcp_peer_is_probed_when_idle(server):
    port = free_port()
    appctl(server, "ovsdb-server/add-remote", f"ptcp:{port}:127.0.0.1")
    s = tcp_client(port)
    s.settimeout(12)
    buf = s.recv(65536)
    msg = json.loads(buf.decode())
    assert msg["method"] == "echo", msg
    s.close()


def test_several_databases_at_once(tmp_path):
    schema = os.path.join(os.path.dirname(__file__), "data", "crash.ovsschema")
    s = OvsdbServer(SERVER, TOOL)
    s.start()
    try:
        extra = str(tmp_path / "crash.db")
        subprocess.run([TOOL, "create", extra, schema], check=True)
        appctl(s, "ovsdb-server/add-db", extra)
        assert appctl(s, "ovsdb-server/list-dbs").split() == ["Crash", "Open_vSwitch", "_Server"]
        c = Client(s.sock)
        r = c.call("transact", ["Crash", {"op": "insert", "table": "Txn", "row": {"id": 1, "part": 0}}])
        assert "uuid" in r["result"][0]
        appctl(s, "ovsdb-server/remove-db", "Crash")
        assert appctl(s, "ovsdb-server/list-dbs").split() == ["Open_vSwitch", "_Server"]
        # Removing a database lets go of its file: it can be served again at once.
        appctl(s, "ovsdb-server/add-db", extra)
        r = Client(s.sock).call("transact", ["Crash", {"op": "select", "table": "Txn", "where": [], "columns": ["id"]}])
        assert r["result"][0]["rows"] == [{"id": 1}]
    finally:
        s.stop()


def test_online_schema_conversion(server, tmp_path):
    """ovsdb-client convert (what ovs-ctl runs on upgrade while the server is up): data kept,
    new column usable, the file on disk converted, non-change-aware monitors dropped."""
    schema = json.load(open(os.path.join(os.path.dirname(__file__), "..", "..", "schemas", "vswitch.ovsschema")))
    schema["version"] = "8.3.2"
    schema.pop("cksum")
    schema["tables"]["Bridge"]["columns"]["new_col"] = {"type": {"key": "string", "min": 0, "max": 1}}
    new = tmp_path / "new.ovsschema"
    new.write_text(json.dumps(schema))
    subprocess.run([VSCTL, "--no-wait", "--db=" + server.remote, "init", "--", "add-br", "br0"], check=True)
    watcher = Client(server.sock)
    watcher.call("monitor", ["Open_vSwitch", "w", {"Bridge": {"columns": ["name"]}}])
    client = ["ovsdb-client", "--timeout=10"]
    assert subprocess.run(client + ["needs-conversion", server.remote, str(new)],
                          capture_output=True, text=True, check=True).stdout == "yes\n"
    subprocess.run(client + ["convert", server.remote, str(new)], check=True)
    assert subprocess.run(client + ["get-schema-version", server.remote],
                          capture_output=True, text=True, check=True).stdout == "8.3.2\n"
    r = Client(server.sock).call("transact", ["Open_vSwitch",
        {"op": "update", "table": "Bridge", "where": [["name", "==", "br0"]], "row": {"new_col": "x"}},
        {"op": "select", "table": "Bridge", "where": [], "columns": ["name", "new_col"]}])
    assert r["result"][1]["rows"] == [{"name": "br0", "new_col": "x"}]
    assert subprocess.run(["ovsdb-tool", "db-version", server.db], capture_output=True, text=True,
                          check=True).stdout == "8.3.2\n"
    with pytest.raises((ConnectionError, OSError)):
        watcher.call("echo", [])
