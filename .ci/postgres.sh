#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on localhost for the store tests and print its URL.
# Used by .ci/run; safe to run by hand. Installs Debian's postgresql when it is missing.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
  else
    echo "postgresql is not installed and cannot be installed here" >&2
    exit 1
  fi
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
dir=$(mktemp -d /tmp/focuslex-pg.XXXXXX)
chown postgres "$dir"
port=${FOCUSLEX_PG_PORT:-$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
run "$bin/initdb -D $dir/data -A trust -U focuslex >/dev/null"
run "$bin/pg_ctl -D $dir/data -o '-p $port -k $dir -c listen_addresses=127.0.0.1' -l $dir/log -w start >/dev/null"
run "$bin/createdb -h 127.0.0.1 -p $port -U focuslex focuslex_test"
# Tell the caller where the cluster lives so it can stop it (FOCUSLEX_PG_DIR_FILE).
[ -n "${FOCUSLEX_PG_DIR_FILE:-}" ] && echo "$dir" > "$FOCUSLEX_PG_DIR_FILE"
echo "postgresql+psycopg://focuslex@127.0.0.1:$port/focuslex_test"
