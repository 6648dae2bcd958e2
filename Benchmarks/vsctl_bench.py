"""Times ovs-vsctl, ours against Debian's in the same run, and writes the comparison into
BENCHMARKS.md (between the VSCTL markers).

Both tools talk to the same server (our ovsdb-server), so the difference is the client:
process start, connecting, replicating what the command needs (the IDL's initial sync),
building and committing the transaction. Runs alternate between the tools so that load on
the machine falls on both alike; each row is the median of many runs.

Usage: python3 Benchmarks/vsctl_bench.py OURS_BIN_DIR
"""

import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

SCHEMA = os.path.join(os.path.dirname(__file__), "..", "schemas", "vswitch.ovsschema")
DEBIAN = "/usr/bin/ovs-vsctl"
RUNS = int(os.environ.get("BENCH_RUNS", "40"))


def start(bin_dir, tmp):
    db, sock = os.path.join(tmp, "db"), os.path.join(tmp, "sock")
    subprocess.run(["/usr/bin/ovsdb-tool", "create", db, SCHEMA], check=True)
    p = subprocess.Popen([os.path.join(bin_dir, "ovsdb-server"), "--remote=punix:" + sock,
                          "--unixctl=" + os.path.join(tmp, "ctl"), "--log-file=" + os.path.join(tmp, "log"),
                          "-vconsole:off", db], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        if os.path.exists(sock):
            return p, "unix:" + sock
        time.sleep(0.05)
    p.kill()
    raise RuntimeError("ovsdb-server did not start")


def populate(remote, ports):
    """br0 with `ports` ports of one interface each, in one transaction."""
    ops = [{"op": "insert", "table": "Open_vSwitch", "row": {"bridges": ["named-uuid", "br"]}}]
    refs = [["named-uuid", "br0p"]]
    ops.append({"op": "insert", "table": "Interface", "uuid-name": "br0i", "row": {"name": "br0", "type": "internal"}})
    ops.append({"op": "insert", "table": "Port", "uuid-name": "br0p", "row": {"name": "br0", "interfaces": ["named-uuid", "br0i"]}})
    for i in range(ports):
        ops.append({"op": "insert", "table": "Interface", "uuid-name": f"i{i}",
                    "row": {"name": f"vnet{i}", "external_ids": ["map", [["iface-id", f"id-{i}"], ["attached-mac", "52:54:00:00:00:01"]]]}})
        ops.append({"op": "insert", "table": "Port", "uuid-name": f"p{i}", "row": {"name": f"vnet{i}", "interfaces": ["named-uuid", f"i{i}"]}})
        refs.append(["named-uuid", f"p{i}"])
    ops.append({"op": "insert", "table": "Bridge", "uuid-name": "br", "row": {"name": "br0", "ports": ["set", refs]}})
    s = socket.socket(socket.AF_UNIX)
    s.connect(remote[len("unix:"):])
    s.sendall(json.dumps({"method": "transact", "params": ["Open_vSwitch"] + ops, "id": 0}).encode())
    buf, decoder = "", json.JSONDecoder()
    while True:
        buf += s.recv(1 << 20).decode()
        try:
            reply, _ = decoder.raw_decode(buf)
            break
        except ValueError:
            continue
    s.close()
    if reply.get("error") or any("error" in r for r in reply["result"] if r):
        raise RuntimeError(f"populating the database failed: {reply}")


def run_timed(argv):
    """Wall time (ms) and peak RSS (MiB) of one process."""
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode()
    p.stderr.close()
    if p.returncode != 0:
        raise RuntimeError(f"{argv}: exit {p.returncode}: {err}")
    return elapsed, usage.ru_maxrss / 1024


def compare(tools, remote, make_args, cleanup=None):
    """Median wall time and RSS per tool, alternating runs."""
    samples = {name: [] for name in tools}
    for i in range(RUNS):
        for name, binary in tools.items():
            samples[name].append(run_timed([binary, "--db=" + remote, "--no-wait", *make_args(i, name)]))
            if cleanup:
                subprocess.run([DEBIAN, "--db=" + remote, "--no-wait", *cleanup(i, name)], check=True)
    return {name: (statistics.median(s[0] for s in v), statistics.median(s[1] for s in v)) for name, v in samples.items()}


def main():
    ours_dir = sys.argv[1]
    tools = {"debian": DEBIAN, "ours": os.path.join(ours_dir, "ovs-vsctl")}
    rows = []
    for ports in (10, 10000):
        tmp = tempfile.mkdtemp(prefix="vsctl-bench.")
        p, remote = start(ours_dir, tmp)
        try:
            populate(remote, ports)
            add = compare(tools, remote, lambda i, n: ["add-port", "br0", f"bench-{n}-{i}", "--", "set", "Interface",
                                                       f"bench-{n}-{i}", "external_ids:iface-id=x"],
                          cleanup=lambda i, n: ["del-port", f"bench-{n}-{i}"])
            rows.append((f"add_port_ms_{ports}_ports", add["debian"][0], add["ours"][0]))
            if ports == 10000:
                rows.append((f"add_port_rss_mib_{ports}_ports", add["debian"][1], add["ours"][1]))
                sync = compare(tools, remote, lambda i, n: ["list-br"])
                rows.append((f"list_br_ms_{ports}_ports", sync["debian"][0], sync["ours"][0]))
                rows.append((f"list_br_rss_mib_{ports}_ports", sync["debian"][1], sync["ours"][1]))
            else:
                version = compare(tools, remote, lambda i, n: ["--version"])
                rows.append(("version_ms", version["debian"][0], version["ours"][0]))
        finally:
            p.kill()
            p.wait()
            shutil.rmtree(tmp, ignore_errors=True)

    debian_version = subprocess.run([DEBIAN, "--version"], capture_output=True, text=True).stdout.split()[3]
    lines = ["<!-- VSCTL:BEGIN (generated by scripts/bench.sh) -->",
             f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores, {platform.machine()}: "
             f"median of {RUNS} runs per row, the two tools alternating, both against our ovsdb-server. "
             f"Debian's ovs-vsctl is {debian_version}. `list-br` on 10,000 ports is the IDL's initial sync of what "
             "`add-port` needs (Bridge, Port and Interface names, ports, interfaces, ofport, error) with nothing to commit.",
             "",
             "| metric | Debian ovs-vsctl | swift-ovs | ours ÷ Debian | better |",
             "|---|---:|---:|---:|---|"]
    for name, theirs, ours in rows:
        ratio = ours / theirs if theirs else float("nan")
        better = "same" if abs(ratio - 1) < 0.02 else ("ours" if ratio < 1 else "Debian")
        lines.append(f"| {name} | {theirs:.1f} | {ours:.1f} | {ratio:.2f} | {better} |")
    lines.append("<!-- VSCTL:END -->")
    block = "\n".join(lines)
    print(block)
    path = os.path.join(os.path.dirname(__file__), "..", "BENCHMARKS.md")
    text = open(path).read()
    if "<!-- VSCTL:BEGIN" in text:
        head, rest = text.split("<!-- VSCTL:BEGIN", 1)
        tail = rest.split("<!-- VSCTL:END -->", 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n## ovs-vsctl\n\n" + block + "\n"
    open(path, "w").write(text)


if __name__ == "__main__":
    main()
