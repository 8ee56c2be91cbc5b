#!/usr/bin/env bash
# A database held by another writer: jvap waits (--wait), then fails with a clear message and
# stores nothing; once the other writer is done, the same upload lands.
source "$(dirname "$0")/lib.sh"
printf 'initiative,period,measure,value\nI-1,2024-H1,status,ongoing\n' > a.csv
printf 'initiative,period,measure,value\nI-1,2024-H1,indicator.jobs,3\n' > first.csv
"$jvap" ingest first.csv --org IOM "${common[@]}" >/dev/null || fail "setup ingest"
mkfifo hold
(sqlite3 jvap.db < hold) &
holder=$!
exec 3>hold
echo "BEGIN IMMEDIATE; INSERT INTO measure(name) VALUES ('held');" >&3
sleep 0.5
start=$(date +%s%N)
out=$("$jvap" ingest a.csv --org IOM --wait 1 "${common[@]}" 2>&1)
code=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ $code = 2 ] || fail "exit $code, want 2: $out"
echo "$out" | grep -q "is locked by another writer" || fail "message: $out"
[ $elapsed -ge 900 ] || fail "did not wait (${elapsed} ms)"
echo "ROLLBACK;" >&3
exec 3>&-
wait $holder
"$jvap" ingest a.csv --org IOM "${common[@]}" >/dev/null || fail "ingest after the lock"
[ "$(count 'SELECT count(*) FROM record_version')" = 2 ] || fail "versions"
echo "locked database: waited ${elapsed} ms, clear error, then landed"
