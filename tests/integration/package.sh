#!/usr/bin/env bash
# The Debian package: CPack builds it from this build, lintian reports no error, and the binary
# unpacked from it (dpkg-deb -x) runs from a folder outside the checkout: init a project, check
# its plan, write a report, read the man page.
set -u
jvap=$(realpath "$1")
build=$(dirname "$jvap")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
(cd "$build" && cpack -G DEB -B "$work/pkg" >/dev/null 2>"$work/cpack.err") || { cat "$work/cpack.err"; fail "cpack"; }
deb=$(ls "$work"/pkg/jvap_*_amd64.deb 2>/dev/null) || fail "no package"
dpkg-deb -I "$deb" | grep -q '^ Depends: .*libsqlite3' || fail "the runtime dependencies were not computed"
if command -v lintian >/dev/null; then
  lintian --suppress-tags running-with-root-privileges "$deb" > "$work/lintian.txt" 2>&1 || true
  if grep '^E: ' "$work/lintian.txt"; then fail "lintian reports errors"; fi
fi
dpkg-deb -x "$deb" "$work/root" || fail "dpkg-deb -x"
bin="$work/root/usr/bin/jvap"
cd "$work"
export TZ=UTC
"$bin" init x >/dev/null || fail "init from the package"
cd x
"$bin" plan check >/dev/null || fail "plan check"
"$bin" report --period 2025-H1 --as-of 2025-09-30 --format html -o r.html -q || fail "report"
grep -q "Joint Rabat-Khartoum monitoring report" r.html || fail "not the joint report"
zcat "$work/root/usr/share/man/man1/jvap.1.gz" | grep -q '^\.SS jvap init' || fail "the packaged man page"
[ -f "$work/root/usr/share/doc/jvap/copyright" ] || fail "no copyright file"
echo "ok: $(basename "$deb") built, lintian clean of errors, runs unpacked outside the checkout"
