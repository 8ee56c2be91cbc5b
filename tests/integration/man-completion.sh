#!/usr/bin/env bash
# The manual page and the bash completion come from the command table: every command and every
# one of its options (as --help lists them) is in the man page under that command, and completes.
set -u
jvap=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
"$jvap" man > jvap.1 || fail "jvap man"
"$jvap" completion bash > jvap.bash || fail "jvap completion bash"
head -1 jvap.1 | grep -q '^\.TH JVAP 1 ' || fail "not a man page"
mapfile -t commands < <(sed -n 's/^    "\([a-z ]*\)"|.*/\1/p' jvap.bash)
[ ${#commands[@]} -ge 15 ] || fail "only ${#commands[@]} commands in the completion"
source ./jvap.bash
for cmd in "${commands[@]}"; do
  grep -qx ".SS jvap ${cmd}" jvap.1 || fail "no section for 'jvap $cmd' in the man page"
  read -ra words <<< "$cmd"
  # The section of this command: from its heading to the next.
  section=$(awk -v h=".SS jvap ${cmd}" '$0 == h {on = 1; next} /^\.S[SH] / {on = 0} on' jvap.1)
  for opt in $("$jvap" "${words[@]}" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    case $opt in --help|--version|--plans|--db|--as-of|--format|--verbose|--quiet) continue ;; esac
    esc=${opt//-/\\-}
    grep -qF -- "$esc" <<< "$section" || fail "'jvap $cmd' option $opt is not in its man section"
    COMP_WORDS=(jvap "${words[@]}" "${opt:0:4}"); COMP_CWORD=$(( ${#words[@]} + 1 ))
    _jvap
    printf '%s\n' "${COMPREPLY[@]}" | grep -qx -- "$opt" || fail "'jvap $cmd ${opt:0:4}' does not complete to $opt"
  done
  COMP_WORDS=(jvap "${words[0]:0:3}"); COMP_CWORD=1
  _jvap
  printf '%s\n' "${COMPREPLY[@]}" | grep -qx -- "${words[0]}" || fail "'jvap ${words[0]:0:3}' does not complete to ${words[0]}"
done
if command -v man >/dev/null; then
  man -l jvap.1 > /dev/null 2> warnings.txt || fail "man -l failed"
  [ ! -s warnings.txt ] || { cat warnings.txt; fail "man warns"; }
fi
echo "ok: ${#commands[@]} commands, each with its options, in the man page and the completion"
