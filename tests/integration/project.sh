#!/usr/bin/env bash
# A project started by `jvap init` works from any folder below it (the project file is found by
# walking up), command-line options win over it, reading commands create nothing, and a bad
# project file is refused with every problem located.
set -u
jvap=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export TZ=UTC
fail() { echo "FAIL: $*"; exit 1; }
"$jvap" init proj >/dev/null || fail "init"
for f in jvap.yaml README.md .gitignore plans/initiatives.yaml plans/reference/plan.yaml; do
  [ -e "proj/$f" ] || fail "init did not write $f"
done
"$jvap" init proj >/dev/null 2>err.txt && fail "init over an existing project succeeded"
grep -q "already exists and is not an empty folder" err.txt || fail "init over a project: $(cat err.txt)"
[ ! -e proj.jvap-init-tmp ] || fail "init left its temporary folder"
mkdir -p proj/a/b && cd proj/a/b
"$jvap" plan check >/dev/null || fail "plan check from a subfolder"
"$jvap" report --period 2025-H1 --as-of 2025-09-30 --format md -o r.md -q || fail "report from a subfolder"
grep -q "Nothing received yet" r.md || fail "an empty project's report does not say nothing was received"
[ ! -e ../../jvap.db ] || fail "a reading command created the database"
"$jvap" check --period 2025-H1 --as-of 2025-09-30 --fail-on never >/dev/null || fail "check"
[ -e ../../jvap.db ] || fail "check did not use the project's database"
# An option on the command line wins over the project file.
"$jvap" plan check --plans nowhere >/dev/null 2>&1 && fail "--plans was ignored"
cd "$work/proj"
printf 'plans: plans\ndatabase: jvap.db\n' > jvap.yaml
"$jvap" plan check >/dev/null 2>err.txt && fail "a project file with an unknown key was accepted"
grep -q "jvap.yaml:2:1: unknown key 'database'" err.txt || fail "unknown key: $(cat err.txt)"
printf 'plans: [plans\n' > jvap.yaml
"$jvap" plan check >/dev/null 2>err.txt && fail "a broken project file was accepted"
grep -q "jvap.yaml:" err.txt || fail "broken project file: $(cat err.txt)"
"$jvap" init --copy-rules --copy-templates "$work/full" >/dev/null || fail "init --copy-rules --copy-templates"
grep -q "^rules: rules" "$work/full/jvap.yaml" && [ -f "$work/full/rules/default.yaml" ] && [ -d "$work/full/reports/html" ] \
  || fail "the copies are not in the project"
echo "ok: init, a project from a subfolder, options over the file, nothing created by reading, bad files located"
