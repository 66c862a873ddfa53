#!/usr/bin/env bash
# Installs everything the build and the tests need, skipping what is there:
# Debian packages (Chromium, Node.js, ffmpeg for composing and probing
# archives), the wasm32 target, the wasm-bindgen CLI
# matching Cargo.lock, and the node packages (binaryen's wasm-opt, Playwright,
# the official OpenTok SDK used by the interop tests). Safe to run repeatedly.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

apt_packages=()
have chromium || apt_packages+=(chromium)
have node || apt_packages+=(nodejs)
have npm || apt_packages+=(npm)
# ffmpeg composes archives; the same package provides ffprobe.
{ have ffmpeg && have ffprobe; } || apt_packages+=(ffmpeg)
if ((${#apt_packages[@]})); then
  log "apt-get install ${apt_packages[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

want="$(wasm_bindgen_version)"
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]]; then
  log "cargo install wasm-bindgen-cli $want (takes a few minutes, once)"
  # Not --locked: the CLI's own lock file names a crate version crates.io no longer serves.
  cargo install wasm-bindgen-cli --version "$want" --force
fi

npm_ci_if_needed "$ROOT"
npm_ci_if_needed "$ROOT/end2end"
