#!/usr/bin/env bash
# A database the user may not write: a clear error, nothing stored, the file unchanged. Run as an
# unprivileged user (root bypasses file permissions).
source "$(dirname "$0")/lib.sh"
printf 'initiative,period,measure,value\nI-1,2024-H1,status,ongoing\n' > a.csv
printf 'initiative,period,measure,value\nI-1,2024-H1,indicator.jobs,3\n' > first.csv
"$jvap" ingest first.csv --org IOM "${common[@]}" >/dev/null || fail "setup ingest"
chmod 755 "$work"
chmod 644 jvap.db a.csv
chmod -R a+rX plans
before=$(sha256sum jvap.db)
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
out=$(as_nobody "$jvap" ingest a.csv --org IOM "${common[@]}" 2>&1)
code=$?
[ $code = 2 ] || fail "exit $code, want 2: $out"
echo "$out" | grep -q "read-only\|cannot open" || fail "message: $out"
[ "$(sha256sum jvap.db)" = "$before" ] || fail "database changed"
out=$(as_nobody "$jvap" records "${common[@]}" 2>&1) || fail "reading a read-only database: $out"
echo "$out" | grep -q "indicator.jobs" || fail "records: $out"
echo "read-only database: clear error, unchanged, still readable"
