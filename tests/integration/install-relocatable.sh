#!/usr/bin/env bash
# `cmake --install` gives a relocatable jvap: installed into a prefix, the prefix moved elsewhere,
# then run from a project folder outside the checkout, it finds its default rules and report
# templates under <prefix>/share/jvap, and its man page and completion are installed.
set -u
jvap=$(realpath "$1")
build=$(dirname "$jvap")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cmake --install "$build" --prefix "$work/first" >/dev/null || fail "cmake --install"
mv "$work/first" "$work/moved"
p="$work/moved"
for f in bin/jvap share/jvap/rules/default.yaml share/jvap/reports/html/report.html.mustache \
         share/jvap/plans/reference/plan.yaml share/man/man1/jvap.1.gz share/bash-completion/completions/jvap \
         share/doc/jvap/guide-secretariat.md; do
  [ -e "$p/$f" ] || fail "$f is not installed"
done
mkdir "$work/project" && cd "$work/project"
cp -r "$p/share/jvap/plans" plans
export TZ=UTC
"$p/bin/jvap" plan check >/dev/null || fail "plan check"
"$p/bin/jvap" rules test >/dev/null || fail "rules test: the installed rules were not found"
"$p/bin/jvap" check --period 2025-H1 --as-of 2025-09-30 --fail-on never >/dev/null || fail "check"
"$p/bin/jvap" report --period 2025-H1 --as-of 2025-09-30 --format html -o r.html -q || fail "report: the installed templates were not found"
grep -q "Joint Rabat-Khartoum monitoring report" r.html || fail "the report is not the joint report"
[ ! -e rules ] && [ ! -e reports ] || fail "the project gained folders it did not ask for"
echo "ok: installed, moved, and run from a folder outside the checkout"
