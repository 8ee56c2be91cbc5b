#!/usr/bin/env bash
# The partner service end to end: for every endpoint, a partner cannot read or write another
# organisation's data; a rejected or refused upload stores nothing; the review cycle, with a
# returned submission left out of reports of verified data until resubmitted and verified;
# tokens revoked and expired; the limits (411, 413, 415, 429, 431) and the errors' shape; no token
# or file content in the log.
set -u
jvap=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
fail() { echo "FAIL: $*"; exit 1; }
SERVE_ARGS="--uploads-per-minute 12 --failed-sign-ins 5"
source "$src/tests/integration/lib-serve.sh"
cd "$work"
cp "$src/plans/demo/uploads/2025-H2/IOM.csv" iom.csv
cp "$src/plans/demo/uploads/2025-H2/UNHCR.csv" unhcr.csv 2>/dev/null || fail "setup: no UNHCR 2025-H2 upload in the demo"
# status TOKEN METHOD PATH [curl args...]: prints the HTTP status; the body goes to body.json.
status() {
  local t=$1 m=$2 p=$3
  shift 3
  command curl -s -o body.json -w '%{http_code}' -X "$m" ${t:+-H "Authorization: Bearer $t"} "$@" "$JVAP/api/v1$p"
}
expect() {  # expected TOKEN METHOD PATH [curl args...]
  local want=$1
  shift
  local got
  got=$(status "$@")
  [ "$got" = "$want" ] || { cat body.json; fail "$2 $3 as ${1:0:13}: HTTP $got, expected $want"; }
}
code_is() { grep -q "\"code\": \"$1\"" body.json || { cat body.json; fail "expected error code $1"; }; }
uploads() { "$jvap" uploads "${C[@]}" --format json | grep -c '"upload_id"'; }
csv=(-H "Content-Type: text/csv")

# ---- the review cycle ----
expect 201 "$TOKEN" POST "/uploads?name=IOM.csv" "${csv[@]}" --data-binary @iom.csv
expect 201 "$UNHCR" POST "/uploads?name=UNHCR.csv" "${csv[@]}" --data-binary @unhcr.csv   # submission 2
disbursed() {  # the joint report (verified data only) in JSON: IOM's DEMO-P002 disbursed for 2025-H2
  "$jvap" report --period 2025-H2 --verified-only --format json "${C[@]}" --rules "$src/rules" \
    --templates "$src/reports" -o r.json -q && grep -c '1146712\|114671270' r.json
}
[ "$(disbursed)" = 0 ] || fail "a submitted (unverified) upload reached a report of verified data"
expect 200 "$SECRETARIAT" POST /submissions/1/return -H "Content-Type: application/json" -d '{"comment":"check DEMO-P002"}'
[ "$(disbursed)" = 0 ] || fail "a returned upload reached a report of verified data"
"$jvap" records "${C[@]}" --format json | grep -q 1146712 && fail "a returned upload's records are still read"
expect 409 "$SECRETARIAT" POST /submissions/1/verify -H "Content-Type: application/json" -d '{}'
code_is not_awaiting_review
sed '2s/$/ corrected/' iom.csv > iom2.csv
expect 201 "$TOKEN" POST "/submissions/1/resubmit?name=IOM.csv" "${csv[@]}" --data-binary @iom2.csv
[ "$(disbursed)" = 0 ] || fail "a resubmitted, unverified upload reached a report of verified data"
expect 200 "$SECRETARIAT" POST /submissions/1/verify -H "Content-Type: application/json" -d '{}'
[ "$(disbursed)" != 0 ] || fail "the verified upload is not in the report of verified data"
grep -q 'verified data only' r.json || fail "the report does not say it is of verified data only"
expect 200 "$TOKEN" GET /submissions/1/audit
[ "$(grep -c '"action"' body.json)" = 4 ] || { cat body.json; fail "the audit trail does not have its 4 events"; }
expect 200 "$TOKEN" GET /submissions/1/file
cmp -s body.json iom2.csv || fail "the archived file differs from the one sent"

