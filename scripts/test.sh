#!/usr/bin/env bash
# The whole test suite: unit, workflow (Temporal's time-skipping server) and integration tests (the
# real stack). Starts the servers the suite needs with scripts/stack.sh (idempotent: seconds when
# they already run), then runs Jest. Extra arguments go to Jest, e.g. `npm test -- --selectProjects unit`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[[ -d node_modules ]] || npm ci --no-audit --no-fund
bash scripts/stack.sh up servers

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
status=0
npx jest --runInBand --json --outputFile="$results" "$@" || status=$?
# One plain closing line, whatever Jest printed above it.
node -e '
  const text = require("fs").readFileSync(process.argv[1], "utf8");
  if (!text.trim()) { console.error("tests: Jest wrote no results (it crashed before finishing)"); process.exit(1); }
  const r = JSON.parse(text);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
  if (r.numTotalTests === 0) { console.error("no tests ran"); process.exit(1); }
' "$results" || status=1
exit "$status"
