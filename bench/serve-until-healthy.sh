#!/bin/sh
# `containerless serve` from start to its first 200 on /healthz, then killed: time the whole script
# (e.g. /usr/bin/time -v sh bench/serve-until-healthy.sh runc) for a whole-process start-up figure.
# Polling with curl every 20 ms adds a few milliseconds. bench/startup.mjs measures from inside.
set -eu
sandbox=${1:-runc}
port=${2:-18999}
dir=$(mktemp -d)
node "$(dirname "$0")/../bin/containerless.js" serve --port "$port" --data-dir "$dir" --sandbox "$sandbox" >/dev/null &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
  kill -0 "$pid" 2>/dev/null || { echo "serve exited" >&2; exit 1; }
  sleep 0.02
done
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
rm -rf "$dir"