# ---- the other formats: JSON and XLSX, with the same validation (dry runs) ----
/usr/bin/python3 - unhcr.csv <<'PY' || fail "setup: JSON and XLSX copies of the upload"
import csv, json, sys, openpyxl
rows = list(csv.DictReader(open(sys.argv[1])))
json.dump(rows, open("unhcr.json", "w"))
wb = openpyxl.Workbook()
ws = wb.active
ws.append(list(rows[0].keys()))
for r in rows:
    ws.append(list(r.values()))
wb.save("unhcr.xlsx")
rows[1]["value"] = "lots"
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Report"
ws.append(list(rows[0].keys()))
for r in rows:
    ws.append(list(r.values()))
wb.save("unhcr-bad.xlsx")
PY
expect 200 "$UNHCR" POST "/uploads?name=unhcr.json&dry_run=1" -H "Content-Type: application/json" --data-binary @unhcr.json
xlsx="Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
expect 200 "$UNHCR" POST "/uploads?name=unhcr.xlsx&dry_run=1" -H "$xlsx" --data-binary @unhcr.xlsx
expect 400 "$UNHCR" POST "/uploads?name=unhcr-bad.xlsx&dry_run=1" -H "$xlsx" --data-binary @unhcr-bad.xlsx
grep -q '"text": "unhcr-bad.xlsx:Report!D3: value: ' body.json || { cat body.json; fail "a bad XLSX cell is not named Sheet!D3"; }
expect 400 "$UNHCR" POST "/uploads?name=unhcr.xlsx&dry_run=1" -H "$xlsx" --data-binary @unhcr.csv; code_is rejected

# ---- no partner reads or writes another's data: every endpoint ----
n0=$(uploads)
expect 403 "$UNHCR" POST "/uploads?name=x.csv" "${csv[@]}" --data-binary @iom.csv; code_is not_your_initiative
expect 403 "$UNHCR" POST "/uploads?name=x.csv&dry_run=1" "${csv[@]}" --data-binary @iom.csv
expect 403 "$UNHCR" POST "/uploads?name=x.csv&org=IOM" "${csv[@]}" --data-binary @iom.csv; code_is not_your_organisation
[ "$(uploads)" = "$n0" ] || fail "a refused upload was stored"
for t in "$UNHCR" "$UNHCR_FOCAL"; do
  expect 404 "$t" GET /submissions/1
  expect 404 "$t" GET /submissions/1/file
  expect 404 "$t" POST "/submissions/1/resubmit?name=x.csv" "${csv[@]}" --data-binary @unhcr.csv
  expect 403 "$t" GET "/submissions?org=IOM"
  expect 403 "$t" POST /submissions/2/verify -H "Content-Type: application/json" -d '{}'
  expect 403 "$t" POST /submissions/2/return -H "Content-Type: application/json" -d '{"comment":"x"}'
  expect 403 "$t" GET "/owed?period=2025-H2&org=IOM"
  expect 403 "$t" GET "/template?period=2025-H2&org=IOM"
done
expect 404 "$UNHCR_FOCAL" GET /submissions/1/audit
expect 403 "$UNHCR_FOCAL" GET "/findings?period=2025-H2&org=IOM"
expect 403 "$UNHCR_FOCAL" GET "/completeness?period=2025-H2&org=IOM"
expect 403 "$UNHCR_FOCAL" GET "/reports/partner?period=2025-H2&partner=IOM&format=json"
expect 200 "$UNHCR" GET /submissions
grep -q '"org": "IOM"' body.json && fail "a partner's list of submissions shows another organisation's"
# What a partner sees is what the CLI gives for its organisation.
expect 200 "$UNHCR" GET "/owed?period=2025-H2"
"$jvap" owed --period 2025-H2 --org UNHCR --format json "${C[@]}" > cli.json
cmp -s body.json cli.json || fail "owed through the service differs from jvap owed --org UNHCR"
expect 200 "$UNHCR_FOCAL" GET "/findings?period=2025-H2"
cp body.json service-findings.json
"$jvap" check --period 2025-H2 --fail-on never "${C[@]}" --rules "$src/rules" -q > /dev/null
"$jvap" findings --period 2025-H2 --org UNHCR --format json "${C[@]}" > cli.json
python3 - service-findings.json cli.json <<'PY' || fail "findings through the service differ from jvap findings --org UNHCR"
import json, sys
s, c = (json.load(open(f)) for f in sys.argv[1:])
a, b = {f["fingerprint"] for f in s["findings"]}, {f["fingerprint"] for f in c["findings"] if f["status"] != "resolved"}
assert a == b and s["total"] == len(a) and a, (sorted(a ^ b), s["total"])
PY
expect 200 "$UNHCR_FOCAL" GET "/findings?period=2025-H2&severity=error&status=open"
python3 -c "import json; j=json.load(open('body.json')); assert all(f['severity']=='error' for f in j['findings']) and j['shown']<=j['total'], j" \
  || fail "the findings filters"
