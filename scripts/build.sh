#!/usr/bin/env bash
# Builds the site into target/site (WASM bundle, CSS, assets, OpenTok.js) and
# the server binary. `scripts/build.sh` is a debug build; `scripts/build.sh --release`
# optimises the server for speed and the WASM for size (wasm-release profile +
# wasm-opt from npm binaryen — never Debian's binaryen, whose output fails to
# hydrate). Equivalent to `cargo leptos build`, without needing cargo-leptos.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

release=false
[[ "${1:-}" == "--release" ]] && release=true
site="$ROOT/target/site"

if $release; then wasm_profile=wasm-release; server_flags=(--release); else wasm_profile=dev; server_flags=(); fi
wasm_dir=$([[ $wasm_profile == dev ]] && echo debug || echo "$wasm_profile")

log "building the WASM bundle ($wasm_profile)"
cargo build -p frontend --lib --target wasm32-unknown-unknown --profile "$wasm_profile"
mkdir -p "$site/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name rendezvous \
  "target/wasm32-unknown-unknown/$wasm_dir/frontend.wasm"
if $release; then
  log "wasm-opt -Oz"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    -o "$site/pkg/rendezvous_bg.wasm" "$site/pkg/rendezvous_bg.wasm"
fi
cp style/main.css "$site/pkg/rendezvous.css"
cp -r public/. "$site/"

# OpenTok.js (npm @opentok/client, pinned in package.json) for the `opentok`
# video backend: served by our server at /vendor/opentok/, never from a CDN.
npm_ci_if_needed "$ROOT"
mkdir -p "$site/vendor/opentok"
cp node_modules/@opentok/client/dist/js/opentok.min.js "$site/vendor/opentok/"

log "building the server (${server_flags[*]:-debug})"
cargo build -p server --bin server "${server_flags[@]}"
