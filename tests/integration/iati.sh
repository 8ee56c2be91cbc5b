#!/usr/bin/env bash
# jvap import iati end to end: the IATI Standard's own example (tests/integration/iati/README.md)
# maps to a plan fragment that `jvap plan check` accepts beside the plan, and an upload that
# ingests; a generated file (tools/gen-iati) against the reference plan lists the activities it
# cannot map, with why; malformed XML and a bad mapping are located and write nothing.
set -u
jvap=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
fx="$src/tests/integration/iati"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export TZ=UTC
fail() { echo "FAIL: $*"; exit 1; }

# 1. The IATI example.
out=$("$jvap" import iati "$fx/activity-standard-example-annotated.xml" --mapping "$fx/mapping.yaml" \
      --plans "$fx/plans" -o ex --as-of 2016-01-31) || fail "import of the example: $out"
echo "$out" | grep -q "1 activity, 1 mapped" || fail "example: $out"
grep -q "id: IATI-ABC123" ex/initiatives.yaml || fail "the activity's id"
grep -q "budget: {amount: 300000, currency: EUR}" ex/initiatives.yaml || fail "the revised budget replaces the original"
grep -q "countries: \[\"AF\", \"AG\"\]" ex/initiatives.yaml || fail "recipient countries"
grep -q "targets: {2013-H1: 10}" ex/initiatives.yaml || fail "indicator target by reporting period"
cp -r "$fx/plans" plans && cp ex/initiatives.yaml plans/imported.yaml
"$jvap" plan check --plans plans -q || fail "plan check refuses the fragment"
"$jvap" ingest ex/upload-ORG-A.csv --org ORG-A --plans plans --db ex.db --as-of 2016-01-31 --received-on 2016-01-20 -q \
  || fail "the upload does not ingest"
"$jvap" records --plans plans --db ex.db --as-of 2016-01-31 --format csv | grep -q "IATI-ABC123,2013-H1,indicator.I1,11," \
  || fail "the indicator actual"

# 2. A generated file against the reference plan: mapped ones check and ingest, others listed.
/usr/bin/python3 "$src/tools/gen-iati" 60 g.xml g-map.yaml
"$jvap" import iati g.xml --mapping g-map.yaml --plans "$src/plans/reference" -o gi --as-of 2026-09-30 --format json > g.json \
  || fail "generated import"
/usr/bin/python3 - <<'PY' || fail "generated summary"
import json
r = json.load(open("g.json"))
assert r["activities"] == 60 and r["mapped"] == 54, r
reasons = {u["iati_identifier"]: u["reasons"] for u in r["unmapped"]}
assert reasons["XX-TEST-000003"] == ["no recipient-country"], reasons
assert reasons["XX-TEST-000007"] == ["organisations not in the mapping: XX-TEST-UNKNOWN"], reasons
PY
cp -r "$src/plans/reference" ref && cp gi/initiatives.yaml ref/imported.yaml
"$jvap" plan check --plans ref -q || fail "plan check refuses the generated fragment"
for f in gi/upload-*.csv; do
  org=${f#gi/upload-}; org=${org%.csv}
  "$jvap" ingest "$f" --org "$org" --plans ref --db g.db --as-of 2026-09-30 --received-on 2026-07-10 -q || fail "ingest $f"
done
grep -c . gi/unmapped.csv | grep -q '^7$' || fail "unmapped.csv lists the six activities"

# 3. Malformed XML: located, nothing written.
printf '<iati-activities version="2.03">\n<iati-activity>\n<iati-identifier>X</iati-identifier>\n</iati-activty>\n' > bad.xml
err=$("$jvap" import iati bad.xml --plans ref -o bad --as-of 2026-09-30 2>&1) && fail "malformed XML accepted"
echo "$err" | grep -qF "bad.xml:4:3: malformed XML: mismatched tag" || fail "location: $err"
[ ! -e bad ] || fail "output written for a malformed file"
# An entity bomb is refused by expat's protection, not expanded.
{ echo '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
  for i in 1 2 3 4 5 6 7 8 9; do p=$(printf '&%s;' $(yes "$(printf "\\x$(printf %x $((96 + i)))")" | head -10)); echo "<!ENTITY $(printf "\\x$(printf %x $((97 + i)))") \"$p\">"; done
  echo ']><iati-activities><iati-activity><iati-identifier>&j;</iati-identifier></iati-activity></iati-activities>'; } > bomb.xml
err=$("$jvap" import iati bomb.xml --plans ref -o bomb --as-of 2026-09-30 2>&1) && fail "entity bomb accepted"
echo "$err" | grep -q "bomb.xml:[0-9]*:[0-9]*: malformed XML" || fail "bomb: $err"

# 4. A bad mapping: every problem located.
printf 'organisations:\n  XX-TEST-IOM: NOPE\nsectors:\n  "15190": {domains: [D9]}\n  "1": {domains: [D1], priorities: [D4.P1]}\nextra: 1\n' > m.yaml
err=$("$jvap" import iati g.xml --mapping m.yaml --plans ref -o m --as-of 2026-09-30 2>&1) && fail "bad mapping accepted"
for want in "m.yaml:2:16: unknown organisation 'NOPE'" "m.yaml:4:23: unknown domain 'D9'" \
            "m.yaml:5:37: priority 'D4.P1' belongs to domain D4" "m.yaml:6:1: unknown key 'extra'"; do
  echo "$err" | grep -qF "$want" || fail "missing: $want; got: $err"
done
[ ! -e m ] || fail "output written for a bad mapping"
echo "ok: IATI example and generated files imported, checked and ingested; bad input located"
