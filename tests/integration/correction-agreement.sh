#!/usr/bin/env bash
# Every path that reads "the records as known on a date" agrees on the correction fixture
# (tests/integration/correction): records, check, completeness and the JSON report give the same
# values and the same report states, now and as known on a date before the correction.
#   I-1: jobs 5 (received 2025-07-20), corrected to 7 (received 2025-09-01), then a copy saying 6
#        received 2025-08-01 is ingested last: the value is 7, and 6 as known on 2025-08-15.
#   I-2: reported by the same organisation in the same upload as I-1.
#   I-3: a partial report (a narrative only, 2025-08-10: status and jobs missing); I-4: nothing.
set -u
jvap=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/tests/integration/correction/." "$work/"
cd "$work"
export TZ=UTC
C=(--plans plans --db jvap.db --as-of 2025-09-30)
fail() { echo "FAIL: $*"; exit 1; }
"$jvap" ingest uploads/iom-first.csv --org IOM --received-on 2025-07-20 "${C[@]}" -q >/dev/null || fail "ingest first"
"$jvap" ingest uploads/iom-correction.csv --org IOM --received-on 2025-09-01 "${C[@]}" -q >/dev/null || fail "ingest correction"
"$jvap" ingest uploads/iom-backdated.csv --org IOM --received-on 2025-08-01 "${C[@]}" -q >/dev/null || fail "ingest backdated"
"$jvap" ingest uploads/unhcr-partial.csv --org UNHCR --received-on 2025-08-10 "${C[@]}" -q >/dev/null || fail "ingest partial"

for known in 2025-09-30 2025-08-15; do
  # Each path as of that date (a report --as-known-on alone is as of that date too).
  D=(--plans plans --db jvap.db --as-of "$known")
  "$jvap" records "${D[@]}" --as-known-on "$known" --format json > records.json || fail "records"
  "$jvap" check --period 2025-H1 --fail-on never --rules "$src/rules" "${D[@]}" --format json > check.json || fail "check"
  "$jvap" completeness --period 2025-H1 "${D[@]}" --format json > completeness.json || fail "completeness"
  "$jvap" report --period 2025-H1 --plans plans --db jvap.db --as-known-on "$known" --format json \
    --rules "$src/rules" --templates "$src/reports" > report.json || fail "report"
  for org in IOM UNHCR; do
    "$jvap" report --period 2025-H1 --plans plans --db jvap.db --as-known-on "$known" --format json \
      --partner "$org" --rules "$src/rules" --templates "$src/reports" > "pack-$org.json" || fail "pack $org"
  done
  python3 - "$known" <<'PY' || fail "the paths disagree as known on $known"
import json, sys
known = sys.argv[1]
records = json.load(open("records.json"))["records"]
check = json.load(open("check.json"))
completeness = json.load(open("completeness.json"))
report = json.load(open("report.json"))

def table(tid):
    for s in report["sections"]:
        for t in s["tables"]:
            if t["id"] == tid:
                return t["rows"]
    raise SystemExit(f"no table {tid}")

jobs = {r["initiative"]: r for r in records if r["measure"] == "indicator.jobs"}
want = "7" if known == "2025-09-30" else "6"
assert jobs["I-1"]["value"] == want, ("records", jobs["I-1"])
want_file = "iom-correction.csv" if want == "7" else "iom-backdated.csv"
assert jobs["I-1"]["file_name"] == want_file, jobs["I-1"]

# The check's evidence names the same value and upload as records.
off = [f for f in check["findings"] if f["rule"] == "indicator-off-track" and f["subject"] == "I-1/indicator.jobs"]
assert off, "indicator-off-track should fire for I-1/indicator.jobs"
actual = [e for e in off[0]["evidence"] if e["name"] == "actual"][0]
assert actual["value"] == want and actual["upload_id"] == jobs["I-1"]["upload_id"], (actual, jobs["I-1"])

# The report's indicator table shows that value.
ind = [r for r in table("D1.indicators") if r["initiative"] == "I-1"][0]
assert str(ind["actual"]).rstrip("0").rstrip(".") == want, ind

# Report states: complete on time for I-1 and I-2, partial for I-3 (a narrative is not a report),
# missing for I-4; the same counts in completeness, the report's completeness table, its annex
# and the partial-report and missing-report findings.
states = {r["initiative"]: r["report"] for r in table("annex.initiatives")}
assert states["I-1"] == "complete, on time: 2025-07-20", states
assert states["I-2"] == "complete, on time: 2025-07-20", states
assert states["I-3"] == "partial: 2 measures missing", states
assert states["I-4"] == "missing", states
total = completeness["total"]
row = [r for r in table("summary.completeness") if r["process"] == "all"][0]
for k in ("expected", "complete", "on_time", "partial", "missing"):
    assert total[k] == row[k], (k, total, row)
assert (total["expected"], total["complete"], total["on_time"], total["partial"], total["missing"]) == (4, 2, 2, 1, 1), total
complete = sum(1 for s in states.values() if s.startswith("complete"))
assert complete == total["complete"], (complete, total)
by_org = {g["key"]: g for g in completeness["by_org"]}
assert by_org["IOM"]["complete"] == 2 and by_org["UNHCR"]["partial"] == 1, by_org
fired = lambda rule: sorted(f["subject"] for f in check["findings"] if f["rule"] == rule)
assert fired("partial-report") == ["I-3"], fired("partial-report")
assert fired("missing-report") == ["I-4"], fired("missing-report")

# Disbursed to date: the same in the report's initiatives as the records.
disbursed = {r["initiative"]: r["value"] for r in records if r["measure"] == "disbursed"}
annex = {r["initiative"]: r for r in table("annex.initiatives")}
for ini, v in disbursed.items():
    assert abs(annex[ini]["disbursed"] - float(v)) < 1e-9, (ini, annex[ini], v)
# A partner pack counts the reports its organisation sends exactly as completeness does per org.
import re
for org in ("IOM", "UNHCR"):
    pack = json.load(open(f"pack-{org}.json"))
    h = [x for x in pack["highlights"] if x["key"] == "completeness"][0]
    m = re.match(r"(\d+) of (\d+) expected, (\d+) on time; (\d+) partial, (\d+) missing", h["detail"])
    assert m, h
    g = by_org[org]
    assert tuple(map(int, m.groups())) == (g["complete"], g["expected"], g["on_time"], g["partial"], g["missing"]), (org, h, g)
print(f"agree as known on {known}")
PY
done
echo "ok: records, check, completeness and report agree"
