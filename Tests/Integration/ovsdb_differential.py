#!/usr/bin/env python3
"""Differential test harness for ovsdb-server implementations.

Every server binary given with --server gets a fresh private directory and a
database created from the Open_vSwitch schema.  The harness starts the server,
talks raw JSON-RPC (RFC 7047) to it over a unix socket, plays a deterministic
scenario (hand-written cases from ovsdb-differential/cases.json, a generated
matrix of select conditions, a seeded random workload and a final dump of
every table) and normalises each reply "up to uuids".

    # Debian's server against itself (must print "N passed, 0 failed"):
    ovsdb_differential.py --server /usr/sbin/ovsdb-server \\
                          --server /usr/sbin/ovsdb-server

    # Swift re-implementation against Debian's:
    ovsdb_differential.py --server /usr/sbin/ovsdb-server \\
                          --server .build/debug/ovsdb-server

    # Record a golden transcript once, compare against it later:
    ovsdb_differential.py --record golden.jsonl
    ovsdb_differential.py --server .build/debug/ovsdb-server \\
                          --expect golden.jsonl

Normalisation: every uuid gets a placeholder.  Rows created by an insert the
scenario names (a "bind" label) become "<label>", "_version" uuids become
"<vN>", other uuids "<N>" in order of first appearance.  Sets, maps, select
"rows" and the list_dbs result are compared as multisets.  Error "details" and
"syntax" members are compared only with --strict; "error" strings always.

With two or more servers (or --expect) replies are compared step by step
against the first transcript.  With a single transcript a step passes when the
server answered it at all.  The last line printed is "N passed, M failed".
"""

import argparse
import contextlib
import difflib
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
CASES_FILE = os.path.join(HERE, "ovsdb-differential", "cases.json")
DEFAULT_SERVER = "/usr/sbin/ovsdb-server"
DEFAULT_TOOL = "/usr/bin/ovsdb-tool"
DEFAULT_SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"
DB_NAME = "Open_vSwitch"
RANDOM_SEED = 7047
RANDOM_STEPS = 200
MAX_CONSECUTIVE_TRANSPORT_ERRORS = 3

UUID_RE = re.compile(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}")
ZERO_UUID = "00000000-0000-0000-0000-000000000000"
FREE_TEXT_KEYS = ("details", "syntax")
INDEX_CLASH_RE = re.compile(r"(?s)(Transaction causes multiple rows .*?\.  )"
                            r"First (row, .*?)  Second (row, .*)")


# --------------------------------------------------------------------------
# JSON-RPC transport
# --------------------------------------------------------------------------

class TransportError(Exception):
    """The connection failed or timed out; the reply is unknown."""


class ConnectionClosed(TransportError):
    """The server closed the connection instead of replying.

    This is an observable behaviour (OVS drops clients that send invalid
    JSON-RPC), so it is recorded as a reply rather than a failure.
    """


class JsonStreamSplitter:
    """Splits a byte stream into complete top-level JSON texts.

    A reply may arrive in many recv() chunks (and a chunk may end inside a
    multi-byte UTF-8 character), so bytes are buffered until the brackets of
    an object or array balance outside of strings.
    """

    def __init__(self):
        self._buffer = bytearray()
        self._scanned = 0
        self._depth = 0
        self._in_string = False
        self._escaped = False

    def feed(self, data):
        """Add bytes; return the list of JSON texts completed by them."""
        self._buffer += data
        texts = []
        i = self._scanned
        while i < len(self._buffer):
            c = self._buffer[i]
            if self._in_string:
                if self._escaped:
                    self._escaped = False
                elif c == 0x5C:                      # backslash
                    self._escaped = True
                elif c == 0x22:                      # quote
                    self._in_string = False
            elif c == 0x22:
                self._in_string = True
            elif c in (0x7B, 0x5B):                  # { [
                self._depth += 1
            elif c in (0x7D, 0x5D):                  # } ]
                self._depth -= 1
                if self._depth == 0:
                    texts.append(self._buffer[:i + 1].decode("utf-8").strip())
                    del self._buffer[:i + 1]
                    i = -1
            i += 1
        self._scanned = len(self._buffer)
        return texts


