#!/usr/bin/env bash
# The guides' commands work as written: every `jvap` line of the ```sh blocks of
# docs/guide-secretariat.md, then docs/guide-focal-point.md, runs on the bundled plan and the demo
# uploads (all but the 2026-H1 files of IOM and UNHCR, which the secretariat's guide ingests), as
# of 2026-09-30, and exits 0 or 1 (1: findings at --fail-on, or a dry run's rejected rows).
set -u
jvap=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/plans" "$src/rules" "$src/reports" "$work/"
cd "$work"
export TZ=UTC
fail() { echo "FAIL: $*"; exit 1; }
while IFS=, read -r file org received; do
  case "$file" in 2026-H1/IOM.csv|2026-H1/UNHCR.csv) continue ;; esac
  "$jvap" ingest "plans/demo/uploads/$file" --org "$org" --received-on "$received" --as-of 2026-09-30 -q >/dev/null \
    || fail "setup: $file"
done < <(tail -n +2 plans/demo/uploads/manifest.csv)
"$jvap" check --period 2025-H2 --fail-on never --as-of 2026-09-30 >/dev/null || fail "setup: check 2025-H2"
n=0
for guide in guide-secretariat guide-focal-point; do
  mapfile -t lines < <(awk '/^```sh/{on=1; next} /^```/{on=0} on && /^jvap /' "$src/docs/$guide.md")
  [ ${#lines[@]} -gt 0 ] || fail "$guide.md has no jvap command"
  for line in "${lines[@]}"; do
    read -ra args <<< "${line#jvap }"
    "$jvap" "${args[@]}" --as-of 2026-09-30 > out.txt 2> err.txt
    code=$?
    if [ $code -gt 1 ]; then
      echo "FAIL: $guide.md: '$line' exited $code"
      cat err.txt
      exit 1
    fi
    n=$((n + 1))
  done
done
# What the guides promise: the template's rows are still owed; the reports were written.
[ -s IOM-2026-H1.csv ] && [ -s joint-2026-H1.pdf ] && [ -s IOM-2026-H1.md ] && [ -s jvap-2026-H1.db ] \
  || fail "the files the guides write are not all there"
echo "ok: $n commands of the two guides ran"
