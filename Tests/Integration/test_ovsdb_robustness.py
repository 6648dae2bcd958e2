"""Crash safety and hostile clients, against the server under test ($OVSDB_SERVER).

- kill -9 under a transaction load, many times: every transaction the server acknowledged
  is there after a restart, none is half-applied, and the file always opens (ours and
  Debian's ovsdb-tool).
- Malformed, oversized, truncated and stalled clients lose their connection alone; the
  server keeps serving everyone else and its memory stays bounded.
"""

import json
import os
import random
import socket
import subprocess
import time

import pytest

from ovsdb_fixture import OvsdbServer

HERE = os.path.dirname(os.path.abspath(__file__))
CRASH_SCHEMA = os.path.join(HERE, "data", "crash.ovsschema")
SERVER = os.environ.get("OVSDB_SERVER", "/usr/sbin/ovsdb-server")
TOOL = os.environ.get("OVSDB_TOOL", "/usr/bin/ovsdb-tool")
DEBIAN_TOOL = "/usr/bin/ovsdb-tool"


class Client:
    """A raw JSON-RPC client that can pipeline requests."""

    def __init__(self, sock_path, timeout=10):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(timeout)
        self.sock.connect(sock_path)
        self.buf = b""
        self.decoder = json.JSONDecoder()
        self.next_id = 0

    def send(self, method, params):
        self.next_id += 1
        self.sock.sendall(json.dumps({"method": method, "params": params,
                                      "id": self.next_id}).encode())
        return self.next_id

    def receive(self):
        """The next reply (echo requests from the server are answered)."""
        while True:
            text = self.buf.decode(errors="replace").lstrip()
            if text:
                try:
                    msg, end = self.decoder.raw_decode(text)
                    self.buf = text[end:].encode()
                    if msg.get("method") == "echo":
                        self.sock.sendall(json.dumps({"result": msg["params"], "error": None,
                                                      "id": msg["id"]}).encode())
                        continue
                    if msg.get("id") is not None:
                        return msg
                    continue
                except ValueError:
                    pass
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("closed by server")
            self.buf += chunk

    def call(self, method, params):
        self.send(method, params)
        return self.receive()

    def close(self):
        self.sock.close()


def txn_ops(txn_id, durable):
    ops = ["Crash"]
    for part in (0, 1):
        ops.append({"op": "insert", "table": "Txn",
                    "row": {"id": txn_id, "part": part, "blob": "x" * random.randint(0, 3000)}})
    ops.append({"op": "commit", "durable": durable})
    return ops


