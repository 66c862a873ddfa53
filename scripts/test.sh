#!/usr/bin/env bash
# Command 2: set up, then run every test — the Rust unit and integration tests
# of `app` (server and browser builds), `server` and the load tools, then the Playwright suite (Debian Chromium, fake
# camera) against a freshly built server, including the official npm `opentok`
# SDK talking to our embedded engine. Prints `N passed, N failed` per suite
# and exits non-zero if anything failed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start=$(date +%s)
"$ROOT/scripts/setup.sh"

status=0
rust_status=0
rust_log="$(mktemp)"
log "cargo test (app, server, tools)"
if ! cargo test -p app -p server -p load-kit -p hub-load -p media-load 2>&1 | tee "$rust_log"; then rust_status=1; fi
# The browser-only modules of `app` (the video client) have unit tests too.
log "cargo test (app, hydrate)"
if ! cargo test -p app --features hydrate --lib 2>&1 | tee -a "$rust_log"; then rust_status=1; fi
rust_passed=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$rust_log" | awk '{s+=$4} END {print s+0}')
rust_failed=$(grep -Eo '[0-9]+ failed' "$rust_log" | awk '{s+=$1} END {print s+0}')
if (( rust_status != 0 )); then
  status=1
  # A test binary that did not build (or crashed) counts as a failure too.
  if (( rust_failed == 0 )); then
    log "cargo test failed outside any test (build error or crash): counted as 1 failure"
    rust_failed=1
  fi
fi

e2e_passed=0; e2e_failed=0
if "$ROOT/scripts/build.sh"; then
  log "playwright (end2end)"
  e2e_json="$(mktemp)"
  if ! (cd end2end && PLAYWRIGHT_JSON_OUTPUT_NAME="$e2e_json" npx playwright test --reporter=list,json); then status=1; fi
  if [[ -s "$e2e_json" ]]; then
    read -r e2e_passed e2e_failed < <(node -e '
      const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).stats;
      console.log(s.expected + s.flaky, s.unexpected);' "$e2e_json")
  else
    e2e_failed=1
  fi
else
  log "build failed: end-to-end tests not run"
  status=1; e2e_failed=1
fi

echo
echo "Rust tests:       ${rust_passed} passed, ${rust_failed} failed"
echo "End-to-end tests: ${e2e_passed} passed, ${e2e_failed} failed"
echo "Total:            $((rust_passed + e2e_passed)) passed, $((rust_failed + e2e_failed)) failed  ($(( $(date +%s) - start )) s)"
exit $status
