"""Private ovsdb-server instances for the Python client-compatibility tests.

The Python counterpart of lib.sh, with the same environment variables:
OVSDB_SERVER, OVSDB_TOOL, VSWITCH_SCHEMA, OVSDB_SERVER_ARGS and OVSDB_KEEP_TMP.
"""

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

import pytest

VSWITCH_SCHEMA = os.environ.get(
    "VSWITCH_SCHEMA", "/usr/share/openvswitch/vswitch.ovsschema")


class OvsdbServer:
    """An ovsdb-server on a fresh vswitch database in its own temporary
    directory, serving unix:<dir>/db.sock with its control socket at
    <dir>/ctl."""

    def __init__(self, server, tool, schema=VSWITCH_SCHEMA):
        self.server = server
        self.tool = tool
        self.schema = schema
        self.dir = None
        self.process = None

    @property
    def sock(self):
        return os.path.join(self.dir, "db.sock")

    @property
    def remote(self):
        return "unix:" + self.sock

    @property
    def ctl(self):
        return os.path.join(self.dir, "ctl")

    @property
    def db(self):
        return os.path.join(self.dir, "db")

    def start(self, timeout=10):
        self.dir = tempfile.mkdtemp(prefix="ovs-integration.")
        subprocess.run([self.tool, "create", self.db, self.schema], check=True)
        self.launch(timeout)

    def launch(self, timeout=10):
        """Starts the server on the existing database (again, after kill())."""
        for stale in (self.sock, self.ctl):
            if os.path.exists(stale):
                os.unlink(stale)
        db = self.db
        argv = [self.server,
                "--remote=punix:" + self.sock,
                "--unixctl=" + self.ctl,
                "--pidfile=" + os.path.join(self.dir, "pid"),
                "--log-file=" + os.path.join(self.dir, "log"),
                *shlex.split(os.environ.get("OVSDB_SERVER_ARGS", "")),
                db]
        with open(os.path.join(self.dir, "stderr"), "wb") as stderr:
            self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                            stderr=stderr)
        deadline = time.monotonic() + timeout
        while not (os.path.exists(self.sock) and os.path.exists(self.ctl)):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.server} did not come up")
            time.sleep(0.05)

    def kill(self):
        """SIGKILL, as a crash would; the directory and database stay."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.dir is not None:
            if os.environ.get("OVSDB_KEEP_TMP") == "1":
                print(f"kept {self.dir}", file=sys.stderr)
            else:
                shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def ovsdb_server():
    """The server under test ($OVSDB_SERVER, default Debian's), fresh for
    each test."""
    server = OvsdbServer(
        os.environ.get("OVSDB_SERVER", "/usr/sbin/ovsdb-server"),
        os.environ.get("OVSDB_TOOL", "/usr/bin/ovsdb-tool"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
