#!/usr/bin/env bash
# Command 1: set up, build (release) and run Rendezvous on http://127.0.0.1:3000
# with the embedded engine and SQLite under ./data. Extra arguments go to the
# server (see `target/release/server --help`).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh" --release
log "starting Rendezvous (Ctrl-C to stop)"
exec "$ROOT/target/release/server" "$@"
