#!/usr/bin/env bash
# The same few hundred transactions (errors included) against Debian's ovsdb-server and
# ours ($OVSDB_SERVER): the replies must be identical up to uuids, error details included.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/ovsdb_differential.py" --strict \
    --server /usr/sbin/ovsdb-server --server "${OVSDB_SERVER:-$here/../../.build/debug/ovsdb-server}"
