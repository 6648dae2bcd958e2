#!/usr/bin/env python3
"""Differential test: a candidate ovs-vsctl against Debian's, invocation by invocation.

Plays every case of vsctl_corpus.txt twice, each time on a fresh database in
its own directory: with the REFERENCE (Debian's /usr/bin/ovs-vsctl against
Debian's ovsdb-server; $REFERENCE_OVSDB_SERVER / $REFERENCE_OVSDB_TOOL) and
with the CANDIDATE (--candidate, default $OVS_VSCTL_OURS, against
$OVSDB_SERVER created by $OVSDB_TOOL, Debian's by default).  Every
invocation gets --db=unix:<case dir>/db.sock first in its argv, so never the
system socket; "{dir}" in the corpus stands for the case directory, and
OVS_RUNDIR, OVS_LOGDIR and OVS_DBDIR point there too.  Exit status, stdout
and stderr of each invocation, and the whole database after each case, must
agree.

Each output is first compared exactly, after replacing the case directory by
{dir}, log timestamps by <time> and the program path by "ovs-vsctl".  Open
vSwitch orders much of its output by the random row UUIDs (records of
list/find, bridges, ports and interfaces in show, elements of UUID sets,
and it prints new UUIDs), so Debian's tool already differs from itself
between runs.  Only when the exact comparison fails are both sides
canonicalized the same way and compared again:
  * every UUID becomes a label naming its row, e.g. «Port:eth0» or
    «Queue@QoS@Port:eth0.qos.queues[0]», computed from an ovsdb-client dump
    taken right after the invocation and kept for the whole case (so deleted
    rows keep their label); UUIDs never seen in a dump become «new#N» in
    order of appearance;
  * order that follows UUIDs is ignored, and nothing else: show's runs of
    sibling blocks of the same kind (Bridge, Port, Interface, Controller,
    Manager), records of list/find (blank-line separated), data rows of
    table/csv/html/json output (heading kept first), runs of UUIDs in
    --bare output, [...] / {...} groups made only of UUIDs, and the lines
    of --commands (hash order).  JSON output must also be formatted exactly
    as Open vSwitch formats it.
Final databases: ovsdb-client dump, rows sorted by their labelled content,
rendered by canonical_dump.py.

    vsctl_differential.py --candidate .build/debug/ovs-vsctl [-k CASE] [-v] [-j N]

Prints one line per disagreeing invocation or database (-v: every
comparison, and full diffs) and a summary line; exits 0 only when everything
agrees.  Cases run in parallel threads; results are printed in corpus order.
"""

import argparse
import concurrent.futures
import csv
import difflib
import hashlib
import io
import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from ovsdb_fixture import OvsdbServer  # noqa: E402

CORPUS = os.path.join(HERE, "vsctl_corpus.txt")
CANONICAL_DUMP = os.path.join(HERE, "canonical_dump.py")
REFERENCE_VSCTL = "/usr/bin/ovs-vsctl"
OVSDB_CLIENT = os.environ.get("OVSDB_CLIENT", "/usr/bin/ovsdb-client")
INVOCATION_TIMEOUT = 30  # seconds; the corpus' own --timeout values are far lower

UUID_RE = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
# HTML output abbreviates the UUID in a link to its first 8 digits.
HTML_LINK_RE = re.compile(r'(<a (?:name|href)="#?(%s)">)[0-9a-f]{8}(</a>)' % UUID_RE.pattern)
LOG_TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\|", re.M)
LABEL_RUN_RE = re.compile(r"«[^»]*»(?: «[^»]*»)+")
# A set element that is a UUID: plain, JSON string, JSON ["uuid", ...], HTML link.
LABEL_ELEMENT_RE = re.compile(r'«[^»]*»|"«[^»]*»"|\["uuid", ?"«[^»]*»"\]'
                              r'|<a href="#«[^»]*»">«[^»]*»</a>')