def test_kill9_under_load_loses_no_acknowledged_transaction():
    server = OvsdbServer(SERVER, TOOL, schema=CRASH_SCHEMA)
    server.start()
    rng = random.Random(7047)
    acknowledged = set()
    next_id = 0
    try:
        for round_no in range(25):
            client = Client(server.sock)
            deadline = time.monotonic() + rng.uniform(0.02, 0.25)
            in_flight = {}
            try:
                while time.monotonic() < deadline:
                    for _ in range(rng.randint(1, 8)):
                        next_id += 1
                        req = client.send("transact", txn_ops(next_id, rng.random() < 0.5))
                        in_flight[req] = next_id
                    for _ in range(len(in_flight) // 2 + 1):
                        reply = client.receive()
                        txn_id = in_flight.pop(reply["id"])
                        result = reply["result"]
                        assert all("error" not in (r or {}) for r in result), result
                        acknowledged.add(txn_id)
            finally:
                server.kill()
                client.close()

            # Our tool reads the file as the crash left it. Debian's refuses a record the kill
            # cut short (a multi-page write interrupted by SIGKILL; Open vSwitch's own server
            # leaves the same), so it must read the file once our server has reopened it and
            # dropped that torn tail.
            subprocess.run([TOOL, "show-log", server.db], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            debian_read_crashed = subprocess.run([DEBIAN_TOOL, "show-log", server.db],
                                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
            server.launch()
            rows = Client(server.sock).call("transact", ["Crash", {
                "op": "select", "table": "Txn", "where": [], "columns": ["id", "part"]}])
            parts = {}
            for row in rows["result"][0]["rows"]:
                parts.setdefault(row["id"], set()).add(row["part"])
            half = [i for i, p in parts.items() if p != {0, 1}]
            assert not half, f"round {round_no}: half-applied transactions {half}"
            missing = acknowledged - set(parts)
            assert not missing, f"round {round_no}: acknowledged but lost {sorted(missing)[:10]}"
            if not debian_read_crashed:
                # The server drops the torn tail before its first write.
                marker = txn_ops(-1 - round_no, True)
                assert "error" not in str(Client(server.sock).call("transact", marker)["result"])
                subprocess.run([DEBIAN_TOOL, "show-log", server.db], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert len(acknowledged) > 100
    finally:
        server.stop()


@pytest.fixture
def vswitch_server():
    server = OvsdbServer(SERVER, TOOL)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def assert_still_serves(server):
    c = Client(server.sock)
    reply = c.call("transact", ["Open_vSwitch", {"op": "select", "table": "Open_vSwitch", "where": []}])
    assert reply["error"] is None
    c.close()


def connection_closed(sock, timeout=10):
    sock.settimeout(timeout)
    try:
        while sock.recv(1 << 16):
            pass
        return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


@pytest.mark.parametrize("garbage", [
    b'{"method":"transact","params":["Open_vSwitch",}',   # syntax error
    b'{"method":"echo","params":[1],"id":1]',               # mismatched bracket
    b'"just a string"',                                      # not an object
    b'{"id":1,"bogus":2}',                                   # not a JSON-RPC message
    b'{"method":"echo","params":"x","id":1}',                # params not an array
    b'{"method":"echo","params":["\xff\xfe"],"id":1}',       # invalid UTF-8
    b'[' * 20000 + b']' * 20000,                             # nesting bomb
])
def test_malformed_message_closes_only_that_connection(vswitch_server, garbage):
    bystander = Client(vswitch_server.sock)
    bad = socket.socket(socket.AF_UNIX)
    bad.connect(vswitch_server.sock)
    bad.sendall(garbage)
    assert connection_closed(bad), "server kept a connection that sent garbage"
    assert bystander.call("echo", ["still here"])["result"] == ["still here"]
    assert_still_serves(vswitch_server)


def test_bad_requests_get_errors_not_disconnects(vswitch_server):
    c = Client(vswitch_server.sock)
    assert c.call("no_such_method", [])["error"] == "unknown method"
    assert c.call("transact", ["Nope"])["error"]["error"] == "unknown database"
    assert c.call("transact", [])["error"]["error"] == "syntax error"
    assert c.call("get_schema", [42])["error"]["error"] == "syntax error"
    assert c.call("monitor", ["Open_vSwitch", 1, {"NoTable": {}}])["error"]["error"] == "syntax error"
    r = c.call("transact", ["Open_vSwitch", {"op": "insert", "table": "Bridge", "row": {"name": 5}}])
    assert r["result"][0]["error"] == "syntax error"
    r = c.call("transact", ["Open_vSwitch", {"op": "insert", "table": "Port", "row": {"vlan_mode": "bogus"}}])
    assert r["result"][0]["error"] == "constraint violation"
    assert c.call("echo", ["ok"])["result"] == ["ok"]


def test_oversized_message_is_cut_off_and_memory_stays_bounded(vswitch_server):
    pid = vswitch_server.process.pid
    before = rss_kib(pid)
    hog = socket.socket(socket.AF_UNIX)
    hog.connect(vswitch_server.sock)
    hog.settimeout(30)
    chunk = b"x" * (1 << 20)
    hog.sendall(b'{"method":"echo","id":1,"params":["')
    sent = 0
    try:
        for _ in range(200):
            hog.sendall(chunk)
            sent += 1
    except (BrokenPipeError, ConnectionResetError):
        pass
    assert sent < 200, "the server accepted a 200 MiB message"
    assert connection_closed(hog)
    assert_still_serves(vswitch_server)
    assert rss_kib(pid) - before < 400 * 1024


def test_client_that_vanishes_mid_message(vswitch_server):
    for cut in (1, 10, 40):
        s = socket.socket(socket.AF_UNIX)
        s.connect(vswitch_server.sock)
        s.sendall(b'{"method":"transact","params":["Open_vSwitch",{"op":"insert","table":"Open_vSwitch","row":{}}],"id":1}'[:cut])
        s.close()
    assert_still_serves(vswitch_server)


def test_client_that_never_reads_is_dropped(vswitch_server):
    """A monitor whose client stops reading must not make the server grow without bound."""
    pid = vswitch_server.process.pid
    sleeper = socket.socket(socket.AF_UNIX)
    sleeper.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sleeper.connect(vswitch_server.sock)
    sleeper.sendall(json.dumps({"method": "monitor", "id": 1, "params": [
        "Open_vSwitch", None, {"Open_vSwitch": {"columns": ["external_ids"]}}]}).encode())
    writer = Client(vswitch_server.sock)
    r = writer.call("transact", ["Open_vSwitch", {"op": "insert", "table": "Open_vSwitch", "row": {}}])
    assert r["error"] is None
    big = "y" * (1 << 20)
    for i in range(200):
        r = writer.call("transact", ["Open_vSwitch", {"op": "update", "table": "Open_vSwitch", "where": [],
                                                       "row": {"external_ids": ["map", [["k", big + str(i)]]]}}])
        assert r["error"] is None
    assert rss_kib(pid) < 700 * 1024, "server buffered everything for a client that does not read"
    assert_still_serves(vswitch_server)
    sleeper.close()
