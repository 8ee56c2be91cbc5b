#!/usr/bin/env bash
# docs/api.md's examples run as written: every ```sh block, in order, against `jvap serve` on the
# bundled plan with the demo's 2025-H1 uploads as of 2026-07-20; each must get the status of the
# `# HTTP NNN` line that follows it.
set -u
jvap=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
fail() { echo "FAIL: $*"; exit 1; }
source "$src/tests/integration/lib-serve.sh"
cd "$work"
# The files the examples send: IOM's 2025-H2 upload, one with an error, one corrected.
cp "$src/plans/demo/uploads/2025-H2/IOM.csv" IOM-2025-H2.csv
sed '2s/,status,ongoing,/,status,ongoingg,/' IOM-2025-H2.csv > IOM-2025-H2-with-errors.csv
cmp -s IOM-2025-H2.csv IOM-2025-H2-with-errors.csv && fail "setup: the error was not made (line 2 of IOM.csv changed?)"
sed '2s/$/ corrected/' IOM-2025-H2.csv > IOM-2025-H2-corrected.csv
# Each block's command, with curl printing only the status; the body is kept for a failure.
awk '/^```sh$/{on=1; block=""; next} /^```$/{if (on) {print block; print "\x1e"}; on=0; next} on{block=block $0 "\n"}' \
  "$src/docs/api.md" > blocks.txt
n=0
while IFS= read -r -d $'\x1e' block; do
  block=${block#$'\n'}
  [ -z "${block//[$'\n ']/}" ] && continue
  expected=$(printf '%s' "$block" | sed -n 's/^# HTTP \([0-9]*\)$/\1/p')
  [ -n "$expected" ] || fail "a block of docs/api.md has no '# HTTP' line: $block"
  command=$(printf '%s' "$block" | grep -v '^# HTTP')
  got=$(bash -c "curl() { command curl -s -o body.txt -w '%{http_code}' \"\$@\"; }; $command")
  if [ "$got" != "$expected" ]; then
    echo "--- body:"; cat body.txt; echo "--- service log:"; tail -n 5 "$work/serve.log"
    fail "docs/api.md: got HTTP $got, not $expected, for: $command"
  fi
  n=$((n + 1))
done < blocks.txt
[ "$n" -ge 20 ] || fail "only $n examples found in docs/api.md"
# What the examples did: the returned submission was resubmitted and verified.
state=$(command curl -s -H "Authorization: Bearer $SECRETARIAT" "$JVAP/api/v1/submissions/1" | grep -o '"state": "[a-z]*"' | head -1)
[ "$state" = '"state": "verified"' ] || fail "submission 1 is $state after the examples, not verified"
grep -q "Bearer jvap_" "$work/serve.log" && fail "a token reached the service's log"
echo "ok: the $n examples of docs/api.md get the statuses they show"