class JsonRpcClient:
    """Minimal blocking JSON-RPC 1.0 client over a unix stream socket.

    Messages the server sends on its own initiative between our request and
    its reply are answered if they are "echo" requests, otherwise ignored;
    call() reports their method names so they can be recorded.
    """

    def __init__(self, path, timeout):
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.settimeout(timeout)
        try:
            self._sock.connect(path)
        except OSError as e:
            self._sock.close()
            raise TransportError("cannot connect: %s" % e.strerror) from e
        self._splitter = JsonStreamSplitter()
        self._pending = []

    def close(self):
        """Close the socket."""
        self._sock.close()

    def call(self, method, params, request_id):
        """Send one request; return (reply, methods of server messages)."""
        self._send({"method": method, "params": params, "id": request_id})
        unsolicited = []
        while True:
            message = self._next_message()
            if "method" not in message:
                if message.get("id") == request_id:
                    return message, unsolicited
                raise TransportError("reply with unexpected id %r"
                                     % (message.get("id"),))
            unsolicited.append(message["method"])
            if message.get("id") is None:
                continue                    # notification: nothing to answer
            if message["method"] == "echo":
                self._send({"result": message.get("params"), "error": None,
                            "id": message["id"]})
            else:
                self._send({"result": None, "error": "unknown method",
                            "id": message["id"]})

    def _send(self, message):
        try:
            self._sock.sendall(json.dumps(message).encode("utf-8"))
        except OSError as e:
            raise TransportError("send failed: %s" % e.strerror) from e

    def _next_message(self):
        while not self._pending:
            try:
                data = self._sock.recv(65536)
            except socket.timeout as e:
                raise TransportError("timed out waiting for reply") from e
            except OSError as e:
                raise TransportError("recv failed: %s" % e.strerror) from e
            if not data:
                raise ConnectionClosed("connection closed by server")
            try:
                self._pending.extend(json.loads(text)
                                     for text in self._splitter.feed(data))
            except ValueError as e:
                raise TransportError("server sent invalid JSON: %s" % e) from e
        message = self._pending.pop(0)
        if not isinstance(message, dict):
            raise TransportError("server sent a non-object message")
        return message


# --------------------------------------------------------------------------
# Server process
# --------------------------------------------------------------------------

def tool_for(server):
    """The ovsdb-tool next to the server binary, else Debian's."""
    candidate = os.path.join(os.path.dirname(os.path.abspath(server)),
                             "ovsdb-tool")
    return candidate if os.access(candidate, os.X_OK) else DEFAULT_TOOL