DASHES_RE = re.compile(r"^-+(?: +-+)*$")
# Options that take their value as the next argument.
SEPARATE_VALUE_OPTIONS = {"-t", "--timeout", "-f", "--format", "-d", "--data", "--db",
                          "-p", "-c", "-C", "--private-key", "--certificate", "--ca-cert"}


# --------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------

def load_corpus(path):
    """[(case name, [argument line, ...]), ...] in file order."""
    cases, seen = [], set()
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.strip()
            if line.startswith("## case "):
                name = line[len("## case "):].strip()
                if not name or name in seen:
                    sys.exit(f"{path}:{lineno}: missing or duplicate case name")
                seen.add(name)
                cases.append((name, []))
            elif line and not line.startswith("#"):
                if not cases:
                    sys.exit(f"{path}:{lineno}: invocation before the first '## case'")
                shlex.split(line)  # fail early on bad quoting
                cases[-1][1].append(line)
    return cases


# --------------------------------------------------------------------------
# Row labels
# --------------------------------------------------------------------------

def dump_tables(sock):
    """The database as {uuid: (table, {column: json value})}."""
    out = subprocess.run([OVSDB_CLIENT, "--format=json", "dump", "unix:" + sock],
                         capture_output=True, text=True, timeout=INVOCATION_TIMEOUT,
                         check=True)
    rows = {}
    for line in out.stdout.splitlines():
        if line.strip():
            table = json.loads(line)
            name = table["caption"].removesuffix(" table")
            for data in table["data"]:
                row = dict(zip(table["headings"], data))
                rows[row["_uuid"][1]] = (name, row)
    return out.stdout, rows


def references(value):
    """(map key or None, uuid) for each UUID inside an OVSDB JSON value."""
    kind, payload = value if isinstance(value, list) else (None, None)
    if kind == "uuid":
        yield None, payload
    elif kind == "set":
        for item in payload:
            yield from references(item)
    elif kind == "map":
        for k, v in payload:
            if isinstance(v, list) and v[0] == "uuid":
                yield json.dumps(k), v[1]
            yield from references(k)


def natural_id(table, row):
    """What names a row by itself: "." for the singletons, else name/target/id."""
    if table in ("Open_vSwitch", "SSL"):
        return "."
    for column in ("name", "target", "id"):
        value = row.get(column)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and value != "":
            return str(value)
    return None


def assign_labels(rows, labels):
    """Gives every row of `rows` not yet in `labels` a label: Table:name when
    the row has a unique natural id, else Table@<referrer>.column[key] after
    the referrer with the smallest label, else Table#<digest of its content>;
    rows whose labels clash get their content digest appended."""
    new = [u for u in rows if u not in labels]
    if not new:
        return
    referrers = defaultdict(list)
    for u, (_, row) in rows.items():
        for column, value in row.items():
            if column not in ("_uuid", "_version"):
                for key, target in references(value):
                    referrers[target].append((u, column, key))
    ids = Counter((t, natural_id(t, r)) for t, r in rows.values())
    memo, busy = {}, set()

    def digest(u):
        def plain(value):  # references become "<ref>": no recursion
            if isinstance(value, list):
                kind, payload = value
                if kind == "uuid":
                    return "<ref>"
                if kind == "set":
                    return sorted((plain(v) for v in payload), key=json.dumps)
                if kind == "map":
                    return sorted(([plain(k), plain(v)] for k, v in payload), key=json.dumps)
            return value
        content = {c: plain(v) for c, v in rows[u][1].items() if c not in ("_uuid", "_version")}
        return hashlib.sha1(json.dumps(content, sort_keys=True).encode()).hexdigest()[:8]

    def label(u):
        if u in labels:
            return labels[u]
        if u not in memo:
            table, row = rows[u]
            nid = natural_id(table, row)
            if nid is not None and ids[(table, nid)] == 1:
                memo[u] = f"{table}:{nid}"
            else:
                busy.add(u)
                paths = sorted(label(r) + "." + column + (f"[{key}]" if key else "")
                               for r, column, key in referrers.get(u, ()) if r not in busy)
                busy.discard(u)
                memo[u] = f"{table}@{paths[0]}" if paths else f"{table}#{digest(u)}"
        return memo[u]

    fresh = {u: label(u) for u in new}
    clashes = Counter(fresh.values()) + Counter(labels[u] for u in rows if u in labels)
    for u, lab in fresh.items():
        labels[u] = lab if clashes[lab] == 1 else f"{lab}#{digest(u)}"


