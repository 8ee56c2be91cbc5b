#!/usr/bin/env bash
# Resource faults: an ingest that runs out of disk (an 8 MiB tmpfs when this machine lets us mount
# one, else a 4 MB file-size limit) fails with a clear message; the database stays intact, holds
# nothing of the failed upload, and the earlier upload is untouched.
set -u
jvap=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
cleanup() { mountpoint -q "$work/small" 2>/dev/null && umount "$work/small"; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
source "$src/tests/integration/big-data.sh"
make_big_data 1 || fail "generating data"
mkdir small
common=(--plans plans --as-of 2025-06-30 --org IOM)
if mount -t tmpfs -o size=8m tmpfs small 2>/dev/null; then
  how="an 8 MiB tmpfs"
  db=small/jvap.db
  "$jvap" ingest first.csv --db "$db" "${common[@]}" >/dev/null || fail "first upload"
  out=$("$jvap" ingest big.csv --db "$db" "${common[@]}" 2>&1)
  code=$?
else
  how="a 4 MB file-size limit"
  db=jvap.db
  "$jvap" ingest first.csv --db "$db" "${common[@]}" >/dev/null || fail "first upload"
  out=$(ulimit -f 4000; trap '' XFSZ; "$jvap" ingest big.csv --db "$db" "${common[@]}" 2>&1)
  code=$?
fi
[ $code = 2 ] || fail "exit $code, want 2: $out"
echo "$out" | grep -q "disk is full\|input/output error" || fail "message: $out"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM record_version')" = 1 ] || fail "versions left behind"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM upload')" = 1 ] || fail "upload rows"
echo "disk full ($how): '$out'; database intact, nothing stored"