@contextlib.contextmanager
def running_server(server, schema, keep_tmp, timeout):
    """Create a database in a private directory and run `server` on it.

    Yields the socket path.  The server is killed by pid and the directory
    removed on exit, whatever happened.
    """
    workdir = tempfile.mkdtemp(prefix="ovsdb-diff-")
    proc = None
    try:
        dbfile = os.path.join(workdir, "conf.db")
        sock = os.path.join(workdir, "db.sock")
        subprocess.run([tool_for(server), "create", dbfile, schema],
                       check=True, capture_output=True, timeout=timeout)
        with open(os.path.join(workdir, "stdout"), "wb") as out:
            proc = subprocess.Popen(
                [server, "--remote=punix:" + sock,
                 "--unixctl=" + os.path.join(workdir, "ctl"),
                 "--pidfile=" + os.path.join(workdir, "pid"),
                 "--log-file=" + os.path.join(workdir, "log"), dbfile],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)
        wait_for_socket(proc, sock, timeout)
        yield sock
    finally:
        if proc is not None:
            stop_process(proc)
        if keep_tmp:
            print("kept %s" % workdir, file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def wait_for_socket(proc, sock, timeout):
    """Wait until the server accepts connections on `sock`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise TransportError("server exited with status %d at startup"
                                 % proc.returncode)
        with contextlib.suppress(TransportError):
            JsonRpcClient(sock, timeout).close()
            return
        time.sleep(0.05)
    raise TransportError("server did not open its socket within %gs" % timeout)


def stop_process(proc):
    """Terminate the process we started (by its pid), killing if needed."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --------------------------------------------------------------------------
# Normalisation up to uuids
# --------------------------------------------------------------------------

def canonical(value):
    """Deterministic JSON text of a value, used as a sort key."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def transform(value, on_string, sort_key=None, key=None):
    """Rebuild a JSON value, mapping strings through on_string(s, key).

    `key` is the nearest enclosing object member name.  When sort_key is
    given, unordered collections (the element list of ["set", ...] and
    ["map", ...], and the list under a "rows" member) are sorted by it.
    """
    if isinstance(value, dict):
        return {k: transform(v, on_string, sort_key, k)
                for k, v in value.items()}
    if isinstance(value, list):
        if (len(value) == 2 and value[0] in ("set", "map")
                and isinstance(value[1], list)):
            items = [transform(v, on_string, sort_key, key) for v in value[1]]
            if sort_key:
                items.sort(key=sort_key)
            return [value[0], items]
        items = [transform(v, on_string, sort_key, key) for v in value]
        if sort_key and key == "rows":
            items.sort(key=sort_key)
        return items
    if isinstance(value, str):
        return on_string(value, key)
    return value


class UuidNormalizer:
    """Replaces uuids with stable placeholders across one server session.

    Assignment is made deterministic despite hash-ordered replies: unordered
    collections are first sorted with not-yet-known uuids masked, then new
    uuids are numbered walking that order.  Uuids appearing only inside
    free text ("details", "syntax") never get a session-wide number, so the
    numbering does not depend on wording; they become "<new:K>" per reply.
    """

    def __init__(self):
        self._names = {}
        self._counters = {"": 0, "v": 0}

    def bind(self, uuid_text, label):
        """Name a uuid "<label>" (first binding wins)."""
        self._names.setdefault(uuid_text, "<%s>" % label)

    def normalize(self, value):
        """Return `value` with uuids replaced and unordered parts sorted."""
        ordered = transform(value, lambda s, k: s, self._masked_key)
        transform(ordered, self._assign)
        local = {}
        return transform(ordered, lambda s, k: self._substitute(s, local),
                         canonical)

    def _masked_key(self, value):
        masked = transform(value, lambda s, k: self._substitute(s, None),
                           canonical)
        return canonical(masked)

    def _assign(self, text, key):
        if key not in FREE_TEXT_KEYS:
            for u in UUID_RE.findall(text):
                if u not in self._names and u != ZERO_UUID:
                    kind = "v" if key == "_version" else ""
                    self._names[u] = "<%s%d>" % (kind, self._counters[kind])
                    self._counters[kind] += 1
        return text

    def _substitute(self, text, local):
        """Replace known uuids; unknown ones become <?> (local is None)
        or per-reply <new:K> names recorded in `local`."""
        def replace(match):
            u = match.group(0)
            if u == ZERO_UUID:
                return u
            if u in self._names:
                return self._names[u]
            if local is None:
                return "<?>"
            return local.setdefault(u, "<new:%d>" % len(local))
        return UUID_RE.sub(replace, text)


def strip_free_text(value):
    """Drop "details" and "syntax" from every error object in `value`."""
    if isinstance(value, dict):
        return {k: strip_free_text(v) for k, v in value.items()
                if not ("error" in value and k in FREE_TEXT_KEYS)}
    if isinstance(value, list):
        return [strip_free_text(v) for v in value]
    return value


def canonical_free_text(value):
    """Strict view: free text kept, index-collision rows put in order.

    OVS 3.1 names the two colliding rows "First"/"Second" after comparing
    all their columns starting with _uuid, i.e. in random order; the two
    descriptions are sorted so the message compares deterministically.
    """
    if isinstance(value, dict):
        return {k: canonical_free_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical_free_text(v) for v in value]
    if isinstance(value, str):
        match = INDEX_CLASH_RE.fullmatch(value)
        if match:
            head, first, second = match.groups()
            first, second = sorted([first, second])
            return "%sFirst %s  Second %s" % (head, first, second)
    return value


# --------------------------------------------------------------------------
# Scenario
# --------------------------------------------------------------------------

def ref(label):
    """Scenario-level reference to the row bound to `label`."""
    return ["$ref", label]


def step(name, method, params, bind=None):
    """One request of the scenario.

    bind maps label -> index of an insert operation whose returned uuid is
    remembered (only if the whole transaction succeeded).
    """
    return {"name": name, "method": method, "params": params,
            "bind": bind or {}}


def transact(name, ops, bind=None):
    """A transact step on the Open_vSwitch database."""
    return step(name, "transact", [DB_NAME] + ops, bind)


def load_cases(path):
    """Hand-written cases: a JSON array of objects with "name", "bind"
    (optional) and either "ops" (a transact on Open_vSwitch) or "method"
    and "params" (any JSON-RPC request)."""
    with open(path) as f:
        cases = json.load(f)
    steps = []
    for case in cases:
        if "ops" in case:
            steps.append(transact(case["name"], case["ops"], case.get("bind")))
        else:
            steps.append(step(case["name"], case["method"], case["params"],
                              case.get("bind")))
    return steps


def condition_matrix():
    """select with every condition function on columns of every kind.

    Runs after the hand-written cases, whose setup creates bridges br0/br1
    and ports eth0/eth1 (see cases.json).  Functions not applicable to a
    type are included too: they must fail with the same error.
    """
    functions = ["==", "!=", "<", "<=", ">", ">=", "includes", "excludes"]
    probes = [
        ("Port", "bond_updelay", [12, 250]),                 # integer
        ("Interface", "ofport_request", [1, 2, ["set", []]]),  # optional int
        ("Interface", "mtu_request", [1500]),                # optional int
        ("Bridge", "name", ["br0"]),                         # string
        ("Port", "vlan_mode", ["access", ["set", []]]),      # optional enum
        ("Bridge", "stp_enable", [True]),                    # boolean
        ("Bridge", "protocols", [["set", ["OpenFlow13"]],    # string set
                                 ["set", ["OpenFlow10", "OpenFlow13"]]]),
        ("Port", "trunks", [["set", [10, 20]], 30]),          # integer set
        ("Bridge", "external_ids", [["map", [["bridge-id", "br0"]]],  # map
                                    ["map", []]]),
        ("Bridge", "ports", [["set", [ref("p_eth0")]]]),     # uuid set
        ("Port", "_uuid", [ref("p_eth0")]),                  # uuid
    ]
    steps = []
    for table, column, values in probes:
        for value in values:
            for function in functions:
                steps.append(transact(
                    "matrix %s.%s %s %s" % (table, column, function,
                                            canonical(value)),
                    [{"op": "select", "table": table,
                      "where": [[column, function, value]],
                      "columns": ["_uuid", "name"]}]))
    return steps


class RandomWorkload:
    """Seeded random workload on bridges it creates itself ("rbrN").

    The generator keeps a small model (bridges, their ports) so that most
    requests are meaningful; a fraction are deliberately invalid.  Replies
    are never consulted, so the scenario is identical for every server.
    """

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.bridges = {}          # bridge name -> list of port names
        self.counter = 0

    def steps(self, count):
        """Generate `count` steps."""
        actions = [(self.add_bridge, 2), (self.del_bridge, 1),
                   (self.add_port, 5), (self.del_port, 2),
                   (self.update_port, 4), (self.mutate_port, 5),
                   (self.update_interface, 3), (self.mutate_bridge, 3),
                   (self.select, 5), (self.wait, 2), (self.delete_in_use, 1),
                   (self.queue_and_qos, 2), (self.manager, 2),
                   (self.batch, 2)]
        funcs, weights = zip(*actions)
        result = [self.add_bridge() for _ in range(2)]
        while len(result) < count:
            result.append(self.rng.choices(funcs, weights)[0]())
        return result

    # -- helpers ----------------------------------------------------------

    def fresh(self, prefix):
        """A new unique name/label."""
        self.counter += 1
        return "%s%d" % (prefix, self.counter)

    def some_bridge(self):
        """A modelled bridge name (there is always at least one)."""
        return self.rng.choice(sorted(self.bridges))

    def some_port(self):
        """(bridge, port) of a modelled port, or None."""
        ports = [(b, p) for b in sorted(self.bridges) for p in self.bridges[b]]
        return self.rng.choice(ports) if ports else None

    def string_map(self, prefix, size):
        """A random string->string map."""
        keys = self.rng.sample(range(10), size)
        return ["map", [["%s%d" % (prefix, k), "v%d" % self.rng.randrange(100)]
                        for k in sorted(keys)]]

    def vlans(self, size, bad=False):
        """A set of VLAN ids, optionally with one out of range."""
        values = self.rng.sample(range(4096), size)
        if bad:
            values.append(4096 + self.rng.randrange(100))
        return ["set", sorted(values)]

    def port_ops(self, bridge, port):
        """Ops inserting an interface + port and attaching it to a bridge."""
        return [
            {"op": "insert", "table": "Interface", "uuid-name": "i",
             "row": {"name": port,
                     "type": self.rng.choice(["", "internal", "vxlan"]),
                     "ofport_request": self.rng.randrange(1, 65280),
                     "options": self.string_map("opt",
                                                self.rng.randrange(3))}},
            {"op": "insert", "table": "Port", "uuid-name": "p",
             "row": {"name": port, "interfaces": ["named-uuid", "i"],
                     "tag": self.rng.randrange(4096),
                     "trunks": self.vlans(self.rng.randrange(4))}},
            {"op": "mutate", "table": "Bridge",
             "where": [["name", "==", bridge]],
             "mutations": [["ports", "insert",
                            ["set", [["named-uuid", "p"]]]]]},
        ]

    # -- actions ----------------------------------------------------------

    def add_bridge(self):
        """Insert a bridge and attach it to the root row."""
        name = self.fresh("rbr")
        self.bridges[name] = []
        row = {"name": name,
               "protocols": ["set", sorted(self.rng.sample(
                   ["OpenFlow10", "OpenFlow13", "OpenFlow15"],
                   self.rng.randrange(4)))],
               "fail_mode": self.rng.choice(["standalone", "secure"]),
               "stp_enable": self.rng.random() < 0.5,
               "external_ids": self.string_map("k", self.rng.randrange(4))}
        return transact("random add bridge %s" % name, [
            {"op": "insert", "table": "Bridge", "uuid-name": "b", "row": row},
            {"op": "mutate", "table": "Open_vSwitch", "where": [],
             "mutations": [["bridges", "insert",
                            ["set", [["named-uuid", "b"]]]]]},
        ], bind={name: 0})

    def del_bridge(self):
        """Detach a bridge from the root; it and its ports are collected."""
        if len(self.bridges) < 2:
            return self.add_bridge()
        name = self.some_bridge()
        del self.bridges[name]
        return transact("random delete bridge %s" % name, [
            {"op": "mutate", "table": "Open_vSwitch", "where": [],
             "mutations": [["bridges", "delete", ["set", [ref(name)]]]]},
            {"op": "select", "table": "Bridge",
             "where": [["name", "==", name]], "columns": ["name"]},
        ])

    def add_port(self):
        """Add a port (sometimes a duplicate name, which must fail)."""
        bridge = self.some_bridge()
        existing = self.some_port()
        if existing and self.rng.random() < 0.15:
            port = existing[1]
            title = "random add duplicate port %s" % port
        else:
            port = self.fresh(bridge + "-p")
            self.bridges[bridge].append(port)
            title = "random add port %s" % port
        return transact(title, self.port_ops(bridge, port),
                        bind={port + "-if": 0, port: 1})

    def del_port(self):
        """Detach a port from its bridge; it is garbage collected."""
        found = self.some_port()
        if not found:
            return self.add_port()
        bridge, port = found
        self.bridges[bridge].remove(port)
        return transact("random delete port %s" % port, [
            {"op": "mutate", "table": "Bridge",
             "where": [["name", "==", bridge]],
             "mutations": [["ports", "delete", ["set", [ref(port)]]]]},
            {"op": "select", "table": "Interface",
             "where": [["name", "==", port]], "columns": ["name"]},
        ])

    def update_port(self):
        """update of Port columns, sometimes with invalid values."""
        found = self.some_port()
        if not found:
            return self.add_port()
        port = found[1]
        bad = self.rng.random() < 0.2
        row = self.rng.choice([
            {"tag": 4096 + self.rng.randrange(10) if bad
             else self.rng.randrange(4096)},
            {"vlan_mode": "bogus" if bad else self.rng.choice(
                ["trunk", "access", "native-tagged", "native-untagged"])},
            {"trunks": self.vlans(self.rng.randrange(5), bad)},
            {"external_ids": self.string_map("e", self.rng.randrange(4)),
             "bond_updelay": self.rng.randrange(-100, 1000)},
            {"lacp": "sometimes" if bad else self.rng.choice(
                ["active", "passive", "off"]),
             "bond_mode": ["set", []]},
        ])
        where = self.rng.choice([[["name", "==", port]],
                                 [["_uuid", "==", ref(port)]]])
        return transact("random update port %s %s" % (port, sorted(row)), [
            {"op": "update", "table": "Port", "where": where, "row": row}])

    def mutate_port(self):
        """mutate Port integers, integer sets and maps."""
        found = self.some_port()
        if not found:
            return self.add_port()
        port = found[1]
        mutator = self.rng.choice(["+=", "-=", "*=", "/=", "%="])
        operand = self.rng.choice([0, 1, 2, 3, 7, 100, -5])
        mutation = self.rng.choice([
            ["bond_updelay", mutator, operand],
            ["bond_downdelay", mutator, operand],
            ["trunks", self.rng.choice(["+=", "-=", "*="]),
             self.rng.choice([1, 2, 1000])],
            ["trunks", self.rng.choice(["insert", "delete"]),
             self.vlans(self.rng.randrange(1, 4))],
            ["external_ids", "insert", self.string_map("e", 2)],
            ["external_ids", "delete",
             ["set", ["e%d" % self.rng.randrange(10)]]],
            ["statistics", "insert",
             ["map", [["rx_packets", self.rng.randrange(10 ** 6)]]]],
        ])
        return transact("random mutate port %s %s %s" % (
            port, mutation[0], mutation[1]), [
            {"op": "mutate", "table": "Port",
             "where": [["name", "==", port]], "mutations": [mutation]},
            {"op": "select", "table": "Port", "where": [["name", "==", port]],
             "columns": [mutation[0]]},
        ])

    def update_interface(self):
        """update Interface columns with range/enum constrained values."""
        found = self.some_port()
        if not found:
            return self.add_port()
        port = found[1]
        row = self.rng.choice([
            {"ofport_request": self.rng.choice(
                [0, 1, 65279, 65280, self.rng.randrange(1, 65279)])},
            {"mtu_request": self.rng.choice([0, 1280, 1500, 9000])},
            {"admin_state": self.rng.choice(["up", "down", "sideways"])},
            {"options": self.string_map("opt", self.rng.randrange(4)),
             "type": self.rng.choice(["", "internal", "geneve"])},
            {"ingress_policing_rate": self.rng.choice([-1, 0, 1000])},
        ])
        return transact("random update interface %s %s" % (port, sorted(row)),
                        [{"op": "update", "table": "Interface",
                          "where": [["name", "==", port]], "row": row}])

    def mutate_bridge(self):
        """mutate Bridge sets/maps and the flood_vlans integer set."""
        bridge = self.some_bridge()
        mutation = self.rng.choice([
            ["protocols", "insert", ["set", [self.rng.choice(
                ["OpenFlow11", "OpenFlow12", "OpenFlow14", "OpenFlow16"])]]],
            ["protocols", "delete", "OpenFlow13"],
            ["external_ids", "insert", self.string_map("k", 2)],
            ["external_ids", "delete",
             ["map", [["k%d" % self.rng.randrange(10), "v1"]]]],
            ["flood_vlans", "insert", self.vlans(self.rng.randrange(1, 5))],
            ["flood_vlans", self.rng.choice(["+=", "%="]),
             self.rng.choice([0, 5, 4000])],
        ])
        return transact("random mutate bridge %s %s %s" % (
            bridge, mutation[0], mutation[1]), [
            {"op": "mutate", "table": "Bridge",
             "where": [["name", "==", bridge]], "mutations": [mutation]},
            {"op": "select", "table": "Bridge",
             "where": [["name", "==", bridge]],
             "columns": ["name", mutation[0]]},
        ])

    def select(self):
        """select with a random condition over modelled rows."""
        found = self.some_port()
        port = found[1] if found else "none"
        table, where, columns = self.rng.choice([
            ("Port", [["tag", self.rng.choice(["<", ">=", "=="]),
                       self.rng.randrange(4096)]], ["name", "tag"]),
            ("Port", [["trunks", self.rng.choice(["includes", "excludes"]),
                       self.vlans(1)]], ["name"]),
            ("Port", [["name", "!=", port], ["bond_updelay", ">", 0]],
             ["name", "bond_updelay"]),
            ("Interface", [["ofport_request", self.rng.choice(["<=", ">"]),
                            self.rng.randrange(65279)]], ["name"]),
            ("Interface", [["options", "includes", self.string_map("opt", 1)]],
             ["name", "options"]),
            ("Bridge", [["protocols", self.rng.choice(["includes", "=="]),
                         ["set", ["OpenFlow13"]]]], ["name", "protocols"]),
            ("Bridge", [["ports", "includes", ["set", [ref(port)]]]],
             ["name"]),
            ("Bridge", [], ["name", "fail_mode", "stp_enable"]),
        ])
        return transact("random select %s %s" % (table, canonical(where)),
                        [{"op": "select", "table": table, "where": where,
                          "columns": columns}])

    def wait(self):
        """wait (timeout 0) that either holds or times out."""
        bridge = self.some_bridge()
        until = self.rng.choice(["==", "!="])
        rows = self.rng.choice([[{"name": bridge}], [{"name": "nope"}], []])
        return transact("random wait %s %s" % (until, canonical(rows)), [
            {"op": "wait", "table": "Bridge", "timeout": 0,
             "where": [["name", "==", bridge]], "columns": ["name"],
             "until": until, "rows": rows},
            {"op": "comment", "comment": "after wait"}])

    def delete_in_use(self):
        """delete a port that a bridge still references: must fail."""
        found = self.some_port()
        if not found:
            return self.add_port()
        return transact("random delete referenced port %s" % found[1], [
            {"op": "delete", "table": "Port",
             "where": [["name", "==", found[1]]]}])

    def queue_and_qos(self):
        """Root tables QoS/Queue: insert linked rows, or delete all."""
        if self.rng.random() < 0.3:
            return transact("random delete all QoS then Queue", [
                {"op": "delete", "table": "QoS", "where": []},
                {"op": "delete", "table": "Queue", "where": []}])
        dscp = self.rng.choice([0, 10, 63, 64])
        return transact("random insert QoS with queue dscp=%d" % dscp, [
            {"op": "insert", "table": "Queue", "uuid-name": "q",
             "row": {"dscp": dscp,
                     "other_config": self.string_map("max-rate", 1)}},
            {"op": "insert", "table": "QoS",
             "row": {"type": "linux-htb",
                     "queues": ["map", [[self.rng.randrange(8),
                                         ["named-uuid", "q"]]]]}}])

    def manager(self):
        """Manager rows (index on target; unreferenced so collected)."""
        port = self.rng.choice([6640, 6641, 6642])
        return transact("random manager ptcp:%d" % port, [
            {"op": "insert", "table": "Manager", "uuid-name": "m",
             "row": {"target": "ptcp:%d" % port,
                     "inactivity_probe": self.rng.randrange(1000, 60000)}},
            {"op": "mutate", "table": "Open_vSwitch", "where": [],
             "mutations": [["manager_options", self.rng.choice(
                 ["insert", "delete"]), ["set", [["named-uuid", "m"]]]]]},
            {"op": "select", "table": "Manager", "where": [],
             "columns": ["target"]}])

    def batch(self):
        """Several random updates in one transaction, maybe aborted."""
        makers = [self.mutate_bridge]
        if self.some_port():
            makers += [self.update_port, self.update_interface]
        ops = []
        for _ in range(self.rng.randrange(2, 5)):
            ops.extend(self.rng.choice(makers)()["params"][1:])
        ops.append(self.rng.choice([
            {"op": "comment", "comment": "batch"},
            {"op": "commit", "durable": self.rng.random() < 0.5},
            {"op": "abort"}]))
        return transact("random batch of %d ops ending in %s" % (
            len(ops), ops[-1]["op"]), ops)


def final_dump_steps(schema):
    """select of every table, all columns (rows compared as multisets)."""
    return [transact("final dump %s" % table,
                     [{"op": "select", "table": table, "where": []}])
            for table in sorted(schema["tables"])]


def build_scenario(schema):
    """The complete, deterministic list of steps."""
    return (load_cases(CASES_FILE) + condition_matrix()
            + RandomWorkload(RANDOM_SEED).steps(RANDOM_STEPS)
            + final_dump_steps(schema))


# --------------------------------------------------------------------------
# Running a scenario
# --------------------------------------------------------------------------

class Session:
    """One server run: resolves $refs, normalises and records replies.

    After a transport error the next step reconnects; after several in a
    row the server is presumed dead or hung and remaining steps are skipped.
    """

    def __init__(self, sock, timeout):
        self.sock = sock
        self.timeout = timeout
        self.client = None
        self.refs = {}
        self.normalizer = UuidNormalizer()
        self.transport_errors = 0

    def resolve(self, value):
        """Replace ["$ref", label] with the bound uuid (or a fixed stand-in
        named <unbound:label> when the binding transaction failed)."""
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            if len(value) == 2 and value[0] == "$ref":
                label = value[1]
                if label not in self.refs:
                    stand_in = str(uuid.uuid5(uuid.NAMESPACE_URL, label))
                    self.normalizer.bind(stand_in, "unbound:" + label)
                    self.refs[label] = stand_in
                return ["uuid", self.refs[label]]
            return [self.resolve(v) for v in value]
        return value

    def run(self, index, st):
        """Execute one step; return its transcript entry."""
        params = self.resolve(st["params"])
        entry = {"step": index, "name": st["name"], "method": st["method"],
                 "request": self.normalizer.normalize(params)}
        if self.transport_errors >= MAX_CONSECUTIVE_TRANSPORT_ERRORS:
            entry["reply"] = {"transport_error": "skipped: unresponsive"}
            return entry
        try:
            if self.client is None:
                self.client = JsonRpcClient(self.sock, self.timeout)
            reply, unsolicited = self.client.call(st["method"], params, index)
        except TransportError as e:
            if self.client is not None:
                self.client.close()
                self.client = None
            if isinstance(e, ConnectionClosed):
                entry["reply"] = {"connection_closed": True}
            else:
                self.transport_errors += 1
                entry["reply"] = {"transport_error": str(e)}
            return entry
        self.transport_errors = 0
        if unsolicited:
            entry["server_messages"] = unsolicited     # recorded, not compared
        self.bind_labels(st, reply)
        if st["method"] == "list_dbs" and isinstance(reply.get("result"),
                                                      list):
            reply["result"] = sorted(reply["result"], key=canonical)
        entry["reply"] = self.normalizer.normalize(reply)
        return entry

    def bind_labels(self, st, reply):
        """Remember uuids of named inserts of a fully successful transact."""
        result = reply.get("result")
        if not st["bind"] or not isinstance(result, list):
            return
        if any(not isinstance(r, dict) or "error" in r for r in result):
            return
        for label, op_index in st["bind"].items():
            if op_index >= len(result):
                continue
            u = result[op_index].get("uuid")
            if isinstance(u, list) and len(u) == 2:
                self.refs[label] = u[1]
                self.normalizer.bind(u[1], label)

    def close(self):
        """Close the connection, if any."""
        if self.client is not None:
            self.client.close()


def run_server(server, schema_path, steps, args):
    """Run the whole scenario against one server binary; return entries."""
    try:
        with running_server(server, schema_path, args.keep_tmp,
                            args.timeout) as sock:
            session = Session(sock, args.timeout)
            try:
                return [session.run(i, st) for i, st in enumerate(steps)]
            finally:
                session.close()
    except (TransportError, subprocess.SubprocessError, OSError) as e:
        print("%s: %s" % (server, e), file=sys.stderr)
        return [{"step": i, "name": st["name"], "method": st["method"],
                 "request": st["params"],
                 "reply": {"transport_error": "server unavailable"}}
                for i, st in enumerate(steps)]


# --------------------------------------------------------------------------
# Comparison and reporting
# --------------------------------------------------------------------------

def pretty(value):
    """Indented JSON lines for diffs."""
    return json.dumps(value, indent=1, sort_keys=True).splitlines()


def compare(reference, others, strict, max_diffs):
    """Compare transcripts step by step; print the first mismatches.

    reference and each of others are (label, entries).  Returns (passed,
    failed) counts over steps.
    """
    view = canonical_free_text if strict else strip_free_text
    ref_label, ref_entries = reference
    passed = failed = 0
    for i, ref_entry in enumerate(ref_entries):
        mismatches = []
        for label, transcript in others:
            entry = transcript[i] if i < len(transcript) else {"reply": None}
            if view(entry["reply"]) != view(ref_entry["reply"]):
                mismatches.append((label, entry["reply"]))
        if not mismatches:
            passed += 1
            continue
        failed += 1
        if failed <= max_diffs:
            print("=== step %d: %s" % (i, ref_entry["name"]))
            print("request: %s" % canonical(ref_entry["request"]))
            for label, reply in mismatches:
                diff = difflib.unified_diff(
                    pretty(view(ref_entry["reply"])), pretty(view(reply)),
                    ref_label, label, lineterm="", n=4)
                print("\n".join(diff))
    if failed > max_diffs:
        print("... %d more mismatching steps not shown" % (failed - max_diffs))
    return passed, failed


def write_transcript(path, entries):
    """Write entries as JSON lines."""
    with open(path, "w") as f:
        for entry in entries:
            f.write(canonical(entry) + "\n")


def read_transcript(path):
    """Read a transcript written by write_transcript."""
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def parse_args(argv):
    """Command line."""
    p = argparse.ArgumentParser(
        description="Differential JSON-RPC test of ovsdb-server binaries.")
    p.add_argument("--server", action="append", metavar="PATH",
                   help="ovsdb-server binary (repeatable; default %s)"
                   % DEFAULT_SERVER)
    p.add_argument("--schema", default=DEFAULT_SCHEMA,
                   help="schema to create the databases from")
    p.add_argument("--record", metavar="FILE",
                   help="write the first server's normalised transcript")
    p.add_argument("--expect", metavar="FILE",
                   help="compare every server against this transcript")
    p.add_argument("--strict", action="store_true",
                   help="also compare error 'details' and 'syntax' texts")
    p.add_argument("--max-diffs", type=int, default=5, metavar="N",
                   help="show at most N mismatching steps (default 5)")
    p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                   help="per-reply and startup timeout (default 10)")
    p.add_argument("--keep-tmp", action="store_true",
                   help="keep the servers' work directories (db, log)")
    return p.parse_args(argv)


def main(argv):
    """Run the scenario on each server, record and/or compare."""
    args = parse_args(argv)
    servers = args.server or [DEFAULT_SERVER]
    with open(args.schema) as f:
        schema = json.load(f)
    steps = build_scenario(schema)

    transcripts = []
    if args.expect:
        transcripts.append((args.expect, read_transcript(args.expect)))
    for n, server in enumerate(servers):
        label = "#%d %s" % (n + 1, server)
        entries = run_server(server, args.schema, steps, args)
        transcripts.append((label, entries))
        if args.record and n == 0:
            write_transcript(args.record, entries)

    if len(transcripts) == 1:
        entries = transcripts[0][1]
        failed = sum("transport_error" in e["reply"] for e in entries)
        passed = len(entries) - failed
    else:
        passed, failed = compare(transcripts[0], transcripts[1:],
                                 args.strict, args.max_diffs)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