class Labeler:
    """Replaces UUIDs in one side's outputs by row labels."""

    def __init__(self):
        self.labels = {}      # uuid -> label, for the whole case
        self.unknown = {}     # uuid never seen in a dump -> new#N

    def __call__(self, text, literal):
        text = HTML_LINK_RE.sub(r"\1\2\3", text)

        def name(match):
            u = match.group(0)
            if u in self.labels:
                return f"«{self.labels[u]}»"
            if u in literal:
                return u
            return "«%s»" % self.unknown.setdefault(u, f"new#{len(self.unknown) + 1}")
        return UUID_RE.sub(name, text)


# --------------------------------------------------------------------------
# Order-insensitive canonical form
# --------------------------------------------------------------------------

def sort_brackets(s):
    """Sorts the comma-separated elements of every [...] and {...} in s
    (outside double-quoted strings) that consists of UUID labels only: Open
    vSwitch orders other sets and maps by their (deterministic) values."""
    def scan(i, close):
        parts, cur = [], []
        while i < len(s):
            c = s[i]
            if c == '"':
                j = i + 1
                while j < len(s) and s[j] != '"':
                    j += 2 if s[j] == "\\" else 1
                cur.append(s[i:j + 1])
                i = j + 1
            elif c in "[{":
                inner, j = scan(i + 1, "]" if c == "[" else "}")
                if j is None:          # unbalanced: an ordinary character
                    cur.append(c)
                    i += 1
                else:
                    cur.append(c + inner + s[j - 1])
                    i = j
            elif c == close:
                parts.append("".join(cur))
                if all(LABEL_ELEMENT_RE.fullmatch(p.strip()) for p in parts):
                    sep = ", " if parts[-1].startswith(" ") else ","
                    parts = [sep.join(sorted(p.strip() for p in parts))]
                return ",".join(parts), i + 1
            elif c == "," and close:
                parts.append("".join(cur))
                cur = []
                i += 1
            else:
                cur.append(c)
                i += 1
        return ("".join(cur), i) if close is None else (None, None)
    return scan(0, None)[0]


def canon_line(line):
    line = LABEL_RUN_RE.sub(lambda m: " ".join(sorted(m.group(0).split(" "))), line)
    return sort_brackets(line)


def canon_json(value):
    """--format=json output with its data rows and UUID sets sorted."""
    if isinstance(value, dict):
        value = {k: canon_json(v) for k, v in value.items()}
        if isinstance(value.get("data"), list):
            value["data"] = sorted(value["data"], key=json.dumps)
        return value
    if isinstance(value, list):
        items = [canon_json(v) for v in value]
        if len(items) == 2 and items[0] == "set" and isinstance(items[1], list) \
                and all(isinstance(x, list) and x[:1] == ["uuid"] for x in items[1]):
            items[1] = sorted(items[1], key=json.dumps)
        return items
    return value


def ovs_json(value, pretty, depth=0):
    """value serialized the way Open vSwitch's lib/json.c does: object keys
    sorted, no spaces, or with --pretty one member/element per line indented
    by 2 and closing brackets on the last line."""
    sep = "," + ("\n" + "  " * (depth + 1) if pretty else "")
    first = "\n" + "  " * (depth + 1) if pretty else ""
    if isinstance(value, dict):
        return "{" + first + sep.join(
            json.dumps(k, ensure_ascii=False) + (": " if pretty else ":")
            + ovs_json(v, pretty, depth + 1) for k, v in sorted(value.items())) + "}"
    if isinstance(value, list):
        return "[" + first + sep.join(ovs_json(v, pretty, depth + 1) for v in value) + "]" \
            if value else "[]"
    return json.dumps(value, ensure_ascii=False)


