#!/usr/bin/env bash
# Hostile data meets jvap's outputs and its first database: CSV cells that a spreadsheet would run
# as formulas are neutralised; text longer than an XLSX cell is cut with a marker and a warning,
# never dropped; the audit hash of a rejected upload covers the whole file; a dry run or a failed
# first ingest creates no database file.
source "$(dirname "$0")/lib.sh"
src_rules=$src/rules

# A dry run and a rejected first upload leave no database behind.
printf 'initiative,period,measure,value\nI-1,2024-H2,status,ongoing\n' > ok.csv
"$jvap" ingest ok.csv --org IOM "${common[@]}" --dry-run >/dev/null || fail "dry run"
[ ! -e jvap.db ] || fail "a dry run created the database"
printf 'initiative,period,measure,value\nI-9,2024-H2,status,ongoing\n' > bad.csv
"$jvap" ingest bad.csv --org IOM "${common[@]}" >/dev/null 2>&1
[ ! -e jvap.db ] || fail "a rejected first upload created the database"
ls -a | grep -q '\.new-' && fail "a temporary database was left behind"

# The audit hash of a rejected upload covers every byte, not only what was read before the problem.
"$jvap" ingest ok.csv --org IOM "${common[@]}" >/dev/null || fail "first upload"
python3 -c "
with open('garbage.csv', 'wb') as f:
    f.write(b'\x00' + b'x' * (3 << 20))"
"$jvap" ingest garbage.csv --org IOM "${common[@]}" >/dev/null 2>&1
want=$(sha256sum garbage.csv | cut -d' ' -f1)
got=$("$jvap" uploads --format json "${common[@]}" | python3 -c "import json,sys; print(json.load(sys.stdin)['uploads'][-1]['sha256'])")
[ "$got" = "$want" ] || fail "audit hash $got, want $want (the whole file)"

# CSV: a finding's text that starts like a formula is kept as text.
mkdir -p rules
cat > rules/r.yaml <<'YAML'
rules:
  - id: formula
    title: Formula
    severity: info
    fix: none
    sql: SELECT 'I-1' AS subject, :period AS period, '=HYPERLINK("http://x","click")' AS message, '[]' AS evidence
YAML
"$jvap" check --period 2024-H2 --rules rules "${common[@]}" --format csv > check.csv || fail "check csv"
grep -q "^[^,]*,new,info,formula,I-1,2024-H2,\"'=HYPERLINK" check.csv || fail "formula not neutralised: $(cat check.csv)"

# XLSX: a narrative longer than a cell holds is cut with a marker, and the command says so.
python3 -c "
print('initiative,period,measure,value')
print('I-1,2024-H2,narrative,' + 'n' * 40000)" > long.csv
"$jvap" ingest long.csv --org IOM "${common[@]}" >/dev/null || fail "long narrative"
cat > rules/r.yaml <<'YAML'
rules:
  - id: narrative
    title: Narrative
    severity: info
    fix: none
    sql: SELECT initiative AS subject, :period AS period, value AS message, '[]' AS evidence FROM e_value WHERE measure = 'narrative'
YAML
out=$("$jvap" report --period 2024-H2 --rules rules --templates "$src/reports" "${common[@]}" --format xlsx -o r.xlsx 2>&1) ||
  fail "xlsx report: $out"
echo "$out" | grep -q "warning: [0-9]* texts\? w[a-z]* longer than an XLSX cell holds" || fail "no warning: $out"
python3 - <<'PY' || fail "the long text is not in the workbook, cut with its marker"
import zipfile, re
s = zipfile.ZipFile("r.xlsx").read("xl/sharedStrings.xml").decode()
cut = [t for t in re.findall(r"<t[^>]*>([^<]*)</t>", s) if "cut: 40000 characters" in t]
assert cut and len(cut[0]) <= 32767 and cut[0].startswith("nnnn"), cut[:1]
PY
echo "ok: formulas neutralised, long text cut with a marker, whole-file audit hash, no database from a dry run or a rejection"
