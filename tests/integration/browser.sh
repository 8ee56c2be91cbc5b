#!/usr/bin/env bash
# The dashboard used in a real browser: `jvap serve` on the demo's 2025-H1 uploads (as of
# 2026-07-20, lib-serve.sh), and tests/browser/dashboard.mjs driving Debian's headless chromium
# through playwright-core (never a downloaded browser): keyboard sign-in, a dry run with errors, a
# submission, its review by the secretariat, a report, French labels and the phone layout.
# JVAP_SCREENSHOTS=DIR keeps the screenshots (docs/screenshots/dashboard-*.png were made so).
set -u
jvap=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: $*"; exit 1; }
[ -d "$src/tests/browser/node_modules/playwright-core" ] ||
  fail "tests/browser/node_modules is missing: run npm ci in tests/browser; tools/test does it"
command -v node >/dev/null || fail "node is not installed (tools/test installs nodejs)"
chromium=${JVAP_CHROMIUM:-/usr/lib/chromium/chromium}
[ -x "$chromium" ] || fail "no chromium at $chromium (tools/test installs it)"
work=$(mktemp -d)
SERVE_ARGS="--web $src/reports/dashboard"
source "$src/tests/integration/lib-serve.sh"
cd "$work"

JVAP_URL="$JVAP/" JVAP_TOKEN_FOCAL=$TOKEN JVAP_TOKEN_SECRETARIAT=$SECRETARIAT JVAP_TOKEN_VIEWER=$VIEWER \
  JVAP_TOKEN_OTHER=$UNHCR JVAP_OTHER_ORG=UNHCR JVAP_OTHER_UPLOAD="$src/plans/demo/uploads/2025-H2/UNHCR.csv" \
  JVAP_UPLOAD="$src/plans/demo/uploads/2025-H2/IOM.csv" JVAP_PERIOD=2025-H2 JVAP_CHROMIUM="$chromium" \
  timeout 300 node "$src/tests/browser/dashboard.mjs" || { tail -n 40 serve.log; fail "the dashboard's browser test"; }
grep -q 'jvap_[a-z0-9]*_' serve.log && fail "the service's log holds a token"
echo "dashboard tested in chromium"