def parse_json_values(text):
    decoder, values, i = json.JSONDecoder(), [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            return values
        value, i = decoder.raw_decode(text, i)
        values.append(value)


def tree_sort(lines):
    """Sorts runs of sibling blocks (a line and its deeper-indented lines)
    that start with the same word, recursively (show output)."""
    def indent(line):
        return len(line) - len(line.lstrip(" "))
    blocks, i = [], 0
    while i < len(lines):
        j = i + 1
        while j < len(lines) and indent(lines[j]) > indent(lines[i]):
            j += 1
        blocks.append([lines[i]] + tree_sort(lines[i + 1:j]))
        i = j
    out, k = [], 0
    while k < len(blocks):
        word = blocks[k][0].split()[:1]
        m = k
        while m < len(blocks) and blocks[m][0].split()[:1] == word:
            m += 1
        out.extend(line for block in sorted(blocks[k:m]) for line in block)
        k = m
    return out


def paragraphs(text):
    return [p.strip("\n") for p in text.split("\n\n") if p.strip("\n")]


HTML_ROWS_RE = re.compile(r"(?:  <tr>\n(?:    .*\n)*?  </tr>\n)+")
HTML_ROW_RE = re.compile(r"  <tr>\n(?:    .*\n)*?  </tr>\n")


def canon_stdout(text, opts):
    """The canonical form of an stdout, by output format."""
    if opts["format"] == "json":
        try:
            values = parse_json_values(text)
        except ValueError:
            values = None   # e.g. list-br, which ignores --format
        if values is not None:
            styled = "".join(ovs_json(v, opts["pretty"]) + "\n" for v in values)
            return "\n".join([json.dumps(canon_json(v), sort_keys=True) for v in values]
                             + ([] if styled == text else ["(not in Open vSwitch's JSON style)"]))
    if opts["oneline"]:   # a line per command; newlines in it escaped as \n
        def one(match):
            body = re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1),
                          match.group(0))
            return canon_stdout(body, dict(opts, oneline=False)).replace("\n", "⏎")
        text = re.sub(r"^.*\\n.*$", one, text, flags=re.M)
    lines = [canon_line(line) for line in text.split("\n")]
    if opts["show"]:
        return "\n".join(tree_sort(lines))
    text = "\n".join(lines)
    if opts["format"] == "html":   # the heading row stays first
        return HTML_ROWS_RE.sub(lambda m: "".join(sorted(
            HTML_ROW_RE.findall(m.group(0)), key=lambda row: ("<th>" not in row, row))), text)
    if opts["format"] == "csv":
        rows = [json.dumps([canon_line(cell) for cell in row])
                for row in csv.reader(io.StringIO(text))]
        head = rows[:1] if opts["headings"] else []
        return "\n".join(head + sorted(rows[len(head):]))
    if opts["format"] == "lines":
        return "\n".join(sorted(lines))
    if opts["format"] == "table":
        out = []
        for para in paragraphs(text):
            rows = para.split("\n")
            head = rows[:2] if len(rows) > 1 and DASHES_RE.match(rows[1]) else []
            out.append("\n".join(head + sorted(rows[len(head):])))
        return "\n\n".join(out)
    return "\n\n".join(sorted(paragraphs(text)))


def canon_stderr(text):
    return "\n".join(canon_line(line) for line in text.split("\n"))