expect 400 "$UNHCR_FOCAL" GET "/findings?period=2025-H2&severity=fatal"; code_is bad_parameter
runs=$("$jvap" runs "${C[@]}" --format json | grep -c '"run_id"')
expect 200 "$TOKEN" GET "/findings?period=2025-H2"
[ "$("$jvap" runs "${C[@]}" --format json | grep -c '"run_id"')" = "$runs" ] || fail "the service stored a check run"
expect 200 "$UNHCR_FOCAL" GET "/completeness?period=2025-H2"
"$jvap" completeness --period 2025-H2 --org UNHCR --list --format json "${C[@]}" > cli.json
cmp -s body.json cli.json || fail "completeness through the service differs from jvap completeness --org UNHCR"
# Roles: a viewer reads published reports only; a contributor sees no findings.
expect 200 "$VIEWER" GET "/reports/joint?period=2025-H2&format=md"
grep -q 'verified data only' body.json || fail "the service's report is not of verified data"
expect 403 "$VIEWER" POST "/uploads?name=x.csv" "${csv[@]}" --data-binary @unhcr.csv; code_is forbidden
expect 403 "$VIEWER" GET "/owed?period=2025-H2"
expect 403 "$UNHCR" GET "/findings?period=2025-H2"
expect 403 "$UNHCR" GET /submissions/2/audit
expect 403 "$UNHCR" GET "/reports/partner?period=2025-H2&format=json"
expect 200 "$UNHCR_FOCAL" GET "/reports/partner?period=2025-H2&format=json"
expect 200 "$SECRETARIAT" GET "/findings?period=2025-H2&org=IOM"
expect 200 "$SECRETARIAT" GET "/submissions?state=submitted"
grep -q '"id": 2' body.json || fail "the review queue misses submission 2"

