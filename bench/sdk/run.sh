#!/usr/bin/env bash
# Client-token minting throughput: the official Node (npm `opentok` 2.23.2)
# and Python (PyPI `opentok` 3.15.0) SDKs against our Rust implementation
# (criterion bench `server/benches/tokens.rs`), same inputs, one core each.
#
# Installs the SDKs idempotently into bench/sdk/node_modules (from the
# committed package-lock.json) and bench/sdk/.venv, then prints every rate and
# our ratio to the fastest SDK per format as a Markdown table.
#
# Iteration counts (fixed, ~2 s each on the reference machine) can be
# overridden: NODE_JWT_ITER, NODE_T1_ITER, PY_JWT_ITER, PY_T1_ITER.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
NODE_JWT_ITER="${NODE_JWT_ITER:-6000}"
NODE_T1_ITER="${NODE_T1_ITER:-120000}"
PY_JWT_ITER="${PY_JWT_ITER:-90000}"
PY_T1_ITER="${PY_T1_ITER:-130000}"

# Pin each measurement to one core when taskset exists.
one_core() {
  if command -v taskset >/dev/null 2>&1; then taskset -c 0 "$@"; else "$@"; fi
}

install_node() {
  local installed=""
  if [ -f "$HERE/node_modules/opentok/package.json" ]; then
    installed="$(node -p "require('$HERE/node_modules/opentok/package.json').version")"
  fi
  if [ "$installed" != "2.23.2" ]; then
    echo "installing npm opentok@2.23.2 into bench/sdk/node_modules" >&2
    (cd "$HERE" && npm ci --no-audit --no-fund >&2)
  fi
}

install_python() {
  local check='import importlib.metadata as m, sys; sys.exit(m.version("opentok") != "3.15.0")'
  if [ ! -x "$HERE/.venv/bin/python" ] || ! "$HERE/.venv/bin/python" -c "$check" 2>/dev/null; then
    echo "installing PyPI opentok==3.15.0 into bench/sdk/.venv" >&2
    python3 -m venv "$HERE/.venv"
    "$HERE/.venv/bin/pip" install --quiet "opentok==3.15.0" >&2
  fi
}

install_node
install_python

echo "timing npm opentok (JWT: $NODE_JWT_ITER, T1: $NODE_T1_ITER iterations)" >&2
NODE_RATES="$(one_core node "$HERE/node_tokens.js" "$NODE_JWT_ITER" "$NODE_T1_ITER")"
echo "timing PyPI opentok (JWT: $PY_JWT_ITER, T1: $PY_T1_ITER iterations)" >&2
PY_RATES="$(one_core "$HERE/.venv/bin/python" "$HERE/python_tokens.py" "$PY_JWT_ITER" "$PY_T1_ITER")"

echo "building and running the criterion bench (server/benches/tokens.rs)" >&2
cd "$ROOT"
cargo bench -p server --bench tokens --no-run >&2
one_core cargo bench -p server --bench tokens -- --noplot >&2
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"

python3 - "$TARGET_DIR/criterion/tokens" "$NODE_RATES" "$PY_RATES" <<'PY'
import json, sys
from pathlib import Path

criterion = Path(sys.argv[1])
node, py = json.loads(sys.argv[2]), json.loads(sys.argv[3])
node_jwt, node_t1, py_jwt, py_t1 = node["jwt"], node["t1"], py["jwt"], py["t1"]

def ours(name):
    estimates = json.loads((criterion / name / "new" / "estimates.json").read_text())
    return 1e9 / estimates["mean"]["point_estimate"]

rows = []
for fmt, node_rate, py_rate, bench in [("HS256 JWT", node_jwt, py_jwt, "mint_jwt"), ("T1", node_t1, py_t1, "mint_t1")]:
    rust = ours(bench)
    rows.append((fmt, node_rate, py_rate, rust, rust / max(node_rate, py_rate)))
print("| format | npm opentok 2.23.2 | PyPI opentok 3.15.0 | Rendezvous (Rust) | ours ÷ fastest SDK |")
print("|---|---:|---:|---:|---:|")
for fmt, node_rate, py_rate, rust, ratio in rows:
    print(f"| {fmt} | {node_rate:,.0f}/s | {py_rate:,.0f}/s | {rust:,.0f}/s | {ratio:,.1f}× |")
print()
print(f"Verification (Rust only): JWT {ours('verify_jwt'):,.0f}/s, T1 {ours('verify_t1'):,.0f}/s")
PY
