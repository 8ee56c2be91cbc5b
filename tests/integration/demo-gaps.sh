#!/usr/bin/env bash
# The demo data's deliberate gaps (plans/demo/uploads/README.md) are each found by the intended
# rule, and no other error or warning is raised: the error and warning findings of the three
# periods equal plans/demo/uploads/expected-findings.csv (stale initiatives, info, included) and,
# for commitments and work plans (plans/demo/work.yaml), plans/demo/work-uploads/expected-findings.csv.
set -u
jvap=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$src"
common=(--plans plans --db "$work/jvap.db" --as-of 2026-09-30)
while IFS=, read -r file org received; do
  "$jvap" ingest "plans/demo/uploads/$file" --org "$org" --received-on "$received" "${common[@]}" -q >/dev/null \
    || { echo "FAIL: $file rejected"; exit 1; }
done < <(tail -n +2 plans/demo/uploads/manifest.csv)
while IFS=, read -r file org received; do
  "$jvap" ingest "plans/demo/work-uploads/$file" --org "$org" --received-on "$received" "${common[@]}" -q >/dev/null \
    || { echo "FAIL: $file rejected"; exit 1; }
done < <(tail -n +2 plans/demo/work-uploads/manifest.csv)
for p in 2025-H1 2025-H2 2026-H1; do
  "$jvap" check --period "$p" --fail-on never --format json "${common[@]}" > "$work/$p.json" || exit 1
  "$jvap" owed --period "$p" --format json "${common[@]}" > "$work/owed-$p.json" || exit 1
done
# Every message and fix text as a reader sees it: no placeholder or unfilled id left, one finding
# of each rule that fired (explain fills the fix from the finding's subject).
python3 - "$work" <<'PY' || exit 1
import json, sys
work = sys.argv[1]
for p in ("2025-H1", "2025-H2", "2026-H1"):
    for f in json.load(open(f"{work}/{p}.json"))["findings"]:
        assert not any(c in f["message"] for c in "{}<>"), f
PY
for fp in $(python3 -c "
import json, sys
seen = {}
for p in ('2025-H1', '2025-H2', '2026-H1'):
    for f in json.load(open('$work/' + p + '.json'))['findings']:
        seen.setdefault(f['rule'], f['fingerprint'])
print(' '.join(seen.values()))"); do
  "$jvap" explain "$fp" --format json --db "$work/jvap.db" > "$work/explain.json" || { echo "FAIL: explain $fp"; exit 1; }
  python3 -c "
import json; e = json.load(open('$work/explain.json'))
assert e['fix'] and not any(c in e['fix'] for c in '{}<>'), e['fix']" || { echo "FAIL: fix text of $fp"; exit 1; }
done
python3 - "$work" plans/demo/uploads/expected-findings.csv plans/demo/work-uploads/expected-findings.csv <<'PY'
import csv, json, sys
work, expected_files = sys.argv[1], sys.argv[2:]
expected = {(r["period"], r["rule"], r["subject"]) for f in expected_files for r in csv.DictReader(open(f))}
got = set()
for p in ("2025-H1", "2025-H2", "2026-H1"):
    for f in json.load(open(f"{work}/{p}.json"))["findings"]:
        if f["severity"] in ("error", "warning") or f["rule"] == "stale-initiative":
            got.add((p, f["rule"], f["subject"]))
missing, extra = sorted(expected - got), sorted(got - expected)
for m in missing: print("not found:", *m)
for e in extra: print("unexpected:", *e)
print(f"{len(expected & got)} of {len(expected)} deliberate gaps found, {len(extra)} unexpected")
# `jvap owed` lists exactly the missing and partial reports the findings name.
reports = {(p, s) for p, r, s in expected if r in ("missing-report", "partial-report")}
owed = {(p, o["initiative"]) for p in ("2025-H1", "2025-H2", "2026-H1")
        for o in json.load(open(f"{work}/owed-{p}.json"))["owed"]}
if owed != reports:
    print("owed differs from the missing and partial reports:", sorted(owed ^ reports))
    sys.exit(1)
print(f"owed: the {len(reports)} missing and partial reports, no other")
sys.exit(1 if missing or extra else 0)
PY
