#!/usr/bin/env bash
# A --db in a folder that does not exist: a clear error and no folder created.
source "$(dirname "$0")/lib.sh"
printf 'initiative,period,measure,value\nI-1,2024-H1,status,ongoing\n' > a.csv
out=$("$jvap" ingest a.csv --org IOM --plans plans --db no/such/dir/jvap.db --as-of 2025-03-01 2>&1)
code=$?
[ $code = 2 ] || fail "exit $code: $out"
echo "$out" | grep -q "folder no/such/dir does not exist" || fail "message: $out"
[ ! -e no ] || fail "folder created"
echo "missing folder: clear error"
