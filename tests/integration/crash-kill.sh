#!/usr/bin/env bash
# Crash safety: `jvap ingest` of a large upload is killed with SIGKILL at random moments, 30
# times. After each kill the database passes PRAGMA integrity_check, the upload is either wholly
# present or wholly absent, and the earlier upload is intact.
set -u
jvap=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
source "$src/tests/integration/big-data.sh"
make_big_data 2 || fail "generating data"
common=(--plans plans --as-of 2025-06-30 --org IOM)
"$jvap" ingest first.csv --db base.db "${common[@]}" >/dev/null || fail "first upload"
# How long a whole ingest takes, to spread the kills over it.
cp base.db timing.db
start=$(date +%s%N)
"$jvap" ingest big.csv --db timing.db "${common[@]}" >/dev/null || fail "timing ingest"
total_ms=$(( ($(date +%s%N) - start) / 1000000 ))
rows=$(sqlite3 timing.db "SELECT count(*) FROM record_version WHERE upload_id = 2")
present=0 absent=0
for i in $(seq 1 30); do
  rm -f run.db run.db-wal run.db-shm
  cp base.db run.db
  delay_ms=$(( RANDOM % (total_ms + 50) ))
  "$jvap" ingest big.csv --db run.db "${common[@]}" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '0.%03d' "$delay_ms")"
  [ "$delay_ms" -ge 1000 ] && sleep $(( delay_ms / 1000 ))
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [ "$(sqlite3 run.db 'PRAGMA integrity_check')" = ok ] || fail "kill $i: integrity_check"
  n=$(sqlite3 run.db "SELECT count(*) FROM record_version WHERE upload_id = 2")
  uploads=$(sqlite3 run.db "SELECT count(*) FROM upload")
  if [ "$n" = "$rows" ] && [ "$uploads" = 2 ]; then present=$((present + 1))
  elif [ "$n" = 0 ] && [ "$uploads" = 1 ]; then absent=$((absent + 1))
  else fail "kill $i after ${delay_ms} ms: partial upload ($n of $rows rows, $uploads uploads)"; fi
  [ "$(sqlite3 run.db 'SELECT count(*) FROM record_version WHERE upload_id = 1')" = 2 ] ||
    fail "kill $i: the earlier upload changed"
done
echo "30 kills over a ${total_ms} ms ingest of $rows rows: $present wholly present, $absent wholly absent, integrity ok"
