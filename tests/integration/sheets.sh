#!/usr/bin/env bash
# Spreadsheet uploads end to end: jvap's own XLSX template, filled in by a script (openpyxl, as a
# spreadsheet program would) with values for some rows and blanks for the others, ingests as it
# is; an ODS file ingests; the 1904 date system is honoured; and every bad file or cell is refused
# with its location (FILE:Sheet!C7), nothing stored. Fixtures: the golden ingest-plan and
# work-plan plans; ODS files from tests/integration/sheets/make-ods.py.
set -u
jvap=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
py=/usr/bin/python3  # Debian's, with python3-openpyxl (tools/test installs it)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/tests/golden/fixtures/ingest-plan/." "$src/tests/golden/fixtures/work-plan/." "$work/"
cd "$work"
export TZ=UTC
C=(--plans plans --db jvap.db --as-of 2025-03-01)
fail() { echo "FAIL: $*"; exit 1; }
bash setup-work "$jvap" >/dev/null || fail "setup"

# 1. The template, filled by a script, blanks included.
"$jvap" template --org IOM --period 2024-H2 "${C[@]}" --format xlsx -o t.xlsx -q || fail "template xlsx"
"$py" - <<'PY' || fail "fill the template"
import datetime, openpyxl
wb = openpyxl.load_workbook("t.xlsx")
assert wb.sheetnames == ["Upload", "Instructions"], wb.sheetnames
ws = wb["Upload"]
assert ws.protection.sheet, "the Upload sheet is protected"
header = [c.value for c in ws[4]]
assert header[:5] == ["initiative", "period", "measure", "value", "comment"], header
assert "IOM" in ws["A1"].value and "2024-H2" in ws["A1"].value
assert ws["A5"].protection.locked and not ws["D5"].protection.locked
kinds = {dv.type for dv in ws.data_validations.dataValidation}
assert {"list", "decimal", "date"} <= kinds, kinds
for row in ws.iter_rows(min_row=5):
    m = row[2].value
    if m == "status": row[3].value = "ongoing"
    elif m == "indicator.jobs": row[3].value = 12
    elif m == "milestone.M1": row[3].value = datetime.date(2024, 3, 4)
    elif m == "held_on": row[3].value = datetime.date(2024, 10, 3)
    elif m == "outcome": row[3].value = "held"
    # disbursed and participants are left blank: not reported
wb.save("filled.xlsx")
PY
out=$("$jvap" ingest filled.xlsx --org IOM --received-on 2025-01-25 "${C[@]}") || fail "the filled template was refused: $out"
echo "$out" | grep -q "7 rows: 5 new" || fail "filled template: $out"
echo "$out" | grep -q "2 rows with a blank value not reported" || fail "blanks: $out"
recs=$("$jvap" records --initiative I-1 --format csv "${C[@]}")
echo "$recs" | grep -q "milestone.M1,2024-03-04" || fail "the date cell: $recs"
echo "$recs" | grep -q "indicator.jobs,12," || fail "the number cell: $recs"
"$jvap" records --initiative A-2 --format csv "${C[@]}" | grep -q "held_on,2024-10-03" || fail "activity date"
"$jvap" uploads --format json "${C[@]}" | grep -q '"format": "xlsx"' || fail "the audit log names the format"

# 2. ODS, with a date cell and a number, on a sheet named in French.
echo '[["Initiative","period","measure","value","comment"],
       ["I-2","2024-H2","status","ongoing",null],
       ["I-2","2024-H2","milestone.adopted",{"date":"2024-12-02"},"vote"]]' | "$py" "$src/tests/integration/sheets/make-ods.py" p.ods Feuille1
"$jvap" ingest p.ods --org SN --received-on 2025-01-26 "${C[@]}" -q || fail "the ODS file was refused"
"$jvap" records --initiative I-2 --format csv "${C[@]}" | grep -q "milestone.adopted,2024-12-02" || fail "ODS date"

# 3. The 1904 date system: the same date written as a 1904 serial.
"$py" - <<'PY' || fail "1904 workbook"
import datetime, openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904
wb = openpyxl.Workbook(); wb.epoch = CALENDAR_MAC_1904
ws = wb.active; ws.title = "Mac"
ws.append(["initiative", "period", "measure", "value"])
ws.append(["I-1", "2024-H2", "milestone.M1", datetime.date(2024, 3, 5)])
wb.save("mac.xlsx")
PY
"$jvap" ingest mac.xlsx --org IOM --received-on 2025-01-27 "${C[@]}" -q || fail "1904 file refused"
"$jvap" records --initiative I-1 --format csv "${C[@]}" | grep -q "milestone.M1,2024-03-05" || fail "1904 date"

# 4. Bad files and cells: located, every one, nothing stored.
before=$(sqlite3 jvap.db "SELECT count(*) FROM record_version")
"$py" - <<'PY' || fail "bad workbook"
import openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Données"
ws.append(["initiative", "period", "measure", "value", "comment"])
ws.append(["I-1", "2024-H2", "status", "finished", None])
ws.append(["I-1", "2024-H2", "indicator.jobs", True, None])
ws.append(["I-1", "2024-H2", "indicator.jobs", "=2+2", None])
ws.append(["I-9", "2024-H2", "status", "ongoing", None, "stray"])
wb.create_sheet("Other")
wb.save("bad.xlsx")
PY
err=$("$jvap" ingest bad.xlsx --org IOM "${C[@]}" 2>&1) && fail "bad.xlsx accepted"
for want in "bad.xlsx:Données!D2: value: invalid status 'finished'" \
            "bad.xlsx:Données!D3: value: a TRUE/FALSE cell" \
            "bad.xlsx:Données!D4: value: a formula with no saved result" \
            "bad.xlsx:Données!F5: a cell outside the header's columns"; do
  echo "$err" | grep -qF "$want" || fail "missing: $want; got: $err"
done
err=$("$jvap" ingest bad.xlsx --sheet Othr --org IOM "${C[@]}" 2>&1) && fail "unknown sheet accepted"
echo "$err" | grep -qF "no sheet named 'Othr' (did you mean 'Other'?)" || fail "sheet name: $err"
printf 'not a zip\0 at all' > fake.xlsx
err=$("$jvap" ingest fake.xlsx --org IOM "${C[@]}" 2>&1) && fail "fake.xlsx accepted"
echo "$err" | grep -qF "not a spreadsheet file (not a zip archive)" || fail "fake: $err"
# A zip bomb: a member that declares 300 MiB unpacked is refused before anything is inflated.
"$py" - <<'PY' || fail "bomb"
import zipfile
with zipfile.ZipFile("bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 << 20))
PY
err=$("$jvap" ingest bomb.xlsx --org IOM "${C[@]}" 2>&1) && fail "bomb accepted"
echo "$err" | grep -qF "unpacks to more than 256 MiB" || fail "bomb: $err"
err=$("$jvap" ingest p.ods --sheet X --org SN "${C[@]}" 2>&1) && fail "--sheet on a missing sheet accepted"
cp filled.xlsx filled.csv
err=$("$jvap" ingest filled.csv --sheet Upload --org IOM "${C[@]}" 2>&1) && fail "--sheet on CSV accepted"
echo "$err" | grep -qF -- "--sheet is for XLSX and ODS files" || fail "sheet on csv: $err"
after=$(sqlite3 jvap.db "SELECT count(*) FROM record_version")
[ "$before" = "$after" ] || fail "a refused file stored records"
echo "ok: template filled and ingested, ODS, 1904 dates, bad files located and refused"