def output_options(args):
    """What shapes the output: --format, --no-headings/--bare, --oneline, and
    whether a show command is among the commands."""
    opts = {"format": "list", "headings": True, "oneline": False, "pretty": False,
            "show": False}
    expect_command, i = True, 0
    while i < len(args):
        a = args[i]
        if a == "--":
            expect_command = True
        elif a in ("-f", "--format"):
            opts["format"] = args[i + 1] if i + 1 < len(args) else ""
        elif a.startswith("--format="):
            opts["format"] = a.split("=", 1)[1]
        elif a.startswith("-f") and not a.startswith("--"):
            opts["format"] = a[2:]
        elif a == "--bare":
            opts.update(format="list", headings=False)
        elif a == "--no-headings":
            opts["headings"] = False
        elif a == "--pretty":
            opts["pretty"] = True
        elif a == "--oneline":
            opts["oneline"] = True
        elif a == "--commands":   # lists its command table in hash order
            opts["format"] = "lines"
        elif not a.startswith("-") and expect_command:
            opts["show"] = opts["show"] or a == "show"
            expect_command = False
        if a in SEPARATE_VALUE_OPTIONS:
            i += 1
        i += 1
    return opts


# --------------------------------------------------------------------------
# Running one side of a case
# --------------------------------------------------------------------------

def run_side(vsctl, server_bin, tool_bin, lines):
    """Runs the invocations against a fresh database; returns
    ([(exact, canonical), ...], canonical final dump)."""
    server = OvsdbServer(server_bin, tool_bin)
    try:
        server.start()
        d = server.dir
        env = dict(os.environ, LC_ALL="C", OVS_RUNDIR=d, OVS_LOGDIR=d, OVS_DBDIR=d)
        labeler, results = Labeler(), []
        for line in lines:
            args = shlex.split(line.replace("{dir}", d))
            argv = [vsctl, "--db=unix:" + server.sock] + args
            try:
                p = subprocess.run(argv, capture_output=True, env=env, cwd=d,
                                   timeout=INVOCATION_TIMEOUT)
                status, out, err = p.returncode, p.stdout, p.stderr
            except subprocess.TimeoutExpired:
                status, out, err = "killed after %ds" % INVOCATION_TIMEOUT, b"", b""
            except OSError as e:
                status, out, err = "cannot run: %s" % e.strerror, b"", b""
            out, err = (x.decode("utf-8", "replace").replace(d, "{dir}").replace(vsctl, "ovs-vsctl")
                        for x in (out, err))
            err = LOG_TIME_RE.sub("<time>|", err)
            _, rows = dump_tables(server.sock)
            assign_labels(rows, labeler.labels)
            literal = set(UUID_RE.findall(line))
            canonical = (status, canon_stdout(labeler(out, literal), output_options(args)),
                         canon_stderr(labeler(err, literal)))
            results.append(((status, out, err), canonical))
        raw, _ = dump_tables(server.sock)
        return results, canonical_database(raw, labeler.labels)
    finally:
        server.stop()


def canonical_database(raw, labels):
    """canonical_dump.py's rendering of an ovsdb-client dump, after sorting
    each table's rows by their content with UUIDs replaced by row labels:
    ovsdb-client orders rows that differ only in UUID columns (e.g. CT_Zone)
    by those random UUIDs, which would make canonical_dump's <Table#N> flap."""
    def key(row):
        return UUID_RE.sub(lambda m: labels.get(m.group(0), "?"), json.dumps(row))
    tables = []
    for line in raw.splitlines():
        if line.strip():
            table = json.loads(line)
            table["data"].sort(key=key)
            tables.append(json.dumps(table) + "\n")
    return subprocess.run([sys.executable, CANONICAL_DUMP], input="".join(tables),
                          capture_output=True, text=True, check=True).stdout


def compact_diff(ref, cand):
    """"exit 0 != 1; stdout: -'x' +'y'" for the first differing lines."""
    parts = []
    if ref[0] != cand[0]:
        parts.append(f"exit {ref[0]} != {cand[0]}")
    for what, a, b in (("stdout", ref[1], cand[1]), ("stderr", ref[2], cand[2])):
        if a != b:
            la, lb = a.split("\n"), b.split("\n")
            k = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
            x = la[k] if k < len(la) else "<end>"
            y = lb[k] if k < len(lb) else "<end>"
            parts.append(f"{what} line {k + 1}: -{x[:150]!r} +{y[:150]!r}")
    return "; ".join(parts)


