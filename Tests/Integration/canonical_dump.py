#!/usr/bin/env python3
"""Make `ovsdb-client --format=json dump` output comparable across servers.

Reads the dump (one JSON table per line) on stdin and prints every row, one
column per line, with each UUID replaced by the name of the row it identifies,
e.g. <Port#2>.  ovsdb-client sorts a table's rows by their non-UUID columns,
so <Port#2> names the same row on any server as long as rows differ in some
non-UUID column.  Sets and maps are re-sorted after the renaming, because the
server's order follows the random UUID values.
"""

import json
import sys


def main():
    tables = [json.loads(line) for line in sys.stdin if line.strip()]
    names = {}
    for table in tables:
        title = table["caption"].removesuffix(" table")
        uuid_col = table["headings"].index("_uuid")
        for i, row in enumerate(table["data"], 1):
            names[row[uuid_col][1]] = f"<{title}#{i}>"

    def render(value):
        if isinstance(value, list):
            kind, payload = value
            if kind == "uuid":
                return names.get(payload, "<dangling>")
            if kind == "set":
                return "[" + ", ".join(sorted(map(render, payload))) + "]"
            if kind == "map":
                pairs = (f"{render(k)}={render(v)}" for k, v in payload)
                return "{" + ", ".join(sorted(pairs)) + "}"
        return json.dumps(value)

    for table in sorted(tables, key=lambda t: t["caption"]):
        print(table["caption"])
        for row in table["data"]:
            for heading, value in zip(table["headings"], row):
                print(f"  {heading}: {render(value)}")
            print()


if __name__ == "__main__":
    main()