# ---- bad requests ----
expect 400 "$UNHCR" POST "/uploads?name=bad.csv" "${csv[@]}" --data-binary "initiative,period,measure,value"$'\n'"$(sed -n 2p unhcr.csv | cut -d, -f1),2025-H2,status,ongoingg"$'\n'
code_is rejected
grep -q '"line": 2' body.json || fail "the rejected row is not located"
expect 400 "$TOKEN" GET "/owed?period=2025-H2&colour=red"; code_is unknown_parameter
expect 400 "$TOKEN" GET "/owed?period=2099-H1"; code_is bad_request
expect 400 "$TOKEN" GET "/findings"; code_is missing_parameter
expect 404 "$TOKEN" GET /nothing; code_is not_found
expect 405 "$TOKEN" DELETE /submissions/1
expect 400 "" GET "/me?token=$TOKEN"; code_is token_in_url
expect 415 "$TOKEN" POST "/uploads" -H "Content-Type: text/plain" --data-binary @iom.csv; code_is unsupported_media_type
expect 415 "$TOKEN" POST "/uploads" "${csv[@]}" -H "Content-Encoding: gzip" --data-binary @iom.csv; code_is content_encoding
expect 411 "$TOKEN" POST "/uploads" "${csv[@]}" -H "Transfer-Encoding: chunked" --data-binary @iom.csv
expect 411 "$SECRETARIAT" POST /submissions/2/verify
head -c $((21 << 20)) /dev/zero > big.csv
expect 413 "$TOKEN" POST "/uploads" "${csv[@]}" --data-binary @big.csv
big=$(head -c 6000 /dev/zero | tr '\0' a)
expect 431 "$TOKEN" GET /me -H "X-A: $big" -H "X-B: $big" -H "X-C: $big"; code_is headers_too_large
many=(); for i in $(seq 120); do many+=(-H "X-$i: 1"); done
expect 431 "$TOKEN" GET /me "${many[@]}"
expect 416 "$VIEWER" GET "/reports/joint?period=2025-H2" -H "Range: bytes=0-,0-,0-"; code_is range_not_supported
expect 404 "$TOKEN" GET "/$TOKEN"; grep -q "${TOKEN:14}" body.json && fail "a token in the path is echoed"
expect 404 "$TOKEN" GET "/me%FF"; code_is not_found
expect 400 "$TOKEN" GET "/owed?period=2025-H2&x=%20$TOKEN"; code_is token_in_url
expect 200 "$UNHCR_FOCAL" POST "/uploads?name=u.csv&dry_run=1" -H 'Content-Type: text/csv; charset="windows-1252"' --data-binary @unhcr.csv
expect 415 "$UNHCR_FOCAL" POST "/uploads?name=u.csv&dry_run=1" -H 'Content-Type: text/csv; charset=latin-9' --data-binary @unhcr.csv
code_is unsupported_charset
expect 400 "$SECRETARIAT" POST /submissions/2/return -H "Content-Type: application/json" -d '{}'; code_is comment_required
expect 400 "$SECRETARIAT" POST /submissions/2/return -H "Content-Type: application/json" -d 'not json'; code_is bad_json

# ---- uploads are rate-limited per token (12 a minute here), dry runs included ----
got=""
for i in $(seq 14); do got="$got $(status "$UNHCR_FOCAL" POST "/uploads?name=u.csv&dry_run=1" "${csv[@]}" --data-binary @unhcr.csv)"; done
case "$got" in *429*) ;; *) fail "14 uploads in a minute were all let through:$got" ;; esac
code_is too_many_uploads
case "$got" in " 200 200 200"*) ;; *) fail "the first uploads were refused:$got" ;; esac

# ---- tokens: revoked, expired, unknown; failed sign-ins and uploads rate-limited ----
key=$(echo "$UNHCR" | cut -c1-13)
"$jvap" token revoke "$key" "${C[@]}" -q || fail "token revoke"
expect 401 "$UNHCR" GET /me; code_is token_revoked
old=$("$jvap" token create --org IOM --role viewer --expires 2026-07-20 --as-of 2026-07-01 --plans "$src/plans" --db "$work/jvap.db" -q)
expect 200 "$old" GET /me
"$jvap" token list "${C[@]}" --format json | grep -q '"state": "revoked"' || fail "token list does not show the revoked token"
for i in 1 2 3; do expect 401 "jvap_aaaaaaaa_$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | cut -c1-43)" GET /me; done
expect 401 "not-a-token" GET /me; code_is bad_token
expect 401 "" GET /me; code_is no_token
# Past 5 failures from this address a wrong token is 429 (no more guessing), a valid one still works.
expect 429 "jvap_aaaaaaaa_$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | cut -c1-43)" GET /me
code_is too_many_failed_sign_ins
command curl -s -D - -o /dev/null -H "Authorization: Bearer not-a-token" "$JVAP/api/v1/me" | grep -qi '^Retry-After: 60' \
  || fail "a 429 has no Retry-After"
expect 200 "$TOKEN" GET /me
expect 200 "" GET /me -H "Authorization: bearer $TOKEN"   # the scheme in any case

# ---- the log: a line per request, never a token or a file's content ----
grep -q 'POST /api/v1/uploads 201' "$work/serve.log" || fail "the log has no line for the uploads"
grep -E -q 'jvap_[a-z0-9]{8}_[A-Za-z0-9-]' "$work/serve.log" && fail "a whole token reached the log"
grep -q '1146712' "$work/serve.log" && fail "a file's content reached the log"
echo "ok: every endpoint keeps partners to their own data; the review cycle, tokens, limits and errors behave"