def full_diff(ref, cand):
    """Unified diff of two canonical (status, stdout, stderr), indented."""
    def text(outcome):
        return [f"exit {outcome[0]}"] + outcome[1].split("\n") + ["--- stderr"] \
            + outcome[2].split("\n")
    return "\n".join("    " + line for line in difflib.unified_diff(
        text(ref), text(cand), "reference", "candidate", lineterm=""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--candidate", default=os.environ.get("OVS_VSCTL_OURS"),
                    help="ovs-vsctl to test (default $OVS_VSCTL_OURS)")
    ap.add_argument("-k", dest="match", default="", help="run only cases whose name contains this")
    ap.add_argument("-v", dest="verbose", action="store_true", help="print every comparison")
    ap.add_argument("-j", dest="jobs", type=int, default=4, help="cases run in parallel (default 4)")
    ap.add_argument("--corpus", default=CORPUS)
    opts = ap.parse_args()
    if not opts.candidate:
        ap.error("no candidate: give --candidate or set OVS_VSCTL_OURS")

    if os.sep in opts.candidate:   # the invocations run in the case directory
        opts.candidate = os.path.abspath(opts.candidate)
    cases = [c for c in load_corpus(opts.corpus) if opts.match in c[0]]
    if os.sep in opts.candidate and not os.access(opts.candidate, os.X_OK):
        print(f"FAIL candidate {opts.candidate} is not an executable file")
        print(f"vsctl differential: 0/{sum(len(lines) for _, lines in cases)} invocations "
              f"identical (0 exact, 0 after canonical ordering), 0/{len(cases)} databases identical")
        return 1
    sides = {
        "reference": (REFERENCE_VSCTL,
                      os.environ.get("REFERENCE_OVSDB_SERVER", "/usr/sbin/ovsdb-server"),
                      os.environ.get("REFERENCE_OVSDB_TOOL", "/usr/bin/ovsdb-tool")),
        "candidate": (opts.candidate,
                      os.environ.get("OVSDB_SERVER", "/usr/sbin/ovsdb-server"),
                      os.environ.get("OVSDB_TOOL", "/usr/bin/ovsdb-tool")),
    }
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max(1, opts.jobs)) as pool:
        futures = {(name, side): pool.submit(run_side, *sides[side], lines)
                   for name, lines in cases for side in sides}

    exact = canonical = failed = db_same = db_failed = 0
    for name, lines in cases:
        try:
            ref, ref_db = futures[(name, "reference")].result()
            cand, cand_db = futures[(name, "candidate")].result()
        except Exception as e:  # a server that did not come up, a dump that failed
            print(f"FAIL [{name}] could not run the case: {e}")
            failed += len(lines)
            db_failed += 1
            continue
        for line, (r_exact, r_canon), (c_exact, c_canon) in zip(lines, ref, cand):
            if r_exact == c_exact:
                exact += 1
                verdict = "exact"
            elif r_canon == c_canon:
                canonical += 1
                verdict = "canonical"
            else:
                failed += 1
                verdict = "FAIL"
                print(f"FAIL [{name}] ovs-vsctl {line}: {compact_diff(r_canon, c_canon)}")
                if opts.verbose:
                    print(full_diff(r_canon, c_canon))
            if opts.verbose and verdict != "FAIL":
                print(f"ok ({verdict}) [{name}] ovs-vsctl {line}")
        if ref_db == cand_db:
            db_same += 1
        else:
            db_failed += 1
            print(f"FAIL [{name}] database: {compact_diff((0, ref_db, ''), (0, cand_db, ''))}")
    total = exact + canonical + failed
    if opts.verbose:
        print(f"({len(cases)} cases in {time.monotonic() - started:.1f}s)")
    print(f"vsctl differential: {exact + canonical}/{total} invocations identical "
          f"({exact} exact, {canonical} after canonical ordering), "
          f"{db_same}/{db_same + db_failed} databases identical")
    return 0 if failed == 0 and db_failed == 0 and total > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
