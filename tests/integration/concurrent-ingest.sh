#!/usr/bin/env bash
# Two ingests started at once on the same (new) database both land; then four more uploads, two
# checks and a report start at once while a reader lists records: everything lands, nothing is
# lost, no "database is locked" reaches the user.
source "$(dirname "$0")/lib.sh"
printf 'initiative,period,measure,value\nI-1,2024-H1,indicator.jobs,%s\n' 1 > a.csv
printf 'initiative,period,measure,value\nI-1,2024-H2,indicator.jobs,%s\n' 2 > b.csv
"$jvap" ingest a.csv --org IOM "${common[@]}" > a.out 2>&1 &
pa=$!
"$jvap" ingest b.csv --org IOM "${common[@]}" > b.out 2>&1 &
pb=$!
wait $pa || fail "first ingest: $(cat a.out)"
wait $pb || fail "second ingest: $(cat b.out)"
[ "$(count 'SELECT count(*) FROM upload WHERE outcome = "accepted"')" = 2 ] || fail "not both accepted"
pids=()
for i in 1 2 3 4; do
  big_upload "u$i.csv" 20000 "$((10 + i))"
  "$jvap" ingest "u$i.csv" --org IOM "${common[@]}" > "u$i.out" 2>&1 &
  pids+=($!)
done
for p in 2024-H1 2024-H2; do
  "$jvap" check --period "$p" --fail-on never --rules "$src/rules" "${common[@]}" > "c-$p.out" 2>&1 &
  pids+=($!)
done
"$jvap" report --period 2024-H2 --rules "$src/rules" --templates "$src/reports" "${common[@]}" \
  --format json -o report.json > rep.out 2>&1 &
pids+=($!)
"$jvap" records "${common[@]}" > r.out 2>&1 || fail "records while writing: $(cat r.out)"
for i in 1 2 3 4; do wait "${pids[$((i - 1))]}" || fail "ingest $i: $(cat u$i.out)"; done
wait "${pids[4]}" || fail "check 2024-H1: $(cat c-2024-H1.out)"
wait "${pids[5]}" || fail "check 2024-H2: $(cat c-2024-H2.out)"
wait "${pids[6]}" || fail "report: $(cat rep.out)"
[ "$(count 'SELECT count(*) FROM check_run')" = 2 ] || fail "check runs: $(count 'SELECT count(*) FROM check_run')"
python3 -c "import json; json.load(open('report.json'))" || fail "report.json is not JSON"
grep -l "locked" ./*.out && fail "a lock error reached the user"
[ "$(count 'SELECT count(*) FROM upload')" = 6 ] || fail "uploads lost"
[ "$(count 'SELECT count(*) FROM record_version')" = 10 ] || fail "versions: $(count 'SELECT count(*) FROM record_version')"
[ "$(count 'PRAGMA integrity_check')" = ok ] || fail "integrity"
echo "concurrent ingests, checks and a report: all landed"
